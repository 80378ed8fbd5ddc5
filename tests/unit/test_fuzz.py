"""Fuzzing the loaders and the callbacks (seeded, bounded): a broken file, row or request is
reported or answered, never a traceback, a hang, a 500, or good data lost.

A mutation damages a few bytes of a file (the bundled catalogue, the tests' Epoch export); every
entry (catalogue) or row (Epoch CSV) whose bytes it did not touch must still load. For a stray or
deleted quote, which changes how the rest of the file is cut into rows, every row after it counts
as touched; a deleted line break touches the line it joins on."""
import json
import random
import re
import time

import pytest

from scalemap.sources.catalogue import DEFAULT_CATALOGUE_DIR, CatalogueFileError, load_catalogue
from scalemap.sources.epoch import EpochFormatError, import_epoch_csv
from tests.support import EPOCH_SAMPLE

CATALOGUE_CASES = 520
EPOCH_CASES = 320
CALLBACK_CASES = 1050
SLOW = 5.0   # seconds: a load slower than this is a hang


# --- mutations ------------------------------------------------------------------------------------

def _insert(data: bytes, at: int, text: bytes) -> tuple[bytes, list[tuple[int, int]]]:
    """Inserted at `at`: the byte before and the byte after count as touched (text put at the
    start of an entry's line belongs to the entry before it)."""
    return data[:at] + text + data[at:], [(max(0, at - 1), at + 1)]


def _line_starts(data: bytes) -> list[int]:
    return [0] + [m.end() for m in re.finditer(rb"\n", data)][:-1]


def mutate(data: bytes, rng: random.Random, kinds) -> tuple[bytes, list[tuple[int, int]], str]:
    """One damage: the new bytes, the byte ranges of the original it touched, and its kind."""
    kind = rng.choice(kinds)
    at = rng.randrange(len(data))
    lines = _line_starts(data)
    line = rng.choice(lines)
    if kind == "control":
        return (*_insert(data, at, bytes([rng.choice([0, 1, 7, 8, 11, 12, 27, 127])])), kind)
    if kind == "binary":
        return (*_insert(data, at, bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))), kind)
    if kind == "latin-1":
        return (*_insert(data, at, "déjà vu façade".encode("latin-1")), kind)
    if kind == "delete":
        end = min(len(data), at + rng.randint(1, 30))
        gone = data[at:end]
        # A quote deleted changes how the rest of the file is read (as a stray quote does); a line
        # break deleted joins the next line to this one.
        reach = len(data) if b'"' in gone else end + (b"\n" in gone)
        return data[:at] + data[end:], [(at, reach)], kind
    if kind == "truncate":
        return data[:at], [(at, len(data))], kind
    if kind == "huge":
        return (*_insert(data, at, b"x" * rng.choice([70_000, 300_000])), kind)
    if kind == "dedent":
        end = line
        while end < len(data) and data[end:end + 1] == b" ":
            end += 1
        return data[:line] + data[end:], [(line, end + 1)], kind
    if kind == "marker":
        return (*_insert(data, line, rng.choice([b"---\n", b"...\n", b"--- !!python/object:os.system\n"])), kind)
    if kind == "alias bomb":
        bomb = b"- &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + b"".join(
            b"- &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n" % ((98 + i,) + (97 + i,) * 9) for i in range(8))
        return (*_insert(data, line, bomb), kind)
    if kind == "duplicate key":
        return (*_insert(data, line, b"  name: twice\n" if rng.random() < 0.5 else b"  organization: twice\n"), kind)
    if kind == "bad values":
        value = rng.choice([b"date: 2020-13-45", b"date: 0", b"date: .nan", b"parameters: {value: 5e-324, "
                            b"confidence: likely}", b"parameters: {value: -1, confidence: likely}",
                            b"training_compute: {value: .inf, confidence: likely}", b"domains: [cooking]"])
        return (*_insert(data, line, b"  " + value + b"\n"), kind)
    if kind == "bom":
        return b"\xef\xbb\xbf" * rng.randint(1, 3) + data, [], kind
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n"), [], kind
    if kind == "stray quote":
        return (*_insert(data, at, b'"'), kind)
    if kind == "extra field":
        end = data.find(b"\n", line)
        return (*_insert(data, end if end > 0 else len(data), b",surplus"), kind)
    if kind == "semicolons":
        return data, [], kind   # applied by the Epoch fuzzer to the whole file
    raise ValueError(kind)


