/* "Your model" (the estimator's result, components/estimator.py): where it sits among the models
 * of the view, in words; a shared link's model shown in the estimator's fields; removal. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});

  // "between A and B in training compute; ×3.2 the compute of A": the models of the view just
  // below and just above the value in `column`.
  function neighbours(dataset, keep, column, value, what) {
    const values = dataset.columns[column], names = dataset.columns.name;
    let below = -1, above = -1;
    for (let row = 0; row < dataset.count; row++) {
      const v = values[row];
      if (!keep[row] || !(v > 0)) continue;
      if (v <= value && (below < 0 || v > values[below])) below = row;
      if (v > value && (above < 0 || v < values[above])) above = row;
    }
    const format = dataset.numbers[column].unit === "flop" ? scalemap.units.formatFlop : scalemap.units.formatCount;
    const ratio = (row) => {
      const r = value / values[row];
      return r >= 10 ? Math.round(r).toLocaleString("en") : r.toPrecision(2);
    };
    if (below < 0 && above < 0) return null;
    if (below < 0) return `below every model shown in ${what} (${names[above]}: ${format(values[above])})`;
    if (above < 0) return `above every model shown in ${what}: ×${ratio(below)} the ${what} of ${names[below]}`;
    return `between ${names[below]} and ${names[above]} in ${what}; ×${ratio(below)} the ${what} of ${names[below]}`;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_mine = {
    remove: (clicks) => (clicks ? null : window.dash_clientside.no_update),

    compare: async function (...args) {
      const [selected, config] = args.splice(-2);
      const dataset = await scalemap.dataset.load(config.dataset);
      const view = scalemap.view.fromControls([...args, selected], dataset.yearBounds, config.view);
      if (!view.mine) return "";
      const keep = dataset.filter(view);
      const parts = [], names = dataset.names;
      if (view.mine.compute) parts.push(neighbours(dataset, keep, names.training_compute, Number(view.mine.compute), "compute"));
      if (view.mine.parameters) parts.push(neighbours(dataset, keep, names.parameters, Number(view.mine.parameters), "parameters"));
      // "Name: between A and B in compute. Between C and D in parameters." (each sentence capitalised)
      const said = parts.filter(Boolean).map((part, i) => (i ? part[0].toUpperCase() + part.slice(1) : part));
      return said.length ? `${view.mine.name}: ${said.join(". ")}.` : "";
    },

    // A shared link's model -> the estimator's fields it holds (name, date, N, D, chips, days), once:
    // fields the user has filled are left alone.
    fill: function (mine, name) {
      const noUpdate = window.dash_clientside.no_update;
      const fields = ["name", "date", "parameters", "tokens", "chips", "days"];
      if (!mine || typeof mine !== "object" || name) return fields.map(() => noUpdate);
      return fields.map((field) => mine[field] || noUpdate);
    },
  };

  scalemap.mine = { neighbours };
})();
