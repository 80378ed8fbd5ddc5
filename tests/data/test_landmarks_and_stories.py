"""The reviewed lists behind the first screen: every landmark is a bundled model with a reason,
the article's 19 models are all landmarks, and every story's link opens a view the page reads."""
from urllib.parse import parse_qsl

import pytest

from scalemap.contract.view import DEFAULT_VIEW, from_query, to_query
from scalemap.features.takeaways import load_landmarks, load_stories


def parse(dataset, query):
    return from_query(query, domains=dataset.domains, organizations=dataset.organizations,
                      model_ids=set(dataset.frame["id"]), year_bounds=dataset.year_bounds)


def test_every_landmark_is_a_bundled_model_with_a_reason(bundled_dataset):
    landmarks = load_landmarks()
    ids = [landmark.id for landmark in landmarks]
    assert len(ids) == len(set(ids)), "a landmark listed twice"
    missing = [i for i in ids if i not in bundled_dataset.models]
    assert not missing, f"data/landmarks.yaml names models the catalogue lacks: {missing}"
    assert all(len(landmark.why) > 8 for landmark in landmarks)


def test_the_articles_models_and_the_compute_records_are_landmarks(bundled_dataset):
    ids = {landmark.id for landmark in load_landmarks()}
    seeds = {model_id for model_id in bundled_dataset.models
             if getattr(bundled_dataset.models[model_id], "seed_card", False)}
    assert len(seeds) == 19 and seeds <= ids, sorted(seeds - ids)
    frame = bundled_dataset.frame
    largest = frame.loc[frame["training_compute"].idxmax(), "id"]
    assert largest in ids, f"the largest training run ({largest}) is not a landmark"


def test_a_malformed_landmark_list_is_refused_with_its_place(tmp_path):
    path = tmp_path / "landmarks.yaml"
    path.write_text("- {id: gpt-3-175b, why: fine}\n- {id: alexnet}\n")
    with pytest.raises(ValueError, match="entry 2 needs an id and a why"):
        load_landmarks(path)


@pytest.mark.parametrize("story", load_stories(), ids=lambda s: s.id)
def test_every_story_opens_a_view_that_reads_every_key_of_its_link(story, bundled_dataset):
    view = parse(bundled_dataset, "?" + story.query)
    assert view != DEFAULT_VIEW
    assert parse(bundled_dataset, to_query(view)) == view              # its canonical link means the same
    pairs = parse_qsl(story.query)
    for dropped in range(len(pairs)):                                    # each key is read: dropping it changes the view
        rest = "&".join(f"{k}={v}" for i, (k, v) in enumerate(pairs) if i != dropped)
        assert parse(bundled_dataset, "?" + rest) != view, f"{story.id}: {pairs[dropped][0]}= is not read"
    assert story.title and len(story.caption.split()) >= 20


def test_there_are_five_or_six_stories_with_unique_ids():
    stories = load_stories()
    assert 5 <= len(stories) <= 6 and len({s.id for s in stories}) == len(stories)
