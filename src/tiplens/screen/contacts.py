"""Contacts in ad text: phone numbers (E.164 with phonenumbers), e-mail addresses, messaging
handles (WhatsApp, Telegram, Line, WeChat) and URLs, each with its span in the text.

Numbers written without a country code need a region: pass ``region`` (an ISO country code,
from ``--country``, or guessed from the ad's language by the caller). A number that cannot be
normalised is still reported, as its digits, with ``valid=False``. Redacted placeholders of the
EMSCAD corpus (``#PHONE_<hash>#``, ``#EMAIL_<hash>#``, ``#URL_<hash>#``) are reported as such, so
that ads sharing one can still be linked.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, replace
from functools import lru_cache

import ahocorasick_rs
import phonenumbers

KINDS = ("phone", "email", "url", "whatsapp", "telegram", "line", "wechat")

_PHONE = re.compile(r"[+(\d][\d \t().\-/]{5,23}\d")  # one character class first: a fast scan
_PHONE_RUN = re.compile(r"[+(\d][\d \t().\-/+]*\d")
_NON_DIGIT = re.compile(r"\D")
_PHONE_WORDS = re.compile(
    r"(?:tel|telp|telpon|telepon|phone|mobile|mob|hp|handphone|wa|whatsapp|whats app|watsap|wasap|w/a|call|"
    r"contact|kontak|hubungi|hub|sms|text|cp|viber|signal|telegram|line|no|nomor|number|nr)\W{0,6}$", re.I)
_CHANNELS = (("whatsapp", re.compile(r"\b(?:wa|whatsapp|whats app|watsap|wasap|w/a|whatsap)\b", re.I)),
             ("telegram", re.compile(r"\b(?:telegram|tele|tg)\b", re.I)),
             ("viber", re.compile(r"\bviber\b", re.I)),
             ("signal", re.compile(r"\bsignal\b", re.I)),
             ("line", re.compile(r"\bline\s*(?:id)?\s*[:=]?\s*$", re.I)))
_MONEY_BEFORE = re.compile(r"(?:rp|idr|rm|myr|usd|us\$|\$|sgd|hkd|ntd|nt\$|£|€|salary|gaji|php)\.?\s*$", re.I)
_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
_EMAIL_OBFUSCATED = re.compile(
    r"(?<![\w.])([A-Za-z0-9][A-Za-z0-9._%+-]*)\s*[\[(]\s*at\s*[\])]\s*([A-Za-z0-9-]+)\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*"
    r"([A-Za-z]{2,})(?:\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*([A-Za-z]{2,}))?(?![\w])", re.I)
_URL = re.compile(r"https?://[^\s<>\"'`]+|www\.[^\s<>\"'`]+|(?:bit\.ly|tinyurl\.com|s\.id|linktr\.ee|t\.co)/[^\s<>\"'`]+",
                  re.I)
_LINE_GATE = re.compile(r"line\s*(?:id|[:=@])|id\s*line|line\.me")
_LINE_AT = re.compile(r"line\s*(?:id|[:=@])|line\.me")  # _LINE_GATE's branches that start with "line"
_TG_GATE = re.compile(r"t\.me/|telegram|tele\b|tg\b")
_WA_LINK = re.compile(r"\b(?:https?://)?(?:wa\.me/|api\.whatsapp\.com/send/?\?phone=|whatsapp\.com/send/?\?phone=)"
                      r"\+?(\d{7,15})|\b(?:https?://)?chat\.whatsapp\.com/([A-Za-z0-9]{10,})", re.I)
_TG_LINK = re.compile(r"\b(?:https?://)?(?:t|telegram)\.me/([A-Za-z0-9_+]{3,64})", re.I)
_TG_HANDLE = re.compile(r"\b(?:telegram|tele|tg)\b(?:\s*(?:id|username|user))?\s*(?:[:=]\s*@?|@)([A-Za-z][A-Za-z0-9_]{3,31})\b",
                        re.I)
_LINE_LINK = re.compile(r"\b(?:https?://)?line\.me/(?:R/)?(?:ti/p/)?~?@?([A-Za-z0-9._-]{3,40})", re.I)
_LINE_ID = re.compile(r"\b(?:line\s*(?:id\s*)?[:=@]|id\s*line\s*[:=])\s*@?([A-Za-z0-9][A-Za-z0-9._-]{2,19})\b", re.I)
_WECHAT = re.compile(r"(?:\b(?:wechat|weixin|wx)\b|微信)\s*(?:id)?\s*[:=：]\s*([A-Za-z][A-Za-z0-9_-]{5,19})\b", re.I)
_PLACEHOLDER = re.compile(r"#(PHONE|EMAIL|URL)_[0-9a-f]{16,}#")
_TRAILING = ".,;:!?)]}'\"…"


@dataclass(frozen=True, slots=True)
class Contact:
    kind: str      # phone | email | url | whatsapp | telegram | line | wechat
    value: str     # E.164 for phones and WhatsApp numbers; lower-case e-mail, handle or URL
    start: int
    end: int
    channel: str | None = None  # a phone number announced as WhatsApp, Telegram, Viber ...
    valid: bool = True          # False: could not be normalised (reported as written)

    @property
    def key(self) -> str:
        """What two ads must share to be linked through this contact."""
        return f"{self.kind}:{self.value}"

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "value": self.value, "start": self.start, "end": self.end,
                "channel": self.channel, "valid": self.valid}

    def hashed(self, salt: bytes) -> Contact:
        """The same contact with its value replaced by a salted hash (HMAC-SHA256, 24 hex)."""
        digest = hmac.new(salt, self.key.encode("utf-8"), hashlib.sha256).hexdigest()[:24]
        return replace(self, value=f"h:{digest}")


# Words whose presence in the lower-cased text decides which of the expressions below run: one
# pass of a small automaton finds them all (cheaper than a dozen substring tests).
_GATE_WORDS = ("#phone_", "#email_", "#url_", "wa.me", "whatsapp.com", "t.me/", "telegram", "tele", "tg", "line",
               "wechat", "weixin", "wx", "(at)", "[at]", "( at )", "[ at ]", "www.", "bit.ly", "s.id/", "linktr.ee",
               "t.co/")
_GATES = ahocorasick_rs.AhoCorasick(_GATE_WORDS, matchkind=ahocorasick_rs.MatchKind.Standard)
_TG_WORDS = frozenset(("t.me/", "telegram", "tele", "tg"))  # _TG_GATE needs one of them
# UTF-8 bytes by what they can be in a _PHONE match: 1 a digit (any non-ASCII byte may belong to
# a digit of another script), 2 another character of a match (" \t().-/+"), 0 never in a match
_PHONE_CLASS = bytes(1 if 48 <= b <= 57 or b >= 128 else 2 if chr(b) in " \t().-/+" else 0 for b in range(256))
_MIN_DIGITS = 7  # a reported number has at least 7 digits
_PHONE_SEED = re.compile(rb"\x01(?:\x02*\x01){6}")  # 7 digits in one run (of _PHONE_CLASS bytes)
_PHONE_OTHER = b" \t().-/+"  # the bytes of class 2
_SEVEN = b"\x01" * _MIN_DIGITS


def find_contacts(text: str, region: str | None = None, low: str | None = None) -> list[Contact]:
    """All contacts in ``text``, sorted by position, without overlaps. ``low``: ``text.lower()``
    when the caller already has it."""
    found: list[Contact] = []
    if low is None:
        low = text.lower()
    seen: dict[str, int] = {}  # gate word -> where it first occurs
    line_at: list[int] = []  # every occurrence of "line"
    for i, s, _ in _GATES.find_matches_as_indexes(low, overlapping=True):
        w = _GATE_WORDS[i]
        seen.setdefault(w, s)
        if w == "line":
            line_at.append(s)
    if "#" in text and ("#phone_" in seen or "#email_" in seen or "#url_" in seen):
        for m in _PLACEHOLDER.finditer(text):
            found.append(Contact(m.group(1).lower(), m.group(), m.start(), m.end(), valid=False))
    if "wa.me" in seen or "whatsapp.com" in seen:
        for m in _WA_LINK.finditer(text):
            if m.group(1):
                found.append(_phone_contact(m.group(1), "+" + m.group(1), m.start(), m.end(), None, "whatsapp"))
            else:
                found.append(Contact("whatsapp", "group:" + m.group(2), m.start(), m.end()))
    if not _TG_WORDS.isdisjoint(seen) and _TG_GATE.search(low):
        for m in _TG_LINK.finditer(text):
            found.append(Contact("telegram", m.group(1).lower(), m.start(), m.end()))
        for m in _TG_HANDLE.finditer(text):
            found.append(Contact("telegram", m.group(1).lower(), m.start(1) - (text[m.start(1) - 1] == "@"), m.end()))
    if line_at and _line_gate(low, line_at):
        for rx in (_LINE_LINK, _LINE_ID):
            for m in rx.finditer(text):
                found.append(Contact("line", m.group(1).lower(), m.start(1), m.end(1)))
    if "wechat" in seen or "weixin" in seen or "wx" in seen or "微信" in text:
        for m in _WECHAT.finditer(text):
            found.append(Contact("wechat", m.group(1).lower(), m.start(1), m.end(1)))
    if "@" in text:
        for m in _EMAIL.finditer(text):
            found.append(Contact("email", m.group().lower(), m.start(), m.end()))
    if "(at)" in seen or "[at]" in seen or "( at )" in seen or "[ at ]" in seen:
        for m in _EMAIL_OBFUSCATED.finditer(text):
            domain = ".".join(p for p in m.group(2, 3, 4) if p)
            found.append(Contact("email", f"{m.group(1)}@{domain}".lower(), m.start(), m.end()))
    if "://" in text or "www." in seen or "bit.ly" in seen or "s.id/" in seen or "linktr.ee" in seen or "t.co/" in seen:
        for m in _URL.finditer(text):
            url = m.group().rstrip(_TRAILING)
            found.append(Contact("url", url.lower() if "://" not in url else _lower_host(url), m.start(), m.start() + len(url)))
    size = len(text)
    skip_until = -1
    for m in (m for lo, hi in _phone_runs(text) for m in _PHONE.finditer(text, lo, hi)):
        a, b = m.span()
        if a < skip_until:
            continue
        if (a and (text[a - 1].isalnum() or text[a - 1] in "_+")) or (b < size and (text[b].isalnum() or text[b] == "_")):
            continue
        if text[a] == "(" and not text[a + 1].isdigit():
            continue
        if len(_NON_DIGIT.sub("", m.group())) > 15:  # several numbers in a row: let phonenumbers split them
            skip_until = _PHONE_RUN.match(text, a).end()  # type: ignore[union-attr]
            found.extend(_split_numbers(text, a, skip_until, region))
            continue
        contact = _phone_candidate(text, m, region)
        if contact is not None:
            found.append(contact)
    return _resolve(found)


def _line_gate(low: str, line_at: list[int]) -> bool:
    """``_LINE_GATE.search(low)``, tried only where "line" occurs: "line" followed by an id or
    a separator, "line.me", or "id", spaces, "line" (\\s is str.isspace for re)."""
    for p in line_at:
        if _LINE_AT.match(low, p):
            return True
        q = p
        while q and low[q - 1].isspace():
            q -= 1
        if q >= 2 and low[q - 2:q] == "id":
            return True
    return False


def _phone_runs(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` that hold every _PHONE match worth looking at, for _PHONE to scan.

    A match is made of decimal digits and " \\t().-/+" only and yields a number only with at
    least 7 digits; so only runs of such characters holding 7 digits matter, and _PHONE finds in
    them what it finds in the whole text (its matches never cross a run's ends). Worked on the
    UTF-8 bytes, where any non-ASCII byte is taken as (part of) a digit of another script."""
    raw = text.encode("utf-8", "surrogatepass")
    # without the other phone characters, 7 digits of one run stand together
    if _SEVEN not in raw.translate(_PHONE_CLASS, _PHONE_OTHER):
        return []
    cls = raw.translate(_PHONE_CLASS)
    runs: list[tuple[int, int]] = []
    end = -1
    for m in _PHONE_SEED.finditer(cls):
        if m.start() < end:
            continue  # in the run found last
        lo = cls.rfind(0, 0, m.start()) + 1
        end = cls.find(0, m.end())
        if end < 0:
            end = len(cls)
        runs.append((lo, end))
    if runs and len(raw) != len(text):  # byte offsets to character offsets (run ends are ASCII)
        chars, done, out = 0, 0, []
        for a, b in runs:  # each stretch of bytes decoded once
            chars += len(raw[done:a].decode("utf-8", "surrogatepass"))
            lo = chars
            chars += len(raw[a:b].decode("utf-8", "surrogatepass"))
            out.append((lo, chars))
            done = b
        runs = out
    return runs


