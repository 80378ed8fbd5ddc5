/* The dataset in the browser: fetched once per version (scalemap/contract/payload.py defines the
 * document, and this code reads its version CONTRACT only), then filtered and searched here. The
 * filter rules are scalemap/contract/view.py's filter_mask and search_matches;
 * tests/contract/test_python_and_js_agree.py runs the same views through both and compares the
 * model ids. Column names come from the payload (`names`), never as strings of their own. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const MS_PER_DAY = 86400000;
  const CONTRACT = 2;   // the payload this code reads: scalemap/contract/payload.py CONTRACT (tested equal)
  const loads = new Map();   // payload URL -> Promise<Dataset>

  // The page's code and its data disagree: said in the console and on the page, then thrown, so
  // nothing is drawn from data read the wrong way.
  function failLoudly(message) {
    console.error(message);
    if (typeof document !== "undefined" && document.body && !document.getElementById("contract-error")) {
      const banner = document.createElement("div");
      banner.id = "contract-error";
      banner.className = "alert alert-danger m-2";
      banner.setAttribute("role", "alert");
      banner.textContent = message;
      document.body.prepend(banner);
    }
    throw new Error(message);
  }

  // The payload's column names, from the payload itself: `names.<column>` is the column's name,
  // and a name the payload lacks fails loudly, not as undefined later on.
  function columnNames(columns) {
    const names = Object.fromEntries(Object.keys(columns).map((name) => [name, name]));
    return new Proxy(names, {
      get: (target, name) => (typeof name !== "string" || Object.hasOwn(target, name) ? target[name]
        : failLoudly(`The data has no column "${name}" (data contract ${CONTRACT}): reload the page; ` +
                     "if this stays, the page's code and the app's data disagree.")),
    });
  }

  // Plotly reads markup in every text it draws (legend names, titles, annotations, hover): text
  // from the data ("<a href=…>") goes through this, shown as text, never as a live link.
  // scalemap/features/charts.py plotly_text is the same for the server's figures.
  const escapeHtml = (text) => {
    const string = String(text);
    return /[&<>]/.test(string) ? string.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") : string;
  };

  // The calendar year of a day counted from 1970-01-01 (H. Hinnant's civil_from_days): the
  // same as new Date(day * MS_PER_DAY).getUTCFullYear(), without making 100,000 Dates.
  function yearOfDay(day) {
    const z = day + 719468;
    const era = Math.floor(z / 146097);
    const dayOfEra = z - era * 146097;
    const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524)
                                 - Math.floor(dayOfEra / 146096)) / 365);
    const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
    const month = Math.floor((5 * dayOfYear + 2) / 153);   // 0 = March
    return yearOfEra + era * 400 + (month >= 10 ? 1 : 0);
  }

  class Dataset {
    constructor(payload) {
      if (payload.contract !== CONTRACT) {
        failLoudly(`The data is in contract ${payload.contract}, but this page reads contract ${CONTRACT}: ` +
                   "reload the page; if this stays, the page's code and the app's data disagree.");
      }
      this.names = columnNames(payload.columns);
      this.numbers = payload.numbers;   // a number column's unit and its confidence and range columns
      this.version = payload.version;
      this.frontierRank = payload.frontier_rank;   // "frontier": among this many largest at release
      this.count = payload.count;
      this.columns = payload.columns;
      this.codes = payload.codes;
      this.credits = payload.credits;
      this.dataVersion = payload.data_version || "";   // the catalogue's citable version
      const columns = payload.columns;
      // Sparse number columns (payload.py: {"at", "values"}) become number columns, null elsewhere.
      for (const [name, column] of Object.entries(columns)) {
        if (column && !Array.isArray(column) && Array.isArray(column.at)) {
          const dense = new Array(payload.count).fill(null);
          column.at.forEach((row, i) => { dense[row] = column.values[i]; });
          columns[name] = dense;
        }
      }
      this.rowOfId = new Map(columns.id.map((id, row) => [id, row]));
      this.year = Int16Array.from(columns.day, yearOfDay);
      let first = Infinity, last = -Infinity, presentDomains = 0;
      for (let row = 0; row < this.count; row++) {
        if (this.year[row] < first) first = this.year[row];
        if (this.year[row] > last) last = this.year[row];
        presentDomains |= columns.domains[row];
      }
      this.yearBounds = this.count ? [first, last] : [1950, 2025];
      this.domains = this.codes.domains.filter((_, bit) => presentDomains & (1 << bit));
      this.organizations = new Set(this.codes.organization_keys);
      this._searchKeys = null;
      this._hover = null;
      this._labels = new Map();   // repeated parts of hover texts (dates, organizations), made once
    }

    label(kind, key, make) {
      const cacheKey = kind + key;
      let text = this._labels.get(cacheKey);
      if (text === undefined) this._labels.set(cacheKey, (text = make()));
      return text;
    }

    code(column, row) {
      const index = this.columns[column][row];
      return index < 0 ? null : this.codes[column][index];
    }

    dateLabel(row) {
      return new Date(this.columns.day[row] * MS_PER_DAY).toISOString().slice(0, 10);
    }

    // The first domain (the model's colour), then the others in order: dataset.py's domains_label.
    domainsLabel(row) {
      const mask = this.columns.domains[row];
      const primary = this.code(this.names.primary_domain, row);
      return [primary, ...this.codes.domains.filter((d, bit) => mask & (1 << bit) && d !== primary)].join(", ");
    }

    // Name, aliases and organization in lower case, as view.py search_matches reads them.
    get searchKeys() {
      if (!this._searchKeys) {
        const { name, aliases } = this.columns;
        const organization = this.names.organization;
        this._searchKeys = name.map((n, row) =>
          `${n}${aliases[row] ? ` ${aliases[row]}` : ""} ${this.code(organization, row)}`.toLowerCase());
      }
      return this._searchKeys;
    }

    // What a point says on hover, built once per model on first use.
    hoverText(row) {
      if (!this._hover) this._hover = new Array(this.count);
      if (this._hover[row] === undefined) {
        const units = scalemap.units;
        const c = this.columns, names = this.names;
        const date = this.label("d", c.day[row], () => this.dateLabel(row));
        const domains = this.label("m", c.domains[row] * 16 + c.primary_domain[row], () => this.domainsLabel(row));
        const organization = this.label("o", c.organization[row], () => escapeHtml(this.code(names.organization, row)));
        this._hover[row] =
          `<b>${escapeHtml(c.name[row])}</b><br>${date} · ${domains}<br>${organization}<br>` +
          `Parameters: ${units.formatCount(c.parameters[row])}${this.sureness(names.parameters, row)}<br>` +
          `Training compute: ${units.formatFlop(c.training_compute[row])}${this.sureness(names.training_compute, row)}` +
          (c.compute_rank[row] ? `<br>#${c.compute_rank[row]} in training compute when released` : "");
      }
      return this._hover[row];
    }

    // How sure a number is, in words, with its range: " (speculative: 1.5×10²⁶–6×10²⁶ FLOP)".
    sureness(column, row) {
      const about = this.numbers[column];
      const confidence = about.confidence && this.code(about.confidence, row);
      if (!confidence || !(this.columns[column][row] > 0)) return "";
      const range = scalemap.units.formatRange(this.columns[about.low][row], this.columns[about.high][row], about.unit);
      return ` (${confidence}${range ? `: ${range}` : ""})`;
    }

    // 1 for each model the filters keep (search only highlights; it does not filter). The last
    // answer is kept: a click asks it of the charts, the table and the estimator in turn. Callers
    // only read the arrays.
    filter(view) {
      const key = JSON.stringify([view.domains, view.year_from, view.year_to, view.organizations, view.only]);
      if (this._lastFilter && this._lastFilter.key === key) return this._lastFilter.keep;
      const keep = this._filter(view);
      this._lastFilter = { key, keep };
      return keep;
    }

    _filter(view) {
      const keep = new Uint8Array(this.count).fill(1);
      const c = this.columns;
      let domainBits = 0;
      for (const domain of view.domains) {
        const bit = this.codes.domains.indexOf(domain);
        if (bit >= 0) domainBits |= 1 << bit;
      }
      // An organization or a group (Google keeps Google Brain's models too): view.py filter_mask.
      const organizations = new Set(view.organizations.map((o) => this.codes.organization_keys.indexOf(o)));
      const byOrganization = (row) => c.organization_keys[row].some((code) => organizations.has(code));
      // Frontier models: among the largest in training compute when released (scalemap/dataset/table.py FRONTIER_RANK).
      const frontier = (view.only || []).includes("frontier"), frontierRank = this.frontierRank;
      for (let row = 0; row < this.count; row++) {
        if ((view.domains.length && !(c.domains[row] & domainBits)) ||
            (view.year_from !== null && this.year[row] < view.year_from) ||
            (view.year_to !== null && this.year[row] > view.year_to) ||
            (view.organizations.length && !byOrganization(row)) ||
            (frontier && !(c.compute_rank[row] > 0 && c.compute_rank[row] <= frontierRank))) {
          keep[row] = 0;
        }
      }
      return keep;
    }

    // 1 for each model whose name, alias or organization contains the text (the last answer kept).
    matches(search) {
      if (this._lastMatches && this._lastMatches.search === search) return this._lastMatches.found;
      const found = this._matches(search);
      this._lastMatches = { search, found };
      return found;
    }

    _matches(search) {
      const text = search.trim().toLowerCase();
      const found = new Uint8Array(this.count);
      if (!text) return found;
      const keys = this.searchKeys;
      for (let row = 0; row < this.count; row++) found[row] = keys[row].includes(text) ? 1 : 0;
      return found;
    }
  }

  // The dataset of `config` ({url, version}); the first call fetches, later ones share it.
  function load(config) {
    if (!loads.has(config.url)) {
      const loading = fetch(config.url, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) throw new Error(`dataset ${config.url}: HTTP ${response.status}`);
          return response.json();
        })
        .then((payload) => new Dataset(payload));
      loading.catch(() => loads.delete(config.url));   // a failed fetch is tried again next time
      loads.set(config.url, loading);
    }
    return loads.get(config.url);
  }

  const fromPayload = (payload) => new Dataset(payload);

  scalemap.dataset = { load, fromPayload, escapeHtml, yearOfDay, failLoudly, MS_PER_DAY, CONTRACT };
})();
