"""Which plotly.js the page loads.

The charts draw one kind of trace: scatter, in SVG up to `WEBGL_FROM_POINTS` points a chart
and in WebGL (scattergl) above. Plotly publishes a cartesian bundle that has scatter but not
scattergl, a third of the full bundle's size (1.50 MB against 4.82 MB, and as much less
script to evaluate before the first chart draws). A page whose charts all draw in SVG (the
bundled catalogue) loads it, from `assets/vendor/` (a folder Dash does not load by itself);
a page with a WebGL chart loads the full bundle the `plotly` package ships, which Dash serves.
Either is a plain script before Dash's, so `window.Plotly` is set before anything draws.

The light bundle is npm's `plotly.js-cartesian-dist-min` at the version of plotly.js that the
`plotly` package ships (a test checks they agree), checked against the digest below;
`python -m components.plotly_bundle` fetches it again from the npm registry and checks it."""
from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

import plotly
from dash import Dash
from dash.fingerprint import build_fingerprint

from scalemap.features.charts import ALL_CHARTS, uses_webgl

VERSION = "4.1.1"
PACKAGE = "plotly.js-cartesian-dist-min"
TARBALL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
# The registry's integrity of the tarball, and the digest of the one file kept from it.
TARBALL_SHA512 = "o8GrFeusncwBIxbBynRJpY4pkgVB6caM+JLpwrLYbbsO7dZ8FJ+SVN2Fr+L7kiG/Z6w4P5O0Jus/Qr5EefHVeg=="
LIGHT_SHA256 = "79542150855a52c567260e3137095dbe2b744e6d702a5cabe67da246942fba7a"
ASSETS = Path(__file__).resolve().parent.parent / "assets"
LIGHT = Path("vendor") / f"plotly-cartesian-{VERSION}.min.js"   # under assets/
FULL = "package_data/plotly.min.js"                              # in the plotly package


def needs_webgl(frame) -> bool:
    return any(uses_webgl(frame, chart) for chart in ALL_CHARTS)


def script_url(app: Dash, frame) -> str:
    """The plotly.js this dataset's charts need, at a URL that names its version (served with
    a long cache life)."""
    if not needs_webgl(frame):
        light = ASSETS / LIGHT
        return f"{app.get_asset_url(LIGHT.as_posix())}?m={int(light.stat().st_mtime)}"
    full = Path(plotly.__file__).parent / FULL
    app.registered_paths["plotly"].add(FULL)   # what Dash's script route agrees to serve
    fingerprint = build_fingerprint(FULL, plotly.__version__, int(full.stat().st_mtime))
    return f"{app.config.requests_pathname_prefix}_dash-component-suites/plotly/{fingerprint}"


def fetch(to: Path = ASSETS / LIGHT) -> Path:
    """Download the light bundle from the npm registry, check both digests, write it to `to`."""
    with urllib.request.urlopen(TARBALL, timeout=60) as response:
        tarball = response.read()
    if base64.b64encode(hashlib.sha512(tarball).digest()).decode() != TARBALL_SHA512:
        raise ValueError(f"{TARBALL}: not the tarball pinned here (its sha512 differs)")
    with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
        script = archive.extractfile("package/plotly-cartesian.min.js").read()
    if hashlib.sha256(script).hexdigest() != LIGHT_SHA256:
        raise ValueError(f"{TARBALL}: plotly-cartesian.min.js is not the file pinned here")
    to.parent.mkdir(parents=True, exist_ok=True)
    to.write_bytes(script)
    return to


if __name__ == "__main__":
    print(fetch())
    sys.exit(0)
