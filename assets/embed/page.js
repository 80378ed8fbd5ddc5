/* An embed (/embed?<view query>&chart=<key>): one chart of the view, drawn by the map's own
 * chart code (assets/components/charts.js) from the dataset the map fetches. Not part of the
 * map's page (app.py leaves assets/embed/ out of it); components/embed.py writes the page. */
(function () {
  "use strict";
  const scalemap = window.scalemap;

  async function draw() {
    const config = JSON.parse(document.getElementById("embed-config").textContent);
    const dataset = await scalemap.dataset.load(config.dataset);
    const view = scalemap.view.fromQuery(window.location.search, dataset, config.view);
    view.selected = null;   // an embed opens no stats card
    const controls = scalemap.view.toControls(view, dataset.yearBounds, config.view);
    const [figure, count] = scalemap.charts.drawAll(dataset, controls, null, config.view, [config.skeleton]);
    const chart = document.getElementById(`graph-${config.skeleton.layout.meta.chart.key}`);
    document.querySelector(".embed-count").textContent = count;
    // The modebar's cloud and image buttons are the map's; here only zoom and pan.
    // The page names the chart above it: no second title inside the plot.
    const layout = { ...figure.layout, autosize: true, title: { text: "" }, margin: { ...figure.layout.margin, t: 16 } };
    await window.Plotly.newPlot(chart, figure.data, layout, {
      displaylogo: false, responsive: true, modeBarButtonsToRemove: ["toImage", "sendDataToCloud", "select2d", "lasso2d"],
    });
    document.body.dataset.drawn = "true";
  }

  function start() {
    draw().catch((error) => {
      document.querySelector(".embed-count").textContent = `The chart could not be drawn (${error.message}).`;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
