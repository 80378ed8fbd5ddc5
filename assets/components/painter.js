/* The click budget (../shared/DESIGN.md): a change of the view paints the charts on the screen
 * first, in the task of the change; the charts off the screen, the count lines and Dash's
 * bookkeeping follow after the paint. A chart off the screen (below the fold,
 * or in a hidden tab) is drawn when it comes near the screen (an IntersectionObserver), and is
 * hidden while it shows an older view, so that no one sees it stale. What is painted first is
 * the view whole, but not always by Plotly: a filter's points go on a canvas (drawAhead), a
 * search's matches are marks over the figure drawn (highlight); Plotly draws the exact figure
 * once the view holds.
 *
 * The charts are plain elements (components/charts.py) that Plotly draws here, with the figures
 * of assets/components/charts.js. Dash's callback `draw` is the one declaration of what the
 * charts depend on: the first time Dash calls it, the painter learns its arguments (ids and
 * props), and from then on reads them from Dash's store the moment a control changes (a store
 * subscription), before Dash's own round; when that round calls `draw`, the view is drawn
 * already and `draw` only returns the count lines and the rest. Without the store, Dash's round
 * draws (later, but the same). */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const NEAR = "50% 0px";   // how far off the screen a chart is drawn ahead of being seen
  const SETTLED_MS = 250;   // a chart near the screen is drawn once the view has held this long
  const OPEN_SPOTS = 6;     // draw()'s last arguments: your own models … the last trend request
  // The event a chart's graph div gets when it shows a view without Plotly drawing it (a
  // search highlighted): what plotly_afterplot says of a figure drawn (benchmarks, tests).
  const PAINTED = "scalemap:painted";

  // chart key -> {key, el, gd, index, drawn (the view's key), base (its key but the search), figure,
  // near, names, layer, marks and restyled (a search highlighted over the figure drawn), ahead
  // (a filter's points painted ahead of Plotly)}
  const charts = new Map();
  const ready = new Map();    // dataset URL -> the dataset, once loaded
  let wiring = null;          // [[id, prop]] of draw()'s arguments, in order (from Dash's first call)
  let shown = null;           // the view the charts show: {key, dataset, view, keep, found, kept, fits, …}
  let nearby = null, resized = null;   // the Intersection- and ResizeObserver

  // --- after the paint: one job a task, so that a keystroke can come between two ----------------

  const jobs = [];
  let jobsWaiting = false;
  function afterPaint(job) {
    jobs.push(job);
    if (jobsWaiting) return;
    jobsWaiting = true;
    requestAnimationFrame(() => setTimeout(runJob, 0));   // the frame's callbacks run before its paint
  }
  function runJob() {
    const job = jobs.shift();
    if (job) job();
    if (jobs.length) setTimeout(runJob, 0);
    else jobsWaiting = false;
  }

  // The frame that shows what was drawn has been painted (or, in a page not shown, which gets no
  // frames, a moment has passed).
  const painted = () => new Promise((done) => {
    const fallback = setTimeout(done, 100);
    requestAnimationFrame(() => setTimeout(() => { clearTimeout(fallback); done(); }, 0));
  });

  // --- the charts on the page ------------------------------------------------------------------

  function onScreen(el) {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight && r.right > 0 &&
      r.left < window.innerWidth;
  }

  // The chart of a skeleton, its element looked up again if Dash made a new one.
  function chartOf(skeleton, index) {
    const key = skeleton.layout.meta.chart.key;
    const el = document.getElementById(`graph-${key}`);
    let chart = charts.get(key);
    if (chart && chart.el === el) return chart;
    if (chart) { nearby.unobserve(chart.el); resized.unobserve(chart.el); }
    if (!el) { charts.delete(key); return null; }
    chart = { key, el, gd: null, index, drawn: null, near: false, names: [], layer: null, size: null,
              base: null, figure: null, drawnNames: [], marks: [], restyled: [], ahead: [] };
    charts.set(key, chart);
    nearby.observe(el);
    resized.observe(el);
    return chart;
  }

  function watch() {
    if (nearby) return;
    nearby = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const chart = [...charts.values()].find((c) => c.el === entry.target);
        if (!chart) continue;
        chart.near = entry.isIntersecting;
        if (chart.near && shown && chart.drawn !== shown.key) afterPaint(() => drawIfNear(chart, shown.key));
      }
    }, { rootMargin: NEAR });
    resized = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const chart = [...charts.values()].find((c) => c.el === entry.target);
        const highlighted = chart?.marks.length || chart?.restyled.length;
        if (!chart?.gd || !chart.size || (chart.drawn !== shown?.key && !highlighted)) continue;   // a stale one: drawn at its size
        const size = sizeOf(chart.el);
        if (size.width === chart.size.width && size.height === chart.size.height) continue;
        if (!size.width || !size.height) continue;   // hidden: drawn at its size when it shows
        if (chart.drawn !== shown.key) draw(chart, size);   // a search highlighted over an older figure
        else {
          chart.size = size;
          window.Plotly.relayout(chart.gd, size);
        }
      }
    });
    // A chart whose element Dash made anew (a tab shown again) is drawn again.
    new MutationObserver(() => {
      if (!shown) return;
      shown.skeletons.forEach((skeleton, index) => {
        const key = skeleton.layout.meta.chart.key;
        if (charts.get(key)?.el !== document.getElementById(`graph-${key}`)) chartOf(skeleton, index);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  const sizeOf = (el) => ({ width: el.clientWidth, height: el.clientHeight });

  // A number for each state of the tab's uploaded files: your own models change the view they are in.
  const ids = new WeakMap();
  let lastId = 0;
  const idOf = (object) => {
    if (!ids.has(object)) ids.set(object, ++lastId);
    return ids.get(object);
  };

  // --- the view ----------------------------------------------------------------------------------

  // draw()'s arguments -> the view they show, or null while the dataset loads. Its key is
  // everything the figures depend on: not the selected model (a callout: moved, not redrawn),
  // the tab or the story (where the page is, not what a chart shows), nor the fits while no
  // trend line is drawn (they give the titles only: `titled`).
  function viewOf(args) {
    const [uploaded, selected, trendFits, config, skeletons] = args.slice(-OPEN_SPOTS);
    const controls = args.slice(0, -OPEN_SPOTS);
    const dataset = ready.get(config.dataset.url);
    if (!dataset) return null;
    const view = scalemap.view.fromControls([...controls, selected], dataset.yearBounds, config.view);
    const files = scalemap.overlay.overlaysOf(uploaded);
    return viewShown(dataset, view, files, files.length ? idOf(uploaded) : 0, trendFits, config, skeletons);
  }

  // A view as the charts show it, with the keys of what they draw.
  function viewShown(dataset, view, files, filesId, trendFits, config, skeletons) {
    const fitsKey = scalemap.view.filterQuery(view, config.view);
    const current = trendFits && trendFits.key === fitsKey ? trendFits : null;
    const fits = current && view.overlays.includes("trends") ? current.fits : null;
    const keyOf = (search) => JSON.stringify([dataset.version, { ...view, search, selected: null, tab: null, story: null },
                                              fits ? fitsKey : null, filesId]);
    const key = keyOf(view.search);
    const base = keyOf("");   // all but the search: a figure of the same base can show it highlighted
    const titled = JSON.stringify([key, current ? fitsKey : null]);
    return { key, base, titled, dataset, view, files, fits, titles: current, config, skeletons };
  }

  // Show the view of draw()'s arguments: the charts on the screen now, the rest after the paint
  // or when they come near. True once shown; false while the dataset loads.
  function paint(args) {
    return show(viewOf(args));
  }

  function show(next) {
    if (!next) return false;
    watch();
    const readAt = performance.now();   // when the controls were read (writeUrl: Back since?)
    const charted = next.skeletons.map((skeleton, index) => chartOf(skeleton, index)).filter(Boolean);
    if (shown && shown.key === next.key) {
      if (shown.view.selected !== next.view.selected) {
        shown.view = { ...shown.view, selected: next.view.selected };
        for (const chart of charted) if (chart.drawn === shown.key) moveCallout(chart);
      }
      shown.view = { ...shown.view, tab: next.view.tab, story: next.view.story };   // (the link writes them)
      shown.readAt = readAt;
      if (shown.titled !== next.titled) {
        shown.titled = next.titled;
        shown.titles = next.titles;
        afterPaint(() => retitle(next.key));
      }
      return true;
    }
    next.keep = next.dataset.filter(next.view);
    next.found = next.dataset.matches(next.view.search);
    next.kept = scalemap.charts.sum(next.keep);
    next.figures = new Map();   // chart key -> its figure for this view, once drawn (the legend's)
    next.readAt = readAt;
    const before = shown;
    shown = next;
    afterPaint(() => retitle(next.key));
    // Where each chart is, read before any is drawn: one layout of the page, not one a chart.
    const seen = charted.map((chart) => [chart, onScreen(chart.el) && sizeOf(chart.el)]);
    for (const [chart, size] of seen) {
      if (!size) stale(chart);
      else if (chart.drawn === next.key) showDrawn(chart);   // a search undone: Plotly shows it already
      else if (highlightable(chart, size)) highlight(chart);
      else if (chart.gd && sameSize(chart, size)) drawAhead(chart);
      else draw(chart, size);
    }
    // Plotly draws the exact figure of the charts near the screen: right after the paint for a
    // click; for a search typed or years dragged, once the view has held for SETTLED_MS since
    // its paint (not between two keystrokes, however long a paint takes).
    clearTimeout(settling);
    const kind = before ? scalemap.view.kindOfChange(before.view, next.view, next.config.view) : "other";
    afterPaint(() => {
      if (shown !== next) return;
      settling = setTimeout(() => {
        for (const chart of charted) if (chart.near) afterPaint(() => drawIfNear(chart, next.key));
      }, kind === "other" ? 0 : SETTLED_MS);
    });
    return true;
  }
  let settling = null;

  // A chart's figure for the view shown, and its names (assets/components/charts.js); without
  // `hover`, its points' hover texts.
  function figureOf(chart, hover = true) {
    const { dataset, view, keep, found, fits, kept, files } = shown;
    return scalemap.charts.drawChart(shown.skeletons[chart.index], dataset, view, keep, found, fits, kept, files, hover);
  }

  // The one legend follows what a chart shows now (after the paint; once for the charts drawn
  // in one task).
  let legendDue = false;
  function legendShows(chart, figure) {
    const known = shown.figures.has(chart.key);   // the view's figure again: the legend says it already
    shown.figures.set(chart.key, figure);
    if (known || legendDue) return;
    legendDue = true;
    afterPaint(() => {
      legendDue = false;
      updateLegend(shown?.key);
    });
  }

  // A chart's figure for the view shown, drawn at its element's size, and the names on it placed.
  function draw(chart, size = sizeOf(chart.el)) {
    const skeleton = shown.skeletons[chart.index];
    const drawn = figureOf(chart);
    unhighlight(chart);
    chart.ahead = [];   // (Plotly draws the points now: their canvas goes with the names' next placing)
    chart.size = size;
    chart.names = chart.drawnNames = drawn.labels;
    chart.base = shown.base;
    chart.figure = drawn.figure;
    const layout = layoutAt(drawn.figure, size);
    if (chart.gd) {
      window.Plotly.react(chart.gd, drawn.figure.data, layout);   // no config: it was given once
    } else {
      chart.gd = document.createElement("div");
      chart.el.appendChild(chart.gd);
      window.Plotly.newPlot(chart.gd, drawn.figure.data, layout, configOf(skeleton));
      listen(chart);
    }
    placeNames(chart);
    fresh(chart);
    chart.drawn = shown.key;
    legendShows(chart, drawn.figure);
  }

  // A figure's layout as drawn at a size. Its meta only names the chart (its spec: the table's
  // pointer, the export's name): Plotly goes through all of a meta on each draw, and the figure
  // needs the rest no more.
  function layoutAt(figure, size) {
    return { ...figure.layout, ...size, autosize: false, meta: { chart: figure.layout.meta.chart } };
  }

  const sameSize = (chart, size) => chart.size?.width === size.width && chart.size?.height === size.height;
  const isPoints = (trace) => trace.meta?.role === "domain" || trace.meta?.role === "matches";

  // --- a filter's points drawn ahead of Plotly ---------------------------------------------------
  // A filter changes the points of every chart and, most often, their axes. Plotly's redraw of
  // a chart is mostly its points (at 1,060 models, the four charts: about 190 ms with them, 55
  // without), each an SVG element it styles one by one. So in the task of the change Plotly
  // draws the chart without the points of its domains and matches (axes, lines, notes, your
  // own models), and those points go on a canvas over the plot, where the new axes put them,
  // as Plotly draws them (marksOf). After the paint (show: at once for a click, once the view
  // holds for typing), Plotly draws them itself, a chart a task, for hover, a click and a
  // selection read Plotly's points. Until then the chart shows the view whole, and its points
  // do not answer the mouse.
  function drawAhead(chart) {
    const drawn = figureOf(chart, false);   // (hover texts: with Plotly's points)
    const ahead = drawn.figure.data.filter((trace) => isPoints(trace) && trace.x.length);
    if (!ahead.length) return draw(chart, chart.size);   // no points: Plotly's drawing is as quick
    unhighlight(chart);
    chart.ahead = ahead;
    chart.names = drawn.labels;
    chart.drawn = chart.base = chart.figure = null;   // Plotly's drawing of the view is still to come
    const data = drawn.figure.data.map((trace) => (isPoints(trace)
      ? { ...trace, x: [], y: [], customdata: [], hovertext: [], error_x: undefined, error_y: undefined } : trace));
    window.Plotly.react(chart.gd, data, layoutAt(drawn.figure, chart.size));   // (its afterplot places the names and the points)
    fresh(chart);
    legendShows(chart, drawn.figure);
  }

  // Points as Plotly draws them (marksOf), on a canvas of the plot's size. Points that look
  // alike and come one after another are one path, filled once: a hundred thousand filled one
  // by one take a second in software. (Where two of a path overlap, they show as one shape:
  // at 0.85 opacity, a shade lighter than Plotly draws them.)
  function pointsCanvas(traces, full, w, h) {
    const canvas = document.createElement("canvas");
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.ceil(w * ratio);
    canvas.height = Math.ceil(h * ratio);
    canvas.style.cssText = `position: absolute; left: 0; top: 0; width: ${w}px; height: ${h}px;`;
    canvas.className = "chart-ahead";
    const context = canvas.getContext("2d");
    context.scale(ratio, ratio);
    const { xaxis, yaxis } = full;
    const px = (axis, value, edge) => {   // a whisker's end below a log axis's zero: at the plot's edge
      const at = axis.c2p(value);
      return Number.isFinite(at) ? at : edge;
    };
    const marks = traces.flatMap((trace) => marksOf(trace, trace.meta.role, () => true));
    for (const mark of marks) {   // the whiskers under every point
      for (const { from, to, colour, thickness, opacity } of mark.whiskers) {
        context.globalAlpha = opacity;
        context.strokeStyle = colour;
        context.lineWidth = thickness;
        context.beginPath();
        context.moveTo(px(xaxis, from[0], 0), px(yaxis, from[1], h));
        context.lineTo(px(xaxis, to[0], w), px(yaxis, to[1], 0));
        context.stroke();
      }
    }
    let look = null;   // the mark whose look the path being drawn has
    // A point on a pixel a point of the same path covers already adds nothing to the path's
    // shape but a sub-pixel edge: left out (at 100,000 models, 40% of the points).
    const width = Math.ceil(w), covered = new Uint32Array(width * Math.ceil(h));
    let path = 0;
    const finish = () => {
      if (look.fill !== "none") {
        context.fillStyle = look.fill;
        context.fill();
      }
      if (look.width > 0 && look.stroke !== "none") {
        context.strokeStyle = look.stroke;
        context.lineWidth = look.width;
        context.stroke();
      }
    };
    for (const mark of marks) {
      const x = xaxis.c2p(mark.x), y = yaxis.c2p(mark.y), reach = mark.r + mark.width;
      if (!(x > -reach && x < w + reach && y > -reach && y < h + reach)) continue;   // off the plot (or not a number)
      if (!look || ["fill", "stroke", "width", "opacity", "r"].some((k) => look[k] !== mark[k])) {
        if (look) finish();
        look = mark;
        path++;
        context.globalAlpha = mark.opacity;
        context.beginPath();
      }
      if (x >= 0 && x < w && y >= 0 && y < h) {
        const pixel = Math.floor(y) * width + Math.floor(x);
        if (covered[pixel] === path) continue;
        covered[pixel] = path;
      }
      context.moveTo(x + mark.r, y);
      context.arc(x, y, mark.r, 0, 2 * Math.PI);
    }
    if (look) finish();
    return canvas;
  }

  // --- a search as a highlight over the figure drawn --------------------------------------------
  // A search changes no point's place, only how points look: the matches stand out, the rest
  // dim. Drawn again by Plotly, points and all, a keystroke would cost a full redraw of every
  // chart; instead, over a figure of the same view but its search (`base`), the domains are
  // dimmed or undimmed as whole traces (their groups' opacity), and the new figure's points
  // that Plotly draws otherwise (the matches; points the figure drawn shows as matches) are
  // marks on the layer of names. The figure itself follows once the view holds (SETTLED_MS):
  // then the dimmed points are deaf to hover again, and the matches answer it.
  function highlightable(chart, size) {
    return Boolean(chart.gd && chart.drawn && chart.base === shown.base && chart.size &&
      chart.size.width === size.width && chart.size.height === size.height &&
      !chart.gd._fullData?.some((t) => t.type !== "scatter"));   // SVG points only: a WebGL chart draws its own
  }

  function highlight(chart) {
    const drawn = figureOf(chart);
    const { gd } = chart;
    unhighlight(chart);
    const dim = drawn.figure.data.find((t) => t.meta?.role === "domain")?.opacity ?? 1;
    for (const group of gd.querySelectorAll(".scatterlayer .trace")) {
      const role = gd.data[group.__data__?.[0]?.trace?.index]?.meta?.role;
      if (role !== "domain" && role !== "matches") continue;
      chart.restyled.push([group, group.style.opacity, group.style.display]);
      if (role === "domain") group.style.opacity = dim;
      else group.style.display = "none";   // the figure drawn's matches
    }
    const plotted = new Set();   // the rows Plotly draws as a domain's points
    for (const trace of gd.data) if (trace.meta?.role === "domain") for (const row of trace.customdata) plotted.add(row);
    for (const trace of drawn.figure.data) {
      const role = trace.meta?.role;
      if (role === "matches") chart.marks.push(...marksOf(trace, role, () => true));
      else if (role === "domain") chart.marks.push(...marksOf(trace, role, (i) => !plotted.has(trace.customdata[i])));
    }
    chart.names = drawn.labels;
    placeNames(chart);
    legendShows(chart, drawn.figure);
    gd.dispatchEvent(new CustomEvent(PAINTED));
  }

  // A trace's points (those `wanted`) as marks that look as Plotly draws them, whiskers and all
  // (an estimate's range: charts.js whiskers).
  function marksOf(trace, role, wanted) {
    const { marker } = trace, open = String(marker.symbol).endsWith("-open");
    const opacity = (marker.opacity ?? 1) * (trace.opacity ?? 1), width = marker.line?.width ?? (open ? 1 : 0);
    const marks = [];
    for (let i = 0; i < trace.x.length; i++) {
      if (!wanted(i)) continue;
      const x = trace.x[i], y = trace.y[i];
      const colour = Array.isArray(marker.color) ? marker.color[i] : marker.color;
      const whiskers = [];
      const bar = (error, along) => {
        const plus = error?.array?.[i], minus = error?.arrayminus?.[i];
        if (!(Number.isFinite(plus) && Number.isFinite(minus))) return;
        whiskers.push({ colour: error.color, thickness: error.thickness, opacity: trace.opacity ?? 1,
                        from: along === "y" ? [x, y - minus] : [x - minus, y],
                        to: along === "y" ? [x, y + plus] : [x + plus, y] });
      };
      bar(trace.error_y, "y");
      bar(trace.error_x, "x");
      marks.push({ role, x, y, r: marker.size / 2, opacity, width, whiskers,
                   fill: open ? "none" : colour, stroke: open ? colour : (marker.line?.color ?? "none") });
    }
    return marks;
  }

  // The chart as Plotly drew it: its styles, names and legend as they were.
  function unhighlight(chart) {
    for (const [group, opacity, display] of chart.restyled) {
      group.style.opacity = opacity;
      group.style.display = display;
    }
    chart.restyled = [];
    chart.marks = [];
  }

  // A search undone: the figure Plotly drew shows the view again, with its names.
  function showDrawn(chart) {
    unhighlight(chart);
    chart.names = chart.drawnNames;
    placeNames(chart);
    fresh(chart);
    legendShows(chart, chart.figure);
    chart.gd.dispatchEvent(new CustomEvent(PAINTED));
  }

  // The one legend (assets/components/legend.js) says what the charts drawn for the view show:
  // a chart off the screen adds its entries when it is drawn.
  function updateLegend(key) {
    if (!shown || shown.key !== key) return;
    const figures = shown.skeletons.map((skeleton) => shown.figures.get(skeleton.layout.meta.chart.key)).filter(Boolean);
    const meta = shown.skeletons[0].layout.meta;
    scalemap.legend.update(figures, meta.colourings[shown.view.colour]);
  }

  // Each chart's title (assets/components/chart_labels.js): the takeaway of the view's fits when
  // they are here, else written here. Text only: off-screen charts get theirs too.
  function retitle(key) {
    if (!shown || shown.key !== key) return;
    scalemap.chartLabels.setTitles(shown.dataset, shown.view, shown.skeletons, shown.titles);
  }

  // A chart that shows an older view is hidden, and says it is being updated, until drawn
  // (fresh).
  function stale(chart) {
    if (!chart.gd) return;
    chart.gd.style.visibility = "hidden";
    chart.el.setAttribute("aria-busy", "true");
  }
  function fresh(chart) {
    chart.gd.style.visibility = "";
    chart.el.removeAttribute("aria-busy");
  }

  // A chart drawn for the view shown now, seen or not (an export from the Sources & download
  // tab): its graph div, or null before the first view.
  function drawnNow(key) {
    const chart = charts.get(key);
    if (!(shown && chart?.el.isConnected)) return null;
    if (chart.drawn !== shown.key) draw(chart);
    return chart.gd;
  }

  function drawIfNear(chart, key) {
    if (shown && shown.key === key && chart.near && chart.drawn !== key && chart.el.isConnected) draw(chart);
  }

  // --- the names on a chart ----------------------------------------------------------------------
  // Plotly draws a chart again, points and all, for any change of its annotations, as long as a
  // new view takes; the names on a chart (search matches, pinned models, your model:
  // charts.js nameLabels) are a layer of plain elements over the plot instead, placed from the
  // axes Plotly drew, and again after each of its draws (a zoom, a resize). An exported image
  // draws them as annotations (labelsOf).
  const SVG = "http://www.w3.org/2000/svg";
  function placeNames(chart) {
    const full = chart.gd?._fullLayout;
    if (!full?._toppaper || !full._size) return;
    if (!chart.names?.length && !chart.marks.length && !chart.ahead.length && !chart.layer?.childElementCount) return;   // none to place, none to take away
    const paper = full._paperdiv.node();
    if (chart.layer?.parentNode !== paper) {   // made once per chart, between the plot and its hover layer
      chart.layer = document.createElement("div");
      chart.layer.className = "chart-names";
      chart.layer.style.cssText = "position: absolute; overflow: hidden; pointer-events: none;";
      paper.insertBefore(chart.layer, full._toppaper.node());
    }
    const { l, t, w, h } = full._size;
    Object.assign(chart.layer.style, { left: `${l}px`, top: `${t}px`, width: `${w}px`, height: `${h}px` });
    const lines = document.createElementNS(SVG, "svg");
    lines.setAttribute("width", w);
    lines.setAttribute("height", h);
    lines.style.cssText = "position: absolute; left: 0; top: 0;";
    const boxes = [];
    for (const name of chart.names || []) {
      if (name.visible === false) continue;   // the selected model's: its callout names it (nameOnce)
      const at = nameAt(name, full, w, h);
      if (!at) continue;
      const box = document.createElement("span");
      box.className = "chart-name";
      box.dataset.name = name.name;   // "label", or "more" (the matches left unlabelled)
      box.textContent = name.plain;
      const pad = name.borderpad ?? 1;
      const wrap = at.wrap ? `white-space: normal; max-width: ${at.wrap}px;` : "white-space: nowrap;";
      box.style.cssText = `position: absolute; left: ${at.x}px; top: ${at.y}px; ${wrap} ` +
        `transform: translate(${at.anchor}); padding: ${pad}px ${pad + 1}px; line-height: 1.2; ` +
        `font: ${name.font?.size ?? 11}px ${full.font.family}; color: ${name.font?.color ?? "#222222"}; ` +
        `background: ${name.bgcolor ?? "transparent"};`;
      boxes.push(box);
      if (at.line) {
        const line = document.createElementNS(SVG, "line");
        const [x1, y1, x2, y2] = at.line;
        for (const [key, value] of Object.entries({ x1, y1, x2, y2, stroke: name.arrowcolor,
                                                     "stroke-width": name.arrowwidth })) {
          line.setAttribute(key, value);
        }
        lines.appendChild(line);
      }
    }
    const marks = chart.marks.length ? marksLayer(chart.marks, full, w, h) : [];
    const ahead = chart.ahead.length ? [pointsCanvas(chart.ahead, full, w, h)] : [];
    chart.layer.replaceChildren(...ahead, ...marks, ...(boxes.length ? [lines, ...boxes] : []));
  }

  // A search's marks (highlight()) as circles where the axes drawn put their points.
  function marksLayer(marks, full, w, h) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", w);
    svg.setAttribute("height", h);
    svg.style.cssText = "position: absolute; left: 0; top: 0;";
    svg.classList.add("chart-marks");
    const { xaxis, yaxis } = full;
    const at = (axis, value, edge) => {   // a whisker's end below a log axis's zero: at the plot's edge
      const px = axis.c2p(value);
      return Number.isFinite(px) ? px : edge;
    };
    for (const mark of marks) {   // the whiskers under every point
      for (const { from, to, colour, thickness, opacity } of mark.whiskers) {
        const line = document.createElementNS(SVG, "line");
        const attributes = { x1: at(xaxis, from[0], 0), y1: at(yaxis, from[1], h), x2: at(xaxis, to[0], w), y2: at(yaxis, to[1], 0),
                             stroke: colour, "stroke-width": thickness, opacity };
        for (const [key, value] of Object.entries(attributes)) line.setAttribute(key, value);
        svg.appendChild(line);
      }
    }
    for (const mark of marks) {
      const circle = document.createElementNS(SVG, "circle");
      const attributes = { cx: xaxis.c2p(mark.x), cy: yaxis.c2p(mark.y), r: mark.r, fill: mark.fill,
                           stroke: mark.stroke, "stroke-width": mark.width, opacity: mark.opacity };
      for (const [key, value] of Object.entries(attributes)) circle.setAttribute(key, value);
      circle.classList.add(mark.role);   // "matches", or "domain": a point the figure drawn shows as a match
      svg.appendChild(circle);
    }
    return [svg];
  }

  // Where a name goes in the plot area: its box's anchor point and how it hangs from it, and its
  // leader line from the point (less the standoff) to the box's edge; null off the plot.
  function nameAt(name, full, w, h) {
    if (name.xref === "paper") {   // "N more matches not labelled here", in a corner: wrapped within the plot
      return { x: name.x * w, y: (1 - name.y) * h, anchor: "0, 0", line: null, wrap: Math.max(60, w * (1 - name.x) - 4) };
    }
    const px = full.xaxis.r2p(name.x), py = full.yaxis.r2p(name.y);
    if (!(px >= 0 && px <= w && py >= 0 && py <= h)) return null;
    const cx = px + name.ax, cy = py + name.ay;
    const halfWidth = (Array.from(name.plain).length * 6.2 + 8) / 2, halfHeight = 8.5;   // as nameLabels reckons
    const length = Math.hypot(name.ax, name.ay);
    const inside = Math.min(halfWidth / Math.abs(name.ax || 1e-9), halfHeight / Math.abs(name.ay || 1e-9));
    const edge = 1 - Math.min(1, inside), start = (name.standoff || 0) / length;
    const line = edge > start ? [px + name.ax * start, py + name.ay * start, px + name.ax * edge, py + name.ay * edge]
      : null;
    return { x: cx, y: cy, anchor: "-50%, -50%", line };
  }

  // The names on a chart as Plotly annotations (an exported image draws them).
  function labelsOf(gd) {
    return [...charts.values()].find((chart) => chart.gd === gd)?.names || [];
  }

  // The selected model named once: its callout, and no other label of it (chart_labels.js).
  function moveCallout(chart) {
    const skeleton = shown.skeletons[chart.index];
    const index = skeleton.layout.meta.calloutIndex;
    const note = scalemap.charts.callout(skeleton, shown.dataset, shown.view, shown.keep);
    const { gd } = chart;
    const annotations = gd.layout.annotations.map((a, i) => (i === index ? note : a));
    chart.names = scalemap.chartLabels.nameOnce(chart.names, shown.dataset, shown.view);   // the layer's
    window.Plotly.react(gd, gd.data, { ...gd.layout, annotations });   // (its afterplot places the names)
  }

  // The chart's modebar: the skeleton's config (components/charts.py), with the exports that
  // carry their source (assets/components/export.js); given once, at the first draw.
  function configOf(skeleton) {
    return { ...scalemap.exports.withSourceButtons(skeleton.config || {}), responsive: false };
  }

  // A click on a point and a box or lasso selection go to the stores the element names
  // (components/charts.py): the stats card and the models table listen to them.
  function listen(chart) {
    const { clicks, selection } = chart.el.dataset;
    const setProps = window.dash_clientside.set_props;
    chart.gd.on("plotly_afterplot", () => placeNames(chart));   // a zoom, a resize: the axes moved
    chart.gd.on("plotly_click", (event) => {
      const points = (event?.points || []).map((p) => ({ customdata: p.customdata, x: p.x, y: p.y,
                                                          curveNumber: p.curveNumber, pointNumber: p.pointNumber }));
      if (points.length && clicks) setProps(clicks, { data: { graph: chart.el.id, points, at: Date.now() } });
    });
    chart.gd.on("plotly_selected", (event) => {
      if (!event || !Array.isArray(event.points) || !selection) return;
      setProps(selection, { data: [...new Set(event.points.map((p) => p.customdata).filter(Number.isInteger))] });
    });
    chart.gd.on("plotly_deselect", () => { if (selection) setProps(selection, { data: null }); });
  }

  // --- Dash -------------------------------------------------------------------------------------

  // draw()'s arguments as Dash's store holds them now, and a text box as typed (typed()).
  function argumentsNow() {
    const api = window.dash_component_api;
    return wiring.map(([id, prop]) => typed(id, prop, api.getLayout(id)?.props));
  }

  // A text box that tells Dash its value only once the typing pauses (a debounce in ms, the
  // search box: components/filters.py) shows the view in the page first: what is typed in it
  // is drawn at each keystroke, and Dash's round runs once for the word. Its value is the one
  // in the box, unless Dash set another since (a link, "Clear filters"), which the box shows
  // from its next render.
  const setByDash = new Map();   // id -> the value Dash's store held at the last look
  function typed(id, prop, props) {
    const held = props?.[prop];
    if (prop !== "value" || !(props?.debounce > 0)) return held;
    const box = document.getElementById(id);
    const changed = !setByDash.has(id) || setByDash.get(id) !== held;
    setByDash.set(id, held);
    return box instanceof HTMLInputElement && !changed ? box.value : held;
  }

  // From draw()'s first call on: any change of Dash's layout (a control set by a click, a key,
  // a callback) is drawn at once, in the task that made it (a microtask: after the component
  // that changed and before Dash's round, which runs in a later task).
  let subscribed = false, queued = false;
  function paintSoon() {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      paint(argumentsNow());
    });
  }
  function subscribe() {
    const store = window.dash_stores?.[0] || window.store;
    if (subscribed || !store?.subscribe || !window.dash_component_api?.getLayout) return;
    subscribed = true;
    let layout = store.getState().layout;
    store.subscribe(() => {
      const now = store.getState().layout;
      if (now === layout) return;
      layout = now;
      paintSoon();
    });
    // A keystroke in a text box Dash hears late (typed()).
    const wired = new Set(wiring.map(([id]) => id));
    document.addEventListener("input", (event) => { if (wired.has(event.target.id)) paintSoon(); }, true);
  }

  async function loaded(config) {
    const dataset = await scalemap.dataset.load(config.dataset);
    ready.set(config.dataset.url, dataset);
    return dataset;
  }

  // The count lines, the filter summary and the empty state for the view shown; only the
  // request for fits when only the tab or the story changed (nothing drawn changed).
  function outputs(lastRequest, pageOnly) {
    const { dataset, view, keep, found, kept, skeletons, config } = shown;
    // Trend fits are asked for while they are shown (the trend lines, or the Trends tab) and
    // the filters changed since the last request.
    const key = scalemap.view.filterQuery(view, config.view);
    const wanted = view.overlays.includes("trends") || view.tab === "trends";
    const noUpdate = window.dash_clientside.no_update;
    const request = wanted && !(lastRequest && lastRequest.key === key) ? { key } : noUpdate;
    if (pageOnly) return [...skeletons.map(() => noUpdate), noUpdate, request, noUpdate];
    const counts = skeletons.map((skeleton) => scalemap.charts.chartCount(skeleton, dataset, view, keep, found, kept));
    const summary = scalemap.charts.filterSummary(dataset, view, keep, found, kept);
    return [...counts, summary, request, kept ? { display: "none" } : {}];
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_paint = {
    // Every control but the selected model (components/url_state.CONTROLS; the tab and the
    // story among them), your own models, then selected, trendFits, config, skeletons,
    // lastRequest -> the count
    // lines, the filter summary, a request for trend fits, the empty state's style. The
    // charts are drawn by paint(), here only if the store did not draw them first.
    draw: async function (...args) {
      const context = window.dash_clientside.callback_context;
      if (!wiring && context) {   // read before any await: Dash clears it after this call starts
        wiring = [...context.inputs_list, ...context.states_list].map((a) => [a.id, a.property]);
      }
      const [, , , config, , lastRequest] = args.slice(-OPEN_SPOTS);
      const pageOnly = scalemap.view.onlyPageChanged();   // (read before any await)
      await loaded(config);
      subscribe();
      paint(subscribed ? argumentsNow() : args);
      await painted();   // Dash's round (the count lines and the rest, React's renders) after the frame
      scalemap.view.writeUrl(shown.view, config.view, shown.readAt);   // (not if Back came during the wait)
      scalemap.exports.remember({ view: shown.view, dataset: shown.dataset, contract: config.view });
      return outputs(lastRequest, pageOnly);
    },

    // The page's link, drawn as soon as the dataset is here: before Dash has set the controls
    // from it (components/url_state.py) and called draw(), which then finds its view drawn.
    // Only the page's first view (Back and Forward set the controls, which draw).
    first: async function (search, config, skeletons) {
      if (shown) return;
      const dataset = await loaded(config);
      if (shown) return;
      const view = scalemap.view.fromQuery(search, dataset, config.view);
      show(viewShown(dataset, view, [], 0, null, config, skeletons));
    },

    // Fits from the server, or another selected model: drawn by the store subscription; here
    // in case there is none. The selected model goes into the URL.
    follow: function (_trendFits, _selectedModel) {   // (triggers: it reads the store itself)
      if (!wiring || !ready.size) return;
      paint(argumentsNow());
      if (shown) scalemap.view.writeUrl(shown.view, shown.config.view, shown.readAt);
    },
  };

  // A callback's own arguments with a text box as typed: what is drawn is what it works on.
  function asTyped(values, context) {
    const list = [...(context?.inputs_list || []), ...(context?.states_list || [])];
    const api = window.dash_component_api;
    return values.map((value, i) => (list[i] && api?.getLayout
      ? typed(list[i].id, list[i].property, { ...api.getLayout(list[i].id)?.props, [list[i].property]: value })
      : value));
  }

  scalemap.painter = { paint, onScreen, afterPaint, labelsOf, asTyped, drawnNow, NEAR, PAINTED };
})();
