"""Bad input across formats: empty and truncated files, broken lists, wrong encodings,
duplicates across files, forced formats, and the CLI's one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tiplens.errors import BadInput
from tiplens.importing import Reject
from tiplens.social.importing import import_files


def v1(i: int, text: str = "hello") -> dict:
    return {"id_str": str(i), "created_at": "Tue Apr 07 22:41:21 +0000 2020", "full_text": text,
            "user": {"screen_name": "org"}, "favorite_count": 0, "retweet_count": 0}


def balanced(report) -> bool:
    return report.read == report.imported + report.duplicates + report.rejected and all(f.balanced for f in report.files)


def test_empty_and_blank_files_are_one_reject_each(study, tmp_path):
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_text("\n  \n", encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps([v1(1)]), encoding="utf-8")
    report = import_files(study, [tmp_path / "empty.json", tmp_path / "blank.jsonl", good])
    assert (report.read, report.imported, report.rejected) == (3, 1, 2) and balanced(report)
    assert {r[0] for r in study.query("SELECT reason FROM rejects")} == {"empty file: nothing to import"}


def test_an_unrecognised_file_is_one_reject_and_the_others_are_imported(study, tmp_path):
    odd = tmp_path / "notes.json"
    odd.write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps([v1(1), v1(2)]), encoding="utf-8")
    report = import_files(study, [odd, good])
    assert (report.read, report.imported, report.rejected) == (3, 2, 1) and balanced(report)
    assert "format not recognised" in report.files[0].note and report.files[0].rejected == 1
    rows = study.query("SELECT file, line, reason FROM rejects")
    assert len(rows) == 1 and rows[0][0] == str(odd) and rows[0][1] is None
    assert rows[0][2].startswith("format not recognised") and "--format" in rows[0][2]
    # alone, it leaves nothing imported (the CLI then exits 2 with the reason)
    alone = import_files(study, [odd])
    assert (alone.read, alone.imported, alone.rejected) == (1, 0, 1)


def test_a_csv_without_its_columns_does_not_stop_the_other_files(study, tmp_path):
    bare = tmp_path / "bare.csv"
    bare.write_text("colour,size\nred,1\n", encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps([v1(1)]), encoding="utf-8")
    report = import_files(study, [bare, good], fmt="auto")
    assert (report.imported, report.rejected) == (1, 1) and balanced(report)
    assert report.files[0].note and report.files[0].read == 1


def test_duplicates_across_files_and_formats(study, tmp_path):
    a = tmp_path / "api.json"
    a.write_text(json.dumps([v1(1), v1(2), v1(2)]), encoding="utf-8")
    b = tmp_path / "tweets.js"
    b.write_text("window.YTD.tweets.part0 = " + json.dumps([{"tweet": v1(2)}, {"tweet": v1(3)}]), encoding="utf-8")
    report = import_files(study, [a, b], account="org")
    assert (report.read, report.imported, report.duplicates, report.rejected) == (5, 3, 2, 0)
    assert [(f.imported, f.duplicates) for f in report.files] == [(2, 1), (1, 1)]
    again = import_files(study, [b])
    assert (again.imported, again.duplicates) == (0, 2)


def test_broken_items_in_a_pretty_list_are_skipped_and_reading_resumes(study, tmp_path):
    items = [json.dumps(v1(i), indent=2).replace("\n", "\n  ") for i in range(1, 5)]
    items[1] = items[1].replace('"full_text"', '"full_text" "broken"')  # item 2 is not JSON
    text = "[\n  " + ",\n  ".join(items[:3]) + ",\n  this line is garbage\n  " + items[3] + "\n]\n"
    f = tmp_path / "broken.json"
    f.write_text(text, encoding="utf-8")
    report = import_files(study, [f])
    assert (report.imported, report.rejected) == (3, 2) and balanced(report)
    lines = text.splitlines()
    second = [n for n, line in enumerate(lines, 1) if line == "  {"][1]
    garbage = lines.index("  this line is garbage") + 1
    rejects = study.query("SELECT line, reason FROM rejects ORDER BY line")
    assert [r[0] for r in rejects] == [second, garbage]
    assert "resumed" in rejects[0][1] and "resumed" in rejects[1][1]


def test_truncated_one_line_outbox_keeps_what_came_before(study, tmp_path):
    acts = [{"id": f"https://h.example/users/o/statuses/{i}/activity", "type": "Create",
             "actor": "https://h.example/users/o", "published": "2023-01-01T00:00:00Z",
             "object": {"id": f"https://h.example/users/o/statuses/{i}", "type": "Note",
                        "published": "2023-01-01T00:00:00Z", "content": f"<p>post {i}</p>"}} for i in range(5)]
    text = json.dumps({"@context": "https://www.w3.org/ns/activitystreams", "type": "OrderedCollection",
                       "totalItems": 5, "orderedItems": acts})
    f = tmp_path / "outbox.json"
    f.write_text(text[: text.index("post 3")], encoding="utf-8")
    report = import_files(study, [f])
    assert (report.imported, report.rejected) == (3, 1) and balanced(report)
    assert "truncated" in study.query("SELECT reason FROM rejects")[0][0]


def test_a_latin1_json_file_is_read_with_a_note(study, tmp_path):
    f = tmp_path / "latin.json"
    f.write_bytes(json.dumps([v1(1, "Perdagangan manusia – niño"), v1(2, "café")], ensure_ascii=False).encode("cp1252"))
    report = import_files(study, [f])
    assert report.imported == 2 and "not UTF-8" in report.files[0].note
    assert study.query("SELECT text FROM posts ORDER BY post_id") == [("Perdagangan manusia – niño",), ("café",)]


def test_forcing_the_wrong_format_rejects_every_item(study, tmp_path):
    f = tmp_path / "api.json"
    f.write_text(json.dumps([v1(1), v1(2)]), encoding="utf-8")
    report = import_files(study, [f], fmt="mastodon")
    assert (report.read, report.imported, report.rejected) == (2, 0, 2)
    with pytest.raises(BadInput, match="unknown format 'tiktok'"):
        import_files(study, [f], fmt="tiktok")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "tiplens", "social", "import", *args],
                          capture_output=True, text=True)


def test_cli_one_line_errors_and_notes(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("id,date,text,user\n1,2020-01-01,x,a\n2,bad,y,a\n", encoding="utf-8")
    store = str(tmp_path / "s.duckdb")
    r = _cli(str(csv), "--store", store, "--map", "likes_total=likes")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "'likes_total'" in r.stderr and "id, date, text, user" in r.stderr
    r = _cli(str(csv), "--store", store, "--json")
    out = json.loads(r.stdout)
    assert r.returncode == 0 and (out["read"], out["imported"], out["rejected"]) == (2, 1, 1)
    assert "1 item(s) rejected" in r.stderr
    with open(out["rejects_file"], encoding="utf-8") as fh:
        rows = fh.read().splitlines()
    assert rows[0] == "file,line,reason" and rows[1].split(",")[1] == "3"


def test_list_with_stray_first_element_resumes_at_its_items_not_at_a_later_document():
    from tiplens.social.importers.jsondoc import iter_document

    # the items sit two spaces deep; a second document follows at column 0 and must not be taken
    # for the items' indentation when a broken item has to be skipped
    text = '[\n  0\n  {"a": 1},\n  {"b": \n  {"c": 3}\n]\n{"d": 4}\n'
    got = [(line, v) for line, v in iter_document(text) if not isinstance(v, Reject)]
    assert got == [(2, 0), (3, {"a": 1}), (5, {"c": 3}), (7, {"d": 4})]


def _twarc2_page(tweets: list[dict]) -> str:
    return json.dumps({"data": tweets, "includes": {"users": [{"id": "9", "username": "Org"}]}, "meta": {}})


def _tw(i: int, **fields) -> dict:
    return {"id": str(i), "author_id": "9", "created_at": "2020-01-01T00:00:00.000Z", "text": "ok", **fields}


@pytest.mark.parametrize(("name", "lines", "bad"), [
    # twarc2: a number and an object where the text belongs, a number as a hashtag
    ("t.jsonl", [_twarc2_page([_tw(1, text=5), _tw(2), _tw(3, text={"a": 1}),
                               _tw(4, entities={"hashtags": [{"tag": 7}]})])], {1, 3, 4}),
    # v1.1: a number as the screen name, as a hashtag's text, as a mentioned screen name (a text
    # that is not a string is read as no text, as documented, so it is not among these)
    ("v.jsonl", [json.dumps({**v1(1), "user": {"screen_name": 3}}), json.dumps(v1(2)),
                 json.dumps({**v1(3), "entities": {"hashtags": [{"text": 4}]}}),
                 json.dumps({**v1(4), "entities": {"user_mentions": [{"screen_name": 5}]}})], {1, 3, 4}),
])
def test_values_of_the_wrong_type_are_rejects_not_a_stop(study, tmp_path, name, lines, bad):
    f = tmp_path / name
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_files(study, [f])
    assert (report.read, report.imported, report.rejected) == (4, 4 - len(bad), len(bad)) and balanced(report)
    kept = {int(pid) for (pid,) in study.query("SELECT post_id FROM posts")}
    assert kept == {1, 2, 3, 4} - bad
    reasons = [r[0] for r in study.query("SELECT reason FROM rejects")]
    assert len(reasons) == len(bad) and all(r.startswith("item not imported:") for r in reasons)


def test_the_cli_reports_wrong_types_without_a_traceback(tmp_path):
    f = tmp_path / "t.jsonl"
    f.write_text(_twarc2_page([_tw(1, text=5), _tw(2)]) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "tiplens", "social", "import", str(f), "--store",
                          str(tmp_path / "s.duckdb"), "--json"], capture_output=True, text=True)
    assert out.returncode == 0 and "Traceback" not in out.stderr
    assert json.loads(out.stdout)["rejected"] == 1
