/* Which model's stats card is open. A click on a point selects it (its row in the dataset
 * travels as the point's customdata); where other models lie within a few pixels of it, a
 * picker lists them all instead. Buttons that name a model (search hits, the picker, the
 * comparison) select theirs; closing the card clears it. The card itself is a small request
 * to the server (components/stats_card.py): the id, and for your own model its record. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const CROWDED_PX = 8;   // models this close to the click are listed in the picker

  // Rows drawn within CROWDED_PX of the clicked point on that chart, nearest first. Dimmed
  // points (while searching) do not count: they answer no click.
  function neighbours(gd, point) {
    const xa = gd._fullLayout?.xaxis, ya = gd._fullLayout?.yaxis;
    if (!xa || !ya) return [point.customdata];
    const px = xa.d2p(point.x), py = ya.d2p(point.y);
    const near = new Map();
    for (const trace of gd.data) {
      const role = trace.meta?.role;
      if (!(role === "domain" || role === "matches" || role === "pinned") || trace.hoverinfo === "skip") continue;
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
    // A click on a chart ({graph: its element's id, points}, assets/components/painter.js) ->
    // the selected model, or the picker of a crowded spot.
    fromClick: async function (click, config) {
      const noUpdate = window.dash_clientside.no_update;
      const none = [noUpdate, noUpdate, noUpdate];
      const point = click && Array.isArray(click.points) ? click.points[0] : null;
      const row = point ? point.customdata : undefined;
      if (typeof row === "string" && row.startsWith(config.uploadPrefix)) return [row, noUpdate, noUpdate];   // your own
      if (!Number.isInteger(row) || typeof click.graph !== "string") return none;   // a reference line: nothing to open
      const gd = document.querySelector(`#${CSS.escape(click.graph)} .js-plotly-plot`);
      const dataset = await scalemap.dataset.load(config.dataset);
      if (row < 0 || row >= dataset.count) return none;
      const rows = gd ? neighbours(gd, point).filter((r) => Number.isInteger(r) && r >= 0 && r < dataset.count) : [];
      if (rows.length <= 1) return [dataset.columns.id[row], noUpdate, noUpdate];
      const buttons = rows.slice(0, 12).map((r) => scalemap.table.openButton(dataset, r));
      return [noUpdate, true, buttons];
    },

    // The stats card's request: the model's id and, for one of your own (the server never kept
    // it), that model's record alone, never the whole uploaded file.
    cardRequest: function (modelId, uploaded, config) {
      if (typeof modelId !== "string" || !modelId) return null;
      if (!config || !modelId.startsWith(config.uploadPrefix)) return { id: modelId };
      const records = uploaded && typeof uploaded === "object" ? uploaded.records : null;
      const record = records && Object.hasOwn(records, modelId) ? records[modelId] : null;
      return { id: modelId, record };
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
