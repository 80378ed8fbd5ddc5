"""A server that cannot work says why in one line and stops: gunicorn loads the app once, in
its master, before any worker starts (preload_app), so a bad setting never boot-loops."""
import os
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO, _free_port


@pytest.fixture
def bad_files(tmp_path):
    (tmp_path / "mapping.yaml").write_text("name: not a list\n")
    (tmp_path / "cities.csv").write_text("city,population\nParis,2100000\n")
    return tmp_path


@pytest.mark.parametrize("setting, value, says", [
    ("SCALEMAP_CATALOGUE", "/nonexistent", "catalogue file /nonexistent does not exist"),
    ("SCALEMAP_CATALOGUE", "{tmp}/mapping.yaml", "must be a YAML list of models"),
    ("SCALEMAP_EPOCH_CSV", "/nonexistent.csv", "Epoch file /nonexistent.csv does not exist"),
    ("SCALEMAP_EPOCH_CSV", "{tmp}/cities.csv", "is not an Epoch AI export"),
])
def test_a_misconfigured_server_stops_at_once_with_one_line(bad_files, setting, value, says):
    env = {**os.environ, "SCALEMAP_PORT": str(_free_port()), setting: value.format(tmp=bad_files)}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "gunicorn", "-c", "gunicorn_conf.py", "app:server"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    assert result.returncode != 0 and elapsed < 30
    said = [line for line in output.splitlines() if says in line]
    assert len(said) == 1 and said[0].startswith("ml-scale-map: ")
    assert "Booting worker" not in output and "Traceback" not in output
