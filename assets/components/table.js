/* The models table (dash-ag-grid, components/models_table.py): every model of the view,
 * numbers or not. Its rows are made once from the dataset; a view change only re-runs the
 * grid's external filter (the same filter and search as the charts, and a box selection on a
 * chart). A row opens its stats card by click or Enter; hovering a row rings its model on
 * every chart; a row's checkbox pins it for comparison. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
  const units = () => scalemap.units;
  const blank = (value) => value === null || value === undefined;

  // Cell formats, named in the column definitions: the cell shows human units, sorts by value.
  dagfuncs.scalemapCount = (params) => (blank(params.value) ? "" : units().formatCount(params.value));
  dagfuncs.scalemapFlop = (params) => (blank(params.value) ? "" : units().formatFlop(params.value));
  dagfuncs.scalemapData = (params) =>
    blank(params.value) ? "" : `${units().formatCount(params.value)} ${params.data.dataUnit}`;
  dagfuncs.scalemapUsd = (params) =>
    blank(params.value) ? "" : `$${units().formatCount(params.value)}` +
      (params.data.costYear ? ` (${params.data.costYear} USD)` : "") +
      (params.data.costCovers === "fine-tuning" ? " (a fine-tune)" : "");

  // The grid's external filter: the rows the view keeps (null before the first view).
  let keep = null, shownOverlays = [];
  dagfuncs.scalemapFiltering = () => keep !== null;
  dagfuncs.scalemapKeeps = (node) => keep[node.data.row] === 1;

  // One row object per model; `offset` numbers the rows of your own models after the dataset's
  // (a file's offset changes when a file before it is removed).
  const rowsByDataset = new WeakMap();
  function tableRows(dataset, offset = 0) {
    const made = rowsByDataset.get(dataset);
    if (made && made.offset === offset) return made.rows;
    const c = dataset.columns, names = dataset.names;
    const code = (column, row) => dataset.code(column, row) ?? "";
    const headline = [names.parameters_confidence, names.training_compute_confidence];
    const confidence = (row) => {   // the less sure of the two headline numbers
      const values = headline.map((column) => code(column, row));
      return ["speculative", "likely", "confident"].find((v) => values.includes(v)) || "";
    };
    const rows = new Array(dataset.count);
    for (let row = 0; row < dataset.count; row++) {
      rows[row] = {
        row: row + offset, id: c.id[row], name: c.name[row], organization: code(names.organization, row),
        date: dataset.dateLabel(row), domains: dataset.domainsLabel(row),
        parameters: c.parameters[row], activeParameters: c.active_parameters[row],
        compute: c.training_compute[row], data: c.training_data[row], dataUnit: code(names.training_data_unit, row),
        computeRange: units().formatRange(c.training_compute_low[row], c.training_compute_high[row], "flop"),
        cost: c.training_cost[row], costYear: c.training_cost_year[row],
        costCovers: code(names.training_cost_covers, row),
        accessibility: code(names.accessibility, row), confidence: confidence(row),
      };
    }
    rowsByDataset.set(dataset, { offset, rows });
    return rows;
  }

  // Search hits over the catalogue and your files, best first: exact name, then names that start
  // with the text, then names that contain it, then alias or organization matches; newer first
  // within each, the catalogue's first on a tie. [{dataset, row}]
  function rankedHits(sources, view) {
    const text = view.search.trim().toLowerCase();
    if (!text) return [];
    const hits = [];
    sources.forEach(({ dataset, keep: keepRows, found }, source) => {
      const names = dataset.columns.name, days = dataset.columns.day;
      for (let row = 0; row < dataset.count; row++) {
        if (!keepRows[row] || !found[row]) continue;
        const name = names[row].toLowerCase();
        const rank = name === text ? 0 : name.startsWith(text) ? 1 : name.includes(text) ? 2 : 3;
        hits.push({ rank, day: -days[row], source, row, dataset });
      }
    });
    hits.sort((a, b) => a.rank - b.rank || a.day - b.day || a.source - b.source || a.row - b.row);
    return hits;
  }

  // The catalogue and each of your files' datasets, as rankedHits reads them, for a view.
  const searched = (dataset, owns, view) =>
    [dataset, ...owns].map((d) => ({ dataset: d, keep: d.filter(view), found: d.matches(view.search) }));

  // One line saying what the charts know of a model.
  function plotsLine(dataset, row) {
    const c = dataset.columns;
    const parts = [];
    if (c.parameters[row] > 0) parts.push(`${units().formatCount(c.parameters[row])} parameters`);
    if (c.training_compute[row] > 0) parts.push(units().formatFlop(c.training_compute[row]));
    return parts.length ? parts.join(" · ") : "no parameters or compute published: on no chart";
  }

  // A button that opens a model's card (components/ids.open_model), as Dash renders it; one of
  // your own says which file it is from.
  function openButton(dataset, row, file = null) {
    const c = dataset.columns;
    const year = scalemap.dataset.yearOfDay(c.day[row]);
    return {
      type: "Button", namespace: "dash_html_components",
      props: {
        id: { type: "open-model", index: c.id[row] }, className: "list-group-item list-group-item-action small",
        children: [{ type: "Strong", namespace: "dash_html_components", props: { children: c.name[row] } },
                   ` · ${year} · ${plotsLine(dataset, row)}${file === null ? "" : ` · your file ${file}`}`],
      },
    };
  }

  // A search hit: the button that opens its card (one of your own says its file), and one that
  // pins it (or unpins it) for the comparison, so that pinning from the search needs neither the
  // card nor the table.
  function hitItem(dataset, row, pins, maxPins, file = null) {
    const id = dataset.columns.id[row], name = dataset.columns.name[row];
    const pinned = pins.includes(id), full = !pinned && pins.length >= maxPins;
    const open = openButton(dataset, row, file);
    open.props.className = "btn btn-link search-hit-open small text-start p-0";
    const pin = {
      type: "Button", namespace: "dash_html_components",
      props: { id: { type: "pin-model", index: id }, className: "btn btn-sm btn-outline-dark search-hit-pin",
               disabled: full, "aria-pressed": pinned ? "true" : "false",
               title: full ? `${maxPins} models pinned: unpin one first` : pinned ? `Unpin ${name}` : `Pin ${name} to compare`,
               "aria-label": pinned ? `Unpin ${name}` : `Pin ${name} to compare`, children: pinned ? "Pinned ✓" : "Pin" },
    };
    return { type: "Div", namespace: "dash_html_components",
             props: { className: "list-group-item search-hit", role: "listitem", children: [open, pin] } };
  }

  // Hovering a table row: its model's name, with an orange arrow, on every chart that shows it
  // (an annotation added to the drawn chart; the next redraw removes it).
  const HOVER_NOTE = { name: "hover", showarrow: true, arrowhead: 2, arrowwidth: 2.5, arrowcolor: "#E69F00",
                       ax: 0, ay: -44, standoff: 6, bgcolor: "#FFFFFF", bordercolor: "#E69F00", borderwidth: 2,
                       borderpad: 3, font: { size: 12, color: "#000000" } };
  function highlight(dataset, row) {
    for (const gd of document.querySelectorAll(".chart .js-plotly-plot")) {
      const spec = gd.layout?.meta?.chart;
      if (!spec || !gd._fullLayout) continue;
      const notes = (gd.layout.annotations || []).filter((note) => note.name !== "hover");
      const points = row === null ? null : scalemap.charts.plottable(dataset, spec);
      const i = points ? points.rows.indexOf(row) : -1;
      if (i >= 0) {
        notes.push({ ...HOVER_NOTE, text: scalemap.dataset.escapeHtml(dataset.columns.name[row]),
                     x: scalemap.charts.onX(spec, points.x[i]), y: scalemap.charts.onY(spec, points.y[i]) });
      } else if (notes.length === (gd.layout.annotations || []).length) {
        continue;   // nothing to add, nothing to take away
      }
      window.Plotly.react(gd, gd.data, { ...gd.layout, annotations: notes });   // (a relayout recalculates the points)
    }
  }

  // The grid is given its rows and re-filters after the charts have painted, and only while it
  // is near the screen (the charts' rule, assets/components/painter.js): off the screen it
  // waits, aria-busy (its rows hidden by assets/style.css, its header still in the Tab order)
  // until it comes near or takes the focus. `rows` makes the rows when the grid needs (new)
  // ones: 100,000 row objects are made when the table is seen.
  const grids = new Map();   // grid id -> {el, near, stale, rows}
  function refilter(gridId, rows) {
    if (!grids.has(gridId)) grids.set(gridId, { el: null, near: false, stale: false, rows: null });
    const grid = grids.get(gridId);
    grid.stale = true;
    if (rows) grid.rows = rows;
    follow(gridId);
  }

  // Watch the grid's element (AG Grid makes it once its code has loaded: attach() calls again),
  // and filter now if it is near, or hide it until it is.
  function follow(gridId) {
    const grid = grids.get(gridId), el = document.getElementById(gridId);
    if (!grid || !el) return;
    if (grid.el !== el) {
      grid.el = el;
      grid.near = scalemap.painter.onScreen(el);
      new IntersectionObserver(([entry]) => {
        grid.near = entry.isIntersecting;
        if (grid.near && grid.stale) scalemap.painter.afterPaint(() => filterNow(gridId, grid));
      }, { rootMargin: scalemap.painter.NEAR }).observe(el);
      el.addEventListener("focusin", () => filterNow(gridId, grid));   // a Tab into it: at once
    }
    if (!grid.stale) return;
    if (grid.near) scalemap.painter.afterPaint(() => filterNow(gridId, grid));
    else el.setAttribute("aria-busy", "true");
  }

  function filterNow(gridId, grid) {
    if (!grid.stale) return;
    if (grid.rows) {   // new rows: the grid filters them by `keep` as it takes them
      window.dash_clientside.set_props(gridId, { rowData: grid.rows() });
      grid.rows = null;
    } else {
      try {
        window.dash_ag_grid.getApi(gridId).onFilterChanged();
      } catch (_error) {   // not made yet: it filters by `keep` when it is
      }
    }
    grid.stale = false;
    grid.el.removeAttribute("aria-busy");
  }

  // On a phone the table shows what fits its width: name, date, parameters and compute (pinning
  // is on the stats card there).
  const PHONE_COLUMNS = { name: ["Model", 112], date: ["Date", 84], parameters: ["Params", 60], compute: ["Compute", 84] };
  function fitPhone(api) {
    if (!window.matchMedia("(max-width: 767.98px)").matches) return;
    api.setGridOption("columnDefs", api.getColumnDefs().filter((def) => def.field in PHONE_COLUMNS).map((def) => ({
      ...def, pinned: null, minWidth: 40, width: PHONE_COLUMNS[def.field][1], headerName: PHONE_COLUMNS[def.field][0],
    })));
    api.setGridOption("rowSelection", { ...api.getGridOption("rowSelection"), checkboxes: false });
  }

  const attached = new Set();
  function attach(gridId, dataset) {
    if (attached.has(gridId) || !window.dash_ag_grid) return;
    attached.add(gridId);
    window.dash_ag_grid.getApiAsync(gridId).then((api) => {
      fitPhone(api);
      let hovered = null;
      api.addEventListener("cellKeyDown", (event) => {
        if (event.event && event.event.key === "Enter" && event.data) {
          window.dash_clientside.set_props(event.context.selectedStore, { data: event.data.id });
        }
      });
      api.addEventListener("cellMouseOver", (event) => {
        if (event.data && event.data.row !== hovered) highlight(dataset, (hovered = event.data.row));
      });
      api.addEventListener("cellMouseOut", (event) => {
        const to = event.event?.relatedTarget;
        if (!(to?.closest?.(".ag-row"))) highlight(dataset, (hovered = null));
      });
      api.onFilterChanged();
      follow(gridId);
    });
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_table = {
    // The view's controls but the selected model (components/url_state.CONTROLS), the chart
    // selection, then the selected model, config and the grid id -> the table's summary, the
    // search hits. The grid's rows and filter follow when it is near the screen (refilter).
    update: async function (...args) {
      const [selection, uploaded, selected, config, gridId] = args.splice(-5);
      args.push(selected);
      const files = scalemap.overlay.overlaysOf(uploaded);
      const overlays = files.map((o) => o.dataset);
      const noUpdate = window.dash_clientside.no_update;
      if (scalemap.view.onlyPageChanged()) return [noUpdate, noUpdate];   // the tab or the story
      const dataset = await scalemap.dataset.load(config.dataset);
      const view = scalemap.view.fromControls(args, dataset.yearBounds, config.view);
      const filtered = dataset.filter(view);
      const found = dataset.matches(view.search);
      const chosen = Array.isArray(selection) ? new Set(selection) : null;
      const next = new Uint8Array(overlays.reduce((total, own) => total + own.count, dataset.count));
      let shown = 0;
      for (let row = 0; row < dataset.count; row++) {
        next[row] = filtered[row] && (!view.search.trim() || found[row]) && (!chosen || chosen.has(row)) ? 1 : 0;
        shown += next[row];
      }
      let offset = dataset.count;
      for (const own of overlays) {   // your own models: the same filters and search; a chart selection holds none
        const ownKept = own.filter(view), ownFound = own.matches(view.search);
        for (let row = 0; row < own.count; row++) {
          next[offset + row] = ownKept[row] && (!view.search.trim() || ownFound[row]) && !chosen ? 1 : 0;
          shown += next[offset + row];
        }
        offset += own.count;
      }
      const first = keep === null || overlays.length !== shownOverlays.length ||
        overlays.some((own, i) => own !== shownOverlays[i]);
      shownOverlays = overlays;
      keep = next;
      refilter(gridId, first && (() => {   // the catalogue's rows, then each of your files'
        let rows = tableRows(dataset), at = dataset.count;
        for (const own of overlays) {
          rows = rows.concat(tableRows(own, at));
          at += own.count;
        }
        return rows;
      }));
      attach(gridId, dataset);
      const because = [view.search.trim() ? `matching “${view.search.trim()}”` : "",
                       chosen ? `${chosen.size} selected on a chart (double-click the chart to clear)` : ""]
        .filter(Boolean);
      const summary = `${shown} ${shown === 1 ? "model" : "models"} in the table` +
        (because.length ? `: ${because.join(", ")}` : "");
      const hits = rankedHits(searched(dataset, overlays, view), view);
      const fileOf = new Map(files.map((o) => [o.dataset, o.name]));
      const list = hits.slice(0, 6).map((hit) => hitItem(hit.dataset, hit.row, view.pins, config.view.maxPins,
                                                         fileOf.get(hit.dataset) ?? null));
      const more = hits.length > 6 ? [{ type: "Div", namespace: "dash_html_components",
        props: { className: "small text-muted px-2", children: `${hits.length - 6} more in the table` } }] : [];
      return [summary, [...list, ...more]];
    },

    // Enter in the search box: the best match's card, the catalogue's or one of your own.
    openTopMatch: async function (submits, ...controls) {
      const [uploaded, config] = controls.splice(-2);
      // The search as typed: Enter may come before the box has told Dash (painter.js typed()).
      const args = scalemap.painter.asTyped([submits, ...controls], window.dash_clientside.callback_context).slice(1);
      const noUpdate = window.dash_clientside.no_update;
      if (!submits) return noUpdate;
      const dataset = await scalemap.dataset.load(config.dataset);
      const view = scalemap.view.fromControls(args, dataset.yearBounds, config.view);
      const overlays = scalemap.overlay.overlaysOf(uploaded).map((o) => o.dataset);
      const hits = rankedHits(searched(dataset, overlays, view), view);
      return hits.length ? hits[0].dataset.columns.id[hits[0].row] : noUpdate;
    },

    // A click on a table cell (not the pin checkbox): its model's card.
    fromCell: function (cell) {
      const noUpdate = window.dash_clientside.no_update;
      if (!cell || typeof cell.rowId !== "string" || cell.colId === "ag-Grid-SelectionColumn") return noUpdate;
      return cell.rowId;
    },
  };

  scalemap.table = { tableRows, rankedHits, plotsLine, openButton, hitItem, highlight };
})();
