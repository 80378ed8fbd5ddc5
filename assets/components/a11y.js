/* Accessibility fixes for markup this app does not write (Dash's and Plotly's components): names
 * for inputs that have none, no focusable element hidden from screen readers, and the charts'
 * modebar buttons out of the Tab order (four charts × ten buttons stood between the filters and
 * the table; the same exports are buttons in the Sources & download tab). Applied as the
 * components appear; tests/browser/test_accessibility.py runs axe-core over the page. */
(function () {
  "use strict";
  const NAMES = [   // [selector, accessible name]
    ["#year-filter .dash-range-slider-min-input", "First publication year"],
    ["#year-filter .dash-range-slider-max-input", "Last publication year"],
    ["#upload input[type=file]", "Your own models: a YAML or CSV file"],
  ];

  function fix(root) {
    for (const [selector, name] of NAMES) {
      for (const input of root.querySelectorAll(selector)) {
        if (!input.hasAttribute("aria-label")) input.setAttribute("aria-label", name);
      }
    }
    // Dash's dropdown takes the keyboard's focus on an input it hides from screen readers: the
    // input is named after the dropdown's label and shown to them instead.
    for (const target of root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden]")) {
      const button = target.parentElement?.querySelector("button.dash-dropdown[id]");
      const label = button && document.querySelector(`label[for="${CSS.escape(button.id)}"]`);
      target.removeAttribute("aria-hidden");
      target.setAttribute("aria-label", label ? label.textContent : "Choose");
    }
    for (const button of root.querySelectorAll(".modebar-btn:not([tabindex='-1'])")) button.setAttribute("tabindex", "-1");
  }

  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(() => {
      queued = false;
      fix(document);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
