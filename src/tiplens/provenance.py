"""What a report records so it can be reproduced: tool version, inputs and their hashes,
parameters and random seeds."""

from __future__ import annotations

import platform
from dataclasses import asdict, is_dataclass
from typing import TYPE_CHECKING, Any

from tiplens import __version__

if TYPE_CHECKING:
    from tiplens.store import Study


def study_inputs(study: Study, pillar: str) -> list[str]:
    """One line per imported file: name, format, sha256 and the accounting."""
    rows = study.query(
        "SELECT file, format, sha256, read, imported, duplicates, rejected FROM imports "
        "WHERE pillar = ? ORDER BY import_id, file", [pillar])
    return [f"{f} [{fmt}] sha256={sha[:16]}… read={r} imported={i} duplicates={d} rejected={j}"
            for f, fmt, sha, r, i, d, j in rows]


def describe(study: Study | None, pillar: str, params: dict[str, Any], engine: str = "duckdb") -> dict[str, Any]:
    out: dict[str, Any] = {
        "tool": f"tiplens {__version__}",
        "python": platform.python_version(),
        "engine": engine,
        "parameters": {k: _plain(v) for k, v in params.items()},
    }
    if study is not None:
        out["study"] = study.path.name
        out["inputs"] = study_inputs(study, pillar) or ["(none recorded)"]
    return out


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value if isinstance(value, int | float | str | bool | type(None)) else str(value)
