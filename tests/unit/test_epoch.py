"""Importing Epoch AI's CSV exports: the sample written for the tests (every column the importer
maps), the real file (in CI), other releases' headers, and broken files."""
import pytest

from scalemap.dataset.build import build_dataset
from scalemap.dataset.table import EPOCH_CREDIT
from scalemap.sources.epoch import EpochFormatError, clean_name, import_epoch_csv, map_domains
from tests.support import EPOCH_SAMPLE

HEADER = "Model,Organization,Publication date,Domain,Parameters,Training compute (FLOP),Confidence,Link"


def write(tmp_path, text, name="export.csv", encoding="utf-8", newline="\n"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


@pytest.mark.epoch
def test_the_real_notable_models_export_loads_every_row(epoch_csv):
    result = import_epoch_csv(epoch_csv)
    print("\n" + "\n".join(result.report_lines()))
    assert result.rows_read == 976
    assert len(result.models) + result.skipped == 976 and result.skipped == 0
    by_name = {m.name: m for m in result.models}
    assert "Solar Open 100B" in by_name           # the name had a trailing newline in the file
    assert not any("\n" in name or name != name.strip() for name in by_name)
    gpt3 = by_name["GPT-3 175B (davinci)"]
    assert gpt3.parameters.value == pytest.approx(175e9, rel=0.01) and gpt3.training_compute.value == pytest.approx(3.14e23, rel=0.01)
    assert gpt3.origin == "Epoch AI" and gpt3.links[0].startswith("http")
    without_numbers = [m for m in result.models if m.parameters is None and m.training_compute is None]
    assert without_numbers, "rows lacking both numbers must still be models"


def test_multi_valued_domains_map_onto_ours():
    assert map_domains("Multimodal,Language,Vision") == ["multimodal", "language", "vision"]
    assert map_domains("Image generation,Video") == ["vision"]
    assert map_domains("Medicine, Earth science") == ["biology", "science"]
    assert map_domains("Something new") == ["other"]
    assert clean_name("  GPT-4\n (2023) ") == "GPT-4 (2023)"


def test_an_older_export_with_other_columns_loads(tmp_path):
    path = write(tmp_path, "System,Domain,Organization(s),Publication date,Parameters,"
                           "Training cost (2020 USD)\n"
                           "Old Net,Vision,Lab,2015-02-01,1000000,5000\n")
    result = import_epoch_csv(path)
    model = result.models[0]
    assert (model.name, model.organization, model.parameters.value) == ("Old Net", "Lab", 1e6)
    assert model.training_cost.value == 5000 and model.training_cost.year == 2020


def test_bom_crlf_quoted_newlines_bad_numbers_extra_columns_and_duplicates(tmp_path):
    text = (HEADER + "\n"
            '"Multi\nLine",Lab,2020-01-01,"Language,Vision",1e9,2e21,Likely,https://a.org\n'
            "Bad Number,Lab,2020-01-01,Language,lots,3e21,Confident,https://b.org\n"
            "Extra,Lab,2020-01-01,Language,1,2,Confident,https://c.org,surplus\n"
            "Multi Line,Lab,2021-01-01,Language,5,6,Confident,https://d.org\n"
            "No Date,Lab,,Language,5,6,Confident,https://e.org\n"
            "Short Row,Lab,2019-03\n")
    result = import_epoch_csv(write(tmp_path, text, encoding="utf-8-sig", newline="\r\n"))
    names = [m.name for m in result.models]
    assert names == ["Multi Line", "Bad Number", "Short Row"]
    assert result.models[1].parameters is None and result.models[1].training_compute.value == 3e21
    reasons = {p.line: (p.field, p.reason) for p in result.problems}
    assert reasons[4] == ("parameters", "not a number: 'lots'; value dropped")
    assert "row has 9 fields, header has 8" in reasons[5][1]
    assert "duplicate name" in reasons[6][1]
    assert reasons[7][0] == "date"
    assert result.rows_read == 6 and result.skipped == 3
    assert result.report_lines()[0] == "export.csv: 6 rows read, 3 kept, 3 skipped, 1 values dropped"


def test_a_csv_that_is_not_an_epoch_export_gets_one_line(tmp_path):
    with pytest.raises(EpochFormatError) as error:
        import_epoch_csv(write(tmp_path, "city,population\nParis,2100000\n"))
    message = str(error.value)
    assert "is not an Epoch AI export: expected columns 'Model'" in message and "\n" not in message
    with pytest.raises(EpochFormatError, match="does not exist"):
        import_epoch_csv(tmp_path / "missing.csv")
    with pytest.raises(EpochFormatError, match="is empty"):
        import_epoch_csv(write(tmp_path, ""))


def test_merged_with_the_catalogue_a_shared_model_appears_once_and_the_user_picks_the_winner(
        tmp_path, write_catalogue):
    catalogue = write_catalogue("""\
- name: GPT-3 175B
  organization: OpenAI
  date: 2020-05-28
  domains: [language]
  links: [https://arxiv.org/abs/2005.14165]
  parameters: {value: 175e9, confidence: confident}
""")
    export = write(tmp_path, HEADER + "\ngpt-3 175B,OpenAI,2020-05-28,Language,1.74e11,3e23,Confident,"
                                      "https://x.org\nOther,Lab,2019-01-01,Vision,5,,Likely,https://y.org\n")
    ours = build_dataset([catalogue], [export], prefer="catalogue")
    assert len(ours.frame) == 2 and ours.credits == (EPOCH_CREDIT,)
    assert ours.models["gpt-3-175b"].origin == "ML Scale Map"
    theirs = build_dataset([catalogue], [export], prefer="epoch")
    assert len(theirs.frame) == 2
    assert theirs.models["gpt-3-175b"].origin == "Epoch AI"
    assert any("1 models in both sources" in line for line in ours.report)


def test_the_page_credits_epoch_wherever_its_data_is_shown():
    from app import make_layout
    from components.charts import trends_summary
    from components.stats_card import render_card
    from scalemap.contract.payload import build_payload
    from scalemap.contract.view import ViewState
    from scalemap.features.trends import FitCache
    dataset = build_dataset(epoch_paths=[EPOCH_SAMPLE], bundled=False)
    assert "Data: Epoch AI (CC BY 4.0)" in str(make_layout(dataset))
    trends = trends_summary(FitCache().fits(dataset, ViewState()), dataset.credits)
    assert "Data: Epoch AI (CC BY 4.0)" in str(trends)
    assert "Data: Epoch AI (CC BY 4.0)" in build_payload(dataset)["credits"][0]
    assert "Epoch AI (CC BY 4.0)" in str(render_card(next(iter(dataset.models.values()))))
    ours = build_dataset()
    assert "Epoch AI" not in str(make_layout(ours))


def test_names_in_other_scripts_are_not_merged_into_one():
    from scalemap.dataset.matching import name_key
    assert name_key("PanGu-α") != name_key("PanGu-Σ")
    assert name_key(" GPT-3  175B ") == name_key("gpt-3 175b") == name_key("GPT_3 175B")


def test_the_fast_reader_and_the_careful_one_agree(epoch_export, tmp_path):
    """pandas reads the file at once; csv reads it row by row when pandas cannot follow it.
    Both must give the same models, problems and line numbers."""
    from scalemap.sources.epoch import _dialect, _import, _read_bytes, _read_careful, _read_fast
    messy = write(tmp_path, HEADER + "\n"
                  '"Multi\nLine",Lab,2020-01-01,"Language,Vision",1e9,2e21,Likely,https://a.org\n'
                  "Bad Number,Lab,2020-01-01,Language,lots,3e21,Confident,https://b.org\n"
                  "Extra,Lab,2020-01-01,Language,1,2,Confident,https://c.org,surplus\n"
                  "\n,,,,,,,\n"
                  "Bad Date,Lab,2020-13-45,Language,1,2,Confident,https://d.org\n"
                  "Old,Lab,1930,Language,1,2,Confident,https://e.org\n"
                  "Month Only,Lab,2019-03,Vision,-4,inf,Speculative,https://f.org\n")
    for path in (epoch_export, messy):
        data, dialect = _read_bytes(path), _dialect(path)
        fast = _import(str(path), _read_fast(path, dialect))
        careful = _import(str(path), _read_careful(path, data, dialect))
        assert fast.models == careful.models and fast.problems == careful.problems
        assert (fast.rows_read, fast.skipped) == (careful.rows_read, careful.skipped)
    reasons = {p.line: (p.field, p.reason) for p in fast.problems}
    assert reasons[8] == ("date", "not a date (YYYY-MM-DD, YYYY-MM or YYYY): '2020-13-45'; row skipped")
    assert reasons[9] == ("date", "date 1930-01-01 is outside 1940 to next year; row skipped")
    month_only = next(m for m in fast.models if m.name == "Month Only")
    assert month_only.date_precision == "month" and month_only.parameters is None
    assert [p.reason for p in fast.problems if p.line == 10] == [
        "not a positive number: '-4'; value dropped", "not a positive number: 'inf'; value dropped"]


def test_quotes_the_fast_reader_cannot_follow_go_to_the_careful_one(tmp_path):
    path = write(tmp_path, HEADER + "\n"
                 'Odd 5" Net,Lab,2020-01-01,Language,1e9,2e21,Likely,https://a.org\n'   # one quote: literal
                 "Next,Lab,2021-01-01,Language,x,3e21,Confident,https://b.org\n")
    result = import_epoch_csv(path)
    assert [m.name for m in result.models] == ['Odd 5" Net', "Next"]
    assert [(p.line, p.field) for p in result.problems] == [(3, "parameters")]


@pytest.mark.parametrize("encoding, separator, note", [
    ("cp1252", ",", "read as Windows-1252"), ("utf-8", ";", "columns separated by ';'"),
    ("utf-8", "\t", "columns separated by '\\t'"),
])
def test_latin_1_and_semicolon_exports_load_and_say_how(tmp_path, encoding, separator, note):
    text = (HEADER.replace(",", separator) + "\n"
            + separator.join(["Réseau Müller", "Lab", "2020-01-01", "Language", "1e9", "2e21", "Likely",
                              "https://a.org"]) + "\n")
    result = import_epoch_csv(write(tmp_path, text, encoding=encoding))
    assert [m.name for m in result.models] == ["Réseau Müller"]
    assert result.models[0].training_compute.value == 2e21
    assert note in result.report_lines()[0]


def test_repeated_byte_order_marks_and_a_repeated_header_do_not_lose_rows(tmp_path):
    text = "\ufeff\ufeff" + HEADER + ",Model\nNet,Lab,2020-01-01,Language,1e9,2e21,Likely,https://a.org,Other\n"
    result = import_epoch_csv(write(tmp_path, text))
    assert [m.name for m in result.models] == ["Net"]   # the first "Model" column counts


@pytest.mark.parametrize("cell, value, problem", [
    ('"1,024"', 1024.0, None), ('"2,500.5"', 2500.5, None), ('"1,2e3"', None, "not a number"),
    ('"2260275840,2290000001"', None, "not a number"),   # two values in one cell, as in Epoch's file
    ("5e-324", None, "not a positive number"), ("-3", None, "not a positive number"),
])
def test_numbers_read_as_written_or_are_reported(tmp_path, cell, value, problem):
    path = write(tmp_path, HEADER + f"\nNet,Lab,2020-01-01,Language,{cell},2e21,Likely,https://a.org\n")
    result = import_epoch_csv(path)
    parameters = result.models[0].parameters
    assert (parameters.value if parameters else None) == value
    assert [p.reason.split(":")[0] for p in result.problems] == ([problem] if problem else [])


def test_a_file_whose_every_row_is_broken_loads_nothing_and_says_why(tmp_path):
    path = write(tmp_path, HEADER + "\nA,Lab,2020-01-01,x,1,2,3,4,5\n,Lab,2020-01-01,x,1,2,3,4\n")
    result = import_epoch_csv(path)
    assert result.models == [] and result.skipped == 2 and len(result.problems) == 2
    from scalemap.dataset.build import build_dataset
    assert len(build_dataset(epoch_paths=[path]).frame) == len(build_dataset().frame)   # the catalogue still loads


# --- the sample: every column the importer maps, and every reason it drops a value or a row -------

def test_the_sample_loads_and_reports_each_row_it_skips_and_each_value_it_drops():
    result = import_epoch_csv(EPOCH_SAMPLE)
    assert (result.rows_read, len(result.models), result.skipped) == (46, 41, 5)   # the blank row is no row
    assert [(p.line, p.name, p.field, p.reason) for p in result.problems] == [   # lines count the quoted newline
        (41, "Vague Size Net", "parameters", "not a number: 'about 2B'; value dropped"),
        (42, "Negative Compute Net", "training_compute", "not a positive number: '-5e+20'; value dropped"),
        (42, "Negative Compute Net", "training_time_hours", "not a positive number: 'inf'; value dropped"),
        (44, None, "name", "no model name; row skipped"),
        (45, "Undated Net", "date", "no publication date; row skipped"),
        (46, "Calendar Slip", "date", "not a date (YYYY-MM-DD, YYYY-MM or YYYY): '2021-13-40'; row skipped"),
        (47, "Ancient Model", "date", "date 1930-01-01 is outside 1940 to next year; row skipped"),
        (48, "Aurora LM 7B", "name", "duplicate name; kept the first row"),
    ]
    assert result.report_lines()[0] == "epoch-sample.csv: 46 rows read, 41 kept, 5 skipped, 3 values dropped"
    without_numbers = [m.name for m in result.models if m.parameters is None and m.training_compute is None]
    assert without_numbers == ["Lexica Draft"]   # still a model, with a stats card


@pytest.fixture(scope="module")
def sample():
    return {m.name: m for m in import_epoch_csv(EPOCH_SAMPLE).models}


def _method(model, field):
    return getattr(model, field).method or ""


# One check per column the importer maps, on the sample.
SAMPLE_COLUMNS = {
    "Model": lambda m: "Stride Net 1B" in m and not any("\n" in n or n != n.strip() for n in m),
    "Organization": lambda m: m["MedNote Clinical 13B"].organization == "Stanford University,Microsoft"
                              and m["Lexica Draft"].organization == "not documented",
    "Publication date": lambda m: [(str(m[n].date), m[n].date_precision) for n in
                                   ("Helix Ultra", "Breeze 22B", "Sequence Tagger LSTM")]
                                  == [("2025-04-29", "day"), ("2024-09-01", "month"), ("2011-01-01", "year")],
    "Domain": lambda m: m["Kestrel-V 2B"].domains == ["multimodal", "language", "vision"]
                        and [m[n].domains[0] for n in ("Motion Reel 1B", "PixelWeave 3B", "Sketch3D",
                                                       "MedNote Clinical 13B", "Terra Weather 1B",
                                                       "Lane Keeper Net", "ShopRank DLRM", "Quill Agent")]
                        == ["vision", "vision", "vision", "biology", "science", "robotics",
                            "recommendation", "other"],
    "Task": lambda m: m["Aurora LM 7B"].task == "Language modeling/generation"
                      and m["Breeze 22B Instruct"].task == "Chat",
    "Parameters": lambda m: m["Stride Net 1B"].parameters.value == 1.3e9   # "1,300,000,000"
                            and m["Vague Size Net"].parameters is None,
    "Parameters notes": lambda m: "22B active" in _method(m["Helix Ultra"], "parameters"),
    "Training compute (FLOP)": lambda m: m["GPT-3 175B (davinci)"].training_compute.value == 3.1e23
                                         and m["Negative Compute Net"].training_compute is None,
    "Training compute notes": lambda m: _method(m["Quill Agent"], "training_compute") == "Estimated from GPU hours",
    # data points seen in gradient updates: tokens for language, no named unit otherwise
    "Training dataset size (gradients)": lambda m: (m["Aurora LM 7B"].training_data.value,
                                                    m["Aurora LM 7B"].training_data.unit) == (2e12, "tokens")
                                                   and m["Harbor Vision ViT-G"].training_data.unit == "other"
                                                   and "gradient updates" in _method(m["Aurora LM 7B"],
                                                                                     "training_data"),
    "Epochs": lambda m: "; 2 epochs" in _method(m["Theorem Hopper 7B"], "training_data"),
    "Dataset size notes": lambda m: _method(m["Voxline Speech 600M"], "training_data").endswith(
        "— 680k hours of audio"),
    "Confidence": lambda m: m["Harbor Vision ViT-G"].parameters.confidence.value == "speculative"
                            and m["GPT-3 175B (davinci)"].training_compute.confidence.value == "confident"
                            and m["MedNote Clinical 13B"].parameters.confidence.value == "likely"   # "Unverified"
                            and m["MedNote Clinical 13B"].notes.startswith("Epoch confidence: Unverified.")
                            and m["Sketch3D"].notes == "Epoch confidence: not given.",
    "Link": lambda m: m["Stride Net 1B"].links == ["https://arxiv.org/abs/2311.90876",
                                                   "https://github.com/stride-net/stride"]
                      and m["Orphan Quantity Net"].links == [],   # ftp:// and words are no links
    "Country (of organization)": lambda m: m["Helix Ultra"].country == "China" and m["Quill Agent"].country is None,
    "Training hardware": lambda m: m["Kestrel-V 2B"].hardware.type == "Google TPU v4"
                                   and m["Chinchilla"].hardware.type == "Google TPU v4, Google TPU v3",
    "Hardware quantity": lambda m: m["GPT-3 175B (davinci)"].hardware.count == 10000
                                   and m["Chinchilla"].hardware.count is None
                                   and m["Orphan Quantity Net"].hardware is None,   # a count of no hardware
    "Training time (hours)": lambda m: m["GPT-3 175B (davinci)"].training_time_hours.value == 355
                                       and m["Negative Compute Net"].training_time_hours is None,
    "Model accessibility": lambda m: [m[n].accessibility.value for n in
                                      ("Aurora LM 7B", "Breeze 22B Instruct", "LLaMA-7B", "Kestrel-V 2B",
                                       "Motion Reel 1B", "PaLM 540B", "Lane Keeper Net")]
                                     == ["open weights"] * 3 + ["api"] * 2 + ["unreleased", "unknown"],
    "Accessibility notes": lambda m: m["Aurora LM 7B"].notes.endswith(" MIT license"),
    "Base model": lambda m: "Base model: LLaMA-7B." in m["MedNote Clinical 13B"].notes,
    "Training compute cost (2023 USD)": lambda m: (m["GPT-3 175B (davinci)"].training_cost.value,
                                                   m["GPT-3 175B (davinci)"].training_cost.year) == (4.3e6, 2023),
}


@pytest.mark.parametrize("column", SAMPLE_COLUMNS)
def test_each_mapped_column_of_the_sample(sample, column):
    assert SAMPLE_COLUMNS[column](sample)


def test_the_sample_has_every_column_the_importer_maps():
    from scalemap.sources.epoch import COST_COLUMN, _columns
    header = EPOCH_SAMPLE.read_text(encoding="utf-8").splitlines()[0].split(",")
    found, _ = _columns(header)
    mapped = {header[i] for i in found.values()} | {h for h in header if COST_COLUMN.match(h)}
    assert mapped == set(SAMPLE_COLUMNS)


@pytest.fixture(scope="module")
def notable(epoch_export):
    return {m.name: m for m in import_epoch_csv(epoch_export).models}


# One check per column the importer maps, on the real Notable AI Models export.
MAPPED_COLUMNS = {
    "Model": lambda m: m["Solar Open 100B"].name == "Solar Open 100B",
    "Organization": lambda m: m["GPT-3 175B (davinci)"].organization == "OpenAI",
    "Publication date": lambda m: str(m["GPT-3 175B (davinci)"].date) == "2020-05-28",
    "Domain": lambda m: m["ADM"].domains == ["vision"],
    "Task": lambda m: m["Solar Open 100B"].task == "Language modeling/generation, Chat"
                      and m["ADM"].task == "Image generation, Text-to-image",
    "Parameters": lambda m: m["ADM"].parameters.value == 559e6,
    "Parameters notes": lambda m: "12B active" in m["Solar Open 100B"].parameters.method,
    "Training compute (FLOP)": lambda m: m["ADM"].training_compute.value == 6.2e21,
    "Training compute notes": lambda m: sum(bool(x.training_compute and x.training_compute.method)
                                            for x in m.values()) > 400,
    # 1.94M steps × 256 images × 512² pixels: data points seen, never "130T images"
    "Training dataset size (gradients)": lambda m: (m["ADM"].training_data.value, m["ADM"].training_data.unit)
                                                    == (130191200000000.0, "other")
                                                    and m["Solar Open 100B"].training_data.unit == "tokens"
                                                    and "gradient updates" in m["ADM"].training_data.method,
    "Epochs": lambda m: "381 epochs" in m["ADM"].training_data.method,
    "Dataset size notes": lambda m: "ImageNet ILSVRC" in m["ADM"].training_data.method,
    "Confidence": lambda m: m["GPT-3 175B (davinci)"].parameters.confidence.value == "confident",
    "Link": lambda m: m["ADM"].links[0] == "https://arxiv.org/abs/2105.05233",
    "Country (of organization)": lambda m: m["GPT-3 175B (davinci)"].country == "United States of America",
    "Training hardware": lambda m: m["GPT-3 175B (davinci)"].hardware.type == "NVIDIA Tesla V100 DGXS 32 GB"
                                   and all("," not in x.hardware.type or ", " in x.hardware.type
                                           for x in m.values() if x.hardware),
    "Hardware quantity": lambda m: m["GPT-3 175B (davinci)"].hardware.count == 10000,
    "Training time (hours)": lambda m: m["Solar Open 100B"].training_time_hours.value == 1572,
    "Model accessibility": lambda m: m["GPT-3 175B (davinci)"].accessibility.value == "api",
    "Accessibility notes": lambda m: sum("MIT license" in (x.notes or "") for x in m.values()) > 10,
    "Base model": lambda m: any("Base model: GLM-4.5." in (x.notes or "") for x in m.values()),
    "Training compute cost (2023 USD)": lambda m: m["ADM"].training_cost.year == 2023
                                                   and m["ADM"].training_cost.value > 1000,
}


@pytest.mark.epoch
def test_each_mapped_column_of_the_real_export(epoch_csv):
    """The release the app is tested against: its columns still mean what the importer takes
    them to mean (one test, naming every column whose check fails)."""
    models = {m.name: m for m in import_epoch_csv(epoch_csv).models}
    failed = []
    for column, check in MAPPED_COLUMNS.items():
        try:
            ok = check(models)
        except (KeyError, AttributeError, TypeError) as error:   # a model or a value gone
            ok = f"{type(error).__name__}: {error}"
        if ok is not True:
            failed.append((column, ok))
    assert not failed


def test_no_task_list_comes_through_raw(notable):
    for model in notable.values():
        if model.task:
            items = model.task.split(", ")
            assert len(items) == len({i.casefold() for i in items}) and ",," not in model.task
            assert not ("Language modeling/generation" in items and "Language modeling" in items)


def test_an_older_export_gives_a_dataset_size_in_the_unit_its_notes_name(tmp_path):
    from scalemap.sources.epoch import clean_list
    path = write(tmp_path, "System,Domain,Organization,Publication date,Parameters,"
                           "Training dataset size (datapoints),Dataset size notes\n"
                           "Speech Net,Speech,Lab,2019-01-01,1e8,960,960 hours of LibriSpeech\n"
                           "Pairs Net,Multimodal,Lab,2021-01-01,1e8,4e8,400M image-text pairs\n"
                           "Vision Net,Vision,Lab,2015-01-01,1e8,1.28e6,\n")
    models = {m.name: m.training_data for m in import_epoch_csv(path).models}
    assert (models["Speech Net"].value, models["Speech Net"].unit) == (960, "hours of audio")
    assert models["Pairs Net"].unit == "image-text pairs" and models["Vision Net"].unit == "images"
    assert clean_list("Language modeling,Language modeling/generation,Language generation,Chat,Chat") \
        == "Language modeling/generation, Chat"
