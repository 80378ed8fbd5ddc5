"""README.md's figures about the data are the data's: recomputed here, so they cannot go
stale (`python -m scalemap.readme_figures --write` writes them in after a data change)."""
import pytest

from scalemap import readme_figures


def test_the_catalogue_figures_are_the_catalogues():
    assert readme_figures.stated("catalogue-figures") == readme_figures.catalogue_block(), \
        "README.md's catalogue figures are stale: run python -m scalemap.readme_figures --write"


@pytest.mark.epoch
def test_the_merge_figures_are_the_merges(epoch_csv):
    assert readme_figures.stated("epoch-figures") == readme_figures.epoch_block(epoch_csv), \
        "README.md's Epoch figures are stale: run python -m scalemap.readme_figures --write --epoch PATH"


def test_a_stale_figure_is_caught():
    text = "x\n<!-- catalogue-figures -->\n12 models\n<!-- /catalogue-figures -->\n"
    assert readme_figures.stated("catalogue-figures", text) == "12 models"
    assert readme_figures.stated("catalogue-figures", "no markers") is None
