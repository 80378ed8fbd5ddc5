/* Chart exports that carry their source: each chart's modebar offers PNG and SVG at a fixed size
 * (scalemap/figures.py EXPORT_*), with a footer on the image — the chart's title, the filters
 * in words, the data credit, the date and the view's link. assets/components/painter.js gives
 * each chart the buttons (withSourceButtons) when it first draws it. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  let latest = null;   // {view, dataset, contract}: the view the charts show now (set by draw)

  // "language, vision · 2015–2025 · OpenAI · search “GPT”", or "all models".
  function describeView(view, dataset) {
    const parts = [];
    if (view.domains.length) parts.push(view.domains.join(", "));
    if (view.year_from !== null || view.year_to !== null) {
      parts.push(`${view.year_from ?? dataset.yearBounds[0]}–${view.year_to ?? dataset.yearBounds[1]}`);
    }
    if (view.organizations.length) parts.push(view.organizations.join(", "));
    if (view.search.trim()) parts.push(`search “${view.search.trim()}”`);
    return parts.length ? parts.join(" · ") : "all models";
  }

  // The chart's heading as the page shows it: its takeaway title (components/charts.py) and its
  // count line; the custom chart's title names its axes.
  function heading(gd) {
    const spec = gd.layout.meta?.chart || {};
    const key = spec.graphKey || spec.key;
    const text = (id) => document.getElementById(id)?.textContent?.trim() || "";
    const title = key === "custom" ? spec.title : text(`title-${key}`) || spec.title || "";
    return { title, count: text(`count-${key}`) };
  }

  // Text in lines of at most `width` characters, broken between words.
  function wrap(text, width) {
    const lines = [];
    let line = "";
    for (const word of text.split(/\s+/)) {
      if (line && line.length + word.length + 1 > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    return line ? [...lines, line] : lines;
  }

  function footer(_gd) {
    const { view, dataset, contract } = latest;
    // Whose data the dataset holds (payload.py's origin codes): each credited, Epoch AI's under CC BY.
    const origins = dataset.codes.origin || [];
    const catalogue = `ML Scale Map catalogue${dataset.dataVersion ? ` ${dataset.dataVersion}` : ""}`;
    const credit = `Data: ${[origins.includes("ML Scale Map") ? catalogue : null,
                               origins.includes("Epoch AI") ? "Epoch AI (CC BY 4.0)" : null]
      .filter(Boolean).join("; ")}`;
    const link = window.location.origin + window.location.pathname +
      scalemap.view.toQuery(scalemap.view.shareable(view, contract), contract);
    const today = new Date().toISOString().slice(0, 10);
    const escapeHtml = scalemap.dataset.escapeHtml;
    const story = scalemap.stories?.current();
    const told = story ? wrap(`Story: ${story.title}. ${story.caption}`, 170).map((line) => `<i>${escapeHtml(line)}</i>`)
      : [];
    return [...told, `Shown: ${escapeHtml(describeView(view, dataset))}`,
            `${escapeHtml(credit)} · made ${today} with ML Scale Map`, escapeHtml(link)];
  }

  // The chart as an image file with its title, its count line, a legend and its footer; the
  // page's chart is left as it is. Below the plot: the x-axis (ticks and title), the legend,
  // then the footer, each in its own band.
  const AXIS_BAND = 72, LEGEND_BAND = 56, LINE = 16, TITLE_BAND = 64;
  async function exportChart(gd, format) {
    const options = gd._context.toImageButtonOptions || {};
    const lines = latest ? footer(gd) : [];
    const margin = { ...(gd.layout.margin || {}), t: TITLE_BAND };
    margin.b = AXIS_BAND + LEGEND_BAND + LINE * lines.length + 12;
    const height = options.height;   // the fixed size: the plot gives up the footer's room
    const plotHeight = height - margin.t - margin.b;
    const notes = lines.map((text, i) => ({
      text, xref: "paper", yref: "paper", x: 0, xanchor: "left", y: 0, yanchor: "top", showarrow: false,
      yshift: -(AXIS_BAND + LEGEND_BAND + LINE * i), font: { size: 11, color: "#333333" }, align: "left",
    }));
    const { title, count } = heading(gd);
    const escapeHtml = scalemap.dataset.escapeHtml;
    const names = scalemap.painter.labelsOf(gd);   // drawn over the page's chart, annotations here
    const layout = { ...gd.layout, margin, annotations: [...(gd.layout.annotations || []), ...names, ...notes],
                     title: { text: `<b>${escapeHtml(title)}</b>`, x: 0.01, xanchor: "left", yref: "container", y: 0.985,
                              yanchor: "top", font: { size: 16, color: "#1c2833" },
                              subtitle: { text: escapeHtml(count), font: { size: 12, color: "#444444" } } },
                     showlegend: true,
                     legend: { ...(gd.layout.legend || {}), yref: "paper", y: -AXIS_BAND / plotHeight, yanchor: "top" } };
    const url = await window.Plotly.toImage({ data: gd.data, layout },
      { format, width: options.width, height, scale: options.scale });
    const link = document.createElement("a");
    link.href = url;
    const spec = gd.layout.meta?.chart;   // the custom chart: named after its axes
    link.download = `${(spec?.fileName) || options.filename || "chart"}.${format}`;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // A download arrow over a tray (Plotly draws modebar icons from a path in a 1000-unit box).
  const DOWNLOAD_ICON = { width: 1000, height: 1000,
                          path: "M450 100h100v420l140-140 70 70-260 260-260-260 70-70 140 140zM100 800h800v100H100z" };
  const button = (format) => ({
    name: `download-${format}`, title: `Download ${format.toUpperCase()} (with its source)`,
    icon: DOWNLOAD_ICON, click: (gd) => exportChart(gd, format),
  });

  // A chart's config with the two export buttons in place of Plotly's own.
  const withSourceButtons = (config) => ({
    ...config, modeBarButtonsToRemove: [...(config.modeBarButtonsToRemove || []), "toImage"],
    modeBarButtonsToAdd: [button("png"), button("svg")],
  });

  scalemap.exports = { describeView, exportChart, heading, withSourceButtons, remember: (value) => { latest = value; } };
})();
