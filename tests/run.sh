#!/usr/bin/env bash
# Install everything the tests need (Debian Chromium, Node's npm, a venv with the project and
# its test extras, the pinned JS linter), lint, then run the suite. Safe to run again.
#   bash tests/run.sh            everything (what CI runs): the two lanes below at once
#   bash tests/run.sh --fast     lint and the tests that need no browser
#   bash tests/run.sh ARGS…      pytest ARGS… (after lint), in one process
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
{ [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || need+=(chromium chromium-driver)
command -v npm >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
    echo "tests/run.sh: installing ${need[*]} (Debian)"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

VENV="${SCALEMAP_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
# pip again only when pyproject.toml changed or the venv holds another checkout (a no-op pip run
# still costs seconds of every fast lane).
installed="$(pwd) $(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$VENV/.scalemap-tests-installed" 2>/dev/null)" != "$installed" ]; then
    "$VENV/bin/pip" install -q --disable-pip-version-check -e ".[test]"
    echo "$installed" > "$VENV/.scalemap-tests-installed"
fi
[ -x node_modules/.bin/biome ] || npm ci --silent --no-audit --no-fund

echo "tests/run.sh: ruff (Python) and biome (JavaScript)"
"$VENV/bin/ruff" check --quiet .
node_modules/.bin/biome lint --error-on-warnings assets

if [ "${1:-}" = "--fast" ]; then
    shift
    exec "$VENV/bin/python" -m pytest -m "not browser" "$@"
fi
if [ $# -gt 0 ]; then
    exec "$VENV/bin/python" -m pytest "$@"
fi

# Everything: the browser lane and the rest at once (the browser lane spends much of its time
# waiting on Chromium and gunicorn, so it runs in two processes, each with its own server and
# Chromium: pytest-xdist). The other lane's report follows the browser's.
others_log="$(mktemp)"
trap 'rm -f "$others_log"' EXIT
"$VENV/bin/python" -m pytest -m "not browser" >"$others_log" 2>&1 &
others=$!
echo "tests/run.sh: the browser lane (the other lane runs beside it; its report follows)"
browser_status=0
"$VENV/bin/python" -m pytest -m browser -n 2 || browser_status=$?
others_status=0
wait "$others" || others_status=$?
echo "tests/run.sh: the lane without a browser"
cat "$others_log"
echo "tests/run.sh: browser lane exit $browser_status, the other lane exit $others_status"
[ "$browser_status" -eq 0 ] && [ "$others_status" -eq 0 ]
