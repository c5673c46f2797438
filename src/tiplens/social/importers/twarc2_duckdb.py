"""A DuckDB-native reader for well-formed twarc2 response pages: the same rows as
:mod:`tiplens.social.importers.twarc2`, written straight into the study.

The file goes in chunks: numpy finds a chunk's newlines and Arrow numbers its lines over the
bytes as read (no copy), DuckDB parses each line
with an explicit structure of only the fields the mapper uses, unnests the tweets, joins them
with their page's ``includes`` and derives the canonical rows in SQL. Handles, hashtags and
retweet prefixes are normalised in Python over their distinct values (the same functions as
the Python path, so case rules are identical).

The reader only accepts what it can map exactly as the Python path would; on anything else
(a line that is not a page of tweets, invalid JSON or UTF-8, an id, count or date of an
unexpected form, ``"entities": null``) :func:`import_file` deletes what it wrote for the file
and returns ``None``, and the driver reads the whole file the Python way, which records every
rejected item with its line and reason.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow as pa

from tiplens.social.entities import hashtags_in, mentions_in, norm_handle, norm_hashtag, urls_in
from tiplens.store import Study

CHUNK_BYTES = 96 * 1024 * 1024  # a chunk of the file is parsed, mapped and appended at a time
BATCH_LINES = 16  # lines per Arrow record batch: DuckDB parses batches in parallel
_DIGITS = "'[0-9]+'"
_RT_OFFSET = 1 << 40  # the retweeted tweet's entities are numbered after the retweet's own
_COUNTS = "'-?[0-9]{1,18}( -?[0-9]{1,18}){4}'"
_API_TIME = r"'[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{3}Z'"

# a retweet's own text is cut at 140 characters: "RT @<parent>: " + the retweeted tweet's whole text,
# the parent being the retweeted tweet's author or else the handle in the text's "RT @" prefix
# (over t2_new n and the prefix map m)
_RT_TEXT = ("CASE WHEN n.kind = 'retweet' AND n.rt_full IS NOT NULL AND coalesce(CASE WHEN coalesce(n.parent0, '') <> '' "
            "THEN n.parent0 ELSE m.stripped END, '') <> '' THEN 'RT @' || CASE WHEN coalesce(n.parent0, '') <> '' "
            "THEN n.parent0 ELSE m.stripped END || ': ' || n.rt_full END")
_V = "VARCHAR"
_ENTITIES = {"hashtags": [{"tag": _V}], "mentions": [{"username": _V}], "urls": [{"url": _V, "expanded_url": _V}]}
_TWEET = {
    "id": _V, "author_id": _V, "text": _V, "created_at": _V, "lang": _V, "in_reply_to_user_id": _V,
    "author": {"username": _V, "name": _V},
    "public_metrics": {k: _V for k in ("like_count", "retweet_count", "reply_count", "quote_count",
                                       "impression_count")},
    "entities": _ENTITIES,
    "referenced_tweets": [{"type": _V, "id": _V}],
    "attachments": {"media_keys": [_V]},
    "note_tweet": {"text": _V},
}
_PAGE = {
    "data": [_TWEET],
    "includes": {"users": [{"id": _V, "username": _V, "name": _V}],
                 # referenced tweets: the author, and for a retweet the whole text and entities
                 "tweets": [{"id": _V, "author_id": _V, "author": {"username": _V}, "text": _V,
                             "note_tweet": {"text": _V}, "entities": _ENTITIES}]},
}


def _chunks(path: Path, digest) -> Iterator[tuple[int, bytes, np.ndarray]]:
    """(first line number, block, line offsets) of about CHUNK_BYTES each, the block ending
    after a newline (but at the end of the file); line i of the block is
    ``block[offsets[i]:offsets[i + 1]]`` with its newline, a carriage return staying on its
    line as Python's line reader keeps it. Feeds ``digest`` with each byte once. A block is
    read once and not copied: the partial line at its end is read again with the next one."""
    first = 1
    with path.open("rb") as fh:
        while block := fh.read(CHUNK_BYTES):
            end = len(block)
            if end == CHUNK_BYTES:  # more may follow: stop after the last whole line
                cut = block.rfind(b"\n") + 1
                while cut == 0 and (more := fh.read(CHUNK_BYTES)):  # a line longer than a chunk
                    block += more
                    cut = block.rfind(b"\n") + 1
                if cut:
                    fh.seek(cut - len(block), 1)
                    end = cut
                else:
                    end = len(block)
            digest.update(memoryview(block)[:end])
            offsets = _line_offsets(block, end)
            yield first, block, offsets
            first += len(offsets) - 1


def _line_offsets(block: bytes, end: int) -> np.ndarray:
    """Where the lines of ``block[:end]`` start, and ``end``: numpy finds the newlines a
    window at a time (a comparison over the whole block would allocate its size again)."""
    data = np.frombuffer(block, dtype=np.uint8, count=end)
    window = 1 << 20
    parts = [np.zeros(1, dtype=np.int64)]
    for at in range(0, end, window):
        parts.append(np.flatnonzero(data[at:at + window] == 10) + (at + 1))
    offsets = np.concatenate(parts)
    if offsets[-1] != end:  # the last line has no newline
        offsets = np.append(offsets, end)
    return offsets


def _lines_table(first: int, block: bytes, offsets: np.ndarray) -> pa.Table | None:
    """The lines as an Arrow table (line, l) over the block's own bytes (no copy), each line
    with its newline (JSON allows it), blank lines as NULL (the Python path skips them), in
    small record batches so that DuckDB parses them on every core; None when a line is not
    UTF-8 (the Python path rejects it)."""
    n = len(offsets) - 1
    valid = None
    starts = offsets[:-1]
    odd = np.flatnonzero(np.frombuffer(block, dtype=np.uint8)[starts] != ord("{"))
    blank = [i for i in odd.tolist() if not block[offsets[i]:offsets[i + 1]].strip()]
    if blank:
        mask = np.ones(n, dtype=bool)
        mask[blank] = False
        valid = pa.py_buffer(np.packbits(mask, bitorder="little"))
    text = pa.Array.from_buffers(pa.large_string(), n, [valid, pa.py_buffer(offsets), pa.py_buffer(block)],
                                 null_count=len(blank))
    try:
        text.validate(full=True)  # UTF-8 (and the offsets)
    except pa.ArrowInvalid:
        return None
    table = pa.table({"line": pa.array(np.arange(first, first + n, dtype=np.int64)), "l": text})
    return pa.Table.from_batches(table.to_batches(max_chunksize=BATCH_LINES))


def _prepared(path: Path, digest) -> Iterator[pa.Table | None]:
    """The chunks' line tables, the next one read and split in a thread while DuckDB works."""
    chunks = _chunks(path, digest)

    def following() -> tuple[pa.Table | None] | None:
        chunk = next(chunks, None)
        return None if chunk is None else (_lines_table(*chunk),)

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(following)
        while (got := pending.result()) is not None:
            pending = pool.submit(following)
            yield got[0]


