"""Hostile traffic: files, requests and settings made to cost the server time or memory, or to
break a page. Each is refused or answered at once, with one clear line, never a 500, a
traceback or a worker busy for seconds."""
import itertools
import json
import string
import time

import pytest

from scalemap.features.upload import MAX_UPLOAD_BYTES, MAX_UPLOAD_MODELS, overlay_document, read_upload
from scalemap.sources.catalogue import MAX_ENTRY_VALUES, load_bytes

QUICK = 5.0   # seconds: generous; the quadratic key check took 35 s per entry

ENTRY = """\
- name: {name}
  organization: Lab
  date: 2020
  domains: [language]
  links: [https://example.org/{name}]
"""


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


# --- 1. uploads and catalogue files: linear checks, limits applied while reading -------------------

def _many_keys(count: int) -> str:
    keys = ("".join(p) for p in itertools.product(string.ascii_lowercase, repeat=4))
    return "{" + ",".join(itertools.islice(keys, count)) + "}"


def test_two_entries_of_50000_keys_each_are_refused_in_well_under_a_second():
    entry = ENTRY + "  notes: {keys}\n"
    data = "".join(entry.format(name=f"m{i}", keys=_many_keys(50_000)) for i in range(2)).encode()
    assert 480_000 < len(data) <= MAX_UPLOAD_BYTES
    overlay, seconds = _timed(read_upload, "keys.yaml", data)
    assert seconds < QUICK
    assert overlay.models == []
    assert [p.line for p in overlay.problems] == [1, 7]
    assert all(f"more than {MAX_ENTRY_VALUES:,} keys and values" in p.reason for p in overlay.problems)


def test_a_key_given_twice_is_still_found_among_many():
    keys = _many_keys(400)
    entry = ENTRY.format(name="twice") + f"  notes: {keys[:-1]},aaab}}\n"
    models, problems = load_bytes(entry.encode(), "twice.yaml")
    assert models == [] and "the key 'aaab' is given twice" in problems[0].reason


@pytest.mark.parametrize("depth", [500, 200_000])
def test_deep_nesting_is_refused_without_recursion(depth):
    data = (ENTRY.format(name="deep") + "  notes: " + "[" * depth + "]" * depth + "\n").encode()
    (models, problems), seconds = _timed(load_bytes, data, "deep.yaml")
    assert seconds < QUICK and models == [] and len(problems) == 1
    assert "nested more than" in problems[0].reason or "bytes, more than" in problems[0].reason


def test_a_whole_file_nested_200000_deep_is_one_line():
    from scalemap.sources.catalogue import CatalogueFileError
    with pytest.raises(CatalogueFileError, match="not a YAML list of models"):
        load_bytes(b"[" * 200_000 + b"]" * 200_000, "deep.yaml")


def test_an_upload_of_50000_csv_rows_reads_only_the_first_rows_it_may_keep():
    rows = "".join(f"m{i},2020,{i + 1}\n" for i in range(50_000))
    data = ("Model,Publication date,Parameters\n" + rows).encode()[:MAX_UPLOAD_BYTES]
    overlay, seconds = _timed(read_upload, "rows.csv", data)
    assert seconds < QUICK
    assert len(overlay.models) == MAX_UPLOAD_MODELS and overlay.models[-1].name == f"m{MAX_UPLOAD_MODELS - 1}"
    first = overlay.problems[0]   # the limit, first: it says why the file's end is missing
    assert first.line == MAX_UPLOAD_MODELS + 2 and f"more than {MAX_UPLOAD_MODELS:,} rows" in first.reason
    assert len(overlay.problems) == 1


def test_an_upload_of_50000_yaml_entries_reads_only_the_first_it_may_keep():
    data = "".join(f"- m{i}\n" for i in range(50_000)).encode()   # each entry wrong: the worst case
    overlay, seconds = _timed(read_upload, "many.yaml", data)
    assert seconds < QUICK
    assert f"more than {MAX_UPLOAD_MODELS:,} entries" in overlay.problems[0].reason
    assert overlay.problems[0].line == MAX_UPLOAD_MODELS + 1
    assert len(overlay.problems) == MAX_UPLOAD_MODELS + 1


