"""How the environment is read: the rules the settings and the command line share. The command
line needs them before the settings are read (``mutualwatch --demo`` decides the environment
the settings then read once), so they live here, apart from both."""

import os
from collections.abc import Mapping
from pathlib import Path

#: Where mutualwatch keeps its data when MUTUALWATCH_DATA_DIR is unset or empty.
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "var"


def env_flag(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    value = environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def data_dir(value: str | None) -> Path:
    """The data folder MUTUALWATCH_DATA_DIR names (``value``), else ``DEFAULT_DATA_DIR``."""
    return Path(value or DEFAULT_DATA_DIR).resolve()
