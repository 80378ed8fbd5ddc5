/* The main area's tabs (components/tabs.py): a click, the arrow keys (Home, End) or a skip link
 * chooses the tab; the tab shown is a class on the main area (CSS shows its panel), so a tab
 * change redraws nothing. The tab is part of the view, in the link (tab=table). */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const TAB_STORE = "tab";
  const tabButtons = () => [...document.querySelectorAll('#tab-bar [role="tab"]')];

  function choose(key, focusPanel) {
    window.dash_clientside.set_props(TAB_STORE, { data: key });
    if (focusPanel) focusWhenShown(key, 120);
  }

  // A skip link: the panel (the table's first header cell) takes the focus once it is shown.
  function focusWhenShown(key, frames) {
    const panel = document.getElementById(`panel-${key}`);
    const shown = panel && panel.offsetParent !== null;
    const target = shown && (key === "table" ? panel.querySelector(".ag-header-cell") : panel);
    if (target) target.focus();
    else if (frames > 0) window.requestAnimationFrame(() => focusWhenShown(key, frames - 1));
  }

  // WAI-ARIA tabs: the arrow keys move between the tabs and show the one reached.
  document.addEventListener("keydown", (event) => {
    const tab = event.target.closest?.('#tab-bar [role="tab"]');
    if (!tab) return;
    const tabs = tabButtons(), at = tabs.indexOf(tab);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length];
    next.focus();
    choose(next.dataset.tab, false);
  });

  // A skip link to a panel opens its tab first.
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a.skip-link[data-tab]");
    if (!link) return;
    event.preventDefault();
    choose(link.dataset.tab, true);
  });

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_tabs = {
    // A tab's button -> the tab shown.
    fromButtons: function (..._clicks) {
      const triggered = window.dash_clientside.callback_context.triggered_id;
      return typeof triggered === "string" && triggered.startsWith("tab-") ? triggered.slice(4)
        : window.dash_clientside.no_update;
    },

    // The tab shown -> the main area's class and the tab buttons' ARIA state. (The tab is a
    // control of the view: the charts' draw() writes it into the link.)
    show: function (tab, className) {
      const key = typeof tab === "string" && tabButtons().some((b) => b.dataset.tab === tab) ? tab : "charts";
      for (const button of tabButtons()) {
        const chosen = button.dataset.tab === key;
        button.setAttribute("aria-selected", chosen ? "true" : "false");
        button.tabIndex = chosen ? 0 : -1;
        button.classList.toggle("active", chosen);
      }
      const classes = (className || "").split(/\s+/).filter((c) => c && !c.startsWith("at-"));
      return [...classes, `at-${key}`].join(" ");
    },

    compareLabel: function (pins) {
      const count = Array.isArray(pins) ? pins.length : 0;
      return count ? `Compare (${count})` : "Compare";
    },
  };

  scalemap.tabs = { choose };
})();