def touched(ranges: list[tuple[int, int]], spans: list[tuple[int, int]], to_end=False) -> set[int]:
    """Indexes of the spans (entries, rows) a damage overlaps; to the end of the file if `to_end`."""
    hit = set()
    for start, end in ranges:
        for i, (span_start, span_end) in enumerate(spans):
            if (span_start < end and start < span_end) or (start == span_end and i + 1 == len(spans)) \
                    or (to_end and span_end > start):
                hit.add(i)
    return hit


# --- the catalogue ------------------------------------------------------------------------------------

CATALOGUE_KINDS = ("control", "binary", "latin-1", "delete", "truncate", "huge", "dedent", "marker",
                   "alias bomb", "duplicate key", "bad values", "bom", "crlf")


@pytest.fixture(scope="module")
def catalogue_sample():
    """Twenty real entries, as the file text and each entry's byte span and name."""
    text = (DEFAULT_CATALOGUE_DIR / "language.yaml").read_bytes()
    starts = [m.start() for m in re.finditer(rb"(?m)^- name: ", text)][:21]
    data = text[starts[0]:starts[20]]
    spans = [(s - starts[0], e - starts[0]) for s, e in zip(starts, starts[1:])]
    names = [re.match(rb"- name: (.*)", data[s:e]).group(1).decode() for s, e in spans]
    return data, spans, names


def test_broken_catalogues_lose_only_the_entries_they_break(catalogue_sample, tmp_path):
    data, spans, names = catalogue_sample
    models, problems = load_catalogue(_write(tmp_path, "clean.yaml", data))
    assert [m.name for m in models] == names and not problems
    rng = random.Random(2026)
    lost_good, refused_whole, slowest, kinds = [], 0, 0.0, set()
    for case in range(CATALOGUE_CASES):
        mutated, ranges, kind = mutate(data, rng, CATALOGUE_KINDS)
        kinds.add(kind)
        path = _write(tmp_path, f"case{case}.yaml", mutated)
        started = time.perf_counter()
        try:
            models, problems = load_catalogue(path)
        except CatalogueFileError:   # only when no "- " entry is left at the margin
            refused_whole += 1
            assert not re.search(rb"(?m)^-( |$)", mutated), (kind, case)
            continue
        slowest = max(slowest, time.perf_counter() - started)
        loaded = {m.name for m in models}
        untouched = set(range(len(spans))) - touched(ranges, spans)
        lost_good += [(case, kind, names[i]) for i in sorted(untouched) if names[i] not in loaded]
    print(f"\n{CATALOGUE_CASES} damaged catalogues ({len(kinds)} kinds of damage): "
          f"{len(lost_good)} untouched entries lost, {refused_whole} refused whole, slowest load {slowest:.2f} s")
    assert lost_good == [] and slowest < SLOW and len(kinds) == len(CATALOGUE_KINDS)


def _write(folder, name, data: bytes):
    path = folder / name
    path.write_bytes(data)
    return path


# --- Epoch's CSV --------------------------------------------------------------------------------------

EPOCH_KINDS = ("control", "binary", "latin-1", "delete", "truncate", "huge", "bom", "crlf", "stray quote",
               "extra field", "semicolons")


