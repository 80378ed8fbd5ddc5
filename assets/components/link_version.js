/* A shared link's data version (components/link_version.py): links carry `v=<data version>`
 * (Copy link, the Embed code: linkWithVersion); a link made with older data opens on today's
 * data with a quiet note of how many numbers of its view changed since. The server lists the
 * changes (/api/changes-since/<version>); the note counts those among the view's models. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const answers = new Map();   // version -> the server's answer (a promise), asked once a page

  // This page's address with v= set to the data version it shows (last, so the view's own
  // parameters read first), or without v= when the data has no citable version.
  function linkWithVersion(location, dataVersion, key) {
    const params = new URLSearchParams(location.search);
    params.delete(key);
    if (dataVersion) params.append(key, dataVersion);
    const query = params.toString();
    return `${location.origin}${location.pathname}${query ? `?${query}` : ""}${location.hash}`;
  }

  function changesSince(version) {
    if (!answers.has(version)) {
      const base = window.location.pathname.replace(/[^/]*$/, "");
      answers.set(version, fetch(`${base}api/changes-since/${encodeURIComponent(version)}`)
        .then((response) => (response.ok ? response.json() : null)).catch(() => null));
    }
    return answers.get(version);
  }

  const element = (tag, props) => ({ type: tag, namespace: "dash_html_components", props });

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_link_version = {
    // The URL's query -> [the note's children, hidden]. No v=, or today's version: no note.
    note: async function (search, config) {
      const key = config.view.versionKey;
      const since = (new URLSearchParams(search || "").get(key) || "").slice(0, 40);
      const current = config.dataVersion;
      if (!since || !current || since === current) return [[], true];
      const answer = await changesSince(since);
      if (!answer?.known) {
        return [`This link was made with data ${since}, a version this map does not know; it shows data ${current}.`,
                false];
      }
      const dataset = await scalemap.dataset.load(config.dataset);
      const keep = dataset.filter(scalemap.view.fromQuery(search, dataset, config.view));
      const count = answer.changed.filter(([id]) => keep[dataset.rowOfId.get(id)] === 1).length;
      const changed = count === 0 ? "no number in this view changed since"
        : `${count} ${count === 1 ? "number" : "numbers"} in this view changed since`;
      const base = window.location.pathname.replace(/[^/]*$/, "");
      return [[`This link was made with data ${since}; ${changed} (today: data ${current}) — `,
               element("A", { children: "see what changed", href: `${base}changelog.md` }), "."], false];
    },
  };
  scalemap.linkVersion = { linkWithVersion };
})();
