"""The dataset lives on the Flask app (one read-only copy per worker), not in a module global."""
from flask import current_app

from scalemap.dataset.table import Dataset

CONFIG_KEY = "SCALEMAP_DATASET"


def current_dataset() -> Dataset:
    return current_app.config[CONFIG_KEY]
