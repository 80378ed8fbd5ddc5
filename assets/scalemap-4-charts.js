/* The three charts, drawn in the browser: each control change fills the figure skeletons that
 * scalemap/figures.py built (axes, colours, one trace per domain, reference lines) with the
 * models the filters keep, from the dataset fetched once. Nothing goes to the server, except
 * a request for trend fits while they are shown; the charts are drawn again when they come. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const { MS_PER_DAY } = scalemap.dataset;
  const plottables = new WeakMap();   // dataset -> chart key -> the rows it can plot

  // The rows a chart can plot (those with its values), their coordinates and whether a value
  // is a speculative estimate: worked out once per dataset and chart.
  function plottable(dataset, spec) {
    let byChart = plottables.get(dataset);
    if (!byChart) plottables.set(dataset, (byChart = {}));
    if (byChart[spec.key]) return byChart[spec.key];
    const c = dataset.columns;
    const speculative = dataset.codes.parameters_confidence.indexOf("speculative");
    const ys = c[spec.y], xs = spec.xIsDate ? null : c[spec.x];
    const confidences = [c[`${spec.y}_confidence`], spec.xIsDate ? null : c[`${spec.x}_confidence`]]
      .filter(Boolean);
    const rows = [];
    for (let row = 0; row < dataset.count; row++) {
      if (ys[row] > 0 && (spec.xIsDate || xs[row] > 0)) rows.push(row);
    }
    const x = new Float64Array(rows.length), y = new Float64Array(rows.length);
    const hollow = new Uint8Array(rows.length);
    rows.forEach((row, i) => {
      x[i] = spec.xIsDate ? c.day[row] * MS_PER_DAY : xs[row];
      y[i] = ys[row];
      hollow[i] = confidences.some((column) => column[row] === speculative) ? 1 : 0;
    });
    return (byChart[spec.key] = { rows, x, y, hollow });
  }

  function logAxis(lo, hi, label, pad) {
    const [tickvals, ticktext] = scalemap.units.logTicks(lo, hi, label);
    return { tickvals, ticktext, range: [Math.log10(lo) - pad, Math.log10(hi) + pad] };
  }

  const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
  const yearToMs = (year) => Date.UTC(Math.floor(year), 0, 1) + (year % 1) * 365.25 * MS_PER_DAY;

  // One chart's figure and count line for the view. `keep` and `found` are per-model 0/1 arrays.
  function drawChart(skeleton, dataset, view, keep, found, fits) {
    const meta = skeleton.layout.meta;
    const spec = meta.chart;
    const points = plottable(dataset, spec);
    const c = dataset.columns;
    const domainOf = (row) => dataset.codes.primary_domain[c.primary_domain[row]];

    let shown = 0, searching = false;
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let i = 0; i < points.rows.length; i++) {
      if (!keep[points.rows[i]]) continue;
      shown++;
      if (found[points.rows[i]]) searching = true;
      if (points.x[i] < minX) minX = points.x[i];
      if (points.x[i] > maxX) maxX = points.x[i];
      if (points.y[i] < minY) minY = points.y[i];
      if (points.y[i] > maxY) maxY = points.y[i];
    }

    // Points by trace: domain traces, then search matches; in each, solid points first, so each
    // legend key shows a solid marker where the domain has one.
    const groups = new Map();
    const group = (key) => {
      if (!groups.has(key)) groups.set(key, { x: [], y: [], rows: [], hollow: [] });
      return groups.get(key);
    };
    for (const pass of [0, 1]) {
      for (let i = 0; i < points.rows.length; i++) {
        const row = points.rows[i];
        if (!keep[row] || points.hollow[i] !== pass) continue;
        const target = searching && found[row] ? group("matches") : group(domainOf(row));
        target.x.push(points.x[i]);
        target.y.push(points.y[i]);
        target.rows.push(row);
        target.hollow.push(pass);
      }
    }

    // Only the traces that have something to show: each trace, even a hidden one, costs
    // Plotly time on every redraw.
    const overlays = new Set(view.overlays);
    const fitFor = (era) => fits && fits.find((fit) => fit.metric === spec.y && fit.era === era);
    const empty = { x: [], y: [], rows: [], hollow: [] };
    const data = [];
    function pointsTrace(trace, g, symbol, showlegend, role) {
      const drawn = { ...trace, x: Float64Array.from(g.x), y: Float64Array.from(g.y), customdata: g.rows,
                      hovertext: g.rows.map((row) => dataset.hoverText(row)), showlegend,
                      marker: { ...trace.marker, symbol } };
      if (role === "domain" && searching) {
        // Dimmed while searching, and deaf to hover and click: a neighbour drawn under a match
        // would otherwise steal the click.
        drawn.marker.opacity = 0.2;
        drawn.hoverinfo = "skip";
        drawn.hovertemplate = null;
      }
      if (role === "matches") {
        drawn.marker.color = g.rows.map((row) => meta.domainColours[domainOf(row)]);
        const labelled = g.rows.length <= meta.searchLabelsUpTo;
        drawn.mode = labelled ? "markers+text" : "markers";
        drawn.text = labelled ? g.rows.map((row) => scalemap.dataset.escapeHtml(c.name[row])) : null;
      }
      return drawn;
    }

    // A trace's marker symbol: one for all its points, or one per point (hollow where a value is
    // speculative). WebGL draws per-point symbols slowly (a third of the redraw at 100,000
    // points), so a WebGL domain trace is split in two: solid points, then hollow ones.
    const pieces = (trace, g) => {
      if (!g.hollow.some(Boolean)) return [[g, "circle", true]];
      if (trace.type !== "scattergl") return [[g, g.hollow.map((h) => (h ? "circle-open" : "circle")), true]];
      const split = g.hollow.indexOf(1);   // solid points come first
      const part = (from, to) => ({ x: g.x.slice(from, to), y: g.y.slice(from, to), rows: g.rows.slice(from, to) });
      return [[part(0, split), "circle", true], [part(split), "circle-open", split === 0]].filter(([p]) => p.rows.length);
    };
    for (const trace of skeleton.data) {
      const role = trace.meta.role;
      if (role === "domain" || role === "matches") {
        const g = groups.get(role === "domain" ? trace.meta.domain : "matches") || empty;
        if (!g.rows.length) continue;
        for (const [part, symbol, legend] of pieces(trace, g)) {
          data.push(pointsTrace(trace, part, symbol, legend, role));
        }
        continue;
      }
      if (role === "legend") {
        const hollow = (t) => [].concat(t.marker.symbol).includes("circle-open");
        if (data.some(hollow)) data.push({ ...trace, visible: true });
      } else if (role === "overlay") {
        // A band or a threshold over an empty chart says nothing; formula lines stand alone.
        const needsData = trace.meta.overlay === "parameter-gap" || trace.meta.overlay === "thresholds";
        if (overlays.has(trace.meta.overlay) && (shown > 0 || !needsData)) data.push({ ...trace, visible: true });
      } else if (role === "trend") {
        const fit = overlays.has("trends") ? fitFor(trace.meta.era) : undefined;
        if (!fit) continue;
        const years = Array.from({ length: 30 }, (_, i) => fit.tStart + ((fit.tEnd - fit.tStart) * i) / 29);
        data.push({ ...trace, visible: true, x: years.map((t) => isoDate(yearToMs(t))),
                    y: years.map((t) => 10 ** (fit.intercept + fit.slope * t)),
                    hovertemplate: `${fit.summary}<extra></extra>` });
      }
    }

    const layout = { ...skeleton.layout, xaxis: { ...skeleton.layout.xaxis },
                     yaxis: { ...skeleton.layout.yaxis } };
    if (shown) {
      const label = spec.y.includes("compute") ? scalemap.units.flopTickLabel : scalemap.units.countTickLabel;
      Object.assign(layout.yaxis, logAxis(minY, maxY, label, meta.logAxisPad));
      if (spec.xIsDate) {
        const span = Math.max(maxX - minX, 365 * MS_PER_DAY);
        layout.xaxis.range = [isoDate(minX - span * meta.dateAxisPad), isoDate(maxX + span * meta.dateAxisPad)];
      } else {
        Object.assign(layout.xaxis, logAxis(minX, maxX, scalemap.units.countTickLabel, meta.logAxisPad));
      }
    }
    // Each 6·N·D label sits where its line leaves the data: at the widest model, or lower
    // down if the line passes above the largest compute first.
    layout.annotations = skeleton.layout.annotations.map((note, i) => {
      if (note.name === "selected") return callout(skeleton, dataset, view, keep);
      const tokens = 10 ** meta.sixNdExponents[i];
      const n = Math.min(maxX, maxY / (6 * tokens));
      return shown && overlays.has("six-nd")
        ? { ...note, visible: true, x: Math.log10(n), y: Math.log10(6 * n * tokens) }
        : { ...note, visible: false };
    });

    return { figure: { data, layout }, shown };
  }

  // The selected model's name, with an arrow to its point, where this chart shows it. An
  // annotation: moving it redraws no points. (Annotations on log axes take log10 positions.)
  function callout(skeleton, dataset, view, keep) {
    const meta = skeleton.layout.meta;
    const placeholder = skeleton.layout.annotations[meta.calloutIndex];
    const row = view.selected !== null ? dataset.rowOfId.get(view.selected) : undefined;
    const i = row !== undefined && keep[row] ? plottable(dataset, meta.chart).rows.indexOf(row) : -1;
    if (i < 0) return { ...placeholder, visible: false };
    const points = plottable(dataset, meta.chart);
    return { ...placeholder, visible: true, text: scalemap.dataset.escapeHtml(dataset.columns.name[row]),
             x: meta.chart.xIsDate ? isoDate(points.x[i]) : Math.log10(points.x[i]), y: Math.log10(points.y[i]) };
  }

  function countLine(shown, filtered, lack) {
    const missing = filtered - shown;
    return `${shown} of ${filtered} models` + (missing ? ` · ${missing} lack ${lack}` : "");
  }

  function sum(values) {
    let total = 0;
    for (let i = 0; i < values.length; i++) total += values[i];
    return total;
  }

  // The figures, count lines and filter summary for the controls (a plain function: the
  // browser tests call it with a dataset of their own).
  function drawAll(dataset, controls, trendFits, contract, skeletons) {
    const view = scalemap.view.fromControls(controls, dataset.yearBounds, contract);
    const keep = dataset.filter(view);
    const found = dataset.matches(view.search);
    const fits = trendFits && trendFits.key === scalemap.view.filterQuery(view, contract) ? trendFits.fits : null;
    const kept = sum(keep);
    const figures = [], counts = [];
    for (const skeleton of skeletons) {
      const drawn = drawChart(skeleton, dataset, view, keep, found, fits);
      figures.push(drawn.figure);
      counts.push(countLine(drawn.shown, kept, skeleton.layout.meta.chart.lack));
    }
    let summary = `${kept} of ${dataset.count} models match the filters`;
    if (view.search) {
      let matched = 0;
      for (let row = 0; row < dataset.count; row++) matched += keep[row] & found[row];
      summary += ` · ${matched} match “${view.search}”`;
    }
    return [...figures, ...counts, summary];
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_charts = {
    // Every control -> the three figures, their count lines, the filter summary, and a request
    // for trend fits when they are shown (the overlay, or the open Trends panel) and the
    // filters changed since the last one. The selected model and the fits are read, not
    // listened to, so the first draw does not wait for the server; callout() and redrawTrends()
    // follow their changes.
    draw: async function (domains, years, organizations, search, overlays, dl, ls, panel,
                          selected, trendFits, config, skeletons, lastRequest) {
      const dataset = await scalemap.dataset.load(config.dataset);
      const controls = [domains, years, organizations, search, overlays, dl, ls, selected];
      const drawn = drawAll(dataset, controls, trendFits, config.view, skeletons);
      const view = scalemap.view.fromControls(controls, dataset.yearBounds, config.view);
      scalemap.view.writeUrl(view, config.view);
      const key = scalemap.view.filterQuery(view, config.view);
      const shown = view.overlays.includes("trends") || Boolean(panel);
      const request = shown && !(lastRequest && lastRequest.key === key) ? { key } : window.dash_clientside.no_update;
      return [...drawn, request, { selected: view.selected }];
    },

    // Fits from the server -> the figures again, with their trend lines.
    redrawTrends: async function (trendFits, domains, years, organizations, search, overlays, dl, ls,
                                  selected, config, skeletons) {
      const dataset = await scalemap.dataset.load(config.dataset);
      const controls = [domains, years, organizations, search, overlays, dl, ls, selected];
      const view = scalemap.view.fromControls(controls, dataset.yearBounds, config.view);
      if (!trendFits || trendFits.key !== scalemap.view.filterQuery(view, config.view)) {
        return skeletons.map(() => window.dash_clientside.no_update);
      }
      return drawAll(dataset, controls, trendFits, config.view, skeletons).slice(0, skeletons.length);
    },

    // The selected model -> its callout on each chart, patched into the figures (no points
    // redrawn), and the URL. Skipped when the last draw already named it: this callback also
    // listens to what draw() drew, so Dash runs it after a draw, never against an older figure.
    callout: async function (selected, drawn, domains, years, organizations, search, overlays, dl, ls,
                             config, skeletons) {
      const noUpdate = window.dash_clientside.no_update;
      if (drawn && drawn.selected === (selected || null)) return [...skeletons.map(() => noUpdate), noUpdate];
      const dataset = await scalemap.dataset.load(config.dataset);
      const view = scalemap.view.fromControls(
        [domains, years, organizations, search, overlays, dl, ls, selected], dataset.yearBounds, config.view);
      scalemap.view.writeUrl(view, config.view);
      const keep = dataset.filter(view);
      const patches = skeletons.map((skeleton) => new window.dash_clientside.Patch()
        .assign(["layout", "annotations", skeleton.layout.meta.calloutIndex], callout(skeleton, dataset, view, keep))
        .build());
      return [...patches, { selected: view.selected }];
    },
  };

  scalemap.charts = { plottable, drawChart, drawAll, countLine };
})();
