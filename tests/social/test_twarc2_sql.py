"""The DuckDB-native twarc2 path must write exactly the rows of the Python mapper, and hand
every file it cannot map exactly to the Python path (which records each reject)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from tests.conftest import shared
from tests.social.helpers import twarc2_page, tweet, write_lines
from tiplens.social import importing
from tiplens.social.importers import twarc2_duckdb
from tiplens.store import Study

TABLES = {
    "posts": "SELECT * EXCLUDE (import_id) FROM posts ORDER BY ALL",
    "post_entities": "SELECT * FROM post_entities ORDER BY ALL",
    "interactions": "SELECT * FROM interactions ORDER BY ALL",
    "rejects": "SELECT file, line, reason FROM rejects ORDER BY ALL",
}


def _import(tmp_path, monkeypatch, files, *, sql: bool, name: str | None = None):
    """Import ``files`` into a new study through one path; (report, tables, SQL path used per file)."""
    monkeypatch.setattr(importing, "SQL_MIN_BYTES", 0 if sql else 1 << 62)
    monkeypatch.setenv("TIPLENS_WORKERS", "1")
    used: list[bool] = []
    real = twarc2_duckdb.import_file

    def spy(*args, **kwargs):
        out = real(*args, **kwargs)
        used.append(out is not None)
        return out

    monkeypatch.setattr(twarc2_duckdb, "import_file", spy)
    store = tmp_path / f"{name or ('sql' if sql else 'python')}.duckdb"
    store.unlink(missing_ok=True)
    with Study(store) as study:
        report = importing.import_files(study, files).to_dict()
        tables = {t: study.query(q) for t, q in TABLES.items()}
    monkeypatch.setattr(twarc2_duckdb, "import_file", real)
    return report, tables, used


def _same(tmp_path, monkeypatch, files) -> list[bool]:
    fast_report, fast, used = _import(tmp_path, monkeypatch, files, sql=True)
    py_report, py, _ = _import(tmp_path, monkeypatch, files, sql=False)
    for key in ("read", "imported", "duplicates", "rejected"):
        assert fast_report[key] == py_report[key], key
    for table in TABLES:
        assert fast[table] == py[table], table
    return used


@pytest.mark.real
@pytest.mark.parametrize("name", ["brexit.jsonl", "2sets.jsonl", "entities_test.jsonl"])
def test_real_pages_same_rows_as_python(tmp_path, monkeypatch, name):
    used = _same(tmp_path, monkeypatch, [shared("social-samples", "twarc2-docnow-testdata", name)])
    assert used == [True]


@pytest.mark.real
def test_real_files_together_deduplicate_across_files(tmp_path, monkeypatch):
    folder = shared("social-samples", "twarc2-docnow-testdata")
    files = sorted(folder.glob("*.jsonl"))  # 2sets holds the brexit page again; flat.jsonl is flattened
    used = _same(tmp_path, monkeypatch, files)
    assert used == [True, True, True, False]  # the flattened form goes the Python way


def test_generated_pages_same_rows_as_python(tmp_path, monkeypatch):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        import gen_social
    finally:
        sys.path.pop(0)
    path = gen_social.generate(tmp_path / "gen.jsonl", 1500, seed=3, accounts=60)
    assert _same(tmp_path, monkeypatch, [path]) == [True]


def _users(*names: str) -> list[dict]:
    return [{"id": str(100 + i), "username": n, "name": n.title()} for i, n in enumerate(names)]


def _edge_pages() -> list[str]:
    users = _users("Alice", "bob", "Carol", "İpek", "STRASSE")
    refs = [{"id": "900", "author_id": "101", "text": "quoted"}, {"id": "901", "author_id": "102", "text": "orig"},
            {"id": "902", "author_id": "100"}]
    ents = {"hashtags": [{"tag": "Straße"}, {"tag": "STRASSE"}, {"tag": "#Cafe\u0301"}, {"tag": "Café"}],
            "mentions": [{"username": "Bob"}, {"username": "alice"}, {"username": "@Carol"}, {"username": "bob"}],
            "urls": [{"url": "https://t.co/x", "expanded_url": "https://example.org/a"}, {"url": "https://t.co/y"}]}
    page1 = [
        tweet(1, "2021-01-01T10:00:00.000Z", "plain #NoEntities @Bob https://example.org/b.", author="100",
              entities=None),
        tweet(2, "2021-01-01T10:01:00.000Z", "RT @Carol: a quote retweeted", author="101",
              referenced_tweets=[{"type": "retweeted", "id": "901"}, {"type": "quoted", "id": "900"}],
              entities={"mentions": [{"username": "Carol"}, {"username": "bob"}]}),
        tweet(3, "2021-01-01T10:02:00.000Z", "a reply", author="102", in_reply_to_user_id="103",
              referenced_tweets=[{"type": "replied_to", "id": "999"}], entities=ents),
        tweet(4, "2021-01-01T10:03:00.000Z", "quote and reply", author="103",
              referenced_tweets=[{"type": "replied_to", "id": "902"}, {"type": "quoted", "id": "900"}],
              attachments={"media_keys": ["3_1", "3_1", "3_2"]}, note_tweet={"text": "the long #Note text"}),
        tweet(5, "2021-01-01T10:04:00.000Z", "RT @ İpek : no includes for this one", author="104",
              referenced_tweets=[{"type": "retweeted", "id": "555"}], entities={}),
        {"id": "6", "author_id": "100", "text": "no metrics, no date, self @alice", "lang": "und"},
        tweet(7, "2021-01-01T10:06:00.000Z", "views", author="999",
              public_metrics={"like_count": 3, "retweet_count": "4", "reply_count": 0, "quote_count": 1,
                              "impression_count": 77}),
    ]
    for t in page1:
        if t.get("entities", 0) is None:
            del t["entities"]
    page2 = [tweet(3, "2021-01-01T10:02:00.000Z", "duplicate of 3 on the next page", author="100"),
             tweet(8, "2021-01-02T00:00:00.000Z", "reply without includes", author="7",
                   in_reply_to_user_id="8", referenced_tweets=[{"type": "replied_to", "id": "77"}])]
    return [
        twarc2_page(page1, users, refs),
        "",
        json.dumps({"data": page2}),  # no includes at all
        json.dumps({"data": [], "meta": {"result_count": 0}}),
        json.dumps({"errors": [{"title": "Not Found Error"}], "meta": {"result_count": 0}}),
    ]


def test_edge_cases_same_rows_as_python(tmp_path, monkeypatch):
    path = write_lines(tmp_path / "edge.jsonl", _edge_pages())
    again = write_lines(tmp_path / "again.jsonl", [twarc2_page([tweet(8, "2021-01-02T00:00:00.000Z", "dup", author="7"),
                                                                tweet(9, "2021-01-03T00:00:00.000Z", "new")])])
    assert _same(tmp_path, monkeypatch, [path, again]) == [True, True]


def test_edge_cases_hand_counted(tmp_path, monkeypatch):
    """Values worked out by hand from the pages above, not from either path."""
    path = write_lines(tmp_path / "edge.jsonl", _edge_pages())
    report, tables, used = _import(tmp_path, monkeypatch, [path], sql=True, name="hand")
    assert used == [True]
    assert (report["read"], report["imported"], report["duplicates"], report["rejected"]) == (9, 8, 1, 0)
    with Study(tmp_path / "hand.duckdb") as study:
        posts = {r[0]: r[1:] for r in study.query(
            "SELECT post_id, account, kind, parent_id, parent_account, source_line, views, likes, reposts, has_media, "
            "text FROM posts")}
        edges = set(study.query("SELECT post_id, source_account, target_account, kind FROM interactions"))
        ents = set(study.query("SELECT post_id, kind, value, raw FROM post_entities"))
    assert posts["2"][:4] == ("bob", "retweet", "901", "carol")
    assert {e for e in edges if e[0] == "2"} == {("2", "bob", "carol", "retweet"), ("2", "bob", "bob", "quote")}
    ipek = "İpek".lower()  # Python's lower-casing keeps the dot: i + U+0307
    assert posts["3"][:4] == ("carol", "reply", "999", ipek)  # in_reply_to_user_id's user
    assert posts["3"][4] == 1  # the first page wins over the duplicate on line 3
    assert {e[2] for e in ents if e[0] == "3" and e[1] == "hashtag"} == {"strasse", "café"}
    assert {e for e in ents if e[0] == "3" and e[1] == "mention"} == {
        ("3", "mention", "bob", "Bob"), ("3", "mention", "alice", "alice"), ("3", "mention", "carol", "@Carol")}
    assert {e[2] for e in ents if e[0] == "3" and e[1] == "url"} == {"https://example.org/a", "https://t.co/y"}
    assert {e[2] for e in edges if e[0] == "3" and e[3] == "mention"} == {"bob", "alice"}  # not the author
    assert posts["4"][:4] == (ipek, "quote", "900", "bob") and posts["4"][8] is True
    assert posts["4"][9] == "the long #Note text"
    assert {e[2] for e in ents if e[0] == "4" and e[1] == "media"} == {"3_1", "3_2"}
    assert posts["5"][:4] == ("strasse", "retweet", "555", ipek)
    assert posts["6"][:2] == ("alice", "original") and posts["6"][6] is None
    assert not {e for e in edges if e[0] == "6"}  # a self-mention is no edge
    assert {e[1:] for e in ents if e[0] == "1"} == {
        ("hashtag", "noentities", "NoEntities"), ("mention", "bob", "Bob"), ("url", "https://example.org/b", "https://example.org/b")}
    assert posts["7"][0] is None and posts["7"][5:8] == (77, 3, 4)
    assert posts["8"][:4] == (None, "reply", "77", None) and posts["8"][4] == 3


def test_a_malformed_line_sends_the_file_to_the_python_path(tmp_path, monkeypatch):
    lines = _edge_pages()
    lines.insert(2, '{"data": [{"id": "50", "text": "cut')
    path = write_lines(tmp_path / "broken.jsonl", lines)
    report, tables, used = _import(tmp_path, monkeypatch, [path], sql=True)
    assert used == [False]
    assert report["rejected"] == 1 and report["imported"] == 8
    assert [(line, reason.split(" (")[0]) for _, line, reason in tables["rejects"]] == [(3, "not valid JSON")]
    assert _same(tmp_path, monkeypatch, [path]) == [False]


@pytest.mark.parametrize("bad", [
    json.dumps({"data": [tweet(60, "2021-13-01T00:00:00.000Z")]}),  # a month that does not exist
    json.dumps({"data": [tweet(61, "Mon Jan 04 10:00:00 +0000 2021")]}),  # another date form
    json.dumps({"data": [{"id": "", "text": "no id"}]}),
    json.dumps({"data": ["not a tweet"]}),
    json.dumps({"data": {"id": "62", "text": "a single-tweet lookup"}}),
    json.dumps({"data": [tweet(63, "2021-01-01T00:00:00.000Z", public_metrics={"like_count": 1.5})]}),
    json.dumps({"data": [tweet(64, "2021-01-01T00:00:00.000Z", entities=None)]}),
    json.dumps({"data": [tweet(66, "2021-01-01T00:00:00.000Z", author="u1")]}),  # an author id not in digits
    json.dumps({"data": [tweet(67, "2021-01-01T00:00:00.000Z", public_metrics={"reply_count": "3 4"})]}),
    json.dumps({"data": [tweet(68, "2021-01-01T00:00:00.000Z", referenced_tweets=[{"type": "quoted", "id": 5.5}])]}),
    json.dumps({"data": None, "meta": {}}),
    json.dumps({"id": "65", "text": "a flattened tweet", "author_id": "1"}),
    json.dumps({"neither": True}),
    "[1, 2]",
    # pages other twarc2 commands write: users (users, followers) and tweet counts (counts)
    json.dumps({"data": [{"id": "9", "username": "org", "created_at": "2012-01-01T00:00:00.000Z"}], "meta": {}}),
    json.dumps({"data": [{"start": "2021-01-01T00:00:00.000Z", "end": "2021-01-02T00:00:00.000Z",
                          "tweet_count": 4}], "meta": {"total_tweet_count": 4}}),
])
def test_anything_unusual_goes_the_python_way(tmp_path, monkeypatch, bad):
    path = write_lines(tmp_path / "odd.jsonl", [twarc2_page([tweet(1, "2021-01-01T00:00:00.000Z")]), bad])
    assert _same(tmp_path, monkeypatch, [path]) == [False]


def test_a_line_not_in_utf8_goes_the_python_way(tmp_path, monkeypatch):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(twarc2_page([tweet(1, "2021-01-01T00:00:00.000Z")]).encode() + b"\n"
                     + b'{"data": [{"id": "2", "text": "caf\xe9"}]}\n')
    assert b"\xe9" in path.read_bytes()
    assert _same(tmp_path, monkeypatch, [path]) == [False]


def test_windows_line_ends_and_blank_lines_same_rows_as_python(tmp_path, monkeypatch):
    path = tmp_path / "crlf.jsonl"
    lines = [twarc2_page([tweet(1, "2021-01-01T00:00:00.000Z")]), "", "   ", twarc2_page([tweet(2, "2021-01-01T00:00:00.000Z")])]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    assert _same(tmp_path, monkeypatch, [path]) == [True]


def test_line_numbers_follow_the_file_across_threads(tmp_path, monkeypatch):
    """Many pages, blank lines between some: each post's source_line is its page's line."""
    lines: list[str] = []
    for i in range(3000):
        lines.append(twarc2_page([tweet(10_000 + i, "2021-01-01T00:00:00.000Z", text=f"page {len(lines) + 1}")]))
        if i % 7 == 0:
            lines.append("")
    path = write_lines(tmp_path / "many.jsonl", lines)
    _, tables, used = _import(tmp_path, monkeypatch, [path], sql=True)
    assert used == [True]
    assert len(tables["posts"]) == 3000
    for row in tables["posts"]:
        assert row[5] == f"page {row[-1]}"  # text, source_line


@pytest.mark.parametrize("data", [b"a", b"a\n", b"ab\n\ncd", b"ab\n\ncd\n", b"\n\n", b'{"x": "\xc3\xa9"}\r\n{}\n'])
@pytest.mark.parametrize("size", [1, 2, 3, 1 << 20])
def test_chunks_split_lines_as_python_reads_them(tmp_path, monkeypatch, data, size):
    """Chunks end on newlines, number their lines from 1 and hash the whole file, whatever their size."""
    monkeypatch.setattr(twarc2_duckdb, "CHUNK_BYTES", size)
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    digest = hashlib.sha256()
    numbered = [(first + i, block[o[i]:o[i + 1]])
                for first, block, o in twarc2_duckdb._chunks(path, digest) for i in range(len(o) - 1)]
    with path.open("rb") as fh:
        expected = list(enumerate(fh, start=1))
    assert numbered == expected
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


def test_a_bad_later_chunk_undoes_the_earlier_ones(tmp_path, monkeypatch):
    """The file goes in several chunks; the last one is broken: nothing of the SQL path stays."""
    monkeypatch.setattr(twarc2_duckdb, "CHUNK_BYTES", 2000)
    lines = [twarc2_page([tweet(100 + i, "2021-01-01T00:00:00.000Z", text=f"post {i} #Tag", author="1")],
                         _users("someone")) for i in range(40)]
    lines.append("{broken")
    path = write_lines(tmp_path / "chunks.jsonl", lines)
    assert len(list(twarc2_duckdb._chunks(path, hashlib.sha256()))) > 3
    assert _same(tmp_path, monkeypatch, [path]) == [False]
    report, tables, _ = _import(tmp_path, monkeypatch, [path], sql=True, name="chunks")
    assert (report["imported"], report["rejected"], len(tables["posts"])) == (40, 1, 40)
    assert len(tables["post_entities"]) == 40


def test_chunks_same_rows_as_python(tmp_path, monkeypatch):
    monkeypatch.setattr(twarc2_duckdb, "CHUNK_BYTES", 3000)
    path = write_lines(tmp_path / "edge.jsonl", _edge_pages() * 3)  # the same pages again: duplicates across chunks
    assert _same(tmp_path, monkeypatch, [path]) == [True]


@pytest.mark.parametrize("broken", [False, True])
def test_progress_counts_every_item_once(tmp_path, monkeypatch, broken):
    """Chunk by chunk on the SQL path; what was shown is taken back when the file goes the Python way."""
    monkeypatch.setattr(twarc2_duckdb, "CHUNK_BYTES", 2000)
    monkeypatch.setattr(importing, "SQL_MIN_BYTES", 0)
    monkeypatch.setenv("TIPLENS_WORKERS", "1")
    lines = [twarc2_page([tweet(100 + i, "2021-01-01T00:00:00.000Z")]) for i in range(30)] + (["{broken"] if broken else [])
    path = write_lines(tmp_path / "p.jsonl", lines)
    steps: list[int] = []
    with Study(tmp_path / "p.duckdb") as study:
        report = importing.import_files(study, [path], progress=steps.append)
    assert sum(steps) == report.read == 30 + broken
    assert len(steps) > 2


def test_retweets_get_the_whole_text_and_entities_on_both_paths(tmp_path, monkeypatch):
    long_text = "Fair recruitment matters. " * 12 + "#NoFees @ILO"
    users = _users("Org", "UNmigration", "ILO")
    refs = [
        {"id": "950", "author_id": "101", "text": "Safe migration for all, every day #Migration #SafeMigration",
         "entities": {"hashtags": [{"tag": "Migration"}, {"tag": "SafeMigration"}]}},
        {"id": "951", "author_id": "102", "text": long_text[:270] + "…", "note_tweet": {"text": long_text},
         "entities": {"hashtags": [{"tag": "NoFees"}], "mentions": [{"username": "ILO"}]}},
        {"id": "952", "author_id": "101", "text": ""},  # nothing to take: the retweet keeps its own text
    ]
    page = [
        tweet(11, "2021-02-01T10:00:00.000Z", "RT @UNmigration: Safe migration for all, every d…", author="100",
              referenced_tweets=[{"type": "retweeted", "id": "950"}],
              entities={"hashtags": [{"tag": "migration"}], "mentions": [{"username": "UNmigration"}]}),
        tweet(12, "2021-02-01T10:01:00.000Z", "RT @ILO: Fair recruitment matters. Fair…", author="100",
              referenced_tweets=[{"type": "retweeted", "id": "951"}]),  # no entities: found in the text
        tweet(13, "2021-02-01T10:02:00.000Z", "RT @UNmigration: (empty)", author="100",
              referenced_tweets=[{"type": "retweeted", "id": "952"}], entities={}),
        tweet(14, "2021-02-01T10:03:00.000Z", "RT @Someone: not in includes…", author="100",
              referenced_tweets=[{"type": "retweeted", "id": "953"}], entities={}),
    ]
    path = write_lines(tmp_path / "rts.jsonl", [twarc2_page(page, users, refs)])
    assert _same(tmp_path, monkeypatch, [path]) == [True]
    _, tables, _ = _import(tmp_path, monkeypatch, [path], sql=True, name="rts")
    texts = {r[0]: r[5] for r in tables["posts"]}
    assert texts["11"] == "RT @UNmigration: Safe migration for all, every day #Migration #SafeMigration"
    assert texts["12"] == "RT @ILO: " + long_text
    assert texts["13"] == "RT @UNmigration: (empty)" and texts["14"] == "RT @Someone: not in includes…"
    ents = {(r[0], r[2], r[3]) for r in tables["post_entities"]}
    assert {("11", "hashtag", "migration"), ("11", "hashtag", "safemigration"), ("12", "hashtag", "nofees"),
            ("12", "mention", "ilo")} <= ents
    assert sum(1 for e in ents if e[0] == "11" and e[1] == "hashtag") == 2  # Migration once, not twice


def test_an_id_listed_twice_in_includes_takes_the_last_listing(tmp_path, monkeypatch):
    """A page whose includes name a user and a referenced tweet twice: the last listing wins
    on both paths (the Python path keeps a dict by id), as worked out by hand."""
    users = [{"id": "100", "username": "OldName", "name": "Old"}, {"id": "101", "username": "Other", "name": "O"},
             {"id": "100", "username": "NewName", "name": "New"}]
    refs = [{"id": "900", "author_id": "101", "text": "first listing"},
            {"id": "900", "author_id": "100", "text": "second listing"}]
    page = [tweet(1, "2021-01-01T10:00:00.000Z", "RT @x: cut", author="100",
                  referenced_tweets=[{"type": "retweeted", "id": "900"}], entities={}),
            tweet(2, "2021-01-01T10:01:00.000Z", "plain", author="101")]
    path = write_lines(tmp_path / "twice.jsonl", [twarc2_page(page, users, refs)])
    assert _same(tmp_path, monkeypatch, [path]) == [True]
    _, tables, _ = _import(tmp_path, monkeypatch, [path], sql=True, name="twice")
    posts = {r[0]: r for r in tables["posts"]}
    assert posts["1"][2:4] == ("newname", "New")  # account, account_name
    assert posts["1"][5] == "RT @NewName: second listing"
    assert posts["2"][2] == "other"


def test_the_appends_run_on_one_thread_and_put_the_setting_back(tmp_path, monkeypatch):
    path = write_lines(tmp_path / "p.jsonl", [twarc2_page([tweet(1, "2021-01-01T00:00:00.000Z")])])
    seen: list[int] = []
    real = twarc2_duckdb._write

    def spy(study, *args):
        with twarc2_duckdb._one_thread(study.con):
            seen.append(study.con.execute("SELECT current_setting('threads')").fetchall()[0][0])
        return real(study, *args)

    monkeypatch.setattr(twarc2_duckdb, "_write", spy)
    monkeypatch.setattr(importing, "SQL_MIN_BYTES", 0)
    with Study(tmp_path / "t.duckdb") as study:
        study.con.execute("SET threads = 3")
        report = importing.import_files(study, [path])
        assert report.imported == 1 and seen == [1]
        assert study.con.execute("SELECT current_setting('threads')").fetchall()[0][0] == 3


def test_the_thread_setting_comes_back_after_a_failed_append(tmp_path):
    """A failed INSERT aborts the transaction, which refuses a SET; the setting still comes back."""
    import duckdb

    with Study(tmp_path / "f.duckdb") as study:
        con = study.con
        con.execute("SET threads = 3")
        con.execute("CREATE TABLE n (a INTEGER)")
        con.execute("BEGIN TRANSACTION")
        with pytest.raises(duckdb.Error), twarc2_duckdb._one_thread(con):
            con.execute("INSERT INTO n VALUES ('not a number')")
        con.execute("ROLLBACK")
        assert con.execute("SELECT current_setting('threads')").fetchall()[0][0] == 3