def test_a_valid_upload_of_2000_models_is_kept_whole():
    data = "".join(ENTRY.format(name=f"m{i}") for i in range(MAX_UPLOAD_MODELS)).encode()
    document, seconds = _timed(lambda: overlay_document(read_upload("fine.yaml", data)))
    assert document["count"] == MAX_UPLOAD_MODELS and document["problems"] == []
    print(f"\n{MAX_UPLOAD_MODELS:,} valid YAML entries ({len(data):,} bytes) checked in {seconds:.2f} s")


def test_one_entry_of_half_a_million_lines_is_cut_in_linear_time():
    # Adding each line's bytes to its entry copied the entry again for every line: 16 s here.
    data = b"- name: long\n" + b" #\n" * 500_000 + ENTRY.format(name="after").encode()
    (models, problems), seconds = _timed(load_bytes, data, "long.yaml")
    assert seconds < QUICK
    assert [m.name for m in models] == ["after"] and "more than 262,144" in problems[0].reason


# --- 6. a carriage return alone in a CSV's header line --------------------------------------------

CR_HEADER = b"Model,Publication date\rParameters\nx,2020,5\ny,2021,6\n"     # the header ends at the \r
CR_ONLY = b"Model,Publication date,Parameters\rx,2020,5\ry,2021,6\r"      # old Mac line ends


def test_a_lone_carriage_return_ends_a_line_for_every_csv_reader(tmp_path):
    from scalemap.sources.epoch import EpochFormatError, import_epoch_bytes, import_epoch_csv
    path = tmp_path / "cr.csv"
    path.write_bytes(CR_HEADER)
    for read in (lambda: import_epoch_csv(path), lambda: import_epoch_bytes(CR_HEADER, "cr.csv")):
        with pytest.raises(EpochFormatError, match="not an Epoch AI export.*found 'Model', 'Publication date'$"):
            read()
    path.write_bytes(CR_ONLY)
    assert [m.name for m in import_epoch_csv(path).models] == ["x", "y"]
    assert [m.name for m in import_epoch_bytes(CR_ONLY, "cr.csv").models] == ["x", "y"]


def _upload(client, filename: str, data: bytes, held: list | None = None):
    """The page's request: the file's bytes to the check's route, the tab's files in a header."""
    import urllib.parse
    return client.post("/api/check-upload", query_string={"name": filename}, data=data,
                       headers={"Content-Type": "application/octet-stream",
                                "X-Held-Files": urllib.parse.quote(json.dumps(held or []))})


def test_an_upload_with_a_carriage_return_in_its_header_is_answered_in_words(app, fresh_limits):
    response = _upload(app.server.test_client(), "cr.csv", CR_HEADER)
    assert response.status_code == 422, response.data[:300]
    message = response.get_json()["message"]
    assert "not an Epoch AI export" in message["props"]["children"]
    response = _upload(app.server.test_client(), "cr.csv", CR_ONLY)
    assert response.status_code == 200 and response.get_json()["document"]["count"] == 2


def test_boot_on_an_export_with_a_carriage_return_in_its_header_stops_with_one_line(tmp_path):
    import os
    import subprocess
    import sys

    from tests.support import REPO
    path = tmp_path / "cr.csv"
    path.write_bytes(CR_HEADER)
    for command in (["app.py", "report", "--epoch", str(path)], ["-c", "import app; app.server"]):
        done = subprocess.run([sys.executable, *command], cwd=REPO, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "SCALEMAP_EPOCH_CSV": str(path)})
        assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
        assert done.stderr.strip().splitlines()[-1].startswith(f"ml-scale-map: {path} is not an Epoch AI export")


# --- 4. valid uploads and exports in bulk: rows read up to the cap, limits per address ------------

