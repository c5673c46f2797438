"""A Bluesky repository export (CAR v1 file, from ``com.atproto.sync.getRepo`` or the
app's "Export my data"): a header naming the signed commit, then blocks of DAG-CBOR.

The commit names the repository's DID and the root of its Merkle search tree (MST); the
tree maps record keys (``app.bsky.feed.post/<rkey>``) to the blocks holding the records.
Blocks are framed here (varint length, CID, data) so that a truncated file still yields
every record before the cut; each block is decoded with ``libipld``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tiplens.errors import BadInput


def looks_like_car(raw: bytes) -> bool:
    """A CAR v1 header: a varint length, then a DAG-CBOR map with ``roots`` and ``version``."""
    if len(raw) < 12 or raw[0] in b"{[ \t\r\n" or raw[0] >= 0x80:
        return False
    head = raw[1:1 + raw[0]]
    return b"roots" in head and b"version" in head and head[:1] in (b"\xa2",)


@dataclass
class Repo:
    did: str | None
    records: list[tuple[str, int, Any]] = field(default_factory=list)  # (key, block number, record or None)
    problems: list[str] = field(default_factory=list)


def _libipld() -> Any:
    try:
        import libipld
    except ImportError:
        raise BadInput("reading Bluesky CAR exports needs the libipld package: pip install 'libipld>=3'") from None
    return libipld


def _varint(data: bytes, o: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if o >= len(data) or shift > 63:
            raise ValueError("varint runs past the end of the file")
        b = data[o]
        value |= (b & 0x7F) << shift
        o += 1
        if not b & 0x80:
            return value, o
        shift += 7


def _cid_end(data: bytes, o: int) -> int:
    if data[o:o + 2] == b"\x12\x20":  # CIDv0: a bare sha2-256 multihash
        return o + 34
    _, p = _varint(data, o)  # version
    _, p = _varint(data, p)  # codec
    _, p = _varint(data, p)  # multihash code
    size, p = _varint(data, p)
    return p + size


def read_repo(path: Path) -> Repo:
    ipld = _libipld()
    data = path.read_bytes()

    def key(link: Any) -> str | None:
        if isinstance(link, bytes | bytearray):
            try:
                return ipld.encode_cid(bytes(link))
            except Exception:  # noqa: BLE001 - not a CID
                return None
        return link if isinstance(link, str) else None

    try:
        hlen, o = _varint(data, 0)
        header = ipld.decode_dag_cbor(data[o:o + hlen])
        roots = header.get("roots") or []
    except Exception as exc:  # noqa: BLE001 - libipld raises several types for broken input
        raise BadInput(f"{path}: not a readable CAR file ({type(exc).__name__}: {exc})") from None
    o += hlen
    blocks: dict[str, tuple[int, Any]] = {}
    problems: list[str] = []
    n = 0
    while o < len(data):
        n += 1
        try:
            size, p = _varint(data, o)
            end = p + size
            if end > len(data):
                raise ValueError("the block runs past the end of the file")
            cid_end = _cid_end(data, p)
            cid = ipld.encode_cid(data[p:cid_end])
            blocks[cid] = (n, ipld.decode_dag_cbor(data[cid_end:end]))
        except Exception as exc:  # noqa: BLE001
            problems.append(f"block {n} at byte {o} unreadable ({exc}); the file looks truncated or damaged, "
                            "records after it are missing")
            break
        o = end
    commit = blocks.get(key(roots[0]) or "", (0, None))[1] if roots else None
    if not (isinstance(commit, dict) and "data" in commit):
        commit = next((b for _, b in blocks.values() if isinstance(b, dict) and "did" in b and "data" in b), None)
    repo = Repo(did=commit.get("did") if isinstance(commit, dict) else None, problems=problems)
    if commit is None:
        repo.problems.append("no signed commit in the file: cannot list its records")
        return repo
    stack, missing = [key(commit.get("data"))], 0
    while stack:
        node_cid = stack.pop()
        if node_cid is None:
            continue
        node = blocks.get(node_cid, (0, None))[1]
        if not isinstance(node, dict) or "e" not in node:
            missing += 1
            continue
        stack.append(key(node.get("l")))
        prev = b""
        for entry in node.get("e") or []:
            full = prev[: entry.get("p", 0)] + bytes(entry.get("k") or b"")
            prev = full
            rec_cid = key(entry.get("v"))
            block_no, record = blocks.get(rec_cid or "", (0, None))
            repo.records.append((full.decode("utf-8", errors="replace"), block_no, record))
            stack.append(key(entry.get("t")))
    if missing:
        repo.problems.append(f"{missing} part(s) of the record tree are missing from the file: "
                             "the records listed there could not be read")
    return repo
