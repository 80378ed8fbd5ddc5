"""Organizations: joint work split into members, spellings mapped to one name, groups, and the
reviewed file data/organizations.yaml covering the catalogue and Epoch AI's export."""
from __future__ import annotations

import textwrap
from collections import Counter

import pytest
import yaml

from scalemap.sources.catalogue import load_catalogue
from scalemap.sources.epoch import import_epoch_csv
from scalemap.sources.organizations import (
    DEFAULT_PATH,
    Organizations,
    OrganizationsFileError,
    key,
    load_organizations,
)

# Distinct members of Epoch's export that match no entry, measured 68 (single-use universities,
# a journal's name, ambiguous "HEC" and "Swiss Federal Institute of Technology"). A few more
# from a new export are fine; many more mean the file needs entries.
EPOCH_UNMAPPED_BOUND = 75


@pytest.fixture(scope="module")
def orgs() -> Organizations:
    return load_organizations()


# --- splitting ------------------------------------------------------------------------------

def test_joint_entries_split_the_same_whatever_the_separator(orgs):
    comma = orgs.split("Carnegie Mellon University, Google Brain")
    semicolon = orgs.split("Google Brain; Carnegie Mellon University")
    assert set(comma) == set(semicolon) == {"Carnegie Mellon University", "Google Brain"}
    assert comma == ("Carnegie Mellon University", "Google Brain")          # order kept
    assert orgs.split("Google Brain\nCarnegie Mellon University (CMU)") == semicolon
    assert orgs.split("Google Brain,Carnegie Mellon University (CMU)") == semicolon   # Epoch: no space


def test_spellings_map_to_one_name_once(orgs):
    assert orgs.split("Facebook AI Research; FAIR, facebook  ai research") == ("FAIR",)
    assert orgs.split("University of Montreal / Université de Montréal") == ("Université de Montréal",)
    assert orgs.split("UNIVERSITE DE MONTREAL") == ("Université de Montréal",)
    assert orgs.split("Xi’an Jiaotong University") == ("Xi'an Jiaotong University",)
    assert orgs.split("University of Wisconsin Madison") == ("University of Wisconsin–Madison",)
    assert orgs.split("Stanford Univ.") == ("Stanford University",)
    assert orgs.split("Carnegie Mellon University (CMU)") == ("Carnegie Mellon University",)
    assert orgs.split("Google Research (Brain Team)") == ("Google Brain",)


def test_brackets_and_names_with_separators_stay_whole(orgs):
    assert orgs.split("BigCode (Hugging Face, ServiceNow, NVIDIA)") == ("BigCode",)
    assert orgs.split("Stability AI, CompVis (LMU Munich), Runway") == ("Stability AI", "CompVis", "Runway")
    # an alias holding a comma is found before the comma splits it
    assert orgs.split("University of California, Berkeley; Google") == ("UC Berkeley", "Google")
    # a trailing parenthesis that is part of the name is not dropped
    assert orgs.split("Northeastern University (China)") == ("Northeastern University (China)",)
    assert orgs.split("Northeastern University") == ("Northeastern University",)
    # unbalanced brackets: split as if there were none
    assert orgs.split("Google (Brain, OpenAI") == ("Google (Brain", "OpenAI")


def test_and_ampersand_split_only_known_organizations(orgs):
    assert orgs.split("Allen Institute for AI") == ("Allen Institute for AI",)
    assert orgs.split("Texas A&M") == ("Texas A&M University",)
    assert orgs.split("Google & Stanford University") == ("Google", "Stanford University")
    assert orgs.split("OpenAI and Microsoft") == ("OpenAI", "Microsoft")
    assert orgs.split("Singapore University of Technology & Design") == (
        "Singapore University of Technology & Design",)
    assert orgs.split("University of Science and Technology of China") == (
        "University of Science and Technology of China",)
    assert orgs.split("NVIDIA, Lawrence Berkeley National Laboratory, and others") == (
        "NVIDIA", "Lawrence Berkeley National Laboratory")


@pytest.mark.parametrize("raw", ["", "   ", "not documented", "Not Documented", "n/a", "unknown; others"])
def test_blank_and_undocumented_give_nothing(orgs, raw):
    assert orgs.split(raw) == ()
    assert orgs.unmapped([raw]) == []


def test_unknown_parts_keep_their_spelling_and_are_reported(orgs):
    assert orgs.split("  Acme   Robotics Lab ,Google, acme robotics lab") == ("Acme Robotics Lab", "Google")
    assert orgs.unmapped(["Acme  Robotics Lab, Google", "Google; Zeta Institute", "acme robotics lab"]) == [
        "Acme Robotics Lab", "Zeta Institute"]


# --- groups ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Google Brain", "Google Research", "DeepMind", "Google DeepMind",
                                  "Google", "google brain"])
def test_google_units_are_in_group_google(orgs, name):
    assert orgs.group_of(name) == "Google"


@pytest.mark.parametrize("name", ["Meta", "Meta AI", "FAIR", "Facebook AI Research", "Facebook",
                                  "Facebook AI", "Meta AI (FAIR)"])
def test_meta_units_are_in_group_meta(orgs, name):
    assert orgs.group_of(name) == "Meta"