def _message_text(response) -> str:
    return json.dumps(response.get_json()["message"], ensure_ascii=False)


def test_the_upload_answer_says_what_was_kept_skipped_and_not_read(app, fresh_limits):
    rows = "bad,not a date,1\n" + "".join(f"m{i},2020,{i + 1}\n" for i in range(41_000))
    data = ("Model,Publication date,Parameters\n" + rows).encode()[:MAX_UPLOAD_BYTES]
    response = _upload(app.server.test_client(), "big.csv", data)
    text = _message_text(response)
    assert f"big.csv: {MAX_UPLOAD_MODELS - 1:,} models added, 1 skipped; the file holds more than " \
           f"{MAX_UPLOAD_MODELS:,} rows: from line {MAX_UPLOAD_MODELS + 2:,} on it was not read; 1 problem:" in text
    assert "line 2: [bad] date: not a date" in text


def test_uploads_past_the_limit_are_refused_before_they_are_read(app, fresh_limits):
    from scalemap.settings import Settings
    allowed = int(Settings().upload_rate.split()[0])   # "10 per minute; …"
    client = app.server.test_client()
    good = b"Model,Publication date,Parameters\nx,2020,5\n"
    for _ in range(allowed):
        assert "1 model added" in _message_text(_upload(client, "ok.csv", good))
    refused = _upload(client, "ok.csv", good)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    assert "Too many files checked from this address lately" in _message_text(refused)
    fresh_limits.reset()   # another minute
    assert "1 model added" in _message_text(_upload(client, "ok.csv", good))


def test_an_upload_sent_while_another_is_checked_is_answered_busy_at_once(app, fresh_limits):
    # Issue 18: 20 clients uploading valid files kept every worker checking them, and a new
    # visitor's page waited behind the queue (13.7 s at worst). One check at a time in the whole
    # server; another file is answered "busy" at once, and not counted against its address.
    from components.http import upload_check_slot
    from scalemap.settings import Settings
    client = app.server.test_client()
    good = b"Model,Publication date,Parameters\nx,2020,5\n"
    with upload_check_slot(app.server) as free:   # a file being checked elsewhere
        assert free
        for _ in range(int(Settings().upload_rate.split()[0]) + 1):
            busy, took = _timed(_upload, client, "ok.csv", good)
            assert busy.status_code == 503 and took < 1.0 and busy.headers["Retry-After"] == "3"
            assert busy.get_json()["document"] is None
            assert "ok.csv: the server is busy checking other files" in _message_text(busy)
    assert "1 model added" in _message_text(_upload(client, "ok.csv", good))   # the slot is free again


def test_a_file_too_large_or_for_a_full_tab_is_refused_from_the_headers(app, fresh_limits):
    client = app.server.test_client()
    big = _upload(client, "big.csv", b"x" * (MAX_UPLOAD_BYTES + 1))
    assert big.status_code == 413 and "big.csv: 512 KB; files up to 512 KB can be added" in _message_text(big)
    assert _upload(client, "notes.txt", b"hello").status_code == 422


def test_a_file_is_checked_at_the_lowest_cpu_priority_and_its_errors_reach_the_request():
    # The check's CPU goes last: the worker answering a visitor's page gets it first.
    import os
    import threading

    from components.upload import at_low_priority
    own = lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())  # noqa: E731
    before = own()
    assert at_low_priority(own) == 19 and own() == before   # the request's own thread is left as it was

    def broken():
        raise ValueError("a bad file")
    with pytest.raises(ValueError, match="a bad file"):
        at_low_priority(broken)