def import_file(study: Study, path: Path, source_file: str, import_id: int,
                progress: Callable[[int], None] | None = None) -> tuple[int, int, int, str] | None:
    """Import one twarc2 file of response pages; ``(read, imported, duplicates, sha256)``, or
    None (nothing left written) when the file needs the Python path.

    The file goes in chunks of about CHUNK_BYTES (memory stays bounded), each read and mapped
    on a connection of its own (a failed typed read must not abort the import's transaction)
    and appended in the import's transaction, de-duplicated against the study, the files
    before and the chunks before. When a later chunk fails, the rows of the earlier ones are
    deleted again before the Python path takes the file."""
    import duckdb

    digest = hashlib.sha256()
    con = study.con
    con.execute("CREATE OR REPLACE TEMP TABLE t2_file_kept (post_id VARCHAR)")
    read = imported = 0
    try:
        for table in _prepared(path, digest):
            if table is None:
                _undo(con, import_id)
                return None
            cur = con.cursor()
            try:
                cur.register("t2_lines", table)
                mapped = _map(cur)
            except duckdb.Error:
                mapped = None
            finally:
                cur.close()
            if mapped is None:
                _undo(con, import_id)
                return None
            n, posts, entities, edges = mapped
            read += n
            imported += _write(study, posts, entities, edges, source_file, import_id)
            if progress is not None:
                progress(n)
    finally:
        con.execute("DROP TABLE IF EXISTS t2_file_kept")
    return read, imported, read - imported, digest.hexdigest()


