"""The signed log: every kind of tampering is caught and the first bad entry named."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from tiplens.errors import BadInput
from tiplens.supply import ledger


@pytest.fixture
def signed(tmp_path):
    key_path, pub_path = ledger.generate_key(tmp_path / "key")
    key = ledger.load_private(key_path)
    log = tmp_path / "log.jsonl"
    head = ledger.append(log, key, [{"supplier": f"S{i}", "score": 10 * i} for i in range(1, 6)], kind="supplier-risk")
    return log, key, ledger.load_public(pub_path), head


def lines(log):
    return log.read_text(encoding="utf-8").splitlines()


def write(path, items):
    path.write_text("".join(x + "\n" for x in items), encoding="utf-8")
    return path


def test_an_untouched_log_verifies_and_the_head_is_the_last_hash(signed):
    log, _, public, head = signed
    v = ledger.verify(log, public, head=str(head))
    assert v.ok and v.entries == 5 and v.head == head
    last = json.loads(lines(log)[-1])
    body = {k: last[k] for k in ("seq", "time", "kind", "record", "prev", "key_id")}
    expected = hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    assert head.hash == last["hash"] == expected and head.seq == 5
    assert json.loads(lines(log)[0])["prev"] == "0" * 64
    assert all(json.loads(b)["prev"] == json.loads(a)["hash"] for a, b in zip(lines(log), lines(log)[1:], strict=False))


def test_altered_record(signed, tmp_path):
    log, _, public, _ = signed
    ls = lines(log)
    e = json.loads(ls[2])
    e["record"]["score"] = 0
    v = ledger.verify(write(tmp_path / "x.jsonl", ls[:2] + [json.dumps(e)] + ls[3:]), public)
    assert (v.ok, v.bad_line, v.bad_seq, v.entries) == (False, 3, 3, 2)
    assert "altered" in v.problem


def test_altered_and_rehashed_record_fails_the_signature(signed, tmp_path):
    log, _, public, _ = signed
    ls = lines(log)
    e = json.loads(ls[1])
    e["record"]["score"] = 999
    body = {k: e[k] for k in ("seq", "time", "kind", "record", "prev", "key_id")}
    e["hash"] = hashlib.sha256(ledger.canonical(body)).hexdigest()
    v = ledger.verify(write(tmp_path / "x.jsonl", ls[:1] + [json.dumps(e)] + ls[2:]), public)
    assert (v.ok, v.bad_line) == (False, 2) and "signature does not verify" in v.problem


def test_removed_entry(signed, tmp_path):
    log, _, public, _ = signed
    ls = lines(log)
    v = ledger.verify(write(tmp_path / "x.jsonl", ls[:3] + ls[4:]), public)
    assert (v.ok, v.bad_line, v.bad_seq) == (False, 4, 5) and "removed, inserted or reordered" in v.problem


def test_reordered_entries(signed, tmp_path):
    log, _, public, _ = signed
    ls = lines(log)
    v = ledger.verify(write(tmp_path / "x.jsonl", [ls[0], ls[2], ls[1], *ls[3:]]), public)
    assert (v.ok, v.bad_line, v.bad_seq) == (False, 2, 3)


def test_inserted_copy_of_a_valid_entry(signed, tmp_path):
    log, _, public, _ = signed
    ls = lines(log)
    v = ledger.verify(write(tmp_path / "x.jsonl", ls[:2] + [ls[1]] + ls[2:]), public)
    assert (v.ok, v.bad_line) == (False, 3) and "does not follow" in v.problem


def test_inserted_entry_signed_with_another_key(signed, tmp_path):
    log, _, public, _ = signed
    ls = lines(log)
    intruder = tmp_path / "intruder.jsonl"
    other_path, _ = ledger.generate_key(tmp_path / "other")
    other = ledger.load_private(other_path)
    ledger.append(intruder, other, [{"supplier": "S1", "score": 0}])
    forged = json.loads(lines(intruder)[0])
    forged.update(seq=3, prev=json.loads(ls[1])["hash"])  # placed to fit the chain, but its hash/sig no longer do
    v = ledger.verify(write(tmp_path / "x.jsonl", ls[:2] + [json.dumps(forged)] + ls[2:]), public)
    assert (v.ok, v.bad_line) == (False, 3)
    # re-hashed to fit: now the key is named
    body = {k: forged[k] for k in ("seq", "time", "kind", "record", "prev", "key_id")}
    forged["hash"] = hashlib.sha256(ledger.canonical(body)).hexdigest()
    forged["sig"] = base64.b64encode(other.sign(forged["hash"].encode())).decode()
    v = ledger.verify(write(tmp_path / "y.jsonl", ls[:2] + [json.dumps(forged)] + ls[2:]), public)
    assert (v.ok, v.bad_line) == (False, 3) and "signed by key" in v.problem


def test_wrong_public_key(signed, tmp_path):
    log, _, _, _ = signed
    _, pub = ledger.generate_key(tmp_path / "stranger")
    v = ledger.verify(log, ledger.load_public(pub))
    assert (v.ok, v.bad_line, v.entries) == (False, 1, 0) and "not by the given public key" in v.problem


def test_entries_removed_from_the_end_need_the_head(signed, tmp_path):
    log, _, public, head = signed
    short = write(tmp_path / "x.jsonl", lines(log)[:3])
    assert ledger.verify(short, public).ok  # a shorter chain is still a valid chain...
    v = ledger.verify(short, public, head=str(head))  # ...but not with the head kept from the append
    assert not v.ok and "removed from the end" in v.problem
    with pytest.raises(BadInput, match="SEQ:HASH"):
        ledger.verify(log, public, head="five")


def test_blank_or_garbled_lines(signed, tmp_path):
    log, _, public, _ = signed
    ls = lines(log)
    v = ledger.verify(write(tmp_path / "x.jsonl", ls[:2] + [""] + ls[2:]), public)
    assert (v.ok, v.bad_line) == (False, 3) and "blank line" in v.problem
    v = ledger.verify(write(tmp_path / "y.jsonl", ls[:4] + [ls[4][:40]]), public)
    assert (v.ok, v.bad_line) == (False, 5) and "not valid JSON" in v.problem


def test_append_continues_the_chain_and_refuses_a_broken_log(signed, tmp_path):
    log, key, public, _ = signed
    head = ledger.append(log, key, [{"audit": "passed"}], kind="audit")
    assert head.seq == 6 and ledger.verify(log, public).ok
    ls = lines(log)
    broken = write(tmp_path / "b.jsonl", ls[:2] + ls[3:])
    with pytest.raises(BadInput, match="refusing to append"):
        ledger.append(broken, key, [{"x": 1}])
    with pytest.raises(BadInput, match="JSON object"):
        ledger.append(log, key, ["not an object"])


def test_keys_are_never_overwritten_and_bad_keys_are_refused(tmp_path):
    ledger.generate_key(tmp_path / "k")
    with pytest.raises(BadInput, match="already exists"):
        ledger.generate_key(tmp_path / "k")
    assert (tmp_path / "k").stat().st_mode & 0o077 == 0
    (tmp_path / "junk.pem").write_text("not a key")
    with pytest.raises(BadInput):
        ledger.load_private(tmp_path / "junk.pem")
    with pytest.raises(BadInput):
        ledger.load_public(tmp_path / "junk.pem")
    assert ledger.key_id(ledger.load_public(tmp_path / "k")) == ledger.key_id(ledger.load_public(tmp_path / "k.pub"))