def test_a_worker_that_dies_checking_a_file_frees_its_slot(app):
    # The slot is a lock file held with flock: another process sees it taken, and free once
    # the holder is gone, however it went.
    import multiprocessing
    import os
    import signal

    from components.http import upload_check_slot
    fork = multiprocessing.get_context("fork")
    held = fork.Event()
    # The holder waits on a pipe, not on an Event: a process killed inside Event.wait leaves the
    # Event's condition counting a sleeper that never wakes, and a later set() waits for it forever.
    release, keep_waiting = fork.Pipe()

    def hold():
        with upload_check_slot(app.server) as free:
            assert free
            held.set()
            keep_waiting.poll(30)
    holder = fork.Process(target=hold)
    holder.start()
    try:
        assert held.wait(30)
        with upload_check_slot(app.server) as free:
            assert not free                            # taken in another process
        os.kill(holder.pid, signal.SIGKILL)            # killed holding it
        holder.join(30)
        assert holder.exitcode == -signal.SIGKILL
        with upload_check_slot(app.server) as free:
            assert free
    finally:
        release.send(True)                             # (a holder still alive lets go)
        holder.join(5)


def test_a_tab_holds_at_most_its_models_and_files_across_files(app, fresh_limits):
    from scalemap.features.upload import MAX_UPLOAD_FILES
    client = app.server.test_client()
    rows = "".join(f"m{i},2020,{i + 1}\n" for i in range(30))
    data = ("Model,Publication date,Parameters\n" + rows).encode()
    held = [{"name": "a.csv", "count": MAX_UPLOAD_MODELS - 10}]
    text = _message_text(_upload(client, "b.csv", data, held=held))
    assert "b.csv: 10 models added; the file holds more than 10 rows: from line 12 on it was not read " \
           f"(your other files hold {MAX_UPLOAD_MODELS - 10:,} of the {MAX_UPLOAD_MODELS:,} models a tab keeps)" in text
    full = [{"name": "a.csv", "count": MAX_UPLOAD_MODELS}]
    assert "already hold 2,000 models" in _message_text(_upload(client, "b.csv", data, held=full))
    many = [{"name": f"{i}.csv", "count": 1} for i in range(MAX_UPLOAD_FILES)]
    assert f"already holds {MAX_UPLOAD_FILES} files" in _message_text(_upload(client, "b.csv", data, held=many))
    again = _message_text(_upload(client, "a.csv", data, held=full))     # a.csv again: it replaces itself
    assert "a.csv: 30 models added; it replaces the earlier a.csv (2,000 models)" in again


def test_exports_past_the_limit_are_answered_429_with_when_to_retry(app, fresh_limits):
    from scalemap.settings import Settings
    allowed = int(Settings().export_rate.split()[0])   # "60 per minute"
    client = app.server.test_client()
    for i in range(allowed):   # the two exports share one count
        assert client.get("/data.csv" if i % 2 else "/api/models.json?q=gpt").status_code == 200
    refused = client.get("/data.csv?domain=vision")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json() == {"error": f"too many exports from this address (at most {allowed} per minute); "
                                           "try again shortly"}
    other = client.get("/data.csv", environ_base={"REMOTE_ADDR": "192.0.2.7"})   # another address
    assert other.status_code == 200


def test_a_rate_limit_store_that_cannot_work_is_one_line_at_boot():
    import os
    import subprocess
    import sys

    from tests.support import REPO
    for setting, value, says in (("SCALEMAP_RATE_LIMIT_STORAGE", "nosuch://x", "SCALEMAP_RATE_LIMIT_STORAGE='nosuch://x'"),
                                 ("SCALEMAP_UPLOAD_RATE", "lots", "SCALEMAP_UPLOAD_RATE='lots': a rate is written")):
        done = subprocess.run([sys.executable, "app.py", "report"], cwd=REPO, capture_output=True, text=True,
                              timeout=120, env={**os.environ, setting: value})
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2 and "Traceback" not in done.stderr and lines[-1].startswith(f"ml-scale-map: {says}"), \
            done.stderr[-1500:]


# --- 5. exports: streamed, and kept per (dataset version, query) -------------------------------------

BIG = 5_000   # models: enough for a whole export to take six times a streamed one's memory