def _undo(con, import_id: int) -> None:
    """Delete what the chunks before wrote (their posts were new to the study)."""
    for table in ("post_entities", "interactions"):
        con.execute(f"DELETE FROM {table} WHERE platform = 'twitter' AND post_id IN (SELECT post_id FROM t2_file_kept)")
    con.execute("DELETE FROM posts WHERE platform = 'twitter' AND import_id = ? "
                "AND post_id IN (SELECT post_id FROM t2_file_kept)", [import_id])


def _map(con) -> tuple[int, pa.Table, pa.Table, pa.Table] | None:
    """Map the lines registered as ``t2_lines``: (tweets read, posts, entity rows, edge rows),
    the posts being the first occurrence of each id; None when a line needs the Python path."""
    con.execute("SET preserve_insertion_order = true")
    structure = json.dumps(_PAGE)
    con.execute("""
        CREATE TEMP TABLE t2_pages AS
        WITH parsed AS (
            SELECT line, l, from_json(l, ?) AS p
            FROM t2_lines
        )
        SELECT line, p.data AS data, p.includes AS inc,
            CASE
                WHEN p IS NULL THEN 0
                WHEN p.data IS NOT NULL THEN
                    -- an element without text is not a tweet (a user, a count): the Python path says what it is
                    CASE WHEN list_bool_or(list_transform(p.data, lambda t: t IS NOT NULL AND t.text IS NULL
                                                                     AND t.note_tweet IS NULL)) THEN 2
                         WHEN list_bool_or(list_transform(p.data, lambda t: t IS NULL OR t.entities IS NULL))
                              AND (list_bool_or(list_transform(p.data, lambda t: t IS NULL))
                                   OR regexp_matches(l, '"entities"\\s*:\\s*null'))
                         THEN 2 ELSE 1 END
                WHEN json_type(l) = 'OBJECT' AND json_type(l, '$.data') IS NULL
                     AND NOT (json_exists(l, '$.id') AND (json_exists(l, '$.text') OR json_exists(l, '$.author_id')))
                     AND (json_exists(l, '$.errors') OR json_exists(l, '$.meta')) THEN 0
                ELSE 2
            END AS state
        FROM parsed""", [structure])
    if con.execute("SELECT coalesce(max(state), 0) FROM t2_pages").fetchone()[0] == 2:
        return None
    users = _by_id(con, "users", "u", "NOT (u.id IS NULL AND u.username IS NULL AND u.name IS NULL)")
    con.execute(f"CREATE TEMP TABLE t2_users AS {users}")
    # the author of each referenced tweet in includes (inline, or by author_id), and the user without
    # an id, whom the Python path finds for a reference it cannot resolve (str(None) == 'None')
    con.execute(f"""
        CREATE TEMP TABLE t2_refauth AS
        SELECT r.line, r.key, CASE WHEN r.r.author IS NOT NULL THEN r.r.author.username ELSE u.u.username END AS author,
            CASE WHEN coalesce(r.r.note_tweet.text, '') <> '' THEN r.r.note_tweet.text
                 WHEN coalesce(r.r.text, '') <> '' THEN r.r.text END AS full_text,
            list_transform(r.r.entities.hashtags, lambda eh: eh.tag) AS hashtags,
            list_transform(r.r.entities.mentions, lambda em: em.username) AS mentions,
            list_transform(r.r.entities.urls, lambda eu: CASE WHEN coalesce(eu.expanded_url, '') <> ''
                                                              THEN eu.expanded_url ELSE eu.url END) AS urls
        FROM ({_by_id(con, "tweets", "r")}) r
        LEFT JOIN t2_users u ON u.line = r.line AND u.key = coalesce(r.r.author_id, 'None')""")
    con.execute("CREATE TEMP TABLE t2_noid AS SELECT line, u.username FROM t2_users WHERE key = 'None'")
    # the post of each tweet, before handles are normalised
    con.execute(f"""
        CREATE TEMP TABLE t2_tw AS
        WITH tw AS (
            SELECT line, unnest(range(1, len(data) + 1)) AS pos, unnest(data) AS t FROM t2_pages WHERE state = 1
        ), r AS (
            SELECT line, pos,
                -- one pattern per group of fields: ids are digits, counts whole numbers (a missing one is 0 here)
                (regexp_full_match(concat_ws(' ', t.id, coalesce(t.author_id, '0'), coalesce(t.in_reply_to_user_id, '0')),
                                   '[0-9]+ [0-9]+ [0-9]+')
                    AND coalesce(list_bool_and(list_transform(t.referenced_tweets,
                            lambda r: r IS NULL OR r.id IS NULL OR regexp_full_match(r.id, {_DIGITS}))), true)
                    AND (coalesce(t.created_at, '') = '' OR (regexp_full_match(t.created_at, {_API_TIME})
                        AND year(TRY_CAST(left(t.created_at, 23) AS TIMESTAMP)) BETWEEN 1990 AND 2100))
                    AND regexp_full_match(concat_ws(' ', coalesce(t.public_metrics.like_count, '0'),
                            coalesce(t.public_metrics.retweet_count, '0'), coalesce(t.public_metrics.reply_count, '0'),
                            coalesce(t.public_metrics.quote_count, '0'), coalesce(t.public_metrics.impression_count, '0')),
                        {_COUNTS})) AS ok,
                t.id AS post_id, t.author_id, t.in_reply_to_user_id AS irt_id, t.lang,
                t.author.username AS inline_username, t.author.name AS inline_name,
                CASE WHEN coalesce(t.created_at, '') = '' THEN NULL ELSE left(t.created_at, 23) END AS created,
                CASE WHEN coalesce(t.note_tweet.text, '') <> '' THEN t.note_tweet.text ELSE t.text END AS text,
                list_filter(t.referenced_tweets, lambda x: x.type = 'retweeted') AS rt,
                list_filter(t.referenced_tweets, lambda x: x.type = 'quoted') AS qt,
                list_filter(t.referenced_tweets, lambda x: x.type = 'replied_to') AS rp,
                t.public_metrics.like_count AS likes, t.public_metrics.retweet_count AS reposts,
                t.public_metrics.reply_count AS replies, t.public_metrics.quote_count AS quotes,
                t.public_metrics.impression_count AS views,
                t.entities IS NULL AS no_entities,
                list_transform(t.entities.hashtags, lambda h: h.tag) AS hashtags,
                list_transform(t.entities.mentions, lambda h: h.username) AS mentions,
                list_transform(t.entities.urls, lambda u: CASE WHEN coalesce(u.expanded_url, '') <> ''
                                                               THEN u.expanded_url ELSE u.url END) AS urls,
                t.attachments.media_keys AS media_keys
            FROM tw
        ), k AS (
            SELECT * EXCLUDE (rt, qt, rp), len(rt) > 0 AS has_rt, len(qt) > 0 AS has_qt, len(rp) > 0 AS has_rp,
                coalesce(rt[-1].id, 'None') AS rt_id, coalesce(qt[-1].id, 'None') AS qt_id,
                coalesce(rp[-1].id, 'None') AS rp_id
            FROM r
        )
        SELECT * FROM k""")
    con.execute("DROP TABLE t2_pages")  # memory: the parsed pages are the largest table
    # the handles looked up in includes, on a narrow copy (a join carrying the tweets' text and lists
    # is several times slower), then put beside the tweets by position (checked below)
    con.execute("""
        CREATE TEMP TABLE t2_lk AS
        SELECT k.line, k.pos,
            CASE WHEN au.u IS NOT NULL THEN au.u.username ELSE k.inline_username END AS account_raw,
            CASE WHEN au.u IS NOT NULL THEN au.u.name ELSE k.inline_name END AS account_name,
            CASE WHEN rt_ref.key IS NOT NULL THEN rt_ref.author ELSE nz.username END AS rt_author,
            CASE WHEN qt_ref.key IS NOT NULL THEN qt_ref.author ELSE nz.username END AS qt_author,
            CASE WHEN rp_ref.key IS NOT NULL THEN rp_ref.author ELSE nz.username END AS rp_author,
            irt.u.username AS irt_author,
            rt_ref.full_text AS rt_full, rt_ref.hashtags AS rt_hashtags, rt_ref.mentions AS rt_mentions,
            rt_ref.urls AS rt_urls
        FROM (SELECT line, pos, author_id, irt_id, inline_username, inline_name, has_rt, has_qt, has_rp,
                     rt_id, qt_id, rp_id FROM t2_tw) k
        LEFT JOIN t2_users au ON au.line = k.line AND au.key = coalesce(k.author_id, 'None')
        LEFT JOIN t2_refauth rt_ref ON k.has_rt AND rt_ref.line = k.line AND rt_ref.key = k.rt_id
        LEFT JOIN t2_refauth qt_ref ON k.has_qt AND qt_ref.line = k.line AND qt_ref.key = k.qt_id
        LEFT JOIN t2_refauth rp_ref ON k.has_rp AND rp_ref.line = k.line AND rp_ref.key = k.rp_id
        LEFT JOIN t2_noid nz ON nz.line = k.line
        LEFT JOIN t2_users irt ON k.has_rp AND irt.line = k.line AND irt.key = coalesce(k.irt_id, 'None')
        ORDER BY k.line, k.pos""")
    for table in ("t2_users", "t2_refauth", "t2_noid"):
        con.execute(f"DROP TABLE {table}")
    con.execute("""
        CREATE TEMP VIEW t2_posts AS
        SELECT line, pos, ok AND line = lk_line AND pos = lk_pos AS ok, post_id, account_raw, account_name, CAST(created AS TIMESTAMP) AS created_at,
            text, lang,
            CASE WHEN has_rt THEN 'retweet' WHEN has_qt THEN 'quote' WHEN has_rp THEN 'reply' ELSE 'original' END AS kind,
            CASE WHEN has_rt THEN rt_id WHEN has_qt THEN qt_id WHEN has_rp THEN rp_id END AS parent_id,
            CASE WHEN has_rt THEN rt_author WHEN has_qt THEN qt_author WHEN has_rp THEN rp_author END AS parent0,
            CASE WHEN has_rt AND has_qt AND coalesce(qt_author, '') <> '' THEN qt_author END AS ref_quote,
            CASE WHEN (has_rt OR has_qt) AND has_rp AND coalesce(rp_author, '') <> '' THEN rp_author END AS ref_reply,
            irt_author,
            CASE WHEN has_rt AND starts_with(coalesce(text, ''), 'RT @') THEN split_part(substring(text, 5), ':', 1) END AS rt_prefix,
            CAST(likes AS BIGINT) AS likes, CAST(reposts AS BIGINT) AS reposts, CAST(replies AS BIGINT) AS replies,
            CAST(quotes AS BIGINT) AS quotes, CAST(views AS BIGINT) AS views,
            coalesce(len(media_keys) > 0, false) AS has_media,
            no_entities, hashtags, mentions, urls, media_keys,
            CASE WHEN has_rt THEN rt_full END AS rt_full, CASE WHEN has_rt THEN rt_hashtags END AS rt_hashtags,
            CASE WHEN has_rt THEN rt_mentions END AS rt_mentions, CASE WHEN has_rt THEN rt_urls END AS rt_urls
        FROM (SELECT w.*, l.* EXCLUDE (line, pos), l.line AS lk_line, l.pos AS lk_pos
              FROM t2_tw w POSITIONAL JOIN t2_lk l)""")
    read, bad = con.execute("SELECT count(*), count(*) FILTER (WHERE NOT coalesce(ok, false)) FROM t2_posts").fetchone()
    if bad:
        return None
    # the first occurrence of each id in the file (the study's own posts are checked on insert)
    unique = con.execute("SELECT count(DISTINCT post_id) FROM t2_posts").fetchone()[0] == read
    if unique:
        con.execute("CREATE TEMP VIEW t2_new AS SELECT * FROM t2_posts")
    else:
        con.execute("""
            CREATE TEMP TABLE t2_new AS
            SELECT * FROM t2_posts QUALIFY row_number() OVER (PARTITION BY post_id ORDER BY line, pos) = 1
            ORDER BY line, pos""")
    # the RT-prefix fallback, then every handle and hashtag, normalised by the Python functions
    prefixes = [s for (s,) in con.execute("SELECT DISTINCT rt_prefix FROM t2_new WHERE rt_prefix IS NOT NULL").fetchall()]
    _register(con, "t2_rtmap", {"raw": prefixes, "stripped": [s.strip() for s in prefixes]})
    _text_entities(con)
    handles = [s for (s,) in con.execute("""
        SELECT account_raw FROM t2_new UNION SELECT parent0 FROM t2_new UNION SELECT irt_author FROM t2_new
        UNION SELECT ref_quote FROM t2_new UNION SELECT ref_reply FROM t2_new
        UNION SELECT stripped FROM t2_rtmap UNION SELECT raw FROM t2_mentions""").fetchall() if s is not None]
    _register(con, "t2_handles", _handle_map(handles))
    tags = [s for (s,) in con.execute("SELECT DISTINCT raw FROM t2_hashtags").fetchall()]
    _register(con, "t2_tags", {"raw": tags, "value": [norm_hashtag(s) for s in tags]})
    # the handles of each post, narrow and in file order, then beside the posts by position (checked)
    con.execute(f"""
        CREATE TEMP TABLE t2_src AS
        WITH f AS (
            SELECT n.line, n.pos, n.post_id, n.kind, n.account_raw, n.ref_quote, n.ref_reply, CASE
                WHEN kind = 'reply' AND coalesce(parent0, '') = '' THEN irt_author
                WHEN kind = 'retweet' AND coalesce(parent0, '') = '' AND rt_prefix IS NOT NULL THEN m.stripped
                ELSE parent0 END AS parent_raw, {_RT_TEXT} AS text
            FROM t2_new n LEFT JOIN t2_rtmap m ON m.raw = n.rt_prefix
        )
        SELECT f.line, f.pos, f.post_id, f.kind, f.ref_quote, f.ref_reply, f.text, a.account,
            CASE WHEN coalesce(f.parent_raw, '') <> '' THEN pa.parent_col END AS parent_account,
            CASE WHEN coalesce(f.parent_raw, '') <> '' THEN pa.norm END AS parent_target
        FROM f
        LEFT JOIN t2_handles a ON a.raw = f.account_raw
        LEFT JOIN t2_handles pa ON pa.raw = f.parent_raw
        ORDER BY f.line, f.pos""")
    aligned = con.execute("""
        SELECT coalesce(bool_and(n.line = s.line AND n.pos = s.pos), true)
        FROM (SELECT line, pos FROM t2_new) n POSITIONAL JOIN (SELECT line, pos FROM t2_src) s""").fetchall()[0][0]
    if not aligned:
        return None
    posts = con.sql("""
        SELECT n.post_id, s.account, n.account_name, n.created_at, coalesce(s.text, n.text) AS text, n.lang, n.kind, n.parent_id,
            s.parent_account, n.likes, n.reposts, n.replies, n.quotes, n.views, n.has_media, n.line AS source_line
        FROM t2_new n POSITIONAL JOIN t2_src s""").to_arrow_table()
    con.execute("DROP VIEW t2_new" if unique else "DROP TABLE t2_new")
    con.execute("DROP VIEW t2_posts")
    con.execute("DROP TABLE t2_tw")
    con.execute("DROP TABLE t2_lk")
    entities = con.sql("""
        WITH e AS (
            SELECT h.post_id, h.i, 'hashtag' AS kind, t.value, h.raw
            FROM t2_hashtags h JOIN t2_tags t ON t.raw = h.raw
            UNION ALL
            SELECT m.post_id, m.i, 'mention', hm.norm, m.raw
            FROM t2_mentions m JOIN t2_handles hm ON hm.raw = m.raw
            UNION ALL
            SELECT post_id, i, 'url', raw, raw FROM t2_urls
            UNION ALL
            SELECT post_id, i, 'media', raw, raw FROM t2_media
        )
        SELECT post_id, kind, value, arg_min(raw, i) AS raw FROM e WHERE coalesce(value, '') <> ''
        GROUP BY post_id, kind, value""").to_arrow_table()
    edges = con.sql("""
        WITH e AS (
            SELECT post_id, account, parent_target AS target, kind FROM t2_src
            WHERE parent_target IS NOT NULL AND kind IN ('reply', 'retweet', 'quote')
            UNION ALL
            SELECT f.post_id, f.account, h.norm, 'quote' FROM t2_src f JOIN t2_handles h ON h.raw = f.ref_quote
            UNION ALL
            SELECT f.post_id, f.account, h.norm, 'reply' FROM t2_src f JOIN t2_handles h ON h.raw = f.ref_reply
            UNION ALL
            SELECT s.post_id, s.account, h.norm, 'mention'
            FROM t2_mentions m JOIN t2_handles h ON h.raw = m.raw JOIN t2_src s ON s.post_id = m.post_id
            WHERE h.norm IS DISTINCT FROM s.account
              AND NOT (s.kind = 'retweet' AND h.norm IS NOT DISTINCT FROM s.parent_target)
        )
        SELECT DISTINCT post_id, account AS source_account, target AS target_account, kind
        FROM e WHERE target IS NOT NULL""").to_arrow_table()
    return read, posts, entities, edges


