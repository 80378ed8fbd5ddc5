/* Your own models (components/upload.py): each file goes to the server once to be checked,
 * unless it is over the limit; what comes back stays in this tab (sessionStorage) among the
 * tab's other files, and is drawn, listed, searched and opened from here. The store holds a list
 * of checked files (a single one, as kept before, is read as a list of one). `overlaysOf` turns
 * them into Datasets like the main one, each with its file's name and marker. The file is checked
 * by a route of the server's (components/upload.py), not a Dash callback. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const made = new WeakMap();   // a stored file -> its Dataset
  // One marker per file, in the order the files came (the star is "your model"'s).
  const SYMBOLS = ["diamond", "square", "triangle-up", "pentagon", "hexagram", "triangle-down", "cross", "x",
                   "hourglass", "bowtie"];
  const GLYPHS = ["◆", "■", "▲", "⬟", "✶", "▼", "✚", "✖", "⧗", "⋈"];   // the same markers, in the list of files
  const BUSY_TRIES = 5;   // a busy server is asked again this many times before the page gives up

  const warned = new WeakSet();   // files of another contract, said once each
  // A file kept in this tab by an older app (another payload contract) is dropped, with a warning.
  const current = (file) => {
    if (file.payload.contract === scalemap.dataset.CONTRACT) return true;
    if (!warned.has(file)) {
      warned.add(file);
      console.warn(`Your file ${file.name} was checked by another version of the app: add it again to see it.`);
    }
    return false;
  };
  const filesOf = (uploaded) =>
    (Array.isArray(uploaded) ? uploaded : [uploaded]).filter((f) => f && typeof f === "object" && f.payload && current(f));

  // A file's marker: the one it was given when it came (kept when another file goes), or by place.
  const markerOf = (file, i) => (Number.isInteger(file.marker) ? file.marker : i) % SYMBOLS.length;

  // [{name, dataset, symbol}] for the tab's files, in the order they came.
  function overlaysOf(uploaded) {
    return filesOf(uploaded).map((file, i) => {
      if (!made.has(file)) made.set(file, scalemap.dataset.fromPayload(file.payload));
      return { name: String(file.name), dataset: made.get(file), symbol: SYMBOLS[markerOf(file, i)] };
    });
  }

  // The record (for its stats card) of one of your models, from whichever file holds it.
  function recordOf(uploaded, modelId) {
    for (const file of filesOf(uploaded)) {
      if (file.records && Object.hasOwn(file.records, modelId)) return file.records[modelId];
    }
    return null;
  }

  // Your model `modelId` as {dataset, row}, or null.
  function find(uploaded, modelId) {
    for (const overlay of overlaysOf(uploaded)) {
      const row = overlay.dataset.rowOfId.get(modelId);
      if (row !== undefined) return { dataset: overlay.dataset, row, name: overlay.name };
    }
    return null;
  }

  const span = (className, children) => ({ type: "Span", namespace: "dash_html_components", props: { className, children } });
  const plural = (n, word) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_overlay = {
    // A file dropped: refused at once if too big; otherwise sent to be checked (components/upload.py),
    // with the names and counts of the files the tab holds (never their models), so the server
    // knows what it replaces and how much room is left; the checked file joins the tab's files
    // in place of one of its name. "Busy" (503): the same file again after Retry-After, a few times.
    send: async function (contents, filename, uploaded, messageId, config) {
      const noUpdate = window.dash_clientside.no_update;
      if (typeof contents !== "string") return [noUpdate, noUpdate];
      // The file input forgets its file, so the same file, mended, can be chosen again (the
      // browser sends no change for a file it already holds).
      const input = document.querySelector(`#${CSS.escape(config.uploadId)} input[type=file]`);
      if (input) input.value = "";
      const base64 = contents.slice(contents.indexOf(",") + 1);
      const size = Math.floor(base64.length * 3 / 4);
      if (size > config.uploadLimit) {
        return [noUpdate, span("text-danger", `${filename}: ${Math.round(size / 1024).toLocaleString("en")} KB; ` +
                                              `files up to ${Math.round(config.uploadLimit / 1024)} KB can be added`)];
      }
      const body = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const held = filesOf(uploaded).map((f) => ({ name: String(f.name), count: f.count | 0 }));
      const url = `${config.uploadUrl}?name=${encodeURIComponent(filename)}`;
      const say = (children) => window.dash_clientside.set_props(messageId, { children });
      say(`${filename}: checking…`);
      for (let attempt = 0; ; attempt++) {
        let response, answer;
        try {
          response = await fetch(url, {
            method: "POST", body, credentials: "same-origin",
            headers: { "Content-Type": "application/octet-stream", "X-Held-Files": encodeURIComponent(JSON.stringify(held)) },
          });
          answer = await response.json();
        } catch (_error) {
          return [noUpdate, span("text-danger", `${filename}: the server could not be reached; drop the file again`)];
        }
        if (response.status === 503) {
          if (attempt >= BUSY_TRIES) {
            return [noUpdate, span("text-danger", `${filename}: the server is still busy checking other files; ` +
                                                  "drop the file again in a minute.")];
          }
          say(answer.message);
          const seconds = Number(response.headers.get("Retry-After")) || 3;
          // Spread out, so tabs turned away together do not come back together.
          await new Promise((done) => setTimeout(done, seconds * 1000 * (0.75 + Math.random() * 0.5)));
          continue;
        }
        const message = answer?.message ?? span("text-danger", `${filename}: the server answered ${response.status}`);
        const checked = answer?.document;
        if (!response.ok || !checked?.payload || !checked.count) return [noUpdate, message];   // nothing to keep
        const files = filesOf(uploaded);
        const earlier = files.findIndex((f) => f.name === checked.name);
        const taken = new Set(files.map(markerOf).filter((_m, i) => i !== earlier));
        const marker = earlier >= 0 ? markerOf(files[earlier], earlier) : SYMBOLS.findIndex((_s, m) => !taken.has(m));
        return [[...files.filter((_f, i) => i !== earlier), { ...checked, marker: Math.max(0, marker) }], message];
      }
    },

    // The tab's files, each with its count and a Remove button; "Remove my models" once any.
    listFiles: function (uploaded) {
      const files = filesOf(uploaded);
      const items = files.map((file, i) => ({
        type: "Li", namespace: "dash_html_components",
        props: { className: "d-flex align-items-center gap-2", children: [
          { type: "Span", namespace: "dash_html_components",
            props: { "aria-hidden": "true", children: GLYPHS[markerOf(file, i)] } },
          span("upload-file-name text-truncate", String(file.name)),
          span("text-muted text-nowrap", plural(file.count | 0, "model")),
          { type: "Button", namespace: "dash_html_components",
            props: { id: { type: "remove-file", index: String(file.name) }, className: "btn btn-link btn-sm p-0 ms-auto",
                     "aria-label": `Remove ${file.name}`, children: "Remove" } },
        ] },
      }));
      return [items, files.length ? {} : { display: "none" }];
    },

    // One file's Remove button: that file's models leave the map.
    removeFile: function (_clicks, uploaded) {
      const noUpdate = window.dash_clientside.no_update;
      const pressed = (window.dash_clientside.callback_context.triggered || []).find((t) => t.value);
      if (!pressed) return [noUpdate, noUpdate];   // the list was drawn again, nothing pressed
      let name;
      try {
        name = JSON.parse(pressed.prop_id.slice(0, pressed.prop_id.lastIndexOf("."))).index;
      } catch (_error) {
        return [noUpdate, noUpdate];
      }
      const files = filesOf(uploaded);
      const gone = files.find((f) => f.name === name);
      if (!gone) return [noUpdate, noUpdate];
      const left = files.filter((f) => f !== gone);
      return [left.length ? left : null, `${name} removed: its ${plural(gone.count | 0, "model")} left the map.`];
    },

    remove: (clicks) => (clicks ? [null, "Your files were removed: their models left the map."]
      : [window.dash_clientside.no_update, window.dash_clientside.no_update]),

    // A new message is brought into view (the drop zone may be far down the filter column, and
    // the file chooser may have moved the page); screen readers hear it through aria-live.
    reveal: function (_children, id, zoneId) {
      requestAnimationFrame(() => {
        const element = document.getElementById(id);
        if (!element?.textContent) return;
        const box = element.getBoundingClientRect();
        if (box.top >= 0 && box.bottom <= window.innerHeight) return;
        const zone = document.getElementById(zoneId);
        // The drop zone and the message's first lines together when they fit; else the message's top.
        const tall = box.height + (zone ? zone.offsetHeight : 0) > window.innerHeight * 0.8;
        (tall || !zone ? element : zone).scrollIntoView({ block: "start", behavior: "instant" });
      });
      return window.dash_clientside.no_update;
    },
  };

  // The list's glyph of a chart marker symbol (the one legend's swatch of a file), or undefined.
  const glyphOf = (symbol) => GLYPHS[SYMBOLS.indexOf(symbol)];

  scalemap.overlay = { filesOf, overlaysOf, recordOf, find, glyphOf };
})();
