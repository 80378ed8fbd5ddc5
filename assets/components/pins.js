/* Pinned models (compared side by side, ringed on the charts): pinned from a stats card or a
 * table row's checkbox, unpinned from the comparison; at most maxPins (scalemap/contract/view.py MAX_PINS),
 * in the URL as pin=… The comparison itself is drawn by the server (components/pinned_comparison.py). */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const ids = (pins) => (Array.isArray(pins) ? pins.filter((p) => typeof p === "string") : []);
  const sameList = (a, b) => a.length === b.length && a.every((value, i) => value === b[i]);

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_pins = {
    toggleFromCard: function (clicks, selected, pins, config) {
      const noUpdate = window.dash_clientside.no_update;
      const current = ids(pins);
      if (!clicks || typeof selected !== "string" || !selected) return noUpdate;
      if (current.includes(selected)) return current.filter((p) => p !== selected);
      return current.length < config.view.maxPins ? [...current, selected] : noUpdate;
    },

    pinButton: function (selected, pins, config) {
      const current = ids(pins);
      if (current.includes(selected)) return ["Unpin", false];
      if (current.length >= config.view.maxPins) return [`${config.view.maxPins} models pinned: unpin one first`, true];
      return [current.length ? `Pin to compare (${current.length} pinned)` : "Pin to compare", false];
    },

    // The table's ticked rows -> the pins: newly ticked ones join the end, in order.
    fromTable: function (rows, pins, config) {
      const noUpdate = window.dash_clientside.no_update;
      if (!Array.isArray(rows)) return noUpdate;   // {ids: …}: what toTable() just asked the grid for
      const ticked = rows.map((r) => r?.id).filter((id) => typeof id === "string");
      const current = ids(pins);
      if (sameList([...ticked].sort(), [...current].sort())) return noUpdate;
      const next = [...current.filter((p) => ticked.includes(p)), ...ticked.filter((id) => !current.includes(id))]
        .slice(0, config.view.maxPins);
      return sameList(next, current) ? noUpdate : next;
    },

    // The pins -> the table's ticks (a fifth tick is taken back).
    toTable: function (pins, rows) {
      const noUpdate = window.dash_clientside.no_update;
      const ticked = Array.isArray(rows) ? rows.map((r) => r?.id) : [];
      const current = ids(pins);
      return sameList([...ticked].sort(), [...current].sort()) ? noUpdate : { ids: current };
    },

    unpin: function (_clicks, pins) {
      const noUpdate = window.dash_clientside.no_update;
      const triggered = window.dash_clientside.callback_context.triggered || [];
      const pressed = triggered.find((t) => t.value);
      if (!pressed) return noUpdate;
      try {
        const id = JSON.parse(pressed.prop_id.slice(0, pressed.prop_id.lastIndexOf("."))).index;
        return ids(pins).filter((p) => p !== id);
      } catch (_error) {
        return noUpdate;
      }
    },

    // What the comparison asks the server: the pins and, for your own pinned models (the server
    // never kept them), their records alone, never every uploaded file.
    comparisonRequest: function (pins, uploaded) {
      const current = ids(pins);
      const records = {};
      for (const id of current) {
        const record = scalemap.overlay.recordOf(uploaded, id);
        if (record) records[id] = record;
      }
      return { pins: current, records };
    },

    // A search hit's Pin button -> that model pinned, or unpinned if it was.
    fromHit: function (_clicks, pins, config) {
      const noUpdate = window.dash_clientside.no_update;
      const triggered = window.dash_clientside.callback_context.triggered || [];
      const pressed = triggered.find((t) => t.value);
      if (!pressed) return noUpdate;
      let id;
      try {
        id = JSON.parse(pressed.prop_id.slice(0, pressed.prop_id.lastIndexOf("."))).index;
      } catch (_error) {
        return noUpdate;
      }
      const current = ids(pins);
      if (current.includes(id)) return current.filter((p) => p !== id);
      return current.length < config.view.maxPins ? [...current, id] : noUpdate;
    },

    unpinAll: function (clicks) {
      return clicks ? [] : window.dash_clientside.no_update;
    },
  };
})();
