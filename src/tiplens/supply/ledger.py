"""A tamper-evident record of assessments: an append-only JSON Lines file in which every
entry carries the SHA-256 hash of the entry before it and an Ed25519 signature.

One entry per line::

    {"seq": 3, "time": "...Z", "kind": "supplier-risk", "record": {...},
     "prev": "<hash of entry 2>", "key_id": "<16 hex>", "hash": "<sha256>", "sig": "<base64>"}

``hash`` is the SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of the
other fields except ``sig``; ``sig`` signs that hash. Anyone with the public key can
:func:`verify` the file: an altered record breaks its hash; a re-hashed record breaks
its signature; a removed, inserted or reordered entry breaks the chain of ``prev``
hashes and the sequence numbers; a record signed with another key is named as such.
Removing entries at the *end* leaves a shorter valid chain, so keep the head
(``seq:hash``, printed by every append) and pass it to ``verify --head``.

This gives the tamper evidence that supply-chain "blockchain" pilots seek without
running a chain; publishing the head somewhere others can see (a website, a statement)
makes rewriting the whole file with the same key detectable as well.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tiplens.errors import BadInput

GENESIS = "0" * 64
FIELDS = ("seq", "time", "kind", "record", "prev", "key_id")


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


# -- keys -------------------------------------------------------------------------------------
def generate_key(path: str | Path, *, overwrite: bool = False) -> tuple[Path, Path]:
    """Write a new private key (PEM, PKCS#8, readable by the owner only) and ``<path>.pub``."""
    path = Path(path)
    pub_path = path.with_name(path.name + ".pub")
    if not overwrite and (path.exists() or pub_path.exists()):
        raise BadInput(f"{path}: a key already exists; choose another name (a key is never overwritten)")
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    pub_path.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                       serialization.PublicFormat.SubjectPublicKeyInfo))
    return path, pub_path


def load_private(path: str | Path) -> Ed25519PrivateKey:
    data = _read_key(path)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise BadInput(f"{path}: not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BadInput(f"{path}: not an Ed25519 private key")
    return key


def load_public(path: str | Path) -> Ed25519PublicKey:
    data = _read_key(path)
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        try:  # a private key file also holds the public key
            return load_private(path).public_key()
        except BadInput:
            raise BadInput(f"{path}: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise BadInput(f"{path}: not an Ed25519 public key")
    return key


def _read_key(path: str | Path) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise BadInput(f"{p}: no such key file")
    return p.read_bytes()


# -- writing ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Head:
    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def append(log: str | Path, key: Ed25519PrivateKey, records: Iterable[dict[str, Any]], *,
           kind: str = "record", now: datetime | None = None) -> Head:
    """Append one signed entry per record. The log is verified with the key first; a log
    that does not verify is never extended."""
    log = Path(log)
    log.parent.mkdir(parents=True, exist_ok=True)
    kid = key_id(key.public_key())
    with log.open("a+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            fh.seek(0)
            check = verify_lines(fh.read().splitlines(), key.public_key())
            if not check.ok:
                raise BadInput(f"{log}: refusing to append to a log that does not verify: {check.problem}")
            seq, prev = check.entries, check.head.hash if check.head else GENESIS
            stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            lines = []
            for record in records:
                if not isinstance(record, dict):
                    raise BadInput("each record must be a JSON object")
                seq += 1
                body = {"seq": seq, "time": stamp, "kind": kind, "record": record, "prev": prev, "key_id": kid}
                try:
                    digest = hashlib.sha256(canonical(body)).hexdigest()
                except (TypeError, ValueError) as exc:
                    raise BadInput(f"record {seq}: not representable as JSON ({exc})") from None
                sig = base64.b64encode(key.sign(digest.encode("ascii"))).decode("ascii")
                lines.append(json.dumps({**body, "hash": digest, "sig": sig}, ensure_ascii=False) + "\n")
                prev = digest
            fh.seek(0, os.SEEK_END)
            fh.writelines(lines)
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    return Head(seq, prev)


# -- checking ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int  # entries checked and found good (before the first bad one)
    head: Head | None  # the last good entry
    bad_line: int | None = None  # 1-based line of the first bad entry
    bad_seq: int | None = None
    problem: str | None = None
    key_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "head": str(self.head) if self.head else None,
                "first_bad_line": self.bad_line, "first_bad_seq": self.bad_seq, "problem": self.problem,
                "key_id": self.key_id}


def verify(log: str | Path, public: Ed25519PublicKey, *, head: str | None = None) -> Verification:
    log = Path(log)
    if not log.is_file():
        raise BadInput(f"{log}: no such log file")
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    result = verify_lines(lines, public)
    if result.ok and head:
        result = _check_head(result, lines, head)
    return result


def verify_lines(lines: list[str], public: Ed25519PublicKey) -> Verification:
    kid = key_id(public)
    prev, good_head = GENESIS, None
    for i, line in enumerate(lines, start=1):
        def bad(problem: str, seq: int | None = None, i: int = i, good: Head | None = good_head) -> Verification:
            return Verification(False, i - 1, good, i, seq, f"entry at line {i}: {problem}", kid)

        if not line.strip():
            return bad("blank line inside the log (a record was removed or the file was edited)")
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            return bad("not valid JSON (the line was altered or truncated)")
        if not isinstance(entry, dict) or any(k not in entry for k in (*FIELDS, "hash", "sig")):
            return bad("not a log entry (fields missing)")
        seq = entry["seq"]
        body = {k: entry[k] for k in FIELDS}
        try:
            digest = hashlib.sha256(canonical(body)).hexdigest()
        except (TypeError, ValueError):
            return bad("content cannot be hashed", seq)
        if digest != entry["hash"]:
            return bad(f"seq {seq}: the record was altered (its content no longer matches its hash)", seq)
        if entry["key_id"] != kid:
            return bad(f"seq {seq}: signed by key {entry['key_id']}, not by the given public key {kid}", seq)
        try:
            public.verify(base64.b64decode(entry["sig"], validate=True), digest.encode("ascii"))
        except (InvalidSignature, ValueError):
            return bad(f"seq {seq}: the signature does not verify (altered and re-hashed, or forged)", seq)
        if entry["prev"] != prev:
            return bad(f"seq {seq}: does not follow the entry before it (an entry was removed, inserted or "
                       "reordered here)", seq)
        if seq != i:
            return bad(f"seq {seq} at position {i} (entries were removed, inserted or reordered)", seq)
        prev, good_head = digest, Head(seq, digest)
    return Verification(True, len(lines), good_head, key_id=kid)


def _check_head(result: Verification, lines: list[str], head: str) -> Verification:
    seq_text, _, digest = head.partition(":")
    if not seq_text.isdigit() or len(digest) != 64:
        raise BadInput(f"--head {head!r}: expected SEQ:HASH as printed by 'tiplens supply log append'")
    seq = int(seq_text)
    if seq > result.entries:
        return Verification(False, result.entries, result.head, None, seq,
                            f"the log ends at seq {result.entries} but the head you hold is seq {seq}: "
                            "entries were removed from the end", result.key_id)
    if json.loads(lines[seq - 1])["hash"] != digest:
        return Verification(False, result.entries, result.head, seq, seq,
                            f"entry seq {seq} differs from the head you hold: the log was rewritten", result.key_id)
    return result


def read_entries(log: str | Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(log).read_text(encoding="utf-8").splitlines() if line.strip()]
