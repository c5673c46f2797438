"""Small read queries the workbench needs beyond the analyses: the post browser.

Themes are coded with the bundled codebook's own regular expressions (``Theme.regex``), run
in DuckDB as the themes analysis runs them (``re_search`` compiles to ``regexp_matches``), so
a post shows the themes it counts under in the report."""

from __future__ import annotations

from typing import Any

from tiplens.knowledge.codebook import Codebook, load_codebook
from tiplens.store import Study

PAGE = 50
COLUMNS = ["post_id", "platform", "account", "created_at", "kind", "text", "likes", "reposts"]


def search_posts(study: Study, *, q: str = "", account: str = "", theme: str = "", page: int = 1,
                 codebook: Codebook | None = None) -> tuple[list[dict[str, Any]], int]:
    """One page of posts (newest first) matching the words, account and theme; each row has
    ``themes``: the labels of the codebook themes the post is coded with."""
    if not study.has_table("posts"):
        return [], 0
    book = codebook or load_codebook()
    where, params = [], []
    if q:
        where.append("text ILIKE ? ESCAPE '\\'")
        params.append("%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if account:
        where.append("account = ?")
        params.append(account.lower().lstrip("@"))
    if theme:
        where.append("coalesce(regexp_matches(text, ?), false)")
        params.append(book.theme(theme).regex)  # KeyError for an unknown key: the caller checks
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    total = study.query(f"SELECT count(*) FROM posts {clause}", params)[0][0]
    flags = ", ".join("coalesce(regexp_matches(text, ?), false)" for _ in book.themes)
    rows = study.query(
        f"SELECT {', '.join(COLUMNS)}, {flags} FROM posts {clause} "
        f"ORDER BY created_at DESC NULLS LAST, post_id LIMIT {PAGE} OFFSET {(max(page, 1) - 1) * PAGE}",
        [t.regex for t in book.themes] + params)
    out = []
    for r in rows:
        row = dict(zip(COLUMNS, r[:len(COLUMNS)], strict=True))
        row["themes"] = [t.label for t, hit in zip(book.themes, r[len(COLUMNS):], strict=True) if hit]
        out.append(row)
    return out, int(total)
