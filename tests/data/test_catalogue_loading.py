"""Loading catalogue files: bad rows are reported with file, line and field and skipped."""
import subprocess
import sys

import pytest

from scalemap.sources.catalogue import CatalogueFileError, load_catalogue
from tests.support import REPO

GOOD = """\
- name: Good One
  organization: Lab
  date: 2020-05-28
  domains: [language]
  links: [https://example.org/good]
  parameters: {value: 175e9, confidence: confident}
"""


def test_a_broken_row_is_reported_with_file_line_field_and_the_rest_load(write_catalogue):
    path = write_catalogue(GOOD + """\
- name: Broken
  organization: Lab
  date: 2021-01-01
  domains: [language]
  links: [https://example.org/broken]
  parameters: {value: -5, confidence: confident}
- name: Also Good
  organization: Lab
  date: 2019
  domains: [vision, language]
  links: [https://example.org/also]
""")
    models, problems = load_catalogue(path)
    assert [m.name for m in models] == ["Good One", "Also Good"]
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.file, problem.line, problem.field) == (str(path), 12, "parameters.value")
    assert "greater than 0" in problem.reason and problem.name == "Broken"
    assert f"{path}:12 [Broken] parameters.value:" in str(problem)


@pytest.mark.parametrize("field, yaml_line, reason", [
    ("domains", "  domains: [cooking]", "unknown domain 'cooking'"),
    ("date", "  date: 2020-13", "is not a date"),
    ("date", "  date: 0", "is not a date"),
    ("date", "  date: 2020-13-45", "unreadable value"),
    ("parameters.value", "  parameters: {value: 5e-324, confidence: likely}", "too small to be a physical"),
    ("parameters.value", "  parameters: {value: .inf, confidence: likely}", "finite number"),
    ("links", "  links: ['javascript:alert(1)']", "is not an http(s) URL"),
    ("parameters.confidence", "  parameters: {value: 1, confidence: sure}", "Input should be"),
    ("colour", "  colour: red", "Extra inputs are not permitted"),
])
def test_each_kind_of_bad_value_names_its_field(write_catalogue, field, yaml_line, reason):
    lines = GOOD.splitlines()
    key = yaml_line.split(":")[0]
    lines = [yaml_line if line.startswith(key + ":") else line for line in lines]
    if yaml_line not in lines:
        lines.append(yaml_line)
    models, problems = load_catalogue(write_catalogue("\n".join(lines) + "\n"))
    assert models == []
    assert any(reason in p.reason and (p.field or "").startswith(field.split(".")[0]) for p in problems), problems


def test_a_model_without_links_is_refused(write_catalogue):
    text = GOOD.replace("  links: [https://example.org/good]\n", "")
    models, problems = load_catalogue(write_catalogue(text))
    assert models == [] and problems[0].field == "links"


def test_partial_dates_keep_their_precision(write_catalogue):
    text = GOOD + GOOD.replace("Good One", "Monthly").replace("2020-05-28", '"1989-11"')
    models, _ = load_catalogue(write_catalogue(text))
    assert [(m.date.isoformat(), m.date_precision) for m in models] == [
        ("2020-05-28", "day"), ("1989-11-01", "month")]


def test_duplicate_names_across_files_keep_the_first(write_catalogue):
    first = write_catalogue(GOOD, "a.yaml")
    write_catalogue(GOOD.replace("175e9", "1e9"), "b.yaml")
    models, problems = load_catalogue(first.parent)
    assert len(models) == 1 and models[0].parameters.value == 175e9
    assert "duplicate" in problems[0].reason and problems[0].file.endswith("b.yaml")


def test_missing_and_malformed_files_raise_one_clear_error(tmp_path, write_catalogue):
    with pytest.raises(CatalogueFileError, match="does not exist"):
        load_catalogue(tmp_path / "nope.yaml")
    with pytest.raises(CatalogueFileError, match="must be a YAML list"):
        load_catalogue(write_catalogue("name: not a list\n"))
    with pytest.raises(CatalogueFileError, match="not a YAML list of models"):
        load_catalogue(write_catalogue("{unclosed: [\n"))


def test_broken_yaml_costs_only_its_own_entry(write_catalogue):
    models, problems = load_catalogue(write_catalogue(GOOD + "- name: x\n  bad: [unclosed\n" + GOOD.replace(
        "Good One", "Next One")))
    assert [m.name for m in models] == ["Good One", "Next One"]
    assert len(problems) == 1 and problems[0].line in (8, 9) and "unreadable YAML" in problems[0].reason


def test_missing_catalogue_ends_start_up_with_one_line_and_exit_2(tmp_path):
    result = subprocess.run([sys.executable, "app.py", "--catalogue", str(tmp_path / "none.yaml")],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"ml-scale-map: catalogue file {tmp_path / 'none.yaml'} does not exist"]
    assert "Traceback" not in result.stderr


def test_help_lists_every_option():
    result = subprocess.run([sys.executable, "app.py", "--help"], cwd=REPO, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0
    for option in ("--host", "--port", "--catalogue", "--epoch", "--prefer", "--debug"):
        assert option in result.stdout


def test_report_command_names_skipped_rows(write_catalogue):
    path = write_catalogue(GOOD + GOOD.replace("Good One", "Bad").replace("[language]", "[cooking]"))
    result = subprocess.run([sys.executable, "app.py", "report", "--catalogue", str(path)],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "catalogue: 1 models loaded, 1 problems" in result.stdout
    assert f"{path}:10 [Bad] domains" in result.stdout


def test_the_sources_tab_notes_each_skipped_row_in_small_print(write_catalogue):
    from app import make_layout
    from scalemap.dataset.build import build_dataset
    path = write_catalogue(GOOD + GOOD.replace("Good One", "Bad").replace("[language]", "[cooking]"))
    page = str(make_layout(build_dataset([path])))
    assert "1 catalogue problems" in page and f"{path}:10 [Bad] domains" in page
    clean = str(make_layout(build_dataset([write_catalogue(GOOD, "clean.yaml")])))
    assert "catalogue problems" not in clean
