/* Stories (components/stories.py): the open story's caption above the charts, and what exports
 * write of it. A story is opened by its link (the picker's entries), which sets every control. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  let stories = {}, open = "";

  const text = (tag, children, className) =>
    ({ type: tag, namespace: "dash_html_components", props: { children, className } });

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.scalemap_stories = {
    // The open story (its id, or "") -> the caption's text and whether it is hidden.
    caption: function (story, allStories) {
      stories = allStories || {};
      open = typeof story === "string" && Object.hasOwn(stories, story) ? story : "";
      if (!open) return [[], true];
      const { title, caption } = stories[open];
      return [[text("H2", `Story: ${title}`, "h6 mb-1"), text("P", caption, "small mb-0")], false];
    },

    close: function (clicks) {
      return clicks ? "" : window.dash_clientside.no_update;
    },
  };

  // For exports: the open story's title and caption, or null.
  scalemap.stories = { current: () => (open ? { id: open, ...stories[open] } : null) };
})();
