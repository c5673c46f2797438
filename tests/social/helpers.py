"""Small builders for social fixtures."""

from __future__ import annotations

import json
from pathlib import Path


def twarc2_page(tweets: list[dict], users: list[dict] | None = None, ref_tweets: list[dict] | None = None) -> str:
    return json.dumps({"data": tweets, "includes": {"users": users or [], "tweets": ref_tweets or []},
                       "meta": {"result_count": len(tweets)}, "__twarc": {"version": "test"}})


def tweet(i: int, when: str, text: str = "hello", author: str = "1", **extra) -> dict:
    return {"id": str(i), "author_id": author, "created_at": when, "text": text,
            "public_metrics": {"like_count": 0, "retweet_count": 0, "reply_count": 0, "quote_count": 0}, **extra}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


SAMPLE_SUFFIXES = (".jsonl", ".json", ".js", ".ndjson")


def import_every_sample(study) -> int:
    """Import every real sample export in ``../shared/data/social-samples`` (each folder's SOURCE.md
    and other non-export files left out by suffix) into ``study``; returns the posts imported. A sample
    the importers cannot read is an error here, never skipped."""
    from tests.conftest import shared
    from tiplens.social.importing import import_files

    files = [f for f in sorted(shared("social-samples").rglob("*")) if f.is_file() and f.suffix in SAMPLE_SUFFIXES]
    return import_files(study, files).imported


def import_and_read(study, path: Path, content: str, columns: str, *, short_ids: bool = False):
    """Write ``content`` to ``path`` and import it; returns the report, the posts as {post_id: the other
    ``columns``} (``short_ids``: the id's last URL segment) and the reject reasons in line order."""
    from tiplens.social.importing import import_files

    path.write_text(content, encoding="utf-8")
    report = import_files(study, [path])
    rows = {(r[0].rsplit("/", 1)[-1] if short_ids else r[0]): r[1:]
            for r in study.query(f"SELECT post_id, {columns} FROM posts")}
    reasons = [r[0] for r in study.query("SELECT reason FROM rejects ORDER BY line, reason")]
    return report, rows, reasons
