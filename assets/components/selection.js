/* Which model's stats card is open. A click on a point selects it (its row in the dataset
 * travels as the point's customdata); where other models lie within a few pixels of it, a
 * picker lists them all instead. Buttons that name a model (search hits, the picker, the
 * comparison) select theirs; closing the card clears it. The card itself is a small request
 * to the server (components/stats_card.py): the id, and for your own model its record. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const CROWDED_PX = 8;   // models this close to the click are listed in the picker

  // What is drawn within CROWDED_PX of the clicked point on that chart: the clicked model first,
  // then the others by date (oldest first), every one of them; the catalogue's rows (numbers)
  // and your own models' ids (strings). Dimmed points (while searching) do not count: they
  // answer no click. `dayOf(key)`: a model's day, for the order.
  function neighbours(gd, point, dayOf) {
    const xa = gd._fullLayout?.xaxis, ya = gd._fullLayout?.yaxis;
    if (!xa || !ya) return [point.customdata];
    const px = xa.d2p(point.x), py = ya.d2p(point.y);
    const near = new Set();
    for (const trace of gd.data) {
      const role = trace.meta?.role;
      if (!(role === "domain" || role === "matches" || role === "pinned" || role === "uploaded") ||
          trace.hoverinfo === "skip") continue;
      for (let i = 0; i < trace.customdata.length; i++) {
        if (Math.hypot(xa.d2p(trace.x[i]) - px, ya.d2p(trace.y[i]) - py) <= CROWDED_PX) near.add(trace.customdata[i]);
      }
    }
    near.delete(point.customdata);
    const order = (a, b) => dayOf(a) - dayOf(b) || String(a).localeCompare(String(b), "en", { numeric: true });
    return [point.customdata, ...[...near].sort(order)];
  }

  // Escape closes the stats card, unless a dialog or the filter drawer is what it closes.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || document.querySelector(".modal.show, .filter-drawer.show")) return;
    const close = document.getElementById("stats-card-close");
    if (close && !document.getElementById("stats-card").hidden) close.click();
  });

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_selection = {
    // A click on a chart ({graph: its element's id, points}, assets/components/painter.js) ->
    // the selected model, or the picker of a crowded spot (your own models among them).
    fromClick: async function (click, uploaded, config) {
      const noUpdate = window.dash_clientside.no_update;
      const none = [noUpdate, noUpdate, noUpdate];
      const point = click && Array.isArray(click.points) ? click.points[0] : null;
      const clicked = point ? point.customdata : undefined;
      const own = (id) => typeof id === "string" && id.startsWith(config.uploadPrefix);
      if (!(Number.isInteger(clicked) || own(clicked)) || typeof click.graph !== "string") return none;   // a reference line
      const gd = document.querySelector(`#${CSS.escape(click.graph)} .js-plotly-plot`);
      const dataset = await scalemap.dataset.load(config.dataset);
      if (Number.isInteger(clicked) && (clicked < 0 || clicked >= dataset.count)) return none;
      // Each model near the click: where it is (the catalogue's by row, yours by id), or null.
      const place = (key) => {
        if (Number.isInteger(key)) return key >= 0 && key < dataset.count ? { dataset, row: key } : null;
        return own(key) ? scalemap.overlay.find(uploaded, key) : null;
      };
      const dayOf = (key) => {
        const at = place(key);
        return at ? at.dataset.columns.day[at.row] : Infinity;
      };
      const near = gd ? neighbours(gd, point, dayOf).filter((key) => place(key) !== null) : [];
      if (near.length <= 1) return [Number.isInteger(clicked) ? dataset.columns.id[clicked] : clicked, noUpdate, noUpdate];
      const button = (key) => {
        const at = place(key);
        return scalemap.table.openButton(at.dataset, at.row, at.name ?? null);   // (a file's name: one of yours)
      };
      const heading = { type: "P", namespace: "dash_html_components",
                        props: { className: "small mb-2", id: "picker-count",
                                 children: `${near.length} models here: the one clicked first, then by date. ` +
                                   "Choose one to open its stats card." } };
      return [noUpdate, true, [heading, ...near.map(button)]];
    },

    // The stats card's request: the model's id and, for one of your own (the server never kept
    // it), that model's record alone, never the whole uploaded file.
    cardRequest: function (modelId, uploaded, config) {
      if (typeof modelId !== "string" || !modelId) return null;
      if (!config || !modelId.startsWith(config.uploadPrefix)) return { id: modelId };
      return { id: modelId, record: scalemap.overlay.recordOf(uploaded, modelId) };
    },

    // A button naming a model (components/ids.open_model) -> that model; the picker closes.
    fromButton: function (_clicks) {
      const noUpdate = window.dash_clientside.no_update;
      const triggered = window.dash_clientside.callback_context.triggered || [];
      const pressed = triggered.find((t) => t.value);
      if (!pressed) return [noUpdate, noUpdate];
      try {
        return [JSON.parse(pressed.prop_id.slice(0, pressed.prop_id.lastIndexOf("."))).index, false];
      } catch (_error) {
        return [noUpdate, noUpdate];
      }
    },

    // The card's close button -> no model selected (the card hides when its request is empty).
    close: function (clicks) {
      return clicks ? null : window.dash_clientside.no_update;
    },
  };
})();