def _write(study: Study, posts: pa.Table, entities: pa.Table, edges: pa.Table, source_file: str,
           import_id: int) -> int:
    """Append the posts the study does not hold yet (with their entity and edge rows) in the
    import's transaction; the number appended."""
    con = study.con
    con.register("t2_posts_in", posts)
    con.register("t2_entities_in", entities)
    con.register("t2_edges_in", edges)
    try:
        con.execute("""
            CREATE OR REPLACE TEMP TABLE t2_kept AS
            SELECT post_id FROM t2_posts_in p
            WHERE NOT EXISTS (SELECT 1 FROM posts q WHERE q.platform = 'twitter' AND q.post_id = p.post_id)""")
        con.execute("INSERT INTO t2_file_kept SELECT post_id FROM t2_kept")
        kept = con.execute("SELECT count(*) FROM t2_kept").fetchall()[0][0]
        every = kept == posts.num_rows
        keep = "" if every else " WHERE post_id IN (SELECT post_id FROM t2_kept)"
        with _one_thread(con):
            con.execute(f"""
                INSERT INTO posts (post_id, platform, account, account_name, created_at, text, lang, kind, parent_id,
                                   parent_account, likes, reposts, replies, quotes, views, has_media, source_file,
                                   source_line, import_id)
                SELECT post_id, 'twitter', account, account_name, created_at, text, lang, kind, parent_id,
                    parent_account, likes, reposts, replies, quotes, views, has_media, ?, source_line, ?
                FROM t2_posts_in{keep}""", [source_file, import_id])
            con.execute(f"""
                INSERT INTO post_entities (post_id, platform, kind, value, raw)
                SELECT post_id, 'twitter', kind, value, raw FROM t2_entities_in{keep}""")
            con.execute(f"""
                INSERT INTO interactions (post_id, platform, source_account, target_account, kind)
                SELECT post_id, 'twitter', source_account, target_account, kind FROM t2_edges_in{keep}""")
        con.execute("DROP TABLE t2_kept")
    finally:
        for name in ("t2_posts_in", "t2_entities_in", "t2_edges_in"):
            con.unregister(name)
    return int(kept)


