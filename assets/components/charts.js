/* The three charts, drawn in the browser: each control change fills the figure skeletons that
 * scalemap/figures.py built (axes, colours, one trace per domain, reference lines) with the
 * models the filters keep, from the dataset fetched once. Nothing goes to the server, except
 * a request for trend fits while they are shown; the charts are drawn again when they come. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
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
    const confidences = [c[confidenceColumn(spec.y)], spec.xIsDate ? null : c[confidenceColumn(spec.x)]]
      .filter(Boolean);
    const rows = [];
    const unitOf = (row) => dataset.code("training_data_unit", row);
    for (let row = 0; row < dataset.count; row++) {
      if (ys[row] > 0 && (spec.xIsDate || xs[row] > 0) && (!spec.yUnit || unitOf(row) === spec.yUnit) &&
          (!spec.xUnit || unitOf(row) === spec.xUnit)) rows.push(row);
    }
    const x = new Float64Array(rows.length), y = new Float64Array(rows.length);
    const hollow = new Uint8Array(rows.length);
    rows.forEach((row, i) => {
      x[i] = spec.xIsDate ? c.day[row] * scalemap.dataset.MS_PER_DAY : xs[row];
      y[i] = ys[row];
      hollow[i] = confidences.some((column) => column[row] === speculative) ? 1 : 0;
    });
    return (byChart[spec.key] = { rows, x, y, hollow });
  }

  // The payload column of a plotted number's confidence (the cost in today's dollars has its
  // stated cost's); a number without one (hardware count, time) has none.
  const confidenceColumn = (column) =>
    `${column === "training_cost_real" ? "training_cost" : column}_confidence`;

  function logAxis(lo, hi, label, pad, maxTicks) {
    const [tickvals, ticktext] = scalemap.units.logTicks(lo, hi, label, maxTicks);
    return { tickvals, ticktext, range: [Math.log10(lo) - pad, Math.log10(hi) + pad] };
  }

  const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
  const yearToMs = (year) => Date.UTC(Math.floor(year), 0, 1) + (year % 1) * 365.25 * scalemap.dataset.MS_PER_DAY;

  // Where labels may go around a point, in pixels (x right, y down), nearest first.
  const LABEL_OFFSETS = [[0, -26], [0, 26], [46, -26], [-46, -26], [46, 26], [-46, 26], [0, -52], [0, 52],
                         [84, -44], [-84, -44], [84, 44], [-84, 44], [0, -78], [0, 78], [120, -66], [-120, -66]];

  // Labels for `items` ({px, py, text}, most important first) that overlap neither each other
  // nor a labelled point, inside the plot; at most `limit`. Greedy: each takes the nearest free spot.
  function placeLabels(items, size, limit) {
    const boxes = [], placed = [];
    const obstacles = items.slice(0, 200);
    const overlaps = (b) => boxes.some((o) => b.l < o.r && b.r > o.l && b.t < o.b && b.b > o.t) ||
      obstacles.some((p) => p.px > b.l - 5 && p.px < b.r + 5 && p.py > b.t - 5 && p.py < b.b + 5);
    for (const item of items) {
      if (placed.length >= limit) break;
      if (!(item.px >= 0 && item.px <= size.w && item.py >= 0 && item.py <= size.h)) continue;
      const w = Array.from(item.text).length * 6.2 + 8, h = 17;
      for (const [ax, ay] of LABEL_OFFSETS) {
        const cx = item.px + ax, cy = item.py + ay;
        const box = { l: cx - w / 2, r: cx + w / 2, t: cy - h / 2, b: cy + h / 2 };
        if (box.l < 0 || box.r > size.w || box.t < 0 || box.b > size.h || overlaps(box)) continue;
        boxes.push(box);
        placed.push({ ...item, ax, ay });
        break;
      }
    }
    return placed;
  }

  // The plot area in pixels: the chart's own when Plotly has drawn it (its graph div is inside
  // the element with the chart's id); before that, the element's width and set height less
  // typical margins; else a typical one.
  function plotSize(spec) {
    const outer = document.getElementById(`graph-${spec.graphKey || spec.key}`);
    const gd = outer && (outer._fullLayout ? outer : outer.querySelector(".js-plotly-plot"));
    const size = gd?._fullLayout?._size;
    if (size && size.w > 0) return { w: size.w, h: size.h };
    if (outer && outer.clientWidth > 200) {
      return { w: outer.clientWidth - 100, h: (outer.clientHeight || parseFloat(outer.style.height) || 600) - 200 };
    }
    return { w: 800, h: 400 };
  }

  // The chart a skeleton draws: its own spec, or for the custom chart the view's axes (x, y and
  // their scales; training data per unit: "training_data:tokens"). Its key names its points
  // (plottable's cache), graphKey its element; its exports are named after its axes.
  function chartSpec(meta, view) {
    if (meta.chart.key !== "custom") return meta.chart;
    const [x, y, xScale, yScale] = view.axes;
    const [xColumn, xUnit] = x.split(":"), [yColumn, yUnit] = y.split(":");
    const title = (axis) => meta.axisTitles[axis].replace("{year}", meta.costYear);
    const slug = (axis) => axis.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const inSentence = (text) => text[0].toLowerCase() + text.slice(1);   // "FLOP" and "US$" kept
    return { ...meta.chart, key: `custom|${x}|${y}`, graphKey: meta.chart.key, fileName: `${slug(y)}-vs-${slug(x)}`,
             x: xColumn, y: yColumn, metric: y, xUnit: xUnit || null,
             yUnit: yUnit || null, xIsDate: x === "date", xLog: x !== "date" && xScale === "log",
             yLog: yScale === "log", x_title: title(x), y_title: title(y),
             title: `${title(y)} vs. ${inSentence(title(x))}`, lack: "the values chosen" };
  }

  // Where a value sits on an axis: log10 on a log axis (Plotly's annotation coordinates).
  const onX = (spec, v) => (spec.xIsDate ? isoDate(v) : spec.xLog === false ? v : Math.log10(v));
  const onY = (spec, v) => (spec.yLog === false ? v : Math.log10(v));

  function tickLabel(column) {
    if (column === "training_compute" || column === "inference_flops") return scalemap.units.flopTickLabel;
    if (column === "training_cost_real") return (v) => `$${scalemap.units.countTickLabel(v)}`;
    return scalemap.units.countTickLabel;
  }

  function linearAxis(_lo, hi) {
    return { tickvals: null, ticktext: null, range: [0, hi * 1.05 || 1] };
  }

  // One chart's figure and count line for the view. `keep` and `found` are per-model 0/1 arrays;
  // `kept` is how many models the filters keep.
  function drawChart(skeleton, dataset, view, keep, found, fits, kept, files = []) {
    const meta = skeleton.layout.meta;
    const spec = chartSpec(meta, view);
    const points = plottable(dataset, spec);
    const colouring = colourKey(skeleton, dataset, view, keep, points);
    const domainOf = colouring.of;

    // The time window: a date chart's axis starts there (2010 by default); the models before it
    // are still counted, and the axes are fitted to those inside it.
    const windowStart = spec.xIsDate ? timeWindowStart(view, dataset, meta) : -Infinity;
    // "Confident and likely numbers only": a point with a speculative value is left out.
    const sure = view.only.includes("sure");
    const drops = (i) => !keep[points.rows[i]] || (sure && points.hollow[i] === 1);
    let shown = 0, searching = false, before = 0;
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let pass = 0; pass < 2 && minX === Infinity; pass++) {   // nothing in the window: all of it
      const start = pass === 0 ? windowStart : -Infinity;
      shown = 0;
      before = 0;
      for (let i = 0; i < points.rows.length; i++) {
        if (drops(i)) continue;
        shown++;
        if (found[points.rows[i]]) searching = true;
        if (points.x[i] < start) { before++; continue; }
        if (points.x[i] < minX) minX = points.x[i];
        if (points.x[i] > maxX) maxX = points.x[i];
        if (points.y[i] < minY) minY = points.y[i];
        if (points.y[i] > maxY) maxY = points.y[i];
      }
      if (minX === Infinity) before = 0;
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
        if (drops(i) || points.hollow[i] !== pass) continue;
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
    const metric = spec.metric || spec.y;   // the custom chart's y axis key: "training_data:tokens"
    const fitFor = (era) => spec.yLog !== false && fits &&   // a log-linear fit is a line on a log axis only
      fits.find((fit) => fit.metric === metric && fit.era === era);
    const empty = { x: [], y: [], rows: [], hollow: [] };
    const data = [], trendLabels = [];
    function pointsTrace(trace, g, symbol, showlegend, role) {
      const drawn = { ...trace, x: Float64Array.from(g.x), y: Float64Array.from(g.y), customdata: g.rows,
                      hovertext: g.rows.map((row) => dataset.hoverText(row)), showlegend,
                      marker: { ...trace.marker, symbol } };
      if (overlays.has("ranges")) Object.assign(drawn, whiskers(dataset, spec, g));
      if (role === "domain" && searching) {
        // Dimmed while searching, and deaf to hover and click: a neighbour drawn under a match
        // would otherwise steal the click.
        drawn.marker.opacity = 0.2;
        drawn.hoverinfo = "skip";
        drawn.hovertemplate = null;
      }
      if (role === "matches") drawn.marker.color = g.rows.map((row) => colouring.colours[domainOf(row)]);
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
    // Your own models (uploaded files), through the same filters: a series per file.
    const owns = [];
    for (const file of files) {
      const own = file.dataset, ownKeep = own.filter(view), ownPoints = plottable(own, spec);
      const at = ownPoints.rows.map((_row, i) => i).filter((i) => ownKeep[ownPoints.rows[i]]);
      if (!at.length) continue;
      const drawn = { file, x: at.map((i) => ownPoints.x[i]), y: at.map((i) => ownPoints.y[i]),
                      rows: at.map((i) => ownPoints.rows[i]) };
      for (let i = 0; i < drawn.x.length; i++) {
        minX = Math.min(minX, drawn.x[i]); maxX = Math.max(maxX, drawn.x[i]);
        minY = Math.min(minY, drawn.y[i]); maxY = Math.max(maxY, drawn.y[i]);
      }
      owns.push(drawn);
    }

    // "Your model", where this chart has both its values.
    const mine = myPoint(view.mine, spec);
    if (mine) {
      minX = Math.min(minX, mine.x); maxX = Math.max(maxX, mine.x);
      minY = Math.min(minY, mine.y); maxY = Math.max(maxY, mine.y);
    }

    // Pinned models this chart shows, in pinning order.
    const indexOfRow = new Map();
    const pinned = [];
    for (const id of view.pins) {
      const row = dataset.rowOfId.get(id);
      if (row === undefined || !keep[row]) continue;
      if (!indexOfRow.size) points.rows.forEach((r, i) => { indexOfRow.set(r, i); });
      if (indexOfRow.has(row)) pinned.push(indexOfRow.get(row));
    }
    for (const trace of colouring.traces) {
      const role = trace.meta.role;
      if (role === "uploaded") {   // named after its file, in the legend and on hover
        for (const { file, x, y, rows } of owns) {
          const name = scalemap.dataset.escapeHtml(file.name), own = file.dataset;
          data.push({ ...trace, x, y, name: `Your file: ${name}`, showlegend: true,
                      marker: { ...trace.marker, symbol: file.symbol },
                      customdata: rows.map((row) => own.columns.id[row]),
                      hovertext: rows.map((row) => `<i>Your file: ${name}</i><br>${own.hoverText(row)}`) });
        }
        continue;
      }
      if (role === "mine") {
        if (mine) data.push({ ...trace, x: [mine.x], y: [mine.y], hovertext: [mine.hover] });
        continue;
      }
      if (role === "pinned") {
        if (pinned.length) {
          const rows = pinned.map((i) => points.rows[i]);
          data.push({ ...trace, x: pinned.map((i) => points.x[i]), y: pinned.map((i) => points.y[i]),
                      customdata: rows, hovertext: rows.map((row) => dataset.hoverText(row)) });
        }
        continue;
      }
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
        // Nothing is drawn over an empty chart.
        if (!(overlays.has(trace.meta.overlay) && shown > 0)) continue;
        if (trace.meta.band) {   // the claimed parameter gap: how many models of the view sit in it
          const [low, high] = trace.meta.band, since = trace.meta.since;
          let inside = 0;
          for (let i = 0; i < points.rows.length; i++) {
            const row = points.rows[i];
            if (!drops(i) && points.y[i] >= low && points.y[i] <= high && dataset.year[row] >= since) inside++;
          }
          const counted = `${inside} model${inside === 1 ? "" : "s"} of this view sit in it since ${since}`;
          data.push({ ...trace, visible: true, name: `claimed parameter gap: ${inside} in it since ${since}`,
                      text: `${trace.text}<br>${counted}` });
        } else {
          data.push({ ...trace, visible: true });
        }
      } else if (role === "trend") {
        const fit = overlays.has("trends") ? fitFor(trace.meta.era) : undefined;
        if (!fit) continue;
        const years = Array.from({ length: 30 }, (_, i) => fit.tStart + ((fit.tEnd - fit.tStart) * i) / 29);
        data.push({ ...trace, visible: true, x: years.map((t) => isoDate(yearToMs(t))),
                    y: years.map((t) => 10 ** (fit.intercept + fit.slope * t)),
                    hovertemplate: `${fit.summary}<extra></extra>` });
        // Named on the chart, in its colour, where it ends.
        trendLabels.push({ name: "trend", text: fit.label, showarrow: false, xanchor: "right", yanchor: "bottom",
                           x: isoDate(yearToMs(fit.tEnd)), y: fit.intercept + fit.slope * fit.tEnd,
                           font: { size: 11, color: meta.eraColours[trace.meta.era] },
                           bgcolor: "rgba(255, 255, 255, 0.8)" });
      }
    }

    const layout = { ...skeleton.layout, xaxis: { ...skeleton.layout.xaxis },
                     yaxis: { ...skeleton.layout.yaxis } };
    if (view.colour !== "domain") {   // the legend says what the colours mean
      layout.legend = { ...layout.legend, title: { text: `${meta.colourings[view.colour]}:` } };
    }
    if (!shown && points.rows.length) {   // an empty chart keeps the axes of the whole dataset
      for (let i = 0; i < points.rows.length; i++) {
        minX = Math.min(minX, points.x[i]); maxX = Math.max(maxX, points.x[i]);
        minY = Math.min(minY, points.y[i]); maxY = Math.max(maxY, points.y[i]);
      }
    }
    if (spec !== meta.chart) {   // the custom chart: its titles and scales
      layout.meta = { ...meta, chart: spec };
      layout.title = { ...layout.title, text: spec.title };
      layout.xaxis.title = { text: spec.x_title };
      layout.yaxis.title = { text: spec.y_title };
      layout.xaxis.type = spec.xIsDate ? "date" : spec.xLog ? "log" : "linear";
      layout.yaxis.type = spec.yLog ? "log" : "linear";
    }
    if (minX <= maxX) {
      Object.assign(layout.yaxis, spec.yLog === false ? linearAxis(minY, maxY)
        : logAxis(minY, maxY, tickLabel(spec.y), meta.logAxisPad));
      if (spec.xIsDate) {
        if (before) minX = windowStart;   // the window's first day, not its first model
        const span = Math.max(maxX - minX, 365 * scalemap.dataset.MS_PER_DAY);
        layout.xaxis.range = [isoDate(minX - span * meta.dateAxisPad), isoDate(maxX + span * meta.dateAxisPad)];
      } else {   // as many decades labelled as the plot's width holds side by side ("100K": ~30 px)
        const maxTicks = Math.max(4, Math.floor(plotSize(spec).w / 48));
        Object.assign(layout.xaxis, spec.xLog === false ? linearAxis(minX, maxX)
          : logAxis(minX, maxX, tickLabel(spec.x), meta.logAxisPad, maxTicks));
      }
    }
    // Each 6·N·D label sits where its line leaves the data: at the widest model, or lower
    // down if the line passes above the largest compute first.
    let threshold = 0;
    layout.annotations = skeleton.layout.annotations.map((note, i) => {
      if (note.name === "selected") return callout(skeleton, dataset, view, keep);
      if (note.name === "threshold") {   // named where its line is on the chart
        const y = Math.log10(meta.thresholdFlops[threshold++]);
        const inRange = layout.yaxis.range && y >= layout.yaxis.range[0] && y <= layout.yaxis.range[1];
        return { ...note, visible: Boolean(shown && overlays.has("thresholds") && inRange), y };
      }
      if (!(shown && overlays.has("six-nd"))) return { ...note, visible: false };
      const n = sixNdLabelSpot(10 ** meta.sixNdExponents[i], points, keep, layout, spec, minX, maxX, maxY);
      return { ...note, visible: true, x: Math.log10(n), y: Math.log10(6 * n * 10 ** meta.sixNdExponents[i]) };
    });
    if (shown) layout.annotations.push(...trendLabels);
    if (!shown && !mine && !owns.length) {
      const text = !kept ? "No models match these filters"
        : kept === 1 ? `1 model matches; it has no ${spec.lack}` : `${kept} models match; none has ${spec.lack}`;
      layout.annotations.push({ ...meta.emptyNote, text });
    } else if (layout.xaxis.range && layout.yaxis.range) {
      layout.annotations.push(...nameLabels(meta, dataset, view, points, pinned, groups.get("matches"), layout, mine));
    }

    return { figure: { data, layout }, shown, before, windowStart };
  }

  // The first day a date chart shows in the view's time window (-Infinity: all of them).
  function timeWindowStart(view, dataset, meta) {
    if (view.window === "dl") return Date.UTC(meta.windowStartYear, 0, 1);
    if (view.window === "5y") return Date.UTC(dataset.yearBounds[1] - 4, 0, 1);
    return -Infinity;
  }

  // What a point's colour says: its domain (the skeleton's traces), or another column's value.
  // -> {of(row): category, colours: {category: colour}, traces: the skeleton's, domain traces
  // replaced by one per category}.
  function colourKey(skeleton, dataset, view, keep, _points) {
    const meta = skeleton.layout.meta, c = dataset.columns;
    if (view.colour === "domain" || !view.colour) {
      return { of: (row) => dataset.codes.primary_domain[c.primary_domain[row]], colours: meta.domainColours,
               traces: skeleton.data };
    }
    const scheme = colourScheme(dataset, view, keep, meta);
    // Confidence is the plotted number's: each chart reads its own y column's (none: "unknown").
    const column = view.colour === "confidence" ? confidenceColumn(chartSpec(meta, view).y) : scheme.column;
    const raw = (row) => (c[column] ? dataset.code(column, row) : null) || "unknown";
    const of = (row) => {
      const value = raw(row);
      return value === "unknown" || scheme.colours[value] ? value : "other";
    };
    const template = skeleton.data.find((t) => t.meta.role === "domain");
    const traces = [];
    for (const trace of skeleton.data) {
      if (trace.meta.role !== "domain") traces.push(trace);
      else if (trace === template) {
        for (const k of scheme.order) {
          // The legend reads markup: a country or organization from the data is shown as text.
          traces.push({ ...template, name: scalemap.dataset.escapeHtml(k), legendgroup: k, meta: { role: "domain", domain: k },
                        marker: { ...template.marker, color: scheme.colours[k] } });
        }
      }
    }
    return { of, colours: scheme.colours, traces: template ? traces : skeleton.data };
  }

  // One colour per value for the whole view, the same on every chart and legend: a fixed scale
  // (accessibility, confidence), or the palette in turn to the values most common among the models
  // the view keeps (not a chart's points), the rest "other"; "unknown" has a grey of its own.
  // Worked out once per filter result (`keep`) and colouring.
  const schemes = new WeakMap();   // keep -> colouring -> scheme
  function colourScheme(dataset, view, keep, meta) {
    let byColouring = schemes.get(keep);
    if (!byColouring) schemes.set(keep, (byColouring = {}));
    if (byColouring[view.colour]) return byColouring[view.colour];
    const column = { group: "organization_group", country: "country", accessibility: "accessibility" }[view.colour];
    const fixed = meta.fixedColours[view.colour];
    let named, colours;
    if (fixed) {
      named = Object.keys(fixed);
      colours = { ...fixed };
    } else {
      const counts = new Map();
      for (let row = 0; row < dataset.count; row++) {
        const value = keep[row] ? dataset.code(column, row) : null;
        if (value && value !== "unknown") counts.set(value, (counts.get(value) || 0) + 1);
      }
      named = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || (a < b ? -1 : 1))
        .slice(0, meta.categoryColours.length);
      colours = Object.fromEntries(named.map((k, i) => [k, meta.categoryColours[i]]));
    }
    const scheme = { column, colours: { ...colours, other: meta.otherColour, unknown: meta.unknownColour },
                     order: [...named, "other", "unknown"] };
    return (byColouring[view.colour] = scheme);
  }

  // An estimate's range as whiskers (Plotly's asymmetric error bars, which log axes draw in
  // value space): y's range, and x's where x is a number; none where no range is stated.
  function whiskers(dataset, spec, g) {
    const c = dataset.columns, out = {};
    const bars = (column, values) => {
      const low = c[`${column}_low`], high = c[`${column}_high`];
      if (!low || !g.rows.some((row) => low[row] !== null)) return null;
      const plus = g.rows.map((row, i) => (high[row] === null ? NaN : high[row] - values[i]));
      const minus = g.rows.map((row, i) => (low[row] === null ? NaN : values[i] - low[row]));
      return { type: "data", symmetric: false, array: plus, arrayminus: minus, thickness: 1, width: 0,
               color: "rgba(60, 60, 60, 0.45)" };
    };
    const y = bars(spec.y, g.y);
    if (y) out.error_y = y;
    const x = spec.xIsDate ? null : bars(spec.x, g.x);
    if (x) out.error_x = x;
    return out;
  }

  // "Your model" as a point of this chart ({x, y, name, hover}), or null where it lacks a value.
  function myPoint(mine, spec) {
    if (!mine) return null;
    const given = (text) => (text ? Number(text) : NaN);
    const value = (column, unit) => (column === "parameters" ? given(mine.parameters)
      : column === "training_compute" ? given(mine.compute)
      : column === "training_data" && unit === "tokens" ? given(mine.tokens) : NaN);
    const x = spec.xIsDate ? Date.parse(mine.date) : value(spec.x, spec.xUnit);
    const y = value(spec.y, spec.yUnit);
    if (!(x > -Infinity && y > 0 && (spec.xIsDate || x > 0))) return null;
    const units = scalemap.units, escapeHtml = scalemap.dataset.escapeHtml;
    const hover = `<b>Your model: ${escapeHtml(mine.name)}</b><br>${escapeHtml(mine.date)}<br>` +
      `Parameters: ${units.formatCount(mine.parameters ? Number(mine.parameters) : null)}<br>` +
      `Training compute: ${units.formatFlop(mine.compute ? Number(mine.compute) : null)}` +
      (mine.tokens ? `<br>Training data: ${units.formatCount(Number(mine.tokens))} tokens` : "");
    return { x, y, name: escapeHtml(mine.name), hover };
  }

  // Where on its line a 6·N·D label sits: of a dozen spots along the line within the axes, the one
  // whose label box covers the fewest points shown (ties: the furthest right, where it was before).
  function sixNdLabelSpot(tokens, points, keep, layout, spec, minX, maxX, maxY) {
    const last = Math.min(maxX, maxY / (6 * tokens));
    const size = plotSize(spec);
    const [x0, x1] = layout.xaxis.range, [y0, y1] = layout.yaxis.range;
    const px = (v) => ((Math.log10(v) - x0) / (x1 - x0)) * size.w;
    const py = (v) => size.h - ((Math.log10(v) - y0) / (y1 - y0)) * size.h;
    const shownAt = [];
    for (let i = 0; i < points.rows.length; i++) {
      if (keep[points.rows[i]]) shownAt.push([px(points.x[i]), py(points.y[i])]);
    }
    let best = last, fewest = Infinity;
    for (let k = 11; k >= 0; k--) {
      const n = Math.max(minX, last / 10 ** (k * 0.25));
      const right = px(n), bottom = py(6 * n * tokens);   // the label's anchor: its bottom-right corner
      if (right < 80 || bottom < 14) continue;            // the label would leave the plot
      let covered = 0;
      for (const [x, y] of shownAt) if (x > right - 80 && x < right && y > bottom - 14 && y < bottom) covered++;
      if (covered <= fewest) { fewest = covered; best = n; }
    }
    return best;
  }

  // Names on the chart: pinned models first, then search matches, largest first; each clear
  // of the others, and "and N more" for those left unlabelled.
  function nameLabels(meta, dataset, view, points, pinned, matches, layout, mine) {
    const spec = layout.meta.chart;
    const size = plotSize(spec);
    const [x0, x1] = spec.xIsDate ? layout.xaxis.range.map(Date.parse) : layout.xaxis.range;
    const [y0, y1] = layout.yaxis.range;
    const item = (row, x, y) => ({
      row, x, y, text: dataset.columns.name[row],
      px: (((spec.xIsDate ? x : onX(spec, x)) - x0) / (x1 - x0)) * size.w,
      py: size.h - ((onY(spec, y) - y0) / (y1 - y0)) * size.h,
    });
    // The selected model is named by its callout already.
    const selectedRow = view.selected !== null ? dataset.rowOfId.get(view.selected) : undefined;
    const items = pinned.filter((i) => points.rows[i] !== selectedRow)
      .map((i) => item(points.rows[i], points.x[i], points.y[i]));
    const pinnedRows = new Set(items.map((it) => it.row));
    if (mine) items.unshift({ ...item(-1, mine.x, mine.y), text: `Your model: ${mine.name}` });   // row -1: no model
    if (mine) pinnedRows.add(-1);
    if (selectedRow !== undefined) pinnedRows.add(selectedRow);
    let matched = 0;
    if (matches && view.labels) {
      const order = matches.rows.map((_, i) => i).filter((i) => !pinnedRows.has(matches.rows[i]))
        .sort((a, b) => matches.y[b] - matches.y[a]);
      matched = order.length;
      items.push(...order.slice(0, 400).map((i) => item(matches.rows[i], matches.x[i], matches.y[i])));
    }
    const placed = placeLabels(items, size, meta.labelsUpTo + pinnedRows.size);
    const labels = placed.map((it) => ({
      ...meta.nameLabel, text: scalemap.dataset.escapeHtml(it.text), ax: it.ax, ay: it.ay,
      x: onX(spec, it.x), y: onY(spec, it.y),
    }));
    const unlabelled = matched - placed.filter((it) => !pinnedRows.has(it.row)).length;
    if (unlabelled > 0) {
      labels.push({ ...meta.moreLabels, text: `${unlabelled} ${placed.length > pinnedRows.size ? "more " : ""}` +
                    `${unlabelled === 1 ? "match" : "matches"} not labelled here (the table lists every match)` });
    }
    return labels;
  }

  // The selected model's name, with an arrow to its point, where this chart shows it. An
  // annotation: moving it redraws no points. (Annotations on log axes take log10 positions.)
  function callout(skeleton, dataset, view, keep) {
    const meta = skeleton.layout.meta;
    const placeholder = skeleton.layout.annotations[meta.calloutIndex];
    const row = view.selected !== null ? dataset.rowOfId.get(view.selected) : undefined;
    const spec = chartSpec(meta, view);
    const i = row !== undefined && keep[row] ? plottable(dataset, spec).rows.indexOf(row) : -1;
    if (i < 0) return { ...placeholder, visible: false };
    const points = plottable(dataset, spec);
    return { ...placeholder, visible: true, text: scalemap.dataset.escapeHtml(dataset.columns.name[row]),
             x: onX(spec, points.x[i]), y: onY(spec, points.y[i]) };
  }

  function countLine(shown, filtered, lack, before = 0, windowStart = -Infinity) {
    const missing = filtered - shown;
    const year = windowStart > -Infinity ? new Date(windowStart).getUTCFullYear() : null;
    return `${shown} of ${filtered} models` + (missing ? ` · ${missing} lack ${lack}` : "") +
      (before ? ` · ${before} before ${year}, outside the time window` : "");
  }

  function sum(values) {
    let total = 0;
    for (let i = 0; i < values.length; i++) total += values[i];
    return total;
  }

  // The figures, count lines and filter summary for the controls (a plain function: the
  // browser tests call it with a dataset of their own).
  function drawAll(dataset, controls, trendFits, contract, skeletons, files = []) {
    const view = scalemap.view.fromControls(controls, dataset.yearBounds, contract);
    const keep = dataset.filter(view);
    const found = dataset.matches(view.search);
    const fits = trendFits && trendFits.key === scalemap.view.filterQuery(view, contract) ? trendFits.fits : null;
    const kept = sum(keep);
    const figures = [], counts = [];
    for (const skeleton of skeletons) {
      const drawn = drawChart(skeleton, dataset, view, keep, found, fits, kept, files);
      figures.push(drawn.figure);
      counts.push(countLine(drawn.shown, kept, skeleton.layout.meta.chart.lack, drawn.before, drawn.windowStart));
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
    // The domain filter's swatches are the charts' legend only while the charts colour by domain.
    // Arguments: the colouring, the colour-by options -> the hint under the domains, their class.
    domainHint: function (colour, options) {
      if (!colour || colour === "domain") return ["None ticked: every domain. Colours are the charts' legend.", "domain-filter"];
      const option = (options || []).find((o) => o.value === colour);
      const label = option ? option.label : colour;
      return [`None ticked: every domain. The charts are coloured by ${label}, not domain: their legends ` +
              "say what each colour means.", "domain-filter without-swatches"];
    },

    // Every control -> the three figures, their count lines, the filter summary, and a request
    // for trend fits when they are shown (the overlay, or the open Trends panel) and the
    // filters changed since the last one. The selected model and the fits are read, not
    // listened to, so the first draw does not wait for the server; callout() and redrawTrends()
    // follow their changes.
    // Arguments: the view's controls but the selected model (components/url_state.CONTROLS),
    // the Trends panel, your own models, then selected, trendFits, config, skeletons, lastRequest.
    draw: async function (...args) {
      const [panel, uploaded, selected, trendFits, config, skeletons, lastRequest] = args.splice(-7);
      const dataset = await scalemap.dataset.load(config.dataset);
      const controls = [...args, selected];
      const drawn = drawAll(dataset, controls, trendFits, config.view, skeletons, scalemap.overlay.overlaysOf(uploaded));
      const view = scalemap.view.fromControls(controls, dataset.yearBounds, config.view);
      scalemap.view.writeUrl(view, config.view);
      scalemap.exports.remember({ view, dataset, contract: config.view });
      const key = scalemap.view.filterQuery(view, config.view);
      const shown = view.overlays.includes("trends") || Boolean(panel);
      const request = shown && !(lastRequest && lastRequest.key === key) ? { key } : window.dash_clientside.no_update;
      const empty = drawn[drawn.length - 1].startsWith("0 of ");
      return [...drawn, request, { selected: view.selected }, empty ? {} : { display: "none" }];
    },

    // Fits from the server -> the figures again, with their trend lines.
    // Arguments: the fits, every control (CONTROLS), your own models, config, skeletons.
    redrawTrends: async function (trendFits, ...args) {
      const [uploaded, config, skeletons] = args.splice(-3);
      const dataset = await scalemap.dataset.load(config.dataset);
      const controls = args;
      const view = scalemap.view.fromControls(controls, dataset.yearBounds, config.view);
      if (!trendFits || trendFits.key !== scalemap.view.filterQuery(view, config.view)) {
        return skeletons.map(() => window.dash_clientside.no_update);
      }
      return drawAll(dataset, controls, trendFits, config.view, skeletons, scalemap.overlay.overlaysOf(uploaded))
        .slice(0, skeletons.length);
    },

    // The selected model -> its callout on each chart, patched into the figures (no points
    // redrawn), and the URL. Skipped when the last draw already named it: this callback also
    // listens to what draw() drew, so Dash runs it after a draw, never against an older figure.
    // Arguments: selected, what was drawn, the view's controls but the selected model, config, skeletons.
    callout: async function (selected, drawn, ...args) {
      const [config, skeletons] = args.splice(-2);
      const noUpdate = window.dash_clientside.no_update;
      if (drawn && drawn.selected === (selected || null)) return [...skeletons.map(() => noUpdate), noUpdate];
      const dataset = await scalemap.dataset.load(config.dataset);
      const view = scalemap.view.fromControls([...args, selected], dataset.yearBounds, config.view);
      scalemap.view.writeUrl(view, config.view);
      const keep = dataset.filter(view);
      const patches = skeletons.map((skeleton) => new window.dash_clientside.Patch()
        .assign(["layout", "annotations", skeleton.layout.meta.calloutIndex], callout(skeleton, dataset, view, keep))
        .build());
      return [...patches, { selected: view.selected }];
    },
  };

  scalemap.charts = { plottable, drawChart, drawAll, countLine, placeLabels, myPoint, chartSpec, onX, onY, plotSize };
})();
