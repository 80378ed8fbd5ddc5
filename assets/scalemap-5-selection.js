/* Which model's stats card is open: a click on a point selects it (its row in the dataset
 * travels as the point's customdata); closing the card clears it. The card itself is a small
 * request to the server (components/stats_card.py). */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_selection = {
    fromClick: async function (...args) {
      const config = args.pop();
      const noUpdate = window.dash_clientside.no_update;
      const triggered = window.dash_clientside.callback_context.triggered;   // read before any await
      const click = triggered && triggered.length ? triggered[0].value : null;
      const point = click && Array.isArray(click.points) ? click.points[0] : null;
      const row = point ? point.customdata : undefined;
      if (!Number.isInteger(row)) return noUpdate;   // a reference line: nothing to open
      const dataset = await scalemap.dataset.load(config.dataset);
      return row >= 0 && row < dataset.count ? dataset.columns.id[row] : noUpdate;
    },

    clearOnClose: function (isOpen, selected) {
      return !isOpen && selected ? null : window.dash_clientside.no_update;
    },
  };
})();
