"""The workbench's hold on a study: one open DuckDB file, a lock for writers, and a cache
of built pages keyed by the study's import count (so pages rebuild after an import)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tiplens.errors import BadInput
from tiplens.store import Study


@dataclass
class Settings:
    store: Path | None = None
    token: str | None = None
    api_limit: int = 10 * 1024 * 1024
    upload_limit: int = 200 * 1024 * 1024
    # Host header values accepted (None: any). `tiplens serve` on loopback sets the loopback
    # names, so a web page cannot reach the workbench through a DNS name that points at 127.0.0.1.
    allowed_hosts: tuple[str, ...] | None = None


@dataclass
class State:
    settings: Settings
    study: Study | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)
    cache: dict[str, tuple[int, Any]] = field(default_factory=dict)

    def open(self) -> None:
        if self.settings.store is not None:
            self.study = Study(self.settings.store)

    def close(self) -> None:
        if self.study is not None:
            self.study.close()
            self.study = None

    def need_study(self) -> Study:
        if self.study is None:
            raise BadInput("no study is open: start with 'tiplens serve --store STUDY.duckdb'")
        return self.study

    def version(self) -> int:
        if self.study is None or not self.study.has_table("imports"):
            return 0
        return int(self.study.query("SELECT coalesce(max(import_id), 0) FROM imports")[0][0])

    def cached(self, key: str, build: Any) -> Any:
        """Build once per study version; builders run under the lock (DuckDB connection shared)."""
        with self.lock:
            version = self.version()
            hit = self.cache.get(key)
            if hit is not None and hit[0] == version:
                return hit[1]
            value = build()
            self.cache[key] = (version, value)
            return value

    def synthetic(self) -> bool:
        """True when the study holds files labelled synthetic (the demo samples), so that pages
        carry the label wherever those figures are shown."""
        def check() -> bool:
            study = self.study
            if study is None or not study.has_table("imports"):
                return False
            if study.query("SELECT count(*) FROM imports WHERE file ILIKE '%synthetic%'")[0][0]:
                return True
            return study.has_table("posts") and bool(study.query(
                "SELECT count(*) FROM (SELECT 1 FROM posts WHERE account_name ILIKE '%(SYNTHETIC)%' LIMIT 1)")[0][0])

        return bool(self.cached("synthetic", check))

    @property
    def upload_dir(self) -> Path:
        study = self.need_study()
        folder = study.path.parent / f"{study.path.stem}-uploads"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