def test_groups(orgs):
    groups = orgs.groups()
    assert {"DeepMind", "Google", "Google Brain", "Google DeepMind", "Google Research"} <= set(groups["Google"])
    assert {"FAIR", "Meta", "Meta AI"} <= set(groups["Meta"])
    assert {"Microsoft Research", "Microsoft Research Asia", "Microsoft"} <= set(groups["Microsoft"])
    assert "OpenAI" not in {m for members in groups.values() for m in members}
    assert orgs.group_of("OpenAI") is None
    assert orgs.group_of("Acme Robotics Lab") is None
    assert orgs.group_of("Waymo") is None               # Alphabet, not Google
    for group, members in groups.items():
        assert list(members) == sorted(members, key=str.casefold)
        assert all(orgs.group_of(m) == group for m in members)


# --- the file -------------------------------------------------------------------------------

def test_the_file_is_consistent_and_sorted():
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert text.startswith("#"), "the file opens with a comment saying what it is"
    data = yaml.safe_load(text)
    names = [entry["name"] for entry in data["organizations"]]
    assert names == sorted(names, key=str.casefold), "entries sorted by name"
    duplicates = [n for n, count in Counter(key(n) for n in names).items() if count > 1]
    assert not duplicates, f"listed twice: {duplicates}"
    owners: dict[str, set[str]] = {}
    for entry in data["organizations"]:
        for spelling in (entry["name"], *entry.get("aliases", ())):
            owners.setdefault(key(spelling), set()).add(entry["name"])
    assert not {k: v for k, v in owners.items() if len(v) > 1}, "a spelling means two organizations"
    redundant = [(entry["name"], alias) for entry in data["organizations"]
                 for i, alias in enumerate(entry.get("aliases", ()))
                 if key(alias) in {key(s) for s in (entry["name"], *entry["aliases"][:i])}]
    assert not redundant, f"aliases the lookup already matches (case, accents, dashes): {redundant}"
    groups = {entry["group"] for entry in data["organizations"] if entry.get("group")}
    spelled = Counter(key(g) for g in groups)
    assert all(count == 1 for count in spelled.values()), f"a group spelled two ways: {sorted(groups)}"
    for group in groups:                               # a group that is an organization: same spelling
        assert group in names or key(group) not in owners, group
    orgs = Organizations.from_file(DEFAULT_PATH)       # and the loader's own checks pass
    assert len(orgs.names) == len(names)


def test_load_organizations_is_cached():
    assert load_organizations() is load_organizations()
    assert load_organizations(DEFAULT_PATH) is load_organizations(DEFAULT_PATH)


@pytest.mark.parametrize("text, message", [
    ("""
     organizations:
     - {name: A, aliases: [X]}
     - {name: B, aliases: [x]}
     """, "maps to both"),
    ("""
     organizations:
     - {name: A}
     - {name: a}
     """, "listed twice"),
    ("""
     organizations:
     - {name: A, group: B}
     - {name: B, group: A}
     """, "one level deep"),
    ("""
     organizations:
     - {name: A, group: G}
     - {name: B, group: g}
     """, "spelled"),
    ("""
     organizations:
     - {name: Meta, aliases: [Facebook]}
     - {name: FAIR, group: Facebook}
     """, "use that name"),
    ("""
     organizations:
     - {name: "  "}
     """, "blank"),
    ("""
     organizations:
     - {name: A, colour: red}
     """, "colour"),
    ("""
     ignore: [Google]
     organizations:
     - {name: Google}
     """, "ignored word"),
])
def test_bad_files_are_refused_with_a_reason(tmp_path, text, message):
    path = tmp_path / "organizations.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(OrganizationsFileError, match=message) as caught:
        Organizations.from_file(path)
    assert str(path) in str(caught.value)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(OrganizationsFileError, match="nope.yaml"):
        Organizations.from_file(tmp_path / "nope.yaml")


# --- coverage of the bundled catalogue and Epoch's export --------------------------------------

def test_every_catalogue_organization_maps(orgs):
    models, problems = load_catalogue()
    assert not problems
    raw = {model.organization for model in models}
    assert not orgs.unmapped(raw), f"add these to {DEFAULT_PATH.name}: {orgs.unmapped(raw)}"
    for text in raw:
        assert orgs.split(text), text
        assert all(name in orgs.names for name in orgs.split(text)), text
    assert len({name for text in raw for name in orgs.split(text)}) < len(raw)


def test_every_epoch_organization_maps_or_is_reported(orgs, epoch_export):
    column = import_epoch_csv(epoch_export).table["organization"]
    raw = set(column)
    unmapped = orgs.unmapped(raw)
    reported = {key(part) for part in unmapped}
    for text in raw:
        for name in orgs.split(text):
            assert name in orgs.names or key(name) in reported, (text, name)
    assert len(unmapped) < EPOCH_UNMAPPED_BOUND, (
        f"{len(unmapped)} distinct members of {epoch_export.name} match no entry in "
        f"{DEFAULT_PATH.name} (bound {EPOCH_UNMAPPED_BOUND}): {unmapped}")
    # the frequent ones are all mapped: every unmapped member appears in one row at most
    counts = Counter(key(name) for text in column for name in orgs.split(text))
    frequent = [part for part in unmapped if counts[key(part)] > 1]
    assert not frequent, f"members used more than once but not in {DEFAULT_PATH.name}: {frequent}"
    google = {text for text in raw if "google" in text.casefold()}
    assert all(orgs.group_of(name) == "Google" for text in google for name in orgs.split(text)
               if "google" in name.casefold())
