/* The view (filters, search, overlays, eras, selected model) and the URL, both ways, in the
 * browser: scalemap/view_state.py's from_query, to_query and view_from_controls, with its
 * constants (browser_contract()) read from the page config. A view is
 * {domains, yearFrom, yearTo, organizations, search, selected, overlays, dl, ls, pins, labels, mine}. */
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
  const last = (params, name) => (params.has(name) ? params.get(name).slice(-1)[0] : undefined);

  function defaultView(contract) {
    return { domains: [], yearFrom: null, yearTo: null, organizations: [], search: "", selected: null,
             overlays: contract.defaultOverlays.slice(), dl: contract.defaultEras.dl, ls: contract.defaultEras.ls,
             pins: [], labels: true, mine: null, window: contract.defaultWindow, colour: contract.defaultColouring,
             axes: contract.defaultAxes.slice(), only: [], tab: contract.defaultTab, story: "" };
  }

  // view_state.checked_axes: each part of the custom chart's axes, or its default (y never the date).
  function checkedAxes(x, y, xScale, yScale, contract) {
    const [defaultX, defaultY] = contract.defaultAxes;
    const scale = (value) => (typeof value === "string" && contract.scales.includes(value) ? value : "log");
    return [typeof x === "string" && contract.axes.includes(x) ? x : defaultX,
            typeof y === "string" && contract.axes.includes(y) && y !== "date" ? y : defaultY,
            scale(xScale), scale(yScale)];
  }

  // view_state.MyModel.checked: "your model" if well formed and with a number to plot, else null.
  // `fields`: its parts by MyModel field name (name, date, parameters, compute, tokens, chips, days).
  function myModel(fields, contract) {
    const number = (text) => (typeof text === "string" && new RegExp(contract.numberPattern).test(text)
                              && Number(text) > 0 ? text : null);
    const { name, date } = fields;
    const cleanName = typeof name === "string"
      ? codePoints(name.replace(/^[ \t]+|[ \t]+$/g, ""), contract.maxNameLength) : "";
    if (!cleanName || typeof date !== "string" || !new RegExp(contract.datePattern).test(date)) return null;
    const mine = { name: cleanName, date };
    for (const [, field] of contract.myFields.slice(2)) mine[field] = number(fields[field]);
    return mine.parameters === null && mine.compute === null ? null : mine;
  }

  // A story's id of the right shape (view.STORY_PATTERN), or "".
  const checkedStory = (value, contract) =>
    (typeof value === "string" && new RegExp(contract.storyPattern).test(value) ? value : "");

  // view_state.checked_only: the known narrowing switches, in their declared order.
  const checkedOnly = (values, contract) =>
    (Array.isArray(values) ? contract.only.filter((o) => values.includes(o)) : []);

  function fromQuery(query, dataset, contract) {
    const params = parseQuery(query, contract.maxQueryFields);
    const view = defaultView(contract);
    if (params === null) return view;
    const [first, lastYear] = dataset.yearBounds;
    const year = (name) => {
      const value = last(params, name);
      if (value === undefined || !new RegExp(contract.yearPattern).test(value)) return null;
      const number = Number(value);
      return first <= number && number <= lastYear ? number : null;
    };
    view.yearFrom = year("from");
    view.yearTo = year("to");
    if (view.yearFrom !== null && view.yearTo !== null && view.yearFrom > view.yearTo) {
      view.yearFrom = view.yearTo = null;
    }
    const selected = last(params, "model");
    view.selected = selected !== undefined && dataset.rowOfId.has(selected) ? selected : null;
    if (params.has("show")) {
      const asked = last(params, "show").split(",");
      const known = contract.overlays.filter((overlay) => asked.includes(overlay));
      view.overlays = asked.length === 1 && asked[0] === "none" ? [] : known.length ? known : view.overlays;
    }
    view.domains = unique((params.get("domain") || []).filter((d) => dataset.domains.includes(d)));
    view.organizations = unique((params.get("org") || []).filter((o) => dataset.organizations.has(o)));
    view.search = codePoints(last(params, "q") || "", contract.maxSearchLength);
    const month = (name, fallback) => {
      const value = last(params, name);
      return value !== undefined && new RegExp(contract.monthPattern).test(value) ? value : fallback;
    };
    view.dl = month("dl", view.dl);
    view.ls = month("ls", view.ls);
    view.pins = unique((params.get("pin") || []).filter((id) => dataset.rowOfId.has(id))).slice(0, contract.maxPins);
    view.labels = last(params, "labels") !== "off";
    view.mine = myModel(Object.fromEntries(contract.myFields.map(([key, field]) => [field, last(params, key)])),
                        contract);
    const timeWindow = last(params, "window");
    view.window = contract.windows.includes(timeWindow) ? timeWindow : contract.defaultWindow;
    const colour = last(params, "colour");
    view.colour = contract.colourings.includes(colour) ? colour : contract.defaultColouring;
    view.axes = checkedAxes(last(params, "cx"), last(params, "cy"), last(params, "cxscale"),
                            last(params, "cyscale"), contract);
    view.only = checkedOnly((last(params, "only") || "").split(","), contract);
    view.tab = contract.tabs.includes(last(params, "tab")) ? last(params, "tab") : contract.defaultTab;
    view.story = checkedStory(last(params, "story"), contract);
    return view;
  }

  function toQuery(view, contract) {
    const params = view.domains.map((d) => ["domain", d]);
    if (view.yearFrom !== null) params.push(["from", String(view.yearFrom)]);
    if (view.yearTo !== null) params.push(["to", String(view.yearTo)]);
    params.push(...view.organizations.map((o) => ["org", o]));
    if (view.search) params.push(["q", view.search]);
    if (view.selected) params.push(["model", view.selected]);
    const defaults = new Set(contract.defaultOverlays);
    const shown = new Set(view.overlays);
    if (shown.size !== defaults.size || [...shown].some((o) => !defaults.has(o))) {
      params.push(["show", contract.overlays.filter((o) => shown.has(o)).join(",") || "none"]);
    }
    if (view.dl !== contract.defaultEras.dl) params.push(["dl", view.dl]);
    if (view.ls !== contract.defaultEras.ls) params.push(["ls", view.ls]);
    params.push(...view.pins.map((id) => ["pin", id]));
    if (!view.labels) params.push(["labels", "off"]);
    if (view.window !== contract.defaultWindow) params.push(["window", view.window]);
    if (view.colour !== contract.defaultColouring) params.push(["colour", view.colour]);
    ["cx", "cy", "cxscale", "cyscale"].forEach((key, i) => {
      if (view.axes[i] !== contract.defaultAxes[i]) params.push([key, view.axes[i]]);
    });
    if (view.only.length) params.push(["only", contract.only.filter((o) => view.only.includes(o)).join(",")]);
    if (view.story) params.push(["story", view.story]);
    if (view.tab !== contract.defaultTab) params.push(["tab", view.tab]);
    if (view.mine) {
      for (const [key, field] of contract.myFields) if (view.mine[field]) params.push([key, view.mine[field]]);
    }
    return params.length ? `?${params.map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join("&")}` : "";
  }

  // The query of the filters alone: what the trend fits depend on (their cache key).
  // With the custom chart's y when that chart is a log-scale quantity over time other than
  // parameters or compute (view_state.fitted_axes: its fit is asked for too).
  function filterQuery(view, contract) {
    const [x, y, , yScale] = view.axes;
    const fitted = x === "date" && yScale === "log" && y !== "parameters" && y !== "training_compute";
    return toQuery({ ...defaultView(contract), domains: view.domains, yearFrom: view.yearFrom,
                     yearTo: view.yearTo, organizations: view.organizations, dl: view.dl, ls: view.ls,
                     axes: fitted ? ["date", y, "log", "log"] : contract.defaultAxes.slice(),
                     only: view.only }, contract);
  }

  // The controls, in the order of components.url_state.CONTROLS.
  // Values the controls cannot hold (a hand-made request) become defaults, as on the server.
  function fromControls([domains, years, organizations, search, overlays, dl, ls, pins, labels, mine, timeWindow,
                         colour, customX, customY, customXScale, customYScale, only, tab, story, selected],
                        bounds, contract) {
    const texts = (values) => (Array.isArray(values) ? values.filter((v) => typeof v === "string") : []);
    const [yearFrom, yearTo] =
      Array.isArray(years) && years.length >= 2 && years.slice(0, 2).every(Number.isInteger) ? years : bounds;
    const month = (value, fallback) =>
      typeof value === "string" && new RegExp(contract.monthPattern).test(value) ? value : fallback;
    return {
      domains: texts(domains),
      yearFrom: yearFrom !== bounds[0] ? yearFrom : null,
      yearTo: yearTo !== bounds[1] ? yearTo : null,
      organizations: texts(organizations),
      search: typeof search === "string" ? codePoints(search.trim(), contract.maxSearchLength) : "",
      selected: typeof selected === "string" && selected ? selected : null,
      overlays: texts(overlays),
      dl: month(dl, contract.defaultEras.dl),
      ls: month(ls, contract.defaultEras.ls),
      pins: unique(texts(pins)).slice(0, contract.maxPins),
      labels: labels !== false,
      mine: mine && typeof mine === "object" && !Array.isArray(mine)
        ? myModel(mine, contract) : null,
      window: typeof timeWindow === "string" && contract.windows.includes(timeWindow) ? timeWindow
        : contract.defaultWindow,
      colour: typeof colour === "string" && contract.colourings.includes(colour) ? colour : contract.defaultColouring,
      axes: checkedAxes(customX, customY, customXScale, customYScale, contract),
      only: checkedOnly(only, contract),
      tab: typeof tab === "string" && contract.tabs.includes(tab) ? tab : contract.defaultTab,
      story: checkedStory(story, contract),
    };
  }

  function toControls(view, bounds) {
    return [view.domains, [view.yearFrom ?? bounds[0], view.yearTo ?? bounds[1]], view.organizations,
            view.search, view.overlays, view.dl, view.ls, view.pins, view.labels, view.mine, view.window,
            view.colour, ...view.axes, view.only, view.tab, view.story, view.selected];
  }

  // The view into the address bar once the page is idle, after the charts have drawn and
  // painted (it is not on their path). One history entry per deliberate change: typing in the
  // search box or stepping the years replaces the entry its first change made, so Back
  // returns to the view before it. A view the current URL already gives is never written:
  // a link is kept as it was given (Back from the first view leaves the page).
  // Only the latest view is written, and sync() knows its own echo, so a write that lands
  // while the user is already changing something else never turns that change back. Back or
  // Forward cancels a write not yet made: the page now shows the URL the user went to.
  let pendingView = null, writtenQuery = null, urlView = null, lastKind = null;
  window.addEventListener("popstate", () => { pendingView = null; lastKind = null; });

  // "search" or "years" when only that changed (a change that comes in steps), else "other".
  function kindOfChange(before, after) {
    const changed = Object.keys(after).filter((key) => !same(before[key], after[key]));
    if (changed.length && changed.every((key) => key === "search")) return "search";
    if (changed.length && changed.every((key) => key === "yearFrom" || key === "yearTo")) return "years";
    return "other";
  }

  // The view a link may carry: your own models stay in this tab (their cards open and their pins
  // are compared), but never go into a link (or a server log).
  function shareable(view, contract) {
    const own = (id) => typeof id === "string" && id.startsWith(contract.privatePrefix);
    if (!own(view.selected) && !view.pins.some(own)) return view;
    return { ...view, selected: own(view.selected) ? null : view.selected, pins: view.pins.filter((id) => !own(id)) };
  }

  function writeUrl(view, contract) {
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
      const kind = kindOfChange(before, wanted);
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

  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

  // Did this callback run only because the tab or the story changed? Those change no chart and
  // no row: a callback that draws returns at once (the URL is still written).
  function onlyPageChanged() {
    const triggered = window.dash_clientside.callback_context?.triggered || [];
    return triggered.length > 0 && triggered.every((t) => t.prop_id === "tab.data" || t.prop_id === "story.data");
  }

  scalemap.view = { parseQuery, unquote, quotePlus, defaultView, myModel, fromQuery, toQuery, filterQuery,
                    fromControls, toControls, writeUrl, shareable, onlyPageChanged };

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
      const wanted = toControls(view, dataset.yearBounds);
      return wanted.map((value, i) => (initial || !same(value, controls[i]) ? value : noUpdate));
    },

    clearFilters: async function (clicks, config) {
      const noUpdate = window.dash_clientside.no_update;
      if (!clicks) return [noUpdate, noUpdate, noUpdate, noUpdate];
      const dataset = await scalemap.dataset.load(config.dataset);
      return [[], dataset.yearBounds.slice(), [], ""];
    },

    // The address bar holds the view (writeUrl), so it is the link to copy.
    copyLink: async function (_clicks) {
      const link = window.location.href;
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
