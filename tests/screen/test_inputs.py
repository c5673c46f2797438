"""Input edge cases: JSON escapes that do not make a valid Unicode string."""

from __future__ import annotations

import json

from tiplens.screen.screening import screen_files

TEXT = "Xin chao chung toi dang tuyen nhan vien ban hang tai Ha Noi, registration fee required"


def test_a_lone_surrogate_escape_is_replaced_not_a_traceback(tmp_path):
    # json.loads turns "\ud800" into a lone surrogate, which no UTF-8 encoder accepts
    src = tmp_path / "ads.jsonl"
    src.write_text('{"id": "a\\ud800", "text": "\\ud800 ' + TEXT + ' \\uDFFF"}\n'
                   '{"id": "b", "text": "pair \\ud83d\\ude00 ' + TEXT + '"}\n', encoding="utf-8")
    out = tmp_path / "r.jsonl"
    summary = screen_files([src], out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert summary.read == 2 and [r["status"] for r in records] == ["screened", "screened"]
    assert records[0]["id"] == "a\ufffd"
    fee = [i for i in records[0]["indicators"] if "fee" in i["text"]]
    assert fee and fee[0]["start"] == 2 + TEXT.index("registration")  # one character for one
    assert records[1]["indicators"][0]["start"] == len("pair 😀 ") + TEXT.index("registration")


def test_a_json_array_with_a_lone_surrogate_is_screened(tmp_path):
    src = tmp_path / "ads.json"
    src.write_text('[{"id": "a", "text": "\\udc00 ' + TEXT + '"}]', encoding="utf-8")
    out = tmp_path / "r.jsonl"
    assert screen_files([src], out).statuses["screened"] == 1
