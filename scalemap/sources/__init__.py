"""Formats in: the catalogue schema, the bundled YAML catalogue, Epoch AI's CSV exports (and
fetching them), organization names, the price index, link checking."""
