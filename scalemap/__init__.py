"""ML Scale Map core: catalogue schema and loading, Epoch import, filtering,
trend fits, figure building and URL state. Nothing here imports Dash."""
from pathlib import Path

# The checkout (or image) the package runs from: the bundled data sit beside it.
ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
