/* The Cite box: the citation the server wrote, with this page's address and today's date
 * (components/model_page.py cite_templates: {url}, {accessed}, {accessed_iso}). */
(function () {
  "use strict";
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"];

  function fill(templates, now = new Date()) {
    if (!templates) return ["", ""];
    const url = `${window.location.origin}${window.location.pathname}`;
    const values = {
      url, accessed: `${now.getDate()} ${MONTHS[now.getMonth()]} ${now.getFullYear()}`,
      accessed_iso: `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-` +
        `${String(now.getDate()).padStart(2, "0")}`,
    };
    const put = (text) => text.replace(/\{(url|accessed|accessed_iso)\}/g, (_, key) => values[key]);
    return [put(templates.text), put(templates.bibtex)];
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_cite = { fill: (templates) => fill(templates) };
})();
