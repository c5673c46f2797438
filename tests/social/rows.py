"""Hand-written canonical rows for analysis tests: posts, entities and interactions written
straight into a study, so each test states exactly what the analysis sees."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from tiplens.social.schema import DDL
from tiplens.social.tables import SocialTables, social_tables

_POST_TYPES = {
    "post_id": pa.string(), "platform": pa.string(), "account": pa.string(), "created_at": pa.timestamp("us"),
    "text": pa.string(), "lang": pa.string(), "kind": pa.string(), "likes": pa.int64(), "reposts": pa.int64(),
    "replies": pa.int64(), "quotes": pa.int64(), "views": pa.int64(), "has_media": pa.bool_(),
}


def post(pid: str, when: str, text: str | None = "", *, account: str = "iomindonesia", kind: str = "original",
         lang: str | None = "en", likes: int | None = 0, reposts: int | None = 0, replies: int | None = 0,
         quotes: int | None = 0, views: int | None = None, has_media: bool | None = False) -> dict:
    return {"post_id": pid, "platform": "twitter", "account": account, "created_at": datetime.fromisoformat(when),
            "text": text, "lang": lang, "kind": kind, "likes": likes, "reposts": reposts, "replies": replies,
            "quotes": quotes, "views": views, "has_media": has_media}


def insert(study, posts: list[dict], entities: list[tuple] = (), interactions: list[tuple] = ()) -> SocialTables:
    """entities: (post_id, kind, value); interactions: (post_id, source, target, kind)."""
    study.ensure(DDL)
    study.append("posts", pa.Table.from_pylist(posts, schema=pa.schema(list(_POST_TYPES.items()))))
    if entities:
        study.append("post_entities", pa.table({
            "post_id": [e[0] for e in entities], "platform": ["twitter"] * len(entities),
            "kind": [e[1] for e in entities], "value": [e[2] for e in entities], "raw": [e[2] for e in entities]}))
    if interactions:
        study.append("interactions", pa.table({
            "post_id": [e[0] for e in interactions], "platform": ["twitter"] * len(interactions),
            "source_account": [e[1] for e in interactions], "target_account": [e[2] for e in interactions],
            "kind": [e[3] for e in interactions]}))
    return social_tables(study.tables())
