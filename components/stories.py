"""Stories: curated views (data/stories.yaml), each a link with a one-paragraph caption shown
above the charts and written into exported images. The picker's entries are plain links to the
story's view (`?<query>&story=<id>`): the URL sets every control, as any link does."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, clientside_callback, dcc, html

from components import ids
from scalemap.features.takeaways import load_stories


def story_link(story) -> str:
    return f"/?{story.query}&story={story.id}" if story.query else f"/?story={story.id}"


def make_story_picker() -> dbc.DropdownMenu:
    return dbc.DropdownMenu(id=ids.STORY_PICKER, label="Stories", size="sm", color="primary", align_end=True,
                            className="story-picker", children=[
        dbc.DropdownMenuItem(story.title, href=story_link(story)) for story in load_stories()
    ])


def make_story_caption() -> html.Div:
    """Above the charts while a story is open: its title, its caption and a way out."""
    return html.Div(id=ids.STORY_CAPTION, className="story-caption", hidden=True, **{"aria-live": "polite"},
                    children=[
        html.Div(className="d-flex align-items-start gap-2", children=[
            html.Div(id="story-text", className="flex-grow-1"),
            html.Button("Close story", id=ids.STORY_CLOSE, type="button", className="btn btn-sm btn-outline-dark"),
        ]),
    ])


def stories_for_browser() -> dict:
    """{id: {title, caption, query}}: what the caption and the exports say of each story."""
    return {s.id: {"title": s.title, "caption": s.caption, "query": s.query} for s in load_stories()}


def make_story_store() -> list:
    return [dcc.Store(id=ids.STORY, data=""), dcc.Store(id="stories", data=stories_for_browser())]


clientside_callback(   # the open story -> its caption shown above the charts
    ClientsideFunction("scalemap_stories", "caption"),
    Output("story-text", "children"), Output(ids.STORY_CAPTION, "hidden"),
    Input(ids.STORY, "data"), State("stories", "data"),
)

clientside_callback(   # Close story: the view stays as it is, without the caption
    ClientsideFunction("scalemap_stories", "close"),
    Output(ids.STORY, "data", allow_duplicate=True),
    Input(ids.STORY_CLOSE, "n_clicks"),
    prevent_initial_call=True,
)
