/* Your own models (components/upload.py): the file goes to the server once to be checked,
 * unless it is over the limit; what comes back stays in this tab (sessionStorage) and is drawn,
 * listed and opened from here. `overlayOf` turns it into a Dataset like the main one. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const made = new WeakMap();   // the stored document -> its Dataset

  function overlayOf(uploaded) {
    if (!uploaded || typeof uploaded !== "object" || !uploaded.payload) return null;
    if (uploaded.payload.contract !== scalemap.dataset.CONTRACT) {   // kept in this tab from an older app
      console.warn("Your file was checked by another version of the app: add it again to see it.");
      return null;
    }
    if (!made.has(uploaded)) made.set(uploaded, scalemap.dataset.fromPayload(uploaded.payload));
    return made.get(uploaded);
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_overlay = {
    request: function (contents, filename, config) {
      const noUpdate = window.dash_clientside.no_update;
      if (typeof contents !== "string") return [noUpdate, noUpdate];
      const bytes = Math.floor((contents.length - contents.indexOf(",") - 1) * 3 / 4);
      if (bytes > config.uploadLimit) {
        const text = `${filename}: ${Math.round(bytes / 1024).toLocaleString("en")} KB; files up to ` +
                     `${Math.round(config.uploadLimit / 1024)} KB can be added`;
        return [noUpdate, { type: "Span", namespace: "dash_html_components",
                            props: { className: "text-danger", children: text } }];
      }
      return [{ filename, contents }, "Checking…"];
    },

    remove: (clicks) => (clicks ? [null, ""] : [window.dash_clientside.no_update, window.dash_clientside.no_update]),
  };

  scalemap.overlay = { overlayOf };
})();
