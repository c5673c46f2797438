"""Format recognition by content: each real sample is read by the right module, and no
other module claims it (order in FORMATS must not be what saves us)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared
from tiplens.social import importers
from tiplens.social.importing import read_head

SAMPLES = [
    ("who-tweets-v1-sample", "who_tweets_2020-04-07.json", "v1"),
    ("x-archive-andreruffert", "tweets.js", "x-archive"),
    ("zeeschuimer-x-ndjson", "twitter-test.ndjson", "zeeschuimer"),
    ("mastodon-outbox-dealingwith", "outbox.json", "mastodon"),
    ("bluesky-authorfeed-page", "getAuthorFeed_page.json", "bluesky"),
    ("twarc2-docnow-testdata", "brexit.jsonl", "twarc2"),
    ("twarc2-docnow-testdata", "flat.jsonl", "twarc2"),
    ("twarc2-docnow-testdata", "2sets.jsonl", "twarc2"),
]


@pytest.mark.real
@pytest.mark.parametrize("folder,name,fmt", SAMPLES)
def test_each_real_sample_is_claimed_by_its_own_module_only(folder, name, fmt):
    path = shared("social-samples", folder, name)
    head = read_head(path)
    assert importers.detect(path, head).NAME == fmt
    claimed = [m.NAME for m in importers.FORMATS.values() if m.sniff(head, path)]
    assert claimed == [fmt]


def test_hand_made_heads(tmp_path):
    cases = {
        "v1.jsonl": json.dumps({"id_str": "1", "full_text": "x", "user": {"screen_name": "a"}}) + "\n",
        "page.jsonl": json.dumps({"data": [{"id": "1", "text": "x", "author_id": "2"}], "includes": {}}) + "\n",
        "z.ndjson": json.dumps({"item_id": "1", "source_platform": "twitter.com", "timestamp_collected": 1,
                                "data": {"rest_id": "1", "legacy": {"id_str": "1", "full_text": "x"}, "core": {}}}) + "\n",
        "tweet.js": 'window.YTD.tweet.part0 = [ { "tweet" : { "id_str" : "1" } } ]',
        "posts.csv": "id,date,text\n1,2020-01-01,x\n",
        "posts.txt": "id\tdate\n1\t2020-01-01\n",
    }
    expected = {"v1.jsonl": "v1", "page.jsonl": "twarc2", "z.ndjson": "zeeschuimer", "tweet.js": "x-archive",
                "posts.csv": "csv", "posts.txt": "csv"}
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert importers.detect(path, read_head(path)).NAME == expected[name], name


def test_unknown_content_is_a_clear_error(tmp_path):
    from tiplens.errors import BadInput

    path = tmp_path / "notes.json"
    path.write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    with pytest.raises(BadInput, match="format not recognised.*--format"):
        importers.detect(path, read_head(path))
