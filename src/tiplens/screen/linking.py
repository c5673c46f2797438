"""Linking ads: ads that share a contact (phone number, e-mail, messaging handle) or are
near-duplicates of each other form a cluster. Per cluster: the ads, the names and locations used,
the date span and, when the input has locations and dates, the movement trace (locations in time
order). Flags point at patterns worth a human look: many locations in a short time, many names
behind one phone number.

Contacts are taken as given (already normalised values such as ``phone:+628123...``) or found in
the text by ONE adapter, :func:`contact_values`: it uses ``tiplens.screen.contacts`` when that
module is installed and a small built-in fallback otherwise (phone numbers via ``phonenumbers``,
e-mail addresses, wa.me / t.me links and Telegram / LINE handles).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from tiplens.screen.duplicates import THRESHOLD, components, near_duplicate_pairs

CONTACTS_ENGINE = "tiplens.screen.contacts"
COLUMNS = ("cluster_id", "n_ads", "ids", "contacts", "names", "locations", "n_locations", "first_seen",
           "last_seen", "trace", "flags", "linked_by")
SEP = "; "


@dataclass(frozen=True)
class LinkParams:
    duplicate_threshold: float = THRESHOLD  # MinHash Jaccard for near-duplicate ads
    min_cluster_size: int = 2  # smaller clusters (single ads) are not listed
    many_locations: int = 3  # flag: at least this many distinct locations ...
    short_days: int = 30  # ... within this many days
    many_names: int = 3  # flag: at least this many names used with one phone number
    region: str | None = None  # default region for national phone numbers in the fallback (e.g. "ID")
    contact_salt: str | None = None  # when set, contacts are written as salted SHA-256 hashes


@dataclass(frozen=True)
class LinkResult:
    clusters: pa.Table  # one row per cluster, columns COLUMNS (clusters.csv)
    members: pa.Table  # id, cluster_id, position, name, location, date: one row per clustered ad
    n_ads: int
    n_bad_dates: int  # dates that could not be read (treated as unknown)
    params: LinkParams

    def to_frame(self) -> Any:
        return self.clusters.to_pandas()

    def write_csv(self, path: Any) -> None:
        import pyarrow.csv as pcsv

        pcsv.write_csv(self.clusters, str(path))

    def _repr_html_(self) -> str:
        return self.to_frame()._repr_html_()


# ---- contacts ---------------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINKS = re.compile(r"(?:https?://)?(?:wa\.me/(\+?\d{6,15})|t\.me/([A-Za-z0-9_]{4,32}))", re.IGNORECASE)
_HANDLE = re.compile(r"\b(telegram|tg|line(?:\s*id)?)\s*[:=]?\s*@?([A-Za-z0-9_.]{4,32})", re.IGNORECASE)


def contact_values(texts: Sequence[str], region: str | None = None) -> list[set[str]]:
    """Normalised contacts per text, as ``kind:value`` strings (the contacts engine's ``key``)."""
    if importlib.util.find_spec(CONTACTS_ENGINE) is not None:
        engine = importlib.import_module(CONTACTS_ENGINE)  # present: its own errors are not hidden
        return [{_same_number(c.key) for c in engine.find_contacts(t, region) if getattr(c, "valid", True)}
                for t in texts]
    return [fallback_contacts(t, region) for t in texts]


_E164 = re.compile(r"\+\d{6,15}")


def _same_number(key: str) -> str:
    """One number is one contact whatever the channel: 'whatsapp:+62...' links with 'phone:+62...'."""
    _, _, value = key.partition(":")
    return f"phone:{value}" if _E164.fullmatch(value) else key


def fallback_contacts(text: str, region: str | None = None) -> set[str]:
    import phonenumbers

    out = {f"email:{m.group(0).lower().rstrip('.')}" for m in _EMAIL.finditer(text)}
    for m in _LINKS.finditer(text):
        if m.group(1):
            out.add(f"phone:+{m.group(1).lstrip('+')}")
        else:
            out.add(f"telegram:{m.group(2).lower()}")
    for m in _HANDLE.finditer(text):
        kind = "telegram" if m.group(1).lower() in ("telegram", "tg") else "line"
        out.add(f"{kind}:{m.group(2).lower().rstrip('.')}")
    for pm in phonenumbers.PhoneNumberMatcher(text, region):
        out.add("phone:" + phonenumbers.format_number(pm.number, phonenumbers.PhoneNumberFormat.E164))
    return out


# ---- clustering -------------------------------------------------------------------------------

def link(ids: Sequence[Any], texts: Sequence[str], *, contacts: Sequence[Iterable[str]] | None = None,
         names: Sequence[Any] | None = None, locations: Sequence[Any] | None = None,
         dates: Sequence[Any] | None = None, params: LinkParams | None = None) -> LinkResult:
    """Cluster ads; ``contacts``, ``names``, ``locations`` and ``dates`` are optional parallel sequences."""
    params = params or LinkParams()
    n = len(texts)
    for what, seq in (("ids", ids), ("contacts", contacts), ("names", names), ("locations", locations),
                      ("dates", dates)):
        if seq is not None and len(seq) != n:
            raise ValueError(f"{what} has {len(seq)} values for {n} texts")
    texts = [t if isinstance(t, str) else "" for t in texts]
    found = [_contact_set(cs) for cs in contacts] if contacts is not None else contact_values(texts, params.region)
    parsed: list[date | None] = [_date(d) for d in dates] if dates is not None else [None] * n
    n_bad = sum(1 for d, p in zip(dates or [], parsed, strict=False) if p is None and not _blank(d))
    name_of: list[str | None] = [_text(v) for v in names] if names is not None else [None] * n
    place_of: list[str | None] = [_text(v) for v in locations] if locations is not None else [None] * n

    by_contact: dict[str, list[int]] = defaultdict(list)
    for i, cs in enumerate(found):
        for c in cs:
            by_contact[c].append(i)
    contact_pairs = [(m[0], j) for m in by_contact.values() for j in m[1:]]
    dup_pairs = near_duplicate_pairs(texts, threshold=params.duplicate_threshold)
    pairs = np.array(contact_pairs + [tuple(p) for p in dup_pairs.tolist()], dtype=np.int64).reshape(-1, 2)
    label = components(n, pairs)
    via_contact = set(label[[i for p in contact_pairs for i in p]].tolist()) if contact_pairs else set()
    via_dup = set(label[dup_pairs.ravel()].tolist()) if len(dup_pairs) else set()

    groups: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(label.tolist()):
        groups[g].append(i)
    kept = sorted((m for m in groups.values() if len(m) >= params.min_cluster_size), key=lambda m: (-len(m), m[0]))
    rows, members = [], []
    for k, m in enumerate(kept, start=1):
        cid = f"C{k:04d}"
        g = int(label[m[0]])
        rows.append(_cluster_row(cid, m, ids, found, name_of, place_of, parsed, params,
                                 "+".join(w for w, s in (("contact", via_contact), ("near-duplicate", via_dup)) if g in s)))
        members += [{"id": str(ids[i]), "cluster_id": cid, "position": i, "name": name_of[i],
                     "location": place_of[i], "date": parsed[i]} for i in m]
    clusters = pa.Table.from_pylist(rows, schema=_SCHEMA) if rows else _SCHEMA.empty_table()
    member_table = pa.Table.from_pylist(members, schema=_MEMBERS) if members else _MEMBERS.empty_table()
    return LinkResult(clusters, member_table, n, n_bad, params)


_SCHEMA = pa.schema([("cluster_id", pa.string()), ("n_ads", pa.int64()), ("ids", pa.string()),
                     ("contacts", pa.string()), ("names", pa.string()), ("locations", pa.string()),
                     ("n_locations", pa.int64()), ("first_seen", pa.date32()), ("last_seen", pa.date32()),
                     ("trace", pa.string()), ("flags", pa.string()), ("linked_by", pa.string())])
_MEMBERS = pa.schema([("id", pa.string()), ("cluster_id", pa.string()), ("position", pa.int64()),
                      ("name", pa.string()), ("location", pa.string()), ("date", pa.date32())])


def _cluster_row(cid: str, m: list[int], ids: Sequence[Any], found: list[set[str]], name_of: list[str | None],
                 place_of: list[str | None], dates: list[date | None], params: LinkParams,
                 linked_by: str) -> dict[str, Any]:
    timeline: list[tuple[date, int]] = sorted((d, i) for i in m if (d := dates[i]) is not None)
    ordered = [i for _, i in timeline] + [i for i in m if dates[i] is None]
    counts: dict[str, int] = defaultdict(int)
    for i in m:
        for c in found[i]:
            counts[c] += 1
    shared = sorted(c for c, v in counts.items() if v >= 2)
    places = _distinct(place_of[i] for i in ordered)
    trace_steps: list[tuple[date, str]] = []
    for d, i in timeline:
        place = place_of[i]
        if place and (not trace_steps or trace_steps[-1][1] != place):
            trace_steps.append((d, place))
    return {
        "cluster_id": cid,
        "n_ads": len(m),
        "ids": SEP.join(str(ids[i]) for i in ordered),
        "contacts": SEP.join(_show(c, params.contact_salt) for c in shared),
        "names": SEP.join(_distinct(name_of[i] for i in ordered)),
        "locations": SEP.join(places),
        "n_locations": len(places),
        "first_seen": timeline[0][0] if timeline else None,
        "last_seen": timeline[-1][0] if timeline else None,
        "trace": " -> ".join(f"{d.isoformat()} {p}" for d, p in trace_steps) if len(trace_steps) >= 2 else "",
        "flags": SEP.join(_flags(m, found, name_of, place_of, timeline, params)),
        "linked_by": linked_by,
    }


def _flags(m: list[int], found: list[set[str]], name_of: list[str | None], place_of: list[str | None],
           timeline: list[tuple[date, int]], params: LinkParams) -> list[str]:
    flags = []
    best, start = 0, 0
    for end in range(len(timeline)):  # most distinct locations inside any window of short_days
        while (timeline[end][0] - timeline[start][0]).days > params.short_days:
            start += 1
        best = max(best, len({place_of[i] for _, i in timeline[start:end + 1] if place_of[i]}))
    if best >= params.many_locations:
        flags.append(f"{best} locations within {params.short_days} days")
    names_per_phone: dict[str, set[str]] = defaultdict(set)
    for i in m:
        for c in found[i]:
            name = name_of[i]
            if c.startswith("phone:") and name:
                names_per_phone[c].add(name.casefold())
    most = max((len(v) for v in names_per_phone.values()), default=0)
    if most >= params.many_names:
        flags.append(f"{most} names used with one phone number")
    return flags


def _distinct(values: Iterable[str | None]) -> list[str]:
    seen: dict[str, str] = {}
    for v in values:
        if v and v.casefold() not in seen:
            seen[v.casefold()] = v
    return list(seen.values())


def _show(contact: str, salt: str | None) -> str:
    if salt is None:
        return contact
    kind, _, _ = contact.partition(":")
    return f"{kind}:sha256:{hashlib.sha256((salt + contact).encode('utf-8')).hexdigest()[:16]}"


def _contact_set(values: Any) -> set[str]:
    """Given contacts of one ad: an iterable of values, or one string separated by ';'."""
    if _blank(values):
        return set()
    items = values.split(";") if isinstance(values, str) else values
    return {str(c).strip() for c in items if not _blank(c) and str(c).strip()}


def _blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    try:
        return bool(v != v)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def _text(v: Any) -> str | None:
    return None if _blank(v) else " ".join(str(v).split())


def _date(v: Any) -> date | None:
    if _blank(v):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if hasattr(v, "to_pydatetime"):  # pandas Timestamp
        return v.to_pydatetime().date()
    text = str(v).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


_NAME_KEYS = ("name", "names", "poster", "contact_name", "author")
_PLACE_KEYS = ("location", "city", "place", "region")
_DATE_KEYS = ("date", "posted_at", "created_at", "posted", "timestamp")


class Linker:
    """Collects screened ads (the ``ScreenOptions.on_record`` hook) and links them at the end.

    Names, locations and dates come from the record's other columns when present (first
    of the usual names: name/location/date/posted_at ...)."""

    def __init__(self, params: LinkParams | None = None) -> None:
        self.params = params or LinkParams()
        self.ids: list[Any] = []
        self.texts: list[str] = []
        self.names: list[str | None] = []
        self.places: list[str | None] = []
        self.dates: list[Any] = []
        self._result: LinkResult | None = None

    def on_record(self, doc: Any, record: dict[str, Any]) -> None:
        if not getattr(doc, "text", None):
            return
        meta = {str(k).lower(): v for k, v in (getattr(doc, "meta", None) or {}).items()}
        pick = lambda keys: next((meta[k] for k in keys if meta.get(k) not in (None, "")), None)  # noqa: E731
        self.ids.append(doc.id)
        self.texts.append(doc.text)
        self.names.append(pick(_NAME_KEYS))
        self.places.append(pick(_PLACE_KEYS))
        self.dates.append(pick(_DATE_KEYS))
        self._result = None

    def result(self) -> LinkResult:
        if self._result is None:
            self._result = link(self.ids, self.texts, names=self.names, locations=self.places, dates=self.dates,
                                params=self.params)
        return self._result

    def sections(self) -> list:
        from tiplens.screen.linking_report import sections

        return sections(self.result()) if self.ids else []
