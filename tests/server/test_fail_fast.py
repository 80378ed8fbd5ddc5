"""A server that cannot work says why in one line and stops: gunicorn loads the app once, in
its master, before any worker starts (preload_app), so a bad setting never boot-loops."""
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support import REPO, free_port

SERVER_CASES = [
    ("SCALEMAP_CATALOGUE", "/nonexistent", "catalogue file /nonexistent does not exist"),
    ("SCALEMAP_CATALOGUE", "{tmp}/mapping.yaml", "must be a YAML list of models"),
    ("SCALEMAP_EPOCH_CSV", "/nonexistent.csv", "Epoch file /nonexistent.csv does not exist"),
    ("SCALEMAP_EPOCH_CSV", "{tmp}/cities.csv", "is not an Epoch AI export"),
    ("WEB_CONCURRENCY", "0", "WEB_CONCURRENCY='0': the number of workers is a whole number, 1 or more"),
    ("SCALEMAP_PORT", "junk", "SCALEMAP_PORT='junk': not a whole number"),
    ("SCALEMAP_PORT", "70000", "SCALEMAP_PORT=70000: a port is a whole number from 1 to 65535"),
    ("SCALEMAP_FETCH_TIMEOUT", "soon", "SCALEMAP_FETCH_TIMEOUT='soon': not a number"),
    ("SCALEMAP_PREFER", "junk", "SCALEMAP_PREFER='junk': must be one of catalogue, epoch"),
]
COMMAND_CASES = [
    ("WEB_CONCURRENCY", "abc", "WEB_CONCURRENCY='abc': the number of workers is a whole number, 1 or more"),
    ("WEB_CONCURRENCY", "0", "WEB_CONCURRENCY='0'"),
    ("SCALEMAP_FETCH_TIMEOUT", "-1", "SCALEMAP_FETCH_TIMEOUT=-1.0: the timeout is a number of seconds, more than 0"),
    ("SCALEMAP_PREFER", "junk", "SCALEMAP_PREFER='junk': must be one of catalogue, epoch"),
]
SERVER = [sys.executable, "-m", "gunicorn", "-c", "gunicorn_conf.py", "app:server"]
COMMAND = [sys.executable, "app.py"]


@pytest.fixture(scope="module")
def starts(tmp_path_factory):
    """Every misconfigured start below, two at a time (each is seconds of imports, on two cores):
    (command, setting, value) -> (the finished process, its seconds)."""
    bad_files = tmp_path_factory.mktemp("bad")
    (bad_files / "mapping.yaml").write_text("name: not a list\n")
    (bad_files / "cities.csv").write_text("city,population\nParis,2100000\n")

    def start(command, setting, value):
        env = {**os.environ, "SCALEMAP_PORT": str(free_port()), setting: value.format(tmp=bad_files)}
        started = time.monotonic()
        result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
        return result, time.monotonic() - started

    cases = [(tuple(SERVER), setting, value) for setting, value, _ in SERVER_CASES] + \
            [(tuple(COMMAND), setting, value) for setting, value, _ in COMMAND_CASES]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(cases, pool.map(lambda case: start(*case), cases)))


@pytest.mark.parametrize("setting, value, says", SERVER_CASES)
def test_a_misconfigured_server_stops_at_once_with_one_line(starts, setting, value, says):
    result, elapsed = starts[tuple(SERVER), setting, value]
    output = result.stdout + result.stderr
    assert result.returncode != 0 and elapsed < 30
    said = [line for line in output.splitlines() if says in line]
    assert len(said) == 1 and said[0].startswith("ml-scale-map: ")
    assert "Booting worker" not in output and "Traceback" not in output


@pytest.mark.parametrize("setting, value, says", COMMAND_CASES)
def test_the_command_line_refuses_a_setting_that_cannot_work_in_one_line(starts, setting, value, says):
    result, _ = starts[tuple(COMMAND), setting, value]
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ml-scale-map: ") and says in lines[0], result.stderr


def test_a_fifo_named_like_a_catalogue_file_is_skipped_with_a_line(tmp_path):
    (tmp_path / "good.yaml").write_text(
        "- name: Good\n  organization: Lab\n  date: 2020\n  domains: [language]\n  links: [https://example.org/]\n")
    os.mkfifo(tmp_path / "x.yaml")   # opening it would wait for a writer for ever
    result = subprocess.run([sys.executable, "app.py", "report", "--catalogue", str(tmp_path)], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert f"skipped or changed: {tmp_path / 'x.yaml'} not a regular file (a FIFO, device or folder); skipped" \
        in result.stdout.splitlines()
    assert "1 models in all" in result.stdout and result.returncode == 1   # 1: something was skipped
    alone = subprocess.run([sys.executable, "app.py", "report", "--catalogue", str(tmp_path / "x.yaml")], cwd=REPO,
                           capture_output=True, text=True, timeout=60)
    assert alone.returncode == 2 and alone.stderr.strip() == f"ml-scale-map: catalogue file {tmp_path / 'x.yaml'} " \
        "is not a regular file"