@pytest.fixture(scope="module")
def big_dataset(tmp_path_factory):
    from scalemap.dataset.build import build_dataset
    path = tmp_path_factory.mktemp("big") / "big.csv"
    rows = "".join(f"Big model {i},Lab {i % 50},2021-{i % 12 + 1:02d}-01,Language,{i + 1}e6,{i + 1}e18,"
                   f"\"{'a note ' * 20}\",https://example.org/{i}\n" for i in range(BIG))
    path.write_text("Model,Organization,Publication date,Domain,Parameters,Training compute (FLOP),"
                    "Training compute notes,Link\n" + rows)
    return build_dataset(epoch_paths=[path], bundled=False)


def test_an_export_streams_in_constant_memory_and_says_the_same(big_dataset):
    import tracemalloc

    from scalemap.features.export import CHUNK_ROWS, DEFAULT_VIEW, export_csv, export_json, stream_csv, stream_json

    def peak(make) -> int:
        tracemalloc.start()
        try:
            make()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    whole = peak(lambda: export_csv(big_dataset, DEFAULT_VIEW))
    streamed = peak(lambda: sum(len(part) for part in stream_csv(big_dataset, DEFAULT_VIEW)))
    print(f"\n{BIG:,} models to CSV: {whole / 2**20:.1f} MB at the peak whole, "
          f"{streamed / 2**20:.1f} MB streamed ({CHUNK_ROWS} rows at a time)")
    assert streamed * 4 < whole
    assert "".join(stream_csv(big_dataset, DEFAULT_VIEW)) == export_csv(big_dataset, DEFAULT_VIEW)
    assert json.loads("".join(stream_json(big_dataset, DEFAULT_VIEW))) == export_json(big_dataset, DEFAULT_VIEW)


def test_one_large_export_is_built_at_a_time_and_the_next_is_told_busy_with_when_to_retry(app, fresh_limits,
                                                                                           monkeypatch):
    # A worker streaming 100,000 models answers nothing else for seconds: with one large export
    # built at a time the other workers stay free for visitors (benchmarks/export_flood.py).
    from components import http
    from components.http import EXPORT_SLOTS_KEY
    client = app.server.test_client()
    with app.server.extensions[EXPORT_SLOTS_KEY].slot() as free:     # a large export being built
        assert free
        assert client.get("/data.csv?domain=games").status_code == 200   # a small one does not wait
        monkeypatch.setattr(http, "EXPORT_SLOT_FROM_MODELS", 10)       # the bundled views count as large
        busy = client.get("/data.csv?domain=biology")
        assert busy.status_code == 503 and int(busy.headers["Retry-After"]) > 0
        assert "busy with another export" in busy.get_json()["error"]
        assert client.get("/").status_code == 200                     # the page is not held up
    streamed = client.get("/api/models.json?domain=biology", buffered=False)
    assert streamed.status_code == 200
    with app.server.extensions[EXPORT_SLOTS_KEY].slot() as free:     # held while it streams …
        assert not free
    b"".join(streamed.response)
    streamed.close()
    with app.server.extensions[EXPORT_SLOTS_KEY].slot() as free:     # … freed once it is sent
        assert free
    assert client.get("/data.csv?domain=biology").status_code == 200


def test_exports_are_kept_per_dataset_version_and_query(app, fresh_limits):
    from components.http import EXPORTS_KEY
    from scalemap.features.export import DEFAULT_VIEW, export_csv
    cache = app.server.extensions[EXPORTS_KEY]
    dataset = app.server.config["SCALEMAP_DATASET"]
    client = app.server.test_client()
    first = client.get("/data.csv?domain=games")                     # streamed: no length known ahead
    assert first.status_code == 200 and "Content-Length" not in first.headers and first.data   # (read: kept)
    held = len(cache)
    again = client.get("/data.csv?domain=games&show=x&model=..%2F")   # the same models: the answer kept
    assert again.headers["Content-Length"] == str(len(first.data)) and again.data == first.data
    assert len(cache) == held
    everything = client.get("/data.csv?domain=%3Cscript%3E")           # junk: the default view
    assert everything.data.decode() == export_csv(dataset, DEFAULT_VIEW)
    for junk in ("?domain=nothing", "?from=abc", "?org=%00", "?q="):
        assert client.get("/data.csv" + junk).data == everything.data
    assert len(cache) == held + 1 and cache.bytes < 32 * 2**20