@pytest.fixture(scope="module")
def epoch_sample():
    """The header and the rows of the test's Epoch export (tests/fixtures) that load without a
    problem and have no quoted line break (so one row is one line), as bytes, with each row's
    byte span and name."""
    import csv
    import io

    from scalemap.sources.epoch import clean_name
    imported = import_epoch_csv(EPOCH_SAMPLE)
    clean = {m.name for m in imported.models} - {p.name for p in imported.problems}
    rows = list(csv.reader(io.StringIO(EPOCH_SAMPLE.read_text(encoding="utf-8"), newline="")))
    header, body = rows[0], [r for r in rows[1:] if clean_name(r[0]) in clean
                             and not any("\n" in cell or "\r" in cell for cell in r)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    spans, names = [], []
    for row in body:
        start = len(out.getvalue().encode())
        writer.writerow(row)
        spans.append((start, len(out.getvalue().encode())))
        names.append(row[0].strip())
    return out.getvalue().encode(), spans, names


def test_broken_epoch_exports_lose_only_the_rows_they_break(epoch_sample, tmp_path):
    data, spans, names = epoch_sample
    assert [m.name for m in import_epoch_csv(_write(tmp_path, "clean.csv", data)).models] == names
    rng = random.Random(2027)
    lost_good, refused_whole, slowest, kinds = [], [], 0.0, set()
    for case in range(EPOCH_CASES):
        mutated, ranges, kind = mutate(data, rng, EPOCH_KINDS)
        kinds.add(kind)
        if kind == "semicolons":   # the whole file re-written with ';' between cells
            import csv
            import io
            rows = csv.reader(io.StringIO(data.decode(), newline=""))
            out = io.StringIO()
            csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
            mutated = out.getvalue().encode()
        if kind == "latin-1":   # the whole file in Windows-1252, as a spreadsheet may save it
            mutated = data.decode().encode("cp1252", "replace")
        path = _write(tmp_path, f"case{case}.csv", mutated)
        started = time.perf_counter()
        try:
            result = import_epoch_csv(path)
        except EpochFormatError as error:   # allowed only when the header itself was damaged
            refused_whole.append((case, kind))
            assert any(start < spans[0][0] for start, _ in ranges), (case, kind, str(error))
            continue
        slowest = max(slowest, time.perf_counter() - started)
        loaded = {m.name for m in result.models}
        hit = touched(ranges, spans, to_end=kind in ("stray quote",))
        untouched = set(range(len(spans))) - hit
        lost_good += [(case, kind, names[i]) for i in sorted(untouched) if names[i] not in loaded]
    print(f"\n{EPOCH_CASES} damaged Epoch exports ({len(kinds)} kinds of damage): {len(lost_good)} untouched "
          f"rows lost, {len(refused_whole)} refused whole (damaged header), slowest import {slowest:.2f} s")
    assert lost_good == [] and slowest < SLOW and len(kinds) == len(EPOCH_KINDS)


# --- callbacks ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def junk(rng: random.Random, depth: int = 0):
    choices = [None, True, False, 0, -1, 2**63, 1e308, -0.0, "", "x", "?domain=language", "../../etc",
               "<script>alert(1)</script>", "a" * rng.choice([10, 5000, 200_000]), "gpt-3-175b",
               "%00%ff", "🤖" * 50, [], {}, ["language"], [1950, 2025], [2025, 1950], ["a", "b"],
               {"key": "?domain=vision"}, {"key": 5}, {"points": [{"customdata": 3}]}]
    if depth < 3 and rng.random() < 0.2:
        return [junk(rng, depth + 1) for _ in range(rng.randint(0, 4))] if rng.random() < 0.5 else \
            {rng.choice(["key", "a", "points", ""]): junk(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    return rng.choice(choices)


def callback_bodies(rng: random.Random, dependencies: list[dict]):
    """(request, in Dash's shape?): Dash's shape with junk values, and requests that are not
    even that."""
    server_side = [d for d in dependencies if not d.get("clientside_function")]
    for _ in range(CALLBACK_CASES):
        if rng.random() < 0.15:   # not Dash's protocol at all
            yield rng.choice([junk(rng), {"output": junk(rng)}, {"output": "x.y", "inputs": junk(rng)},
                              {"inputs": [{"id": junk(rng), "property": junk(rng), "value": 1}]}]), False
            continue
        callback = rng.choice(server_side)
        outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]}
                   for o in callback["output"].strip(".").split("...")]
        if not callback["output"].startswith(".."):   # a single output: Dash sends it alone
            outputs = outputs[0]
        shaped = rng.random() >= 0.05   # else the outputs spec itself is junk
        body = {"output": callback["output"], "outputs": outputs if shaped else junk(rng),
                "inputs": [{"id": i["id"], "property": i["property"], "value": junk(rng)} for i in callback["inputs"]],
                "state": [{"id": s["id"], "property": s["property"], "value": junk(rng)} for s in callback["state"]],
                "changedPropIds": [f"{i['id']}.{i['property']}" for i in callback["inputs"][:1]]}
        yield body, shaped


def test_junk_sent_to_the_callbacks_never_gets_a_500(client):
    dependencies = client.get("/_dash-dependencies").get_json()
    assert len([d for d in dependencies if not d.get("clientside_function")]) >= 3   # card, trends, CSV
    rng = random.Random(2028)
    statuses, slowest, refused_values = {}, 0.0, []
    for body, shaped in callback_bodies(rng, dependencies):
        started = time.perf_counter()
        response = client.post("/_dash-update-component", data=json.dumps(body),
                               content_type="application/json")
        slowest = max(slowest, time.perf_counter() - started)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, (body if len(json.dumps(body)) < 2000 else "(large)",
                                            response.data[:300])
        # A request in Dash's own shape is answered, whatever its values: junk reads as defaults.
        if shaped and response.status_code >= 400:
            refused_values.append(json.dumps(body)[:300])
    print(f"\n{CALLBACK_CASES} junk callback requests: {dict(sorted(statuses.items()))}, slowest {slowest:.2f} s")
    assert slowest < SLOW and refused_values == []
    huge = client.post("/_dash-update-component", data=b"[" + b"1," * 600_000 + b"1]",
                       content_type="application/json")
    assert huge.status_code == 413 and huge.get_json()["error"]