def _split_numbers(text: str, a: int, b: int, region: str | None) -> list[Contact]:
    out = []
    for pm in phonenumbers.PhoneNumberMatcher(text[a:b], region.upper() if region else "ZZ"):
        value = phonenumbers.format_number(pm.number, phonenumbers.PhoneNumberFormat.E164)
        start, end = a + pm.start, a + pm.end
        channel = next((name for name, rx in _CHANNELS if rx.search(text[max(0, start - 24):start])), None)
        out.append(Contact("phone", value, start, end, channel, True))
    return out


def _phone_candidate(text: str, m: re.Match[str], region: str | None) -> Contact | None:
    raw = m.group()
    digits = _NON_DIGIT.sub("", raw)
    if not 7 <= len(digits) <= 15:
        return None
    before = text[max(0, m.start() - 24):m.start()]
    international = raw.startswith(("+", "00"))
    region = region.upper() if region else None
    # a national number that is not valid is kept only when announced ("tel", "wa" ...): most
    # runs of digits (dates, amounts) end here, before the other expressions run
    announced = bool(_PHONE_WORDS.search(before))
    if not international and not announced and not _normalise_number(digits, region)[1]:
        return None
    if _MONEY_BEFORE.search(before):
        return None
    channel = next((name for name, rx in _CHANNELS if rx.search(before)), None)
    # kept: international, announced, or (checked above) a valid national number
    return _phone_contact(digits, ("+" + digits[2:] if raw.startswith("00") else raw) if international else raw,
                          m.start(), m.end(), region, channel)