@contextmanager
def _one_thread(con) -> Iterator[None]:
    """DuckDB on one thread for the appends: a parallel, order-keeping INSERT leaves a partly
    filled row group per batch, which the next checkpoint merges by compressing those rows
    again (at 1M posts about 5 CPU-s when the study closes, and a file half as large again);
    one thread appends to the last row group. The setting is the database's, set and put back
    through a cursor of its own (a failed INSERT aborts the import's transaction, which then
    refuses even a SET)."""
    cur = con.cursor()
    try:
        threads = cur.execute("SELECT current_setting('threads')").fetchall()[0][0]
        cur.execute("SET threads = 1")
        try:
            yield
        finally:
            cur.execute(f"SET threads = {int(threads)}")
    finally:
        cur.close()


def _text_entities(con) -> None:
    """Raw entity lists per post (line, pos, i, raw): from ``entities`` where the tweet has it,
    found in the text (as the Python path does) where it has none."""
    for table, column in (("t2_hashtags", "hashtags"), ("t2_mentions", "mentions"), ("t2_urls", "urls")):
        con.execute(f"""
            CREATE TEMP TABLE {table} AS
            SELECT line, pos, post_id, unnest(range(len({column}))) AS i, unnest({column}) AS raw
            FROM t2_new WHERE NOT no_entities AND {column} IS NOT NULL""")
    con.execute("""
        CREATE TEMP TABLE t2_media AS
        SELECT line, pos, post_id, i, coalesce(k, 'None') AS raw FROM (
            SELECT line, pos, post_id, unnest(range(len(media_keys))) AS i, unnest(media_keys) AS k
            FROM t2_new WHERE media_keys IS NOT NULL)""")
    # hashtag/mention structs that were not JSON objects are skipped by the Python path
    con.execute("DELETE FROM t2_hashtags WHERE raw IS NULL")
    con.execute("DELETE FROM t2_mentions WHERE raw IS NULL")
    _found_entities(con)
    # a retweet's: the retweeted tweet's entities, after its own (numbered after them)
    for table, column in (("t2_hashtags", "rt_hashtags"), ("t2_mentions", "rt_mentions"), ("t2_urls", "rt_urls")):
        con.execute(f"""
            INSERT INTO {table}
            SELECT line, pos, post_id, i, raw FROM (
                SELECT line, pos, post_id, {_RT_OFFSET} + unnest(range(len({column}))) AS i, unnest({column}) AS raw
                FROM t2_new WHERE {column} IS NOT NULL)
            WHERE raw IS NOT NULL""")


