/* The four charts' figures, made in the browser: the figure skeletons that
 * scalemap/features/charts.py built (axes, colours, one trace per domain, reference lines) are
 * filled with the models the view keeps, from the dataset fetched once. Plain functions of the
 * view, one job each: which points a chart shows (shownPoints), their colour (colourKey), the
 * traces (chartTraces), the reference lines (referenceTrace), the axes (fitAxes), the notes
 * (chartNotes), the names on the chart (nameLabels) and what an empty chart says (emptyNote).
 * When and where a figure is drawn is assets/components/painter.js's business. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const plottables = new WeakMap();   // dataset -> chart key -> the rows it can plot
  // A domain's points while a search matches others: with their markers' 0.85, about 0.2.
  const DIMMED = 0.25;

  // The rows a chart can plot (those with its values), their coordinates and whether a value
  // is a speculative estimate: worked out once per dataset and chart.
  function plottable(dataset, spec) {
    let byChart = plottables.get(dataset);
    if (!byChart) plottables.set(dataset, (byChart = {}));
    if (byChart[spec.key]) return byChart[spec.key];
    const c = dataset.columns;
    const speculative = dataset.codes.parameters_confidence.indexOf("speculative");
    const ys = c[spec.y], xs = spec.xIsDate ? null : c[spec.x];
    const confidences = [c[confidenceColumn(dataset, spec.y)], spec.xIsDate ? null : c[confidenceColumn(dataset, spec.x)]]
      .filter(Boolean);
    const rows = [];
    const unitColumn = dataset.names.training_data_unit;
    const unitOf = (row) => dataset.code(unitColumn, row);
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

  // The payload column of a plotted number's confidence (the payload's `numbers` say which: the
  // cost in today's dollars has its stated cost's); a number without one (hardware count, time) has none.
  const confidenceColumn = (dataset, column) => dataset.numbers[column]?.confidence;

  function logAxis(lo, hi, label, pad, maxTicks) {
    const [tickvals, ticktext] = scalemap.units.logTicks(lo, hi, label, maxTicks);
    return { tickvals, ticktext, range: [Math.log10(lo) - pad, Math.log10(hi) + pad] };
  }

  function linearAxis(_lo, hi) {
    return { tickvals: null, ticktext: null, range: [0, hi * 1.05 || 1] };
  }

  const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
  const yearToMs = (year) => Date.UTC(Math.floor(year), 0, 1) + (year % 1) * 365.25 * scalemap.dataset.MS_PER_DAY;

  // Where labels may go around a point, in pixels (x right, y down), nearest first.
  // A name longer than this is cut on the chart (its hover and card say all of it): a label as
  // wide as half a chart finds no free spot in a cluster.
  const LABEL_MAX_CHARACTERS = 40;
  const labelText = (name) => {
    const characters = Array.from(name ?? "");   // (row -1, your model: named by its caller)
    return characters.length > LABEL_MAX_CHARACTERS ? `${characters.slice(0, LABEL_MAX_CHARACTERS - 1).join("")}…` : name;
  };
  const LABEL_OFFSETS = [[0, -26], [0, 26], [46, -26], [-46, -26], [46, 26], [-46, 26], [0, -52], [0, 52],
                         [84, -44], [-84, -44], [84, 44], [-84, 44], [0, -78], [0, 78], [120, -66], [-120, -66]];

  // Labels for `items` ({px, py, text}, most important first) that overlap neither each other
  // nor a labelled point, inside the plot; at most `limit`. Greedy: each takes the nearest free spot.
  function placeLabels(items, size, limit, reserved = []) {
    const boxes = reserved.slice(), placed = [];   // reserved: boxes of the chart's other labels
    const obstacles = items.filter((it) => !it.landmark).slice(0, 200);   // (landmarks: names for the empty places)
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
    if (outer && outer.clientWidth > 200) {   // less the skeleton's margins and the axes' ticks and titles
      return { w: outer.clientWidth - 95, h: (outer.clientHeight || parseFloat(outer.style.height) || 600) - 85 };
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

  function tickLabel(dataset, column) {   // in the column's unit (payload `numbers`)
    const unit = dataset.numbers[column]?.unit;
    if (unit === "flop") return scalemap.units.flopTickLabel;
    if (unit === "usd") return (v) => `$${scalemap.units.countTickLabel(v)}`;
    return scalemap.units.countTickLabel;
  }

  // The first day a date chart shows in the view's time window (-Infinity: all of them).
  function timeWindowStart(view, dataset, meta) {
    if (view.window === "dl") return Date.UTC(meta.windowStartYear, 0, 1);
    if (view.window === "5y") return Date.UTC(dataset.yearBounds[1] - 4, 0, 1);
    return -Infinity;
  }

  // --- which points --------------------------------------------------------------------------

  // What of a chart the view shows: `drops(i)` for a point left out (filtered, or speculative
  // under "confident and likely only"), how many are shown, how many of those fall before the
  // time window (a date chart's axis starts there, 2010 by default: they are counted, the axes
  // fit those inside it; nothing in the window: all of them), whether a search matches any,
  // and the extent of the points inside the window.
  function shownPoints(points, keep, found, view, windowStart) {
    const sure = view.only.includes("sure");
    const drops = (i) => !keep[points.rows[i]] || (sure && points.hollow[i] === 1);
    let shown = 0, searching = false, before = 0;
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let pass = 0; pass < 2 && minX === Infinity; pass++) {
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
    return { drops, shown, before, searching, extent: { minX, maxX, minY, maxY } };
  }

  // The count line of a chart, from shownPoints' answer: a chart off the screen gets its line
  // without being drawn.
  function chartCount(skeleton, dataset, view, keep, found, kept) {
    const meta = skeleton.layout.meta, spec = chartSpec(meta, view);
    const windowStart = spec.xIsDate ? timeWindowStart(view, dataset, meta) : -Infinity;
    const { shown, before } = shownPoints(plottable(dataset, spec), keep, found, view, windowStart);
    return countLine(shown, kept, meta.chart.lack, before, windowStart);
  }

  // Points by trace: domain (or colour) traces, then search matches; in each, solid points
  // first, so each legend key shows a solid marker where the domain has one.
  function pointGroups(points, shown, found, domainOf) {
    const groups = new Map();
    const group = (key) => {
      if (!groups.has(key)) groups.set(key, { x: [], y: [], rows: [], hollow: [] });
      return groups.get(key);
    };
    for (const pass of [0, 1]) {
      for (let i = 0; i < points.rows.length; i++) {
        const row = points.rows[i];
        if (shown.drops(i) || points.hollow[i] !== pass) continue;
        const target = shown.searching && found[row] ? group("matches") : group(domainOf(row));
        target.x.push(points.x[i]);
        target.y.push(points.y[i]);
        target.rows.push(row);
        target.hollow.push(pass);
      }
    }
    return groups;
  }

  // Your own models (uploaded files, scalemap.overlay.overlaysOf), through the same filters: a
  // series per file that has any to show, [{file, x, y, rows}].
  function ownPoints(files, view, spec) {
    const owns = [];
    for (const file of files) {
      const own = file.dataset, ownKeep = own.filter(view), ownPlotted = plottable(own, spec);
      const at = ownPlotted.rows.map((_row, i) => i).filter((i) => ownKeep[ownPlotted.rows[i]]);
      if (!at.length) continue;
      owns.push({ file, x: at.map((i) => ownPlotted.x[i]), y: at.map((i) => ownPlotted.y[i]),
                  rows: at.map((i) => ownPlotted.rows[i]) });
    }
    return owns;
  }

  // The pinned models this chart shows, in pinning order, as indices into its points.
  function pinnedPoints(dataset, view, keep, points) {
    const indexOfRow = new Map();
    const pinned = [];
    for (const id of view.pins) {
      const row = dataset.rowOfId.get(id);
      if (row === undefined || !keep[row]) continue;
      if (!indexOfRow.size) points.rows.forEach((r, i) => { indexOfRow.set(r, i); });
      if (indexOfRow.has(row)) pinned.push(indexOfRow.get(row));
    }
    return pinned;
  }

  // --- colour --------------------------------------------------------------------------------

  // What a point's colour says: its domain (the skeleton's traces), or another column's value.
  // -> {of(row): category, colours: {category: colour}, traces: the skeleton's, domain traces
  // replaced by one per category}.
  function colourKey(skeleton, dataset, view, keep) {
    const meta = skeleton.layout.meta, c = dataset.columns;
    if (view.colour === "domain" || !view.colour) {
      return { of: (row) => dataset.codes.primary_domain[c.primary_domain[row]], colours: meta.domainColours,
               traces: skeleton.data };
    }
    const scheme = colourScheme(dataset, view, keep, meta);
    // Confidence is the plotted number's: each chart reads its own y column's (none: "unknown").
    const column = view.colour === "confidence" ? confidenceColumn(dataset, chartSpec(meta, view).y) : scheme.column;
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
    const column = meta.colourColumns[view.colour];
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

  // --- traces --------------------------------------------------------------------------------

  // A group's points as traces of one marker symbol each: its solid points, then its hollow
  // ones (a speculative value), the second in the first's legend entry. One symbol per trace:
  // per-point symbol arrays cost a fifth of a redraw in SVG and a third in WebGL.
  function symbolPieces(g) {
    const split = g.hollow.indexOf(1);   // solid points come first
    if (split < 0) return [[g, "circle", true]];
    const part = (from, to) => ({ x: g.x.slice(from, to), y: g.y.slice(from, to), rows: g.rows.slice(from, to) });
    return [[part(0, split), "circle", true], [part(split), "circle-open", split === 0]]
      .filter(([p]) => p.rows.length);
  }

  // One piece of a domain or the matches as a trace: its points, hover texts, rows (customdata,
  // what a click opens), whiskers when ranges are shown; dimmed while a search matches.
  function pointsTrace(trace, g, symbol, showlegend, ctx) {
    const { dataset, spec, colouring, shown } = ctx;
    const role = trace.meta.role;
    const drawn = { ...trace, x: Float64Array.from(g.x), y: Float64Array.from(g.y), customdata: g.rows,
                    hovertext: ctx.hover ? g.rows.map((row) => dataset.hoverText(row)) : [], showlegend,
                    marker: { ...trace.marker, symbol } };
    if (ctx.overlays.has("ranges")) Object.assign(drawn, whiskers(dataset, spec, g));
    if (role === "domain" && shown.searching) {
      // Dimmed while searching, and deaf to hover and click: a neighbour drawn under a match
      // would otherwise steal the click. Dimmed as a whole trace (its group's opacity), so
      // that the painter can dim and undim what Plotly drew without drawing it again.
      drawn.opacity = DIMMED;
      drawn.hoverinfo = "skip";
      drawn.hovertemplate = null;
    }
    if (role === "matches") drawn.marker.color = g.rows.map((row) => colouring.colours[colouring.of(row)]);
    return drawn;
  }

  // An estimate's range as whiskers (Plotly's asymmetric error bars, which log axes draw in
  // value space): y's range, and x's where x is a number; none where no range is stated.
  function whiskers(dataset, spec, g) {
    const c = dataset.columns, out = {};
    const bars = (column, values) => {
      const low = c[dataset.numbers[column]?.low], high = c[dataset.numbers[column]?.high];
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
  // meta.mineAxes: which of its numbers is which axis (scalemap/contract/view.py MINE_AXES).
  function myPoint(mine, spec, meta) {
    if (!mine) return null;
    const given = (text) => (text ? Number(text) : NaN);
    const value = (column, unit) => given(mine[meta.mineAxes[unit ? `${column}:${unit}` : column]]);
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

  // A reference line of the skeleton (an overlay or an era's trend), as the view shows it, or
  // null; a trend line's label goes into `trendLabels`. Nothing is drawn over an empty chart.
  function referenceTrace(trace, ctx, trendLabels) {
    const { dataset, spec, points, shown, overlays, fits, meta } = ctx;
    if (trace.meta.role === "overlay") {
      if (!(overlays.has(trace.meta.overlay) && shown.shown > 0)) return null;
      if (!trace.meta.band) return { ...trace, visible: true };
      // The claimed parameter gap: how many models of the view sit in it.
      const [low, high] = trace.meta.band, since = trace.meta.since;
      let inside = 0;
      for (let i = 0; i < points.rows.length; i++) {
        const row = points.rows[i];
        if (!shown.drops(i) && points.y[i] >= low && points.y[i] <= high && dataset.year[row] >= since) inside++;
      }
      const counted = `${inside} model${inside === 1 ? "" : "s"} of this view sit in it since ${since}`;
      return { ...trace, visible: true, name: `claimed parameter gap: ${inside} in it since ${since}`,
               text: `${trace.text}<br>${counted}` };
    }
    // An era's trend: a log-linear fit is a line on a log axis only.
    const metric = spec.metric || spec.y;   // the custom chart's y axis key: "training_data:tokens"
    const fit = overlays.has("trends") && spec.yLog !== false &&
      fits?.find((f) => f.metric === metric && f.era === trace.meta.era);
    if (!fit) return null;
    const years = Array.from({ length: 30 }, (_, i) => fit.tStart + ((fit.tEnd - fit.tStart) * i) / 29);
    // Named on the chart, in its colour, where it ends: only a fit sure enough to mean
    // something has a label (scalemap.features.takeaways.meaningful).
    if (fit.label) trendLabels.push({ name: "trend", text: fit.label, showarrow: false, xanchor: "right", yanchor: "bottom",
                       x: isoDate(yearToMs(fit.tEnd)), y: fit.intercept + fit.slope * fit.tEnd,
                       font: { size: 11, color: meta.eraColours[trace.meta.era] },
                       bgcolor: "rgba(255, 255, 255, 0.8)" });
    return { ...trace, visible: true, x: years.map((t) => isoDate(yearToMs(t))),
             y: years.map((t) => 10 ** (fit.intercept + fit.slope * t)),
             hovertemplate: `${fit.summary}<extra></extra>` };
  }

  // Every trace the chart draws, in the skeleton's order. Only traces with something to show:
  // each trace, even a hidden one, costs Plotly time on every redraw.
  function chartTraces(ctx) {
    const { dataset, points, groups, owns, mine, pinned, colouring } = ctx;
    const data = [], trendLabels = [];
    for (const trace of colouring.traces) {
      const role = trace.meta.role;
      if (role === "domain" || role === "matches") {
        const g = groups.get(role === "domain" ? trace.meta.domain : "matches");
        if (!g) continue;
        for (const [part, symbol, legend] of symbolPieces(g)) data.push(pointsTrace(trace, part, symbol, legend, ctx));
      } else if (role === "uploaded") {   // a series per file, named after it in the legend and on hover
        for (const { file, x, y, rows } of owns) {
          const name = scalemap.dataset.escapeHtml(file.name), own = file.dataset;
          data.push({ ...trace, x, y, name: `Your file: ${name}`, showlegend: true,
                      marker: { ...trace.marker, symbol: file.symbol },
                      customdata: rows.map((row) => own.columns.id[row]),
                      hovertext: rows.map((row) => `<i>Your file: ${name}</i><br>${own.hoverText(row)}`) });
        }
      } else if (role === "mine") {
        if (mine) data.push({ ...trace, x: [mine.x], y: [mine.y], hovertext: [mine.hover] });
      } else if (role === "pinned") {
        if (pinned.length) {
          const rows = pinned.map((i) => points.rows[i]);
          data.push({ ...trace, x: pinned.map((i) => points.x[i]), y: pinned.map((i) => points.y[i]),
                      customdata: rows, hovertext: rows.map((row) => dataset.hoverText(row)) });
        }
      } else if (role === "legend") {   // says what a hollow marker means, where one is drawn
        const hollow = (t) => (t.meta.role === "domain" || t.meta.role === "matches") && t.marker.symbol === "circle-open";
        if (data.some(hollow)) data.push({ ...trace, visible: true });
      } else {
        const drawn = referenceTrace(trace, ctx, trendLabels);
        if (drawn) data.push(drawn);
      }
    }
    return { data, trendLabels };
  }

  // --- axes and notes ------------------------------------------------------------------------

  // The layout's axes for the points: fitted to those shown (and your own, and your model);
  // an empty chart keeps the axes of the whole dataset. The custom chart takes its titles and
  // scales from the view.
  function fitAxes(layout, ctx) {
    const { spec, meta, dataset, points, shown, owns, mine } = ctx;
    let { minX, maxX, minY, maxY } = shown.extent;
    const include = (x, y) => {
      minX = Math.min(minX, x); maxX = Math.max(maxX, x);
      minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    };
    for (const own of owns) for (let i = 0; i < own.x.length; i++) include(own.x[i], own.y[i]);
    if (mine) include(mine.x, mine.y);
    if (!shown.shown) for (let i = 0; i < points.rows.length; i++) include(points.x[i], points.y[i]);
    if (spec !== meta.chart) {
      layout.meta = { ...meta, chart: spec };
      layout.xaxis.title = { text: spec.x_title };
      layout.yaxis.title = { text: spec.y_title };
      layout.xaxis.type = spec.xIsDate ? "date" : spec.xLog ? "log" : "linear";
      layout.yaxis.type = spec.yLog ? "log" : "linear";
    }
    if (minX <= maxX) {
      Object.assign(layout.yaxis, spec.yLog === false ? linearAxis(minY, maxY)
        : logAxis(minY, maxY, tickLabel(dataset, spec.y), meta.logAxisPad));
      if (spec.xIsDate) {
        if (shown.before) minX = ctx.windowStart;   // the window's first day, not its first model
        const span = Math.max(maxX - minX, 365 * scalemap.dataset.MS_PER_DAY);
        layout.xaxis.range = [isoDate(minX - span * meta.dateAxisPad), isoDate(maxX + span * meta.dateAxisPad)];
      } else {   // as many decades labelled as the plot's width holds side by side ("100K": ~30 px)
        const maxTicks = Math.max(4, Math.floor(plotSize(spec).w / 48));
        Object.assign(layout.xaxis, spec.xLog === false ? linearAxis(minX, maxX)
          : logAxis(minX, maxX, tickLabel(dataset, spec.x), meta.logAxisPad, maxTicks));
      }
    }
    return { minX, maxX, maxY };
  }

  // The skeleton's notes as the view shows them: each threshold named where its line is, each
  // 6·N·D label where its line leaves the data, the selected model's callout; then the trend
  // labels, and what an empty chart says.
  function chartNotes(layout, ctx, fitted, trendLabels) {
    const { skeleton, meta, shown, overlays, points, keep, spec } = ctx;
    let threshold = 0;
    const sixNdTaken = [];   // the 6·N·D labels placed so far: the next keeps clear of them
    const notes = skeleton.layout.annotations.map((note, i) => {
      if (note.name === "selected") return callout(skeleton, ctx.dataset, ctx.view, keep);
      if (note.name === "threshold") {
        const y = Math.log10(meta.thresholdFlops[threshold++]);
        const inRange = layout.yaxis.range && y >= layout.yaxis.range[0] && y <= layout.yaxis.range[1];
        return { ...note, visible: Boolean(shown.shown && overlays.has("thresholds") && inRange), y };
      }
      if (!(shown.shown && overlays.has("six-nd"))) return { ...note, visible: false };
      const tokens = 10 ** meta.sixNdExponents[i];
      const n = scalemap.chartLabels.sixNdSpot(tokens, points, keep, layout, plotSize(spec), fitted.minX, fitted.maxX,
                                               fitted.maxY, sixNdTaken);
      return { ...note, visible: true, x: Math.log10(n), y: Math.log10(6 * n * tokens) };
    });
    if (shown.shown) notes.push(...trendLabels);
    const note = emptyNote(ctx);
    if (note) notes.push(note);
    return notes;
  }

  // What an empty chart says in its middle, or null when it shows something.
  function emptyNote({ shown, mine, owns, kept, spec, meta }) {
    if (shown.shown || mine || owns.length) return null;
    const text = !kept ? "No models match these filters"
      : kept === 1 ? `1 model matches; it has no ${spec.lack}` : `${kept} models match; none has ${spec.lack}`;
    return { ...meta.emptyNote, text };
  }

  // Names on the chart: pinned models first, then search matches, largest first; each clear
  // of the others, and "and N more" for those left unlabelled.
  function nameLabels(meta, dataset, view, points, pinned, matches, layout, mine, reserved) {
    const spec = layout.meta.chart;
    const size = plotSize(spec);
    const [x0, x1] = spec.xIsDate ? layout.xaxis.range.map(Date.parse) : layout.xaxis.range;
    const [y0, y1] = layout.yaxis.range;
    const item = (row, x, y) => ({
      row, x, y, text: labelText(dataset.columns.name[row]),
      px: (((spec.xIsDate ? x : onX(spec, x)) - x0) / (x1 - x0)) * size.w,
      py: size.h - ((onY(spec, y) - y0) / (y1 - y0)) * size.h,
    });
    // The selected model is named by its callout already.
    const selectedRow = view.selected !== null ? dataset.rowOfId.get(view.selected) : undefined;
    const items = pinned.filter((i) => points.rows[i] !== selectedRow)
      .map((i) => item(points.rows[i], points.x[i], points.y[i]));
    const pinnedRows = new Set(items.map((it) => it.row));
    if (mine) items.unshift({ ...item(-1, mine.x, mine.y), text: labelText(`Your model: ${mine.name}`) });   // row -1: no model
    if (mine) pinnedRows.add(-1);
    if (selectedRow !== undefined) pinnedRows.add(selectedRow);
    // The selected model's callout takes the first free spot, and the labels keep clear of it.
    const selectedAt = selectedRow === undefined ? -1 : points.rows.indexOf(selectedRow);
    if (selectedAt >= 0 && dataset.filter(view)[selectedRow]) {
      const it = item(selectedRow, points.x[selectedAt], points.y[selectedAt]);
      items.unshift({ ...it, text: `${it.text}  `, selected: true });   // (its box: a larger font, a border)
    }
    // Landmark models while nothing is searched (assets/components/chart_labels.js).
    const landmarks = scalemap.chartLabels.landmarkItems(meta, dataset, view, points, matches, pinnedRows, item);
    let matched = 0;
    if (matches && view.labels) {
      const order = matches.rows.map((_, i) => i).filter((i) => !pinnedRows.has(matches.rows[i]))
        .sort((a, b) => matches.y[b] - matches.y[a]);
      matched = order.length;
      items.push(...order.slice(0, 400).map((i) => item(matches.rows[i], matches.x[i], matches.y[i])));
    }
    const placed = placeLabels(items.concat(landmarks), size, meta.labelsUpTo + pinnedRows.size, reserved);
    const spot = placed.find((it) => it.selected);
    // As annotations (`plain`: the text as written, for the painter's layer of names).
    const labels = placed.filter((it) => !it.selected).map((it) => ({
      ...meta.nameLabel, text: scalemap.dataset.escapeHtml(it.text), plain: it.text, ax: it.ax, ay: it.ay,
      x: onX(spec, it.x), y: onY(spec, it.y),
    }));
    const unlabelled = matched - placed.filter((it) => !pinnedRows.has(it.row) && !it.landmark).length;
    if (unlabelled > 0) {
      const text = `${unlabelled} ${placed.length > pinnedRows.size ? "more " : ""}` +
        `${unlabelled === 1 ? "match" : "matches"} not labelled here (the table lists every match)`;
      labels.push({ ...meta.moreLabels, text, plain: text });
    }
    labels.calloutSpot = spot ? { ax: spot.ax, ay: spot.ay } : null;
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
    const note = { ...placeholder, visible: true, text: scalemap.dataset.escapeHtml(dataset.columns.name[row]),
                   x: onX(spec, points.x[i]), y: onY(spec, points.y[i]) };
    return { ...note, ...scalemap.chartLabels.freeSpot(spec, note) };   // clear of the labels drawn
  }

  function countLine(shown, filtered, lack, before = 0, windowStart = -Infinity) {
    const missing = filtered - shown;
    const year = windowStart > -Infinity ? new Date(windowStart).getUTCFullYear() : null;
    return `${shown} of ${filtered} models` + (missing ? ` · ${missing} lack ${lack}` : "") +
      (before ? ` · ${before} before ${year}, outside the time window` : "");
  }

  // --- a chart ---------------------------------------------------------------------------------

  // One chart's figure for the view, its names on the chart apart (`labels`: the painter lays
  // them over the plot) and its count. `keep` and `found` are per-model 0/1
  // arrays; `kept` is how many models the filters keep. Without `hover`, the points of the
  // domains and matches carry no hover texts (the painter's canvas drawn ahead needs none).
  function drawChart(skeleton, dataset, view, keep, found, fits, kept, files = [], hover = true) {
    const meta = skeleton.layout.meta;
    const spec = chartSpec(meta, view);
    const points = plottable(dataset, spec);
    const windowStart = spec.xIsDate ? timeWindowStart(view, dataset, meta) : -Infinity;
    const shown = shownPoints(points, keep, found, view, windowStart);
    const colouring = colourKey(skeleton, dataset, view, keep);
    const ctx = {
      skeleton, meta, spec, dataset, view, keep, found, fits, kept, files, points, windowStart, shown, colouring, hover,
      overlays: new Set(view.overlays), groups: pointGroups(points, shown, found, colouring.of),
      owns: ownPoints(files, view, spec), mine: myPoint(view.mine, spec, meta), pinned: pinnedPoints(dataset, view, keep, points),
    };
    const { data, trendLabels } = chartTraces(ctx);
    const layout = { ...skeleton.layout, xaxis: { ...skeleton.layout.xaxis }, yaxis: { ...skeleton.layout.yaxis } };
    if (view.colour !== "domain") {   // the legend says what the colours mean
      layout.legend = { ...layout.legend, title: { text: `${meta.colourings[view.colour]}:` } };
    }
    const fitted = fitAxes(layout, ctx);
    layout.annotations = chartNotes(layout, ctx, fitted, trendLabels);
    let labels = [];
    if (layout.xaxis.range && layout.yaxis.range && !emptyNote(ctx)) {
      // Clear of the trend, threshold and 6·N·D labels (chart_labels.js; overlapping trend labels staggered).
      const reserved = scalemap.chartLabels.reservedBoxes(layout, plotSize(spec), spec);
      labels = nameLabels(meta, dataset, view, points, ctx.pinned, ctx.groups.get("matches"), layout, ctx.mine, reserved);
      if (labels.calloutSpot) Object.assign(layout.annotations[meta.calloutIndex], labels.calloutSpot);
    }
    if (hover) scalemap.chartLabels.markCrowds(data, layout, plotSize(spec), spec);   // "N models here" in the hover text
    return { figure: { data, layout }, labels, shown: shown.shown, before: shown.before, windowStart };
  }

  function sum(values) {
    let total = 0;
    for (let i = 0; i < values.length; i++) total += values[i];
    return total;
  }

  // The figures (names on the chart included), count lines and filter summary for the
  // controls, all at once: the tests call it with a dataset of their own.
  function drawAll(dataset, controls, trendFits, contract, skeletons, files = []) {
    const view = scalemap.view.fromControls(controls, dataset.yearBounds, contract);
    const keep = dataset.filter(view);
    const found = dataset.matches(view.search);
    const fits = trendFits && trendFits.key === scalemap.view.filterQuery(view, contract) ? trendFits.fits : null;
    const kept = sum(keep);
    const figures = [], counts = [];
    for (const skeleton of skeletons) {
      const drawn = drawChart(skeleton, dataset, view, keep, found, fits, kept, files);
      drawn.figure.layout.annotations.push(...drawn.labels);
      figures.push(drawn.figure);
      counts.push(countLine(drawn.shown, kept, skeleton.layout.meta.chart.lack, drawn.before, drawn.windowStart));
    }
    return [...figures, ...counts, filterSummary(dataset, view, keep, found, kept)];
  }

  // "781 of 943 models match the filters · 12 match “GPT”".
  function filterSummary(dataset, view, keep, found, kept) {
    let summary = `${kept} of ${dataset.count} models match the filters`;
    if (view.search) {
      let matched = 0;
      for (let row = 0; row < dataset.count; row++) matched += keep[row] & found[row];
      summary += ` · ${matched} match “${view.search}”`;
    }
    return summary;
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
  };

  scalemap.charts = { plottable, drawChart, drawAll, chartCount, filterSummary, countLine, placeLabels, myPoint,
                      chartSpec, callout, onX, onY, plotSize, sum, LABEL_OFFSETS, DIMMED };
})();
