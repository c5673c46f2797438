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