def _found_entities(con) -> None:
    """The entities of the posts without ``entities``, found in their text by the Python functions."""
    found = con.execute(f"""
        SELECT line, pos, post_id, text FROM (
            SELECT n.line, n.pos, n.post_id, coalesce({_RT_TEXT}, n.text) AS text
            FROM t2_new n LEFT JOIN t2_rtmap m ON m.raw = n.rt_prefix WHERE n.no_entities)
        WHERE text IS NOT NULL""").fetchall()
    if not found:
        return
    for table, find in (("t2_hashtags", hashtags_in), ("t2_mentions", mentions_in), ("t2_urls", urls_in)):
        cols: dict[str, list] = {"line": [], "pos": [], "post_id": [], "i": [], "raw": []}
        for line, pos, post_id, text in found:
            for i, raw in enumerate(find(text)):
                cols["line"].append(line)
                cols["pos"].append(pos)
                cols["post_id"].append(post_id)
                cols["i"].append(i)
                cols["raw"].append(raw)
        _register(con, "t2_found", cols)
        con.execute(f"INSERT INTO {table} SELECT line, pos, post_id, i, raw FROM t2_found")


def _by_id(con, part: str, name: str, keep: str = "true") -> str:
    """A query of (line, key, ``name``): each page's ``includes.<part>`` by id, the last of an
    id winning and a missing id keyed 'None', as the Python path's dict of str(id) does. Pages
    rarely list an id twice: the items are taken as they are unless a narrow count finds a
    repeated id (an aggregate carrying whole items is several times slower)."""
    items = f"""
        SELECT line, coalesce({name}.id, 'None') AS key, {name}, i FROM (
            SELECT line, unnest(inc.{part}) AS {name}, unnest(range(len(inc.{part}))) AS i
            FROM t2_pages WHERE state = 1 AND inc.{part} IS NOT NULL)
        WHERE {name} IS NOT NULL AND {keep}"""
    n, keys = con.execute(f"SELECT count(*), count(DISTINCT (line, key)) FROM ({items})").fetchall()[0]
    if n == keys:
        return f"SELECT line, key, {name} FROM ({items})"
    return f"SELECT line, key, arg_max({name}, i) AS {name} FROM ({items}) GROUP BY line, key"


def _handle_map(handles: list[str]) -> dict[str, list]:
    """The forms a handle takes: the post's account (``lower``), the post's parent_account
    (``lower`` then without '@') and an interaction's account (:func:`norm_handle`)."""
    return {"raw": handles, "account": [s.lower() or None for s in handles],
            "parent_col": [s.lower().lstrip("@") for s in handles],
            "norm": [norm_handle(s) for s in handles]}


def _register(con, name: str, cols: dict[str, list]) -> None:
    types = {"line": pa.int64(), "pos": pa.int64(), "i": pa.int64()}
    con.register("t2_arrow", pa.table({k: pa.array(v, type=types.get(k, pa.string())) for k, v in cols.items()}))
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM t2_arrow")
    finally:
        con.unregister("t2_arrow")
