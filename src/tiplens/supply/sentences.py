"""Sentence splitting for statements as they come out of PDFs, web pages and Word files.

Text arrives with hard line breaks in the middle of sentences (PDF), headings without a full stop,
bullet lists and page furniture. The splitter works in three steps:

1. lines are classified: blank, bullet item, heading, page furniture (a bare page number,
   "Page 3 of 10"), or running text;
2. lines are joined into blocks: running text continues across single line breaks (the PDF case),
   while a blank line, a bullet or a heading starts a new block; a heading is its own block;
3. each block is cut after ``.``, ``!`` or ``?`` when the next word starts a sentence, except
   after common abbreviations (e.g., Ltd., No.), initials and decimal numbers.
"""

from __future__ import annotations

import re
import unicodedata

BULLET = re.compile(r"^\s*(?:[\u2022\u2023\u25aa\u25ab\u25cf\u25cb\u25e6\u2043\u2219\u00b7\u27a2\u2794\u25ba\u25b6\uf0b7\uf0a7\uf076\uf0d8*>-]|"
                    r"[\u2013\u2014](?=\s)|\(?\d{1,2}[.)](?=\s)|\(?[a-z][.)](?=\s)|\((?:i{1,3}|iv|v|vi{0,3}|ix|x)\))\s*")
FURNITURE = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.IGNORECASE)
ABBREVIATIONS = {
    "e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "prof", "no", "nos", "ltd", "inc", "co", "corp", "pty",
    "plc", "st", "vs", "approx", "incl", "fig", "p", "pp", "u.k", "u.s", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "para", "s", "ss", "art", "cf", "al", "jr",
    "sr", "dept", "est", "govt", "int", "intl", "ca", "cl",
}
# a candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace
_BOUNDARY = re.compile(r"([.!?])([\"'\u201d\u2019)\]]*)(\s+)(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u00de])")
_FUNCTION_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "our",
                   "the", "to", "with", "&", "its", "their", "we", "how"}
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def normalise(text: str) -> str:
    """NFKC (ligatures, full-width forms), unified line ends, no soft hyphens or NULs, single spaces."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00ad", "").replace("\x00", "").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.replace("\f", "\n\n")
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n"))


def _is_heading(line: str, next_line: str | None) -> bool:
    words = line.split()
    if not words or len(words) > 12 or len(line) > 90 or line[-1] in ".,;!?":
        return False
    if line.endswith(":"):
        return True
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return False
    if all(c.isupper() for c in letters) and len(letters) > 2:
        return True
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    capitalised = sum(1 for w in content if w[0].isupper() or not w[0].isalpha())
    starts_new = next_line is None or not next_line or next_line[0].isupper() or BULLET.match(next_line) is not None
    return starts_new and bool(content) and capitalised == len(content)


def blocks(text: str) -> list[str]:
    """Paragraphs, bullet items and headings, each as one string with line breaks removed."""
    lines = normalise(text).split("\n")
    out: list[str] = []
    current: list[str] = []
    in_bullet = False

    def flush() -> None:
        if current:
            out.append(" ".join(current).strip())
            current.clear()

    for i, line in enumerate(lines):
        if not line:
            flush()
            continue
        if FURNITURE.match(line):
            continue
        nxt = next((ln for ln in lines[i + 1:i + 2]), None)
        bullet = BULLET.match(line)
        if bullet and len(line) > bullet.end():
            flush()
            current.append(line[bullet.end():])
            in_bullet = True
            continue
        heading = _is_heading(line, nxt)
        if heading and current and current[-1][-1:] not in ".!?:;":
            # after an unfinished line, only a clear heading breaks the flow
            # (a short line such as "Number: 2304195", or a bullet item, before a multi-word title)
            heading = line.isupper() or (len(line.split()) > 1 and (in_bullet or len(" ".join(current)) < 40))
        if heading:
            flush()
            out.append(line)
            in_bullet = False
            continue
        if current and current[-1].endswith("-") and line[:1].islower():
            current[-1] = current[-1] + line  # keep the hyphen: "supply-" + "chain"
            continue
        if not current:
            in_bullet = False
        current.append(line)
    flush()
    return [b for b in out if b]


def split_block(block: str) -> list[str]:
    """Cut one block into sentences."""
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(block):
        end = m.end(2)
        before = block[start:m.start(1)]
        token = before.rsplit(" ", 1)[-1].lower().lstrip("(\"'\u201c")
        if m.group(1) == ".":
            if token in ABBREVIATIONS or token.rstrip(".") in ABBREVIATIONS:
                continue
            if len(token) == 1 and token.isalpha():  # an initial: "J. Smith"
                continue
            if re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):  # "u.k" style
                continue
        piece = block[start:end].strip()
        if piece:
            out.append(piece)
        start = m.end(3)
    tail = block[start:].strip()
    if tail:
        out.append(tail)
    return out


def split(text: str) -> list[str]:
    """The sentences of a statement, in order."""
    return [s for b in blocks(text) for s in split_block(b) if any(c.isalnum() for c in s)]
