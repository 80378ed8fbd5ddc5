/* One legend for the four charts (above their grid), instead of one Plotly legend per chart:
 * what the colours say (domain, or the chosen colouring: the same colour means the same value
 * on every chart), what the marks say (hollow, ring, star, and each of your files by name, "Your
 * file: <name>" with its marker) and the lines drawn. Built from the figures just drawn; on a
 * phone it starts folded. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const LEGEND = "chart-legend";
  let lastKey = null, folded = false;

  const span = (props) => ({ type: "Span", namespace: "dash_html_components", props });

  // The swatch of one entry: a dot, a ring, a symbol, a line or a band, as the chart draws it.
  function swatch(trace) {
    const role = trace.meta?.role, marker = trace.marker || {}, line = trace.line || {};
    if (role === "mine") return span({ className: "legend-symbol", style: { color: marker.color }, children: "★" });
    if (role === "uploaded") {   // each file's own marker (assets/components/upload.js)
      return span({ className: "legend-symbol", style: { color: marker.color },
                    children: scalemap.overlay?.glyphOf(marker.symbol) || "◆" });
    }
    if (role === "pinned") return span({ className: "legend-dot legend-ring", style: { borderColor: marker.color } });
    if (role === "legend") return span({ className: "legend-dot legend-hollow", style: { borderColor: marker.color } });
    if (trace.fill === "toself") return span({ className: "legend-band", style: { background: trace.fillcolor } });
    if (role === "overlay" || role === "trend") {
      const dash = { dot: "dotted", dash: "dashed", dashdot: "dashed", longdash: "dashed" }[line.dash] || "solid";
      return span({ className: "legend-line", style: { borderTopColor: line.color, borderTopStyle: dash } });
    }
    return span({ className: "legend-dot", style: { background: marker.color } });
  }

  // The entries of the drawn figures, each once, in the order the charts list them: colours
  // first, then marks, then lines.
  function entries(figures) {
    const order = { domain: 0, matches: 1, legend: 2, pinned: 2, mine: 2, uploaded: 2, overlay: 3, trend: 3 };
    const seen = new Map();
    for (const figure of figures) {
      for (const trace of figure?.data || []) {
        const role = trace.meta?.role;
        if (!(role in order) || role === "matches" || trace.visible === false || trace.showlegend === false) continue;
        if (!seen.has(trace.name)) seen.set(trace.name, { trace, rank: order[role], at: seen.size });
      }
    }
    return [...seen.values()].sort((a, b) => a.rank - b.rank || a.at - b.at).map((e) => e.trace);
  }

  // The legend for the figures just drawn (a dash_clientside.set_props, only when it changed).
  // `title`: what the colours say ("Domain", "Accessibility" …).
  function update(figures, title) {
    const list = entries(figures);
    const key = JSON.stringify([title, list.map((t) => [t.name, t.marker?.color, t.marker?.symbol, t.line?.color])]);
    if (key === lastKey) return;
    lastKey = key;
    const items = list.map((trace) => span({
      className: "legend-item", children: [swatch(trace), span({ children: plain(trace.name) })],
    }));
    window.dash_clientside.set_props(LEGEND, {
      children: [span({ className: "legend-title", children: `${title}:` }), ...items],
    });
    if (!folded) {   // a phone's legend starts folded: the chart is what its first screen shows
      folded = true;
      const details = document.getElementById("chart-legend-details");
      if (details && window.matchMedia("(max-width: 767.98px)").matches) details.open = false;
    }
  }

  // Trace names are Plotly markup, escaped (escapeHtml): shown here as the text they stand for.
  function plain(name) {
    const parser = new DOMParser();
    return parser.parseFromString(`<!doctype html><body>${String(name)}`, "text/html").body.textContent;
  }

  scalemap.legend = { update, entries };
})();
