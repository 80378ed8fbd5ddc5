/* The "Embed" button: the <iframe> code for one chart of the view the address bar holds
 * (/embed takes the same query, plus chart=). components/embed.py wires it. */
(function () {
  "use strict";
  const attribute = (text) => String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

  // The embed's address for this page's view and a chart key.
  // With the data version it was made with (v=, as Copy link's): its reader learns what changed.
  function embedUrl(location, chart, dataVersion = "", versionKey = "v") {
    const params = new URLSearchParams(location.search);
    for (const key of ["chart", "model", versionKey]) params.delete(key);   // an embed opens no stats card
    params.append("chart", chart);
    if (dataVersion) params.append(versionKey, dataVersion);
    return `${location.origin}${location.pathname.replace(/[^/]*$/, "")}embed?${params.toString()}`;
  }

  function iframeCode(url, title) {
    return `<iframe src="${attribute(url)}" title="${attribute(title)}" width="100%" height="560" ` +
      `style="border: 0; max-width: 900px" loading="lazy"></iframe>`;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_embed = {
    // The button opens and closes the panel; the chart or the view changing rewrites the code.
    // Arguments: the button's clicks, the chart, the URL's query (its changes), the panel's state,
    // the page config (the data version).
    code: function (_clicks, chart, _search, isOpen, config) {
      const triggered = (window.dash_clientside.callback_context.triggered || []).map((t) => t.prop_id);
      const open = triggered.includes("embed-button.n_clicks") ? !isOpen : Boolean(isOpen);
      const url = embedUrl(window.location, chart || "compute-vs-date", config?.dataVersion, config?.view.versionKey);
      return [iframeCode(url, "A chart of ML Scale Map"), open];
    },
  };
  window.scalemap = window.scalemap || {};
  window.scalemap.embed = { embedUrl, iframeCode };
})();
