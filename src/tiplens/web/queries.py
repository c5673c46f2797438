"""Small read queries the workbench needs beyond the analyses (post browser)."""

from __future__ import annotations

from typing import Any

from tiplens.store import Study

PAGE = 50


def search_posts(study: Study, *, q: str = "", account: str = "", page: int = 1) -> tuple[list[dict[str, Any]], int]:
    if not study.has_table("posts"):
        return [], 0
    where, params = [], []
    if q:
        where.append("text ILIKE ? ESCAPE '\\'")
        params.append("%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if account:
        where.append("account = ?")
        params.append(account.lower().lstrip("@"))
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    total = study.query(f"SELECT count(*) FROM posts {clause}", params)[0][0]
    cols = ["post_id", "platform", "account", "created_at", "kind", "text", "likes", "reposts"]
    rows = study.query(f"SELECT {', '.join(cols)} FROM posts {clause} ORDER BY created_at DESC NULLS LAST "
                       f"LIMIT {PAGE} OFFSET {(page - 1) * PAGE}", params)
    return [dict(zip(cols, r, strict=True)) for r in rows], int(total)
