/* Dash serves @babel/polyfill 7 (core-js 2) before everything else. It swaps the browser's
 * own String.prototype.trim and parseInt for slower script versions (it still counts U+180E
 * as white space, as ES5 did), and Plotly calls both for every colour it parses: measured
 * here, a redraw of the three charts took a third longer with them. The browser's own are
 * the current standard; take them back from a fresh frame. */
(function () {
  "use strict";
  const frame = document.createElement("iframe");
  frame.style.display = "none";
  document.body.appendChild(frame);
  const native = frame.contentWindow;
  String.prototype.trim = native.String.prototype.trim;   // eslint-disable-line no-extend-native
  window.parseInt = Number.parseInt = native.parseInt;
  frame.remove();
})();