def test_the_export_cache_is_bounded_and_keeps_only_whole_small_answers():
    from components.http import ExportCache
    cache = ExportCache(max_bytes=1_000, largest=400)
    for i in range(5):
        assert b"".join(cache.keep(("v", "csv", f"?q={i}"), ["x" * 150, "y" * 150])) == b"x" * 150 + b"y" * 150
    assert len(cache) == 3 and cache.bytes <= 1_000 and cache.get(("v", "csv", "?q=4")) == b"x" * 150 + b"y" * 150
    list(cache.keep(("v", "csv", "?q=big"), ["z" * 300, "z" * 300]))   # larger than one answer may be
    parts = cache.keep(("v", "csv", "?q=cut"), ["a", "b"])
    next(parts)
    parts.close()                                                      # the client went away
    assert cache.get(("v", "csv", "?q=big")) is None and cache.get(("v", "csv", "?q=cut")) is None


# --- 7. markup from the data, where Plotly reads markup ------------------------------------------

def test_plotly_text_shows_markup_as_written():
    from scalemap.features.charts import plotly_text
    assert plotly_text('<a href="https://evil.example/">x</a> & <b>') == \
        '&lt;a href="https://evil.example/"&gt;x&lt;/a&gt; &amp; &lt;b&gt;'
    assert plotly_text("language") == "language"


# --- 10. smaller: the estimator's overflow --------------------------------------------------------

ESTIMATOR_INPUTS = ["my-parameters", "my-tokens", "my-chip", "my-chips", "my-utilisation", "my-days", "my-replicas"]


@pytest.mark.parametrize("values, says", [
    (["1e308", "2T", None, None, "0.3-0.5", None, "1"], "6·N·D: the estimate is out of range: the inputs multiply "
                                                          "to more than 1.8e308 FLOP"),
    (["1e-200", "1e-200", None, None, "0.3-0.5", None, "1"], "less than 5e-324 FLOP"),
    ([None, None, "H100 SXM", "1e300", "0.3-0.5", "1e300", "1"], "Hardware: the estimate is out of range"),
])
def test_an_estimate_out_of_the_floats_range_is_answered_in_words(app, values, says):
    client = app.server.test_client()
    inputs = [{"id": i, "property": "value", "value": v} for i, v in zip(ESTIMATOR_INPUTS, values)]
    shown = client.post("/_dash-update-component", json={
        "output": "my-estimates.children", "outputs": {"id": "my-estimates", "property": "children"},
        "inputs": inputs, "changedPropIds": ["my-tokens.value"], "state": []})
    assert shown.status_code == 200 and says in json.dumps(shown.get_json(), ensure_ascii=False)
    put_callback = next(d for d in client.get("/_dash-dependencies").get_json()
                        if d["inputs"] == [{"id": "my-put", "property": "n_clicks"}])
    put = client.post("/_dash-update-component", json={
        "output": put_callback["output"],
        "outputs": [{"id": "my-model", "property": "data"}, {"id": "my-message", "property": "children"}],
        "inputs": [{"id": "my-put", "property": "n_clicks", "value": 1}],
        "state": [{"id": "my-name", "property": "value", "value": "Huge"},
                  {"id": "my-date", "property": "value", "value": "2024-01-01"},
                  {"id": "my-method", "property": "value", "value": "hardware" if values[2] else "arithmetic"},
                  *[{**i, "property": "value"} for i in inputs]],
        "changedPropIds": ["my-put.n_clicks"]})
    assert put.status_code == 200 and says in json.dumps(put.get_json(), ensure_ascii=False), put.data[:300]
