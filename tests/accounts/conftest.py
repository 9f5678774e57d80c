import pytest


@pytest.fixture(autouse=True)
def _export_root(settings, tmp_path):
    """Each test builds its exports in its own folder."""
    settings.DATA_EXPORT_ROOT = str(tmp_path / "exports")
