"""The bundled data's version is what it says: version.yaml names the catalogue as it is, the
change log and its Markdown agree, CITATION.cff cites the same version, and the repository's
data package is the one the app serves for the bundled catalogue."""
import yaml

from scalemap.features.datapackage import DATAPACKAGE_FILE, datapackage_text
from scalemap.features.versions import CHANGELOG_MD, changelog_markdown, load_changelog
from scalemap.sources.catalogue import load_catalogue
from scalemap.sources.release import catalogue_digest, load_release
from tests.support import REPO

NEW_VERSION = ("the bundled catalogue changed since data version {version}: record a new one with "
               "`ml-scale-map diff <the previous revision> data/catalogue --release <YEAR.MONTH.N>` and "
               "`python -m scalemap.features.datapackage`")


def test_the_bundled_catalogue_is_its_recorded_version(bundled_dataset):
    release = load_release()
    assert release is not None, "data/version.yaml is missing or does not read as a release"
    entries, _ = load_catalogue()
    assert catalogue_digest(entries) == release.catalogue_sha256, NEW_VERSION.format(version=release.version)
    assert bundled_dataset.data_version == release.version


def test_the_change_log_starts_with_this_version_and_its_markdown_is_written_from_it():
    release, log = load_release(), load_changelog()
    assert log.versions and log.versions[0] == release.version
    assert log.entries[0]["date"] == release.date
    assert CHANGELOG_MD.read_text(encoding="utf-8") == changelog_markdown(log)


def test_citation_cff_cites_this_data_version():
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["authors"] and citation["title"]
    data = next(ref for ref in citation["references"] if ref["title"] == "ML Scale Map catalogue")
    release = load_release()
    assert str(data["version"]) == release.version and str(data["date-released"]) == release.date


def test_the_repository_data_package_is_the_served_one(bundled_dataset):
    assert DATAPACKAGE_FILE.read_text(encoding="utf-8") == datapackage_text(bundled_dataset), (
        "data/datapackage.json is stale: python -m scalemap.features.datapackage")
