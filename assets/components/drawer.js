/* The filter drawer below 992 px (components/filters.py make_filter_drawer): Bootstrap's
 * .offcanvas-lg does the layout and the slide, a `show` class opens it; Bootstrap's own
 * script is not loaded, so opening, closing, Escape and focus are done here. */
(function () {
  "use strict";
  const OPEN = "filters-open", CLOSE = "filters-close", DRAWER = "filter-drawer";

  // After the drawer opens, its close button takes the focus; after it closes, the button
  // that opened it gets it back (where that button is shown).
  function moveFocus(opened) {
    window.requestAnimationFrame(() => {
      const target = document.getElementById(opened ? CLOSE : OPEN);
      if (target && target.offsetParent !== null) target.focus({ preventScroll: true });
    });
  }

  // Escape closes the open drawer, as Bootstrap's offcanvas does.
  document.addEventListener("keydown", (event) => {
    const drawer = document.getElementById(DRAWER);
    if (event.key === "Escape" && drawer && drawer.classList.contains("show")) {
      document.getElementById(CLOSE).click();
    }
  });

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_drawer = {
    // The Filters button, the close button or the shade -> the drawer's classes, the shade hidden or not.
    toggle: function (_open, _close, _shade, className) {
      const triggered = window.dash_clientside.callback_context.triggered_id;
      const opened = triggered === OPEN;
      const classes = (className || "").split(/\s+/).filter((c) => c && c !== "show");
      if (opened) classes.push("show");
      document.body.classList.toggle("filter-drawer-open", opened);   // the page behind does not scroll
      moveFocus(opened);
      return [classes.join(" "), !opened];
    },
  };
})();
