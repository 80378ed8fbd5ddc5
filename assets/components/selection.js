/* Which model's stats card is open. A click on a point selects it (its row in the dataset
 * travels as the point's customdata); where other models lie within a few pixels of it, a
 * picker lists them all instead. Buttons that name a model (search hits, the picker, the
 * comparison) select theirs; closing the card clears it. The card itself is a small request
 * to the server (components/stats_card.py): the id, and for your own model its record. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const CROWDED_PX = 8;   // models this close to the click are listed in the picker

  // What is drawn within CROWDED_PX of the clicked point on that chart, nearest first: the
  // catalogue's rows (numbers) and your own models' ids (strings). Dimmed points (while
  // searching) do not count: they answer no click.
  function neighbours(gd, point) {
    const xa = gd._fullLayout?.xaxis, ya = gd._fullLayout?.yaxis;
    if (!xa || !ya) return [point.customdata];
    const px = xa.d2p(point.x), py = ya.d2p(point.y);
    const near = new Map();
    for (const trace of gd.data) {
      const role = trace.meta?.role;
      if (!(role === "domain" || role === "matches" || role === "pinned" || role === "uploaded") ||
          trace.hoverinfo === "skip") continue;
      for (let i = 0; i < trace.customdata.length; i++) {
        const distance = Math.hypot(xa.d2p(trace.x[i]) - px, ya.d2p(trace.y[i]) - py);
        const row = trace.customdata[i];
        if (distance <= CROWDED_PX && !(near.get(row) <= distance)) near.set(row, distance);
      }
    }
    return [...near.entries()].sort((a, b) => a[1] - b[1]).map(([row]) => row);
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_selection = {
    // A click on a chart -> the selected model, or the picker of a crowded spot.
    fromClick: async function (...args) {
      const [uploaded, config] = args.splice(-2);
      const noUpdate = window.dash_clientside.no_update;
      const none = [noUpdate, noUpdate, noUpdate];
      const triggered = window.dash_clientside.callback_context.triggered;   // read before any await
      const click = triggered?.length ? triggered[0].value : null;
      const point = click && Array.isArray(click.points) ? click.points[0] : null;
      const clicked = point ? point.customdata : undefined;
      const own = (id) => typeof id === "string" && id.startsWith(config.uploadPrefix);
      if (!Number.isInteger(clicked) && !own(clicked)) return none;   // a reference line: nothing to open
      const graphId = triggered[0].prop_id.split(".")[0];
      const gd = document.querySelector(`#${CSS.escape(graphId)} .js-plotly-plot`);
      const dataset = await scalemap.dataset.load(config.dataset);
      if (Number.isInteger(clicked) && (clicked < 0 || clicked >= dataset.count)) return none;
      // Each model near the click as the button that opens it: the catalogue's by row, yours by id.
      const button = (key) => {
        if (Number.isInteger(key)) return key >= 0 && key < dataset.count ? scalemap.table.openButton(dataset, key) : null;
        const found = own(key) ? scalemap.overlay.find(uploaded, key) : null;
        return found ? scalemap.table.openButton(found.dataset, found.row, found.name) : null;
      };
      const near = gd ? neighbours(gd, point).filter((key) => button(key) !== null) : [];
      if (near.length <= 1) return [Number.isInteger(clicked) ? dataset.columns.id[clicked] : clicked, noUpdate, noUpdate];
      return [noUpdate, true, near.slice(0, 12).map(button)];
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

    clearOnClose: function (isOpen, selected) {
      return !isOpen && selected ? null : window.dash_clientside.no_update;
    },
  };
})();
