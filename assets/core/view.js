/* The view in the browser, and the URL and the controls, both ways. Everything a view holds is
 * declared once, in Python, as a table of fields (scalemap/contract/view.py FIELDS), which comes
 * in the page config (`config.view`: browser_contract()); each kind of field is read and written
 * here as scalemap/contract/url.py does, so a new field needs no code here. A view is
 * {<field name>: value}, with the names of Python's ViewState: {domains, year_from, year_to, …}. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});

  // Python's urllib.parse.unquote(text.replace("+", " ")): %XX runs as UTF-8, bad bytes as U+FFFD.
  const decoder = new TextDecoder("utf-8");
  function unquote(text) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: every ASCII character, on purpose
    return text.replace(/\+/g, " ").replace(/[\x00-\x7f]+/g, (ascii) => {
      if (!ascii.includes("%")) return ascii;
      const bytes = [];
      for (let i = 0; i < ascii.length; i++) {
        const hex = ascii.slice(i + 1, i + 3);
        if (ascii[i] === "%" && /^[0-9a-fA-F]{2}$/.test(hex)) {
          bytes.push(parseInt(hex, 16));
          i += 2;
        } else {
          bytes.push(ascii.charCodeAt(i));
        }
      }
      return decoder.decode(new Uint8Array(bytes));
    });
  }

  // Python's urllib.parse.quote_plus(text, safe=""): what urlencode writes.
  const quotePlus = (text) =>
    encodeURIComponent(text)
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, "+");

  // Python's parse_qs(query.lstrip("?"), keep_blank_values=False, max_num_fields=…); null if too many.
  function parseQuery(query, maxFields) {
    const text = (query || "").replace(/^\?+/, "");
    if (text.split("&").length > maxFields) return null;
    const params = new Map();
    for (const part of text.split("&")) {
      const equals = part.indexOf("=");
      if (equals < 0 || equals === part.length - 1) continue;
      const name = unquote(part.slice(0, equals));
      if (!params.has(name)) params.set(name, []);
      params.get(name).push(unquote(part.slice(equals + 1)));
    }
    return params;
  }

  const codePoints = (text, limit) => Array.from(text).slice(0, limit).join("");
  const unique = (values) => [...new Set(values)];
  const texts = (values) => (Array.isArray(values) ? values.filter((v) => typeof v === "string") : []);
  const copy = (value) => (Array.isArray(value) ? value.slice() : value);   // a default is never shared
  const sameSet = (a, b) => new Set(a).size === new Set(b).size && a.every((v) => b.includes(v));
  const controlKey = ([id, prop]) => `${id}.${prop}`;
  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const regexps = new Map();
  // The whole text matches (Python's re.fullmatch of the same ^…$ pattern); no pattern: any text.
  function matches(pattern, text) {
    if (!pattern) return true;
    if (!regexps.has(pattern)) regexps.set(pattern, new RegExp(pattern));
    return regexps.get(pattern).test(text);
  }

  // --- the special rules the table names (scalemap/contract/view.py RULES), each written once ---

  // "my_model", view.py MyModel.checked: your model if well formed and with a number to plot, else
  // null. `given`: its parts by name (name, date, then the numbers: parameters, compute, tokens …).
  function myModel(given, contract) {
    const number = (text) => (typeof text === "string" && matches(contract.numberPattern, text)
                              && Number(text) > 0 ? text : null);
    const { name, date } = given;
    const cleanName = typeof name === "string"
      ? codePoints(name.replace(/^[ \t]+|[ \t]+$/g, ""), contract.maxNameLength) : "";
    if (!cleanName || typeof date !== "string" || !matches(contract.datePattern, date)) return null;
    const mine = { name: cleanName, date };
    for (const part of Object.keys(given)) if (part !== "name" && part !== "date") mine[part] = number(given[part]);
    return mine.parameters === null && mine.compute === null ? null : mine;
  }

  // "fitted_axes", view.py fitted_axes: the custom chart's axes as far as the trend fits depend
  // on them (its y is fitted when it is a quantity over time on a log scale, not one fitted always).
  function fittedAxes([x, y, , yScale], contract) {
    return x === "date" && yScale === "log" && !contract.alwaysFitted.includes(y) ? ["date", y, "log", "log"]
      : contract.defaultAxes.slice();
  }

  const RULES = { my_model: myModel, fitted_axes: fittedAxes };

  // --- each kind of field, read and written as scalemap/contract/url.py does -------------------
  // fromLink(field, link, contract) -> value; toLink(field, value) -> [[key, text], …];
  // fromControls(field, the values of its controls, year bounds, contract) -> value.
  const KINDS = {
    choice: {
      fromLink: (f, link) => {
        const value = link.last(f.keys[0]);
        return value !== undefined && link.allows(f, value) ? value : f.default;
      },
      toLink: (f, value) => (value !== null && value !== f.default ? [[f.keys[0], value]] : []),
      fromControls: (f, [value]) =>
        typeof value === "string" && value !== "" && (!f.allowed || f.allowed.includes(value)) ? value : f.default,
    },
    choices: {
      fromLink: (f, link) => f.keys.map((key, i) => {
        const value = link.last(key);
        return value !== undefined && f.allowed[i].includes(value) ? value : f.default[i];
      }),
      toLink: (f, value) => f.keys.flatMap((key, i) => (value[i] !== f.default[i] ? [[key, value[i]]] : [])),
      fromControls: (f, values) =>
        values.map((value, i) => (typeof value === "string" && f.allowed[i].includes(value) ? value : f.default[i])),
    },
    many: {
      fromLink: (f, link) =>
        unique((link.params.get(f.keys[0]) || []).filter((value) => link.allows(f, value))).slice(0, f.max_count),
      toLink: (f, value) => value.map((item) => [f.keys[0], item]),
      fromControls: (f, [value]) =>
        unique(texts(value).filter((item) => !f.allowed || f.allowed.includes(item))).slice(0, f.max_count),
    },
    set: {
      fromLink: (f, link) => {
        const text = link.last(f.keys[0]);
        if (text === undefined) return copy(f.default);
        const asked = text.split(",");
        if (asked.length === 1 && asked[0] === f.spelling) return [];
        const known = f.allowed.filter((value) => asked.includes(value));
        return known.length ? known : copy(f.default);
      },
      toLink: (f, value) => (sameSet(value, f.default) ? []   // in `allowed` order: one spelling per view
        : [[f.keys[0], f.allowed.filter((item) => value.includes(item)).join(",") || f.spelling]]),
      fromControls: (f, [value]) => {
        const asked = texts(value);
        return f.allowed.filter((item) => asked.includes(item));
      },
    },
    text: {
      fromLink: (f, link) => {
        const value = link.last(f.keys[0]);
        return value !== undefined && matches(f.pattern, value) ? codePoints(value, f.max_length) : f.default;
      },
      toLink: (f, value) => (value !== f.default ? [[f.keys[0], value]] : []),
      fromControls: (f, [value]) => {
        if (typeof value !== "string") return f.default;
        const text = f.strip ? value.trim() : value;
        return matches(f.pattern, text) ? codePoints(text, f.max_length) : f.default;
      },
    },
    flag: {
      fromLink: (f, link) => (link.last(f.keys[0]) === f.spelling ? !f.default : f.default),
      toLink: (f, value) => (value !== f.default ? [[f.keys[0], f.spelling]] : []),
      fromControls: (f, [value]) => (value === !f.default ? !f.default : f.default),
    },
    year: {
      fromLink: (f, link) => {
        const value = link.last(f.keys[0]);
        if (value === undefined || !matches(f.pattern, value)) return f.default;
        const [first, last] = link.yearBounds;
        return first <= Number(value) && Number(value) <= last ? Number(value) : f.default;
      },
      toLink: (f, value) => (value !== null ? [[f.keys[0], String(value)]] : []),
      fromControls: (f, [years], bounds) => {   // [from, to]; anything else: the whole range
        if (!(Array.isArray(years) && years.length >= 2 && years.slice(0, 2).every(Number.isInteger))) return f.default;
        return years[f.part] === bounds[f.part] ? f.default : years[f.part];
      },
    },
    record: {
      fromLink: (f, link, contract) =>
        RULES[f.check](Object.fromEntries(f.items.map((item, i) => [item, link.last(f.keys[i])])), contract),
      toLink: (f, value) => (value === null ? []
        : f.keys.flatMap((key, i) => (value[f.items[i]] ? [[key, value[f.items[i]]]] : []))),
      fromControls: (f, [given], _bounds, contract) => {
        if (!given || typeof given !== "object" || Array.isArray(given)) return null;
        const part = (item) => (Object.hasOwn(given, item) ? given[item] : undefined);
        return RULES[f.check](Object.fromEntries(f.items.map((item) => [item, part(item)])), contract);
      },
    },
  };

  // --- a view from its table (url.py ViewCodec) ----------------------------------------------

  const defaultView = (contract) => Object.fromEntries(contract.fields.map((f) => [f.name, copy(f.default)]));

  // A link's view, against the dataset (its domains, organizations and model ids).
  function fromQuery(query, dataset, contract) {
    const params = parseQuery(query, contract.maxQueryFields);
    if (params === null) return defaultView(contract);
    const known = { domains: (v) => dataset.domains.includes(v), organizations: (v) => dataset.organizations.has(v),
                    models: (v) => dataset.rowOfId.has(v) };
    const link = {
      params, yearBounds: dataset.yearBounds,
      last: (key) => (params.has(key) ? params.get(key).slice(-1)[0] : undefined),
      allows: (f, value) => (f.known ? known[f.known](value) : f.allowed.includes(value)),
    };
    const view = {};
    for (const f of contract.fields) view[f.name] = KINDS[f.kind].fromLink(f, link, contract);
    for (const f of contract.fields) {   // a year range that ends before it starts: neither end
      const before = f.not_before ? view[f.not_before] : null;
      if (before !== null && view[f.name] !== null && before > view[f.name]) {
        view[f.name] = copy(f.default);
        view[f.not_before] = copy(contract.fields.find((other) => other.name === f.not_before).default);
      }
    }
    return view;
  }

  // "?domain=language&from=2010": what differs from the defaults, in the table's order.
  function toQuery(view, contract) {
    const shared = shareable(view, contract);
    const params = contract.fields.flatMap((f) => KINDS[f.kind].toLink(f, shared[f.name]));
    return params.length ? `?${params.map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join("&")}` : "";
  }

  // The view a link may carry: your own models stay in this tab (their cards open and their pins
  // are compared), but never go into a link (or a server log).
  function shareable(view, contract) {
    const own = (id) => typeof id === "string" && id.startsWith(contract.privatePrefix);
    let shared = view;
    for (const f of contract.fields) {
      const value = view[f.name];
      if (!f.private || !(f.kind === "many" ? value.some(own) : own(value))) continue;
      if (shared === view) shared = { ...view };
      shared[f.name] = f.kind === "many" ? value.filter((id) => !own(id)) : copy(f.default);
    }
    return shared;
  }

  // The query of what the trend fits depend on: their cache key (url.py filter_query).
  function filterQuery(view, contract) {
    const fitted = defaultView(contract);
    for (const f of contract.fields) {
      if (f.fits) fitted[f.name] = typeof f.fits === "string" ? RULES[f.fits](view[f.name], contract) : view[f.name];
    }
    return toQuery(fitted, contract);
  }

  // The view the controls show, from their values in contract.controls order
  // (components.url_state.CONTROLS). Values the controls cannot hold (a hand-made request)
  // become defaults, as on the server.
  function fromControls(values, bounds, contract) {
    const byControl = new Map(contract.controls.map((control, i) => [controlKey(control), values[i]]));
    return Object.fromEntries(contract.fields.map((f) => [f.name, KINDS[f.kind].fromControls(
      f, f.controls.map((control) => byControl.get(controlKey(control))), bounds, contract)]));
  }

  // The controls' values (in contract.controls order) that show the view.
  function toControls(view, bounds, contract) {
    const byControl = new Map();
    for (const f of contract.fields) {
      const value = view[f.name];
      if (f.kind === "year") {   // the year range: [from, to]
        const key = controlKey(f.controls[0]);
        const pair = byControl.get(key) || bounds.slice();
        pair[f.part] = value ?? bounds[f.part];
        byControl.set(key, pair);
      } else if (f.kind === "choices") {
        f.controls.forEach((control, i) => { byControl.set(controlKey(control), value[i]); });
      } else {
        byControl.set(controlKey(f.controls[0]), value);
      }
    }
    return contract.controls.map((control) => byControl.get(controlKey(control)));
  }

  // The view into the address bar once the page is idle, after the charts have drawn and
  // painted (it is not on their path). One history entry per deliberate change: typing in the
  // search box or stepping the years replaces the entry its first change made, so Back
  // returns to the view before it. A view the current URL already gives is never written:
  // a link is kept as it was given (Back from the first view leaves the page).
  // Only the latest view is written, and sync() knows its own echo, so a write that lands
  // while the user is already changing something else never turns that change back. Back or
  // Forward cancels a write not yet made, and any write of a view read before it (`readAt`,
  // a performance.now()): the page now shows the URL the user went to.
  let pendingView = null, writtenQuery = null, urlView = null, lastKind = null, navigatedAt = -Infinity;
  window.addEventListener("popstate", () => {
    pendingView = null;
    lastKind = null;
    navigatedAt = performance.now();
  });

  // The `steps` of the fields that changed when they all share them (a search typed, years
  // dragged), else "other".
  function kindOfChange(before, after, contract) {
    const changed = contract.fields.filter((f) => !same(before[f.name], after[f.name]));
    const steps = new Set(changed.map((f) => f.steps || "other"));
    return changed.length && steps.size === 1 ? [...steps][0] : "other";
  }

  function writeUrl(view, contract, readAt = Infinity) {
    if (readAt < navigatedAt) return;
    const idle = pendingView === null;
    pendingView = shareable(view, contract);
    if (!idle) return;
    window.requestIdleCallback(() => {
      const wanted = pendingView;
      pendingView = null;
      if (wanted === null) return;
      const query = toQuery(wanted, contract);
      const before = urlView || defaultView(contract);
      if (query === toQuery(before, contract) || query === window.location.search) return;
      const kind = kindOfChange(before, wanted, contract);
      const replace = kind !== "other" && kind === lastKind;
      lastKind = kind;
      urlView = wanted;
      writtenQuery = query;
      const url = window.location.pathname + query + window.location.hash;
      if (replace) window.history.replaceState(window.history.state, "", url);
      else window.history.pushState({}, "", url);
      window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    }, { timeout: 300 });
  }

  // Did this callback run only because the tab or the story changed? Those change no chart and
  // no row: a callback that draws returns at once (the URL is still written).
  function onlyPageChanged() {
    const triggered = window.dash_clientside.callback_context?.triggered || [];
    return triggered.length > 0 && triggered.every((t) => t.prop_id === "tab.data" || t.prop_id === "story.data");
  }

  scalemap.view = { parseQuery, unquote, quotePlus, defaultView, myModel, fittedAxes, RULES, KINDS, fromQuery,
                    toQuery, filterQuery, fromControls, toControls, writeUrl, shareable, onlyPageChanged,
                    kindOfChange };

  let synced = false;   // the first URL of the page sets every control, so the charts draw
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_url = {
    // The URL (page load, Back, Forward) -> the controls. The URL itself is left as it is.
    // Controls already showing the URL's view are left alone, so the URL the charts just
    // wrote (writeUrl) draws nothing twice. components/url_state.py wires it.
    sync: async function (search, ...rest) {
      const config = rest.pop();
      const controls = rest;
      const noUpdate = window.dash_clientside.no_update;
      if (synced && (search || "") === writtenQuery) {   // the URL writeUrl() just wrote
        writtenQuery = null;
        return controls.map(() => noUpdate);
      }
      const initial = !synced;
      synced = true;
      const dataset = await scalemap.dataset.load(config.dataset);
      const view = fromQuery(search, dataset, config.view);
      urlView = view;
      const wanted = toControls(view, dataset.yearBounds, config.view);
      return wanted.map((value, i) => (initial || !same(value, controls[i]) ? value : noUpdate));
    },

    // "Clear filters" -> the controls of the fields it clears (contract.clearedControls), at their defaults.
    clearFilters: async function (clicks, config) {
      const contract = config.view;
      if (!clicks) return contract.clearedControls.map(() => window.dash_clientside.no_update);
      const dataset = await scalemap.dataset.load(config.dataset);
      const values = toControls(defaultView(contract), dataset.yearBounds, contract);
      const index = new Map(contract.controls.map((control, i) => [controlKey(control), i]));
      return contract.clearedControls.map((control) => values[index.get(controlKey(control))]);
    },

    // The address bar holds the view (writeUrl), so it is the link to copy.
    // It carries the data version it was made with (v=): a reader later is told what changed.
    copyLink: async function (_clicks, config) {
      const link = scalemap.linkVersion.linkWithVersion(window.location, config.dataVersion, config.view.versionKey);
      try {
        await navigator.clipboard.writeText(link);
      } catch (_error) {   // no clipboard API (plain http on another host): the old way
        const field = document.createElement("textarea");
        field.value = link;
        document.body.appendChild(field);
        field.select();
        const copied = document.execCommand("copy");
        field.remove();
        if (!copied) return "Copy failed: use the address bar";
      }
      return "Link copied ✓";
    },
  };
})();
