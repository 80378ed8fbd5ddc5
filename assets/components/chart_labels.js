/* What the charts say besides their points: landmark models named while nothing is searched
 * (data/landmarks.yaml, through charts.js's collision-free placer), "N models here" in the hover
 * text where several models share a spot, the selected model named once, the charts' titles, the phone's chart switcher, and the exports from
 * buttons (the Sources & download tab). */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const CROWD_COUNTED_UP_TO = 50;
  const CROWDED_PX = 8;   // as selection.js: models this close share a spot (the picker lists them)

  // Landmark models as label items ({row, x, y, text, px, py, landmark}), most telling first, for
  // those this chart draws: none while a search is active (its matches are named instead) or
  // with labels=off. `item(row, x, y)` is charts.js's own, so the placer treats them alike.
  const indexes = new WeakMap();   // plottable points -> row -> index
  function landmarkItems(meta, dataset, view, points, matches, taken, item) {
    if (!view.labels || view.search.trim() || matches || !meta.landmarks?.length) return [];
    let indexOf = indexes.get(points);
    if (!indexOf) {
      indexOf = new Map(points.rows.map((row, i) => [row, i]));
      indexes.set(points, indexOf);
    }
    const keep = dataset.filter(view), sure = view.only.includes("sure");
    const items = [];
    for (const id of meta.landmarks) {
      const row = dataset.rowOfId.get(id);
      const i = row === undefined ? undefined : indexOf.get(row);
      if (i === undefined || taken.has(row) || !keep[row] || (sure && points.hollow[i] === 1)) continue;
      items.push({ ...item(row, points.x[i], points.y[i]), landmark: true });
    }
    return items;
  }

  // The boxes (plot pixels) of the chart's labels that are not names — trend lines', thresholds',
  // 6·N·D lines' — for the name placer to keep clear of. A trend label that would overlap one
  // before it moves below its line's end.
  function reservedBoxes(layout, size, spec) {
    if (!layout.xaxis.range || !layout.yaxis.range) return [];
    const px = toPixel(layout.xaxis, spec.xIsDate, !spec.xIsDate && spec.xLog !== false, size.w, false);
    const pyLog = toPixel(layout.yaxis, false, false, size.h, true);   // annotation y: log10 already on a log axis
    const boxes = [];
    const overlaps = (b) => boxes.some((o) => b.l < o.r && b.r > o.l && b.t < o.b && b.b > o.t);
    for (const note of layout.annotations) {
      if (note.visible === false || !["trend", "threshold", "six-nd"].includes(note.name)) continue;
      const w = Array.from(String(note.text)).length * ((note.font?.size || 11) * 0.56) + 6, h = (note.font?.size || 11) + 5;
      const x = note.xref === "paper" ? note.x * size.w : spec.xIsDate ? px(Date.parse(note.x)) : px(10 ** note.x);
      const y = pyLog(note.y);
      const right = note.xanchor === "right" ? x : x + w;
      let box = { l: right - w, r: right, t: y - h, b: y };
      if (note.name === "trend" && overlaps(box)) {
        note.yanchor = "top";
        box = { l: right - w, r: right, t: y, b: y + h };
      }
      boxes.push(box);
    }
    return boxes;
  }

  // Where on its line a 6·N·D label sits (the parameter count N at its anchor, its bottom-right
  // corner): of two dozen spots along the line within the axes, the one with the fewest points
  // shown in and around its box (20 px about), never over a 6·N·D label placed before (`taken`,
  // which gets this one's box); ties: the furthest right.
  function sixNdSpot(tokens, points, keep, layout, size, minX, maxX, maxY, taken) {
    const last = Math.min(maxX, maxY / (6 * tokens));
    const [x0, x1] = layout.xaxis.range, [y0, y1] = layout.yaxis.range;
    const px = (v) => ((Math.log10(v) - x0) / (x1 - x0)) * size.w;
    const py = (v) => size.h - ((Math.log10(v) - y0) / (y1 - y0)) * size.h;
    const shownAt = [];
    for (let i = 0; i < points.rows.length; i++) {
      if (keep[points.rows[i]]) shownAt.push([px(points.x[i]), py(points.y[i])]);
    }
    const W = 82, H = 14, MARGIN = 20;
    let best = last, fewest = Infinity, bestBox = null;
    for (let k = 23; k >= 0; k--) {
      const n = Math.max(minX, last / 10 ** (k * 0.125));
      const right = px(n), bottom = py(6 * n * tokens);
      if (right < W || bottom < H || right > size.w || bottom > size.h) continue;   // the label would leave the plot
      const box = { l: right - W, r: right, t: bottom - H, b: bottom };
      let score = 0;
      for (const [x, y] of shownAt) {
        if (x > box.l - MARGIN && x < box.r + MARGIN && y > box.t - MARGIN && y < box.b + MARGIN) score++;
      }
      if (taken.some((o) => box.l < o.r && box.r > o.l && box.t < o.b && box.b > o.t)) score += 1e6;
      if (score <= fewest) {
        fewest = score;
        best = n;
        bestBox = box;
      }
    }
    if (bestBox) taken.push(bestBox);
    return best;
  }

  // Pixel position on one axis of a chart whose plot area is `length` px (y: from the top).
  function toPixel(axis, isDate, isLog, length, flip) {
    const [lo, hi] = isDate ? axis.range.map(Date.parse) : axis.range;
    const scale = length / (hi - lo);
    return (v) => {
      const at = ((isLog ? Math.log10(v) : v) - lo) * scale;
      return flip ? length - at : at;
    };
  }

  // "N other models here" added to the hover text of each point that shares its spot (within
  // CROWDED_PX) with others drawn and clickable: a click lists them all (selection.js).
  function markCrowds(data, layout, size, spec) {
    if (!layout.xaxis.range || !layout.yaxis.range || !(size.w > 0)) return;
    const px = toPixel(layout.xaxis, spec.xIsDate, !spec.xIsDate && spec.xLog !== false, size.w, false);
    const py = toPixel(layout.yaxis, false, spec.yLog !== false, size.h, true);
    const counted = new Set(["domain", "matches", "uploaded"]);   // what the picker lists (selection.js)
    const traces = data.filter((t) => counted.has(t.meta?.role) && t.hoverinfo !== "skip" && Array.isArray(t.hovertext));
    // The points in cells of CROWDED_PX, numbered (string keys cost seconds a click at 100,000
    // models); a point's crowd is in its cell and the eight around it. Points off the plot go
    // to the cells at its edge (none of them can be hovered).
    const columns = Math.ceil(size.w / CROWDED_PX) + 3, rows = Math.ceil(size.h / CROWDED_PX) + 3;
    const cellOf = (v, count) => Math.min(count - 1, Math.max(0, Math.floor(v / CROWDED_PX) + 1));
    const xs = [], ys = [], owners = [], cells = new Map();
    traces.forEach((trace, k) => {
      for (let i = 0; i < trace.x.length; i++) {
        const x = px(trace.x[i]), y = py(trace.y[i]);
        const cell = cellOf(x, columns) + cellOf(y, rows) * columns;
        if (!cells.has(cell)) cells.set(cell, []);
        cells.get(cell).push(xs.length);
        xs.push(x);
        ys.push(y);
        owners.push(k, i);
      }
    });
    // Counted up to CROWD_COUNTED_UP_TO others: past that, "over N" says enough, and the counting
    // stays linear in the points where thousands crowd a spot.
    const reach = CROWDED_PX * CROWDED_PX, enough = CROWD_COUNTED_UP_TO + 1;
    const around = [0, -1, 1, -columns, columns, -columns - 1, -columns + 1, columns - 1, columns + 1];
    for (let j = 0; j < xs.length; j++) {
      const x = xs[j], y = ys[j], cell = cellOf(x, columns) + cellOf(y, rows) * columns;
      let others = -1;   // itself among them
      for (let n = 0; n < around.length && others < enough; n++) {
        const near = cells.get(cell + around[n]);
        if (!near) continue;
        for (let m = 0; m < near.length && others < enough; m++) {
          const dx = xs[near[m]] - x, dy = ys[near[m]] - y;
          if (dx * dx + dy * dy <= reach) others++;
        }
      }
      if (others <= 0) continue;
      const text = others > CROWD_COUNTED_UP_TO ? `over ${CROWD_COUNTED_UP_TO} other models`
        : `${others} other model${others === 1 ? "" : "s"}`;
      traces[owners[2 * j]].hovertext[owners[2 * j + 1]] += `<br><i>${text} here: click to list them</i>`;
    }
  }

  // The selected model's name on a chart: its callout, and no other label of it. The chart's
  // annotations with a label that names it hidden, and one that named the model selected
  // before shown again.
  function nameOnce(annotations, dataset, view) {
    const row = view.selected !== null ? dataset.rowOfId.get(view.selected) : undefined;
    const name = row === undefined ? null : scalemap.dataset.escapeHtml(dataset.columns.name[row]);
    return annotations.map((note) => {
      if (note.name !== "label") return note;
      const visible = note.text !== name;
      return (note.visible !== false) === visible ? note : { ...note, visible };
    });
  }

  // Where the selected model's callout (`note`: x, y in the chart's annotation coordinates, text)
  // can go on the chart as drawn now, clear of its other labels: {ax, ay}, or {} to keep its own.
  function freeSpot(spec, note) {
    const gd = document.querySelector(`#graph-${CSS.escape(spec.graphKey || spec.key)} .js-plotly-plot`);
    const xa = gd?._fullLayout?.xaxis, ya = gd?._fullLayout?.yaxis, size = gd?._fullLayout?._size;
    if (!xa || !ya || !size) return {};
    const px = (x) => xa.l2p(spec.xIsDate ? Date.parse(x) : x), py = (y) => ya.l2p(y);
    const box = (x, y, text, ax, ay) => {
      const w = Array.from(text).length * 6.6 + 12, cx = px(x) + ax, cy = py(y) + ay;
      return { l: cx - w / 2, r: cx + w / 2, t: cy - 10, b: cy + 10 };
    };
    // The names over the plot (painter.js's layer) and any still drawn as annotations.
    const others = [...(gd.layout.annotations || []), ...(scalemap.painter?.labelsOf(gd) || [])]
      .filter((a) => a.name === "label" && a.visible !== false && a.text !== note.text)
      .map((a) => box(a.x, a.y, a.text, a.ax || 0, a.ay || 0));
    for (const [ax, ay] of scalemap.charts.LABEL_OFFSETS) {
      const b = box(note.x, note.y, note.text, ax, ay);
      if (b.l < 0 || b.r > size.w || b.t < 0 || b.b > size.h) continue;
      if (!others.some((o) => b.l < o.r && b.r > o.l && b.t < o.b && b.b > o.t)) return { ax, ay };
    }
    return {};
  }

  // Each fixed chart's title for the view: the server's takeaway when the view's fits are here
  // (`fits`: {key, fits, titles} for this view, or null), else the same sentence without a fit,
  // written here: how many models the chart shows and the largest of them
  // (scalemap.features.takeaways.takeaway with no fit; tests/contract checks both agree).
  const RECORD = { "parameters-vs-date": ["parameters", "Parameters of the {n} shown"],
                   "compute-vs-date": ["training_compute", "Training compute of the {n} shown"],
                   "compute-vs-parameters": ["training_compute", "Training compute against parameters, {n}"] };
  function localTitle(dataset, view, spec) {
    const [quantity, sentence] = RECORD[spec.key];
    const metric = dataset.names[quantity];   // (the payload's own name for it)
    const points = scalemap.charts.plottable(dataset, spec);
    const keep = dataset.filter(view), sure = view.only.includes("sure");
    const values = dataset.columns[metric];
    let n = 0, best = -1;
    for (let i = 0; i < points.rows.length; i++) {
      const row = points.rows[i];
      if (!keep[row] || (sure && points.hollow[i] === 1)) continue;
      n++;
      if (best < 0 || values[row] > values[best]) best = row;
    }
    if (!n) return "No model shown matches the filters";
    const units = scalemap.units;
    const number = quantity === "parameters" ? units.formatCount(values[best]) : units.formatFlop(values[best]);
    const models = `${n.toLocaleString("en-US")} model${n === 1 ? "" : "s"}`;
    return `${sentence.replace("{n}", models)}; the largest, ${dataset.columns.name[best]}: ${number}`;
  }

  const written = {};   // chart key -> the title last written
  function setTitles(dataset, view, skeletons, fits) {
    for (const skeleton of skeletons) {
      const spec = skeleton.layout.meta.chart;
      const text = !(spec.key in RECORD) ? scalemap.charts.chartSpec(skeleton.layout.meta, view).title   // its axes
        : fits?.titles?.[spec.key] || localTitle(dataset, view, spec);
      if (written[spec.key] === text) continue;
      written[spec.key] = text;
      window.dash_clientside.set_props(`title-${spec.key}`, { children: text });
    }
  }

  // The phone's chart switcher: one chart at a time below 768 px (CSS hides the others).
  document.addEventListener("click", (event) => {
    const button = event.target.closest?.("#chart-switcher [data-chart]");
    if (!button) return;
    const grid = document.getElementById("charts-grid");
    for (const other of document.querySelectorAll("#chart-switcher [data-chart]")) {
      other.classList.toggle("active", other === button);
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    }
    grid.dataset.phoneChart = button.dataset.chart;
    window.dispatchEvent(new Event("resize"));   // the chart shown takes its width
  });

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_chart_labels = {
    // Exports from buttons (the Sources & download tab): chart key and format in the button's id.
    exportFromButton: function (_clicks) {   // every export button's clicks, one list
      const triggered = window.dash_clientside.callback_context.triggered || [];
      const pressed = triggered.find((t) => t.value);
      if (pressed) {
        const { chart, format } = JSON.parse(pressed.prop_id.slice(0, pressed.prop_id.lastIndexOf(".")));
        // Drawn for the view first: a chart in a hidden tab waits to be seen (painter.js).
        const gd = scalemap.painter?.drawnNow(chart) || document.querySelector(`#graph-${CSS.escape(chart)} .js-plotly-plot`);
        if (gd) scalemap.exports.exportChart(gd, format);
      }
      return window.dash_clientside.no_update;
    },
  };

  scalemap.chartLabels = { landmarkItems, markCrowds, nameOnce, freeSpot, reservedBoxes, localTitle, setTitles, sixNdSpot,
                           CROWDED_PX };
})();
