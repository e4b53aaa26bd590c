"""Validation of single releases against the OCDS release schema (jsonschema-rs).

The validator is built once per standard directory. A valid release costs one ``is_valid``
call; only an invalid one is walked for its errors.
"""

from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from mutualwatch.procurement.standard import Standard, load_standard
from mutualwatch.untrusted_text import NUL


@dataclass(frozen=True)
class SchemaError:
    """One reason a release is invalid: where (a JSON Pointer into the release) and why."""

    path: str
    message: str
    validator: str

    def as_dict(self) -> dict[str, str]:
        # A message may quote the value, NUL and all: stored, it is written out as an escape.
        message = self.message.replace(NUL, "\\u0000")
        return {"path": self.path, "message": message, "validator": self.validator}


class ReleaseValidator:
    def __init__(self, standard: Standard) -> None:
        self._validator = jsonschema_rs.validator_for(standard.release_schema)

    def errors(self, release: Any) -> list[SchemaError]:
        """Every schema error in a release, in a stable order; empty when it is valid."""
        if self._validator.is_valid(release):
            return []
        found = {
            SchemaError(
                path=json_pointer(error.instance_path),
                message=error.message,
                validator=str(error.schema_path[-1]) if error.schema_path else "",
            )
            for error in self._validator.iter_errors(release)
        }
        return sorted(found, key=lambda e: (e.path, e.validator, e.message))


def nul_errors(release: Any, path: tuple[Any, ...] = ()) -> list[SchemaError]:
    """Where a release holds a NUL character (U+0000), in a key or a string. JSON allows it;
    PostgreSQL's text never does, so such a release is quarantined on either database."""
    if isinstance(release, str):
        return [_nul_error(path)] if NUL in release else []
    if isinstance(release, dict):
        found = [_nul_error((*path, key)) for key in release if NUL in key]
        for key, value in release.items():
            found += nul_errors(value, (*path, key))
        return found
    if isinstance(release, list):
        return [error for i, item in enumerate(release) for error in nul_errors(item, (*path, i))]
    return []


def _nul_error(path: tuple[Any, ...]) -> SchemaError:
    return SchemaError(
        path=json_pointer(
            part.replace(NUL, "\\u0000") if isinstance(part, str) else part for part in path
        ),
        message="holds a NUL character (U+0000), which mutualwatch never stores",
        validator="nul",
    )


def json_pointer(parts: Any) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


_VALIDATORS: dict[str, ReleaseValidator] = {}


def release_validator() -> ReleaseValidator:
    """The validator for the configured standard, built once per standard directory."""
    standard = load_standard()
    key = standard.directory.as_posix()
    if key not in _VALIDATORS:
        _VALIDATORS[key] = ReleaseValidator(standard)
    return _VALIDATORS[key]
