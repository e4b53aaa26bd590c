import pytest


@pytest.fixture(autouse=True)
def register_store(settings, tmp_path):
    """Each test its own register store."""
    settings.REGISTERS_STORE = tmp_path / "store" / "registers.duckdb"
    return settings.REGISTERS_STORE