def _phone_contact(digits: str, raw: str, start: int, end: int, region: str | None, channel: str | None) -> Contact:
    """``region``: an upper-case ISO code or None."""
    kind = "whatsapp" if channel == "whatsapp" and raw.startswith("+") and raw[1:].isdigit() else "phone"
    value, valid = _normalise_number(raw if raw.startswith("+") else digits, region)
    return Contact(kind, value, start, end, channel if kind == "phone" and channel else None, valid)


@lru_cache(maxsize=65536)
def _normalise_number(raw: str, region: str | None) -> tuple[str, bool]:
    """E.164 and True for a valid number; else its digits (with '+' if international) and False.
    Cached: the same recruiter's number recurs across many ads."""
    try:
        num = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        num = None
    if num is not None and phonenumbers.is_valid_number(num):
        return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164), True
    digits = _NON_DIGIT.sub("", raw)
    return (("+" + digits) if raw.startswith("+") else digits), False


def _lower_host(url: str) -> str:
    scheme, _, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


_ORDER = {k: i for i, k in enumerate(("whatsapp", "telegram", "line", "wechat", "email", "url", "phone"))}


def _resolve(found: list[Contact]) -> list[Contact]:
    """Sort by position; when two contacts overlap keep the first found (links before URLs)."""
    if len(found) < 2:
        return found
    found.sort(key=lambda c: (c.start, _ORDER.get(c.kind, 9), -(c.end - c.start)))
    out: list[Contact] = []
    for c in found:
        if any(c.start < o.end and o.start < c.end for o in out):
            continue
        out.append(c)
    return out
