"""Reading modern slavery statements from the files people have: PDF, HTML, DOCX, plain text, a
folder of those, or a CSV/XLSX with one statement (or one sentence) per row.

Every input either becomes a :class:`Document` or a :class:`Problem` with the file and the reason
(encrypted, broken, a scanned PDF without a text layer, an empty file, an unsupported type); one
bad file never stops the others. Paragraph boundaries known from the source (HTML blocks, Word
paragraphs, CSV rows, PDF pages) are kept as blank lines, which the sentence splitter treats as
hard breaks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from tiplens.errors import BadInput
from tiplens.tabular import detect_encoding, read_rows

PDF = {".pdf"}
HTML = {".html", ".htm", ".xhtml"}
DOCX = {".docx"}
TEXT = {".txt", ".text", ".md"}
TABLE = {".csv", ".tsv", ".xlsx"}
SUPPORTED = PDF | HTML | DOCX | TEXT | TABLE
MIN_CHARS_PER_PAGE = 25  # below this on average, a PDF is taken to have no text layer
TEXT_COLUMNS = ("text", "statement_text", "statement", "content", "sentence", "sentence_text")
ID_COLUMNS = ("statement_id", "id", "doc_id", "document_id", "file", "company")


@dataclass(frozen=True)
class Document:
    statement: str  # identifier shown in every output
    text: str
    source: str  # file name (and line for table rows)
    kind: str  # pdf | html | docx | txt | table
    pages: int | None = None


@dataclass(frozen=True)
class Problem:
    source: str
    reason: str


@dataclass
class Documents:
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _HtmlText(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
             "article", "header", "footer", "blockquote", "pre", "dd", "dt", "td", "th", "hr", "main", "nav"}
    SKIP = {"script", "style", "noscript", "template", "head", "svg"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")
            if tag == "li":
                self.parts.append("\u2022 ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data.replace("\n", " "))


def html_text(raw: str) -> str:
    parser = _HtmlText()
    parser.feed(raw)
    parser.close()
    return "".join(parser.parts)


def _pdf(path: Path) -> tuple[str, int]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))  # many PDFs only carry an owner password
            except Exception:
                opened = False
            if not opened:
                raise _Unreadable("encrypted PDF: it needs a password; save an unprotected copy and try again")
        pages = [page.extract_text() or "" for page in reader.pages]
    except _Unreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AssertionError) as exc:
        raise _Unreadable(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # pypdf raises many types on damaged files
        if type(exc).__name__ in ("DependencyError", "FileNotDecryptedError"):
            raise _Unreadable(f"encrypted PDF that cannot be opened ({exc})") from None
        raise _Unreadable(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    chars = sum(len(p.strip()) for p in pages)
    if not pages or chars < MIN_CHARS_PER_PAGE * len(pages):
        raise _Unreadable(f"no text layer ({len(pages)} page(s), {chars} characters): probably a scanned PDF; "
                          "it needs OCR, which tiplens does not do")
    return "\n\n".join(pages), len(pages)


def _docx(path: Path) -> str:
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise _Unreadable("an encrypted Word file or an old .doc (OLE) file; save it as an unprotected .docx")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise _Unreadable(f"not a readable DOCX ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # zipfile.BadZipFile, lxml errors
        raise _Unreadable(f"not a readable DOCX ({type(exc).__name__}: {exc})") from None
    parts = []
    for para in doc.paragraphs:
        style = (para.style.name if para.style is not None else "") or ""
        text = para.text.strip()
        if text:
            parts.append(("\u2022 " if "List" in style else "") + text)
    for table in doc.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                parts.append(" ; ".join(dict.fromkeys(cells)))
    return "\n\n".join(parts)


def _text(path: Path) -> str:
    enc = detect_encoding(path)
    try:
        return path.read_text(encoding=enc)
    except (UnicodeDecodeError, LookupError):
        return path.read_bytes().decode("utf-8", errors="replace")


class _Unreadable(Exception):
    pass


def _table(path: Path, text_column: str | None, id_column: str | None, out: Documents) -> None:
    header, rows = read_rows(path)
    lower = {h.lower(): h for h in header if h}
    tcol = lower.get(text_column.lower()) if text_column else next((lower[c] for c in TEXT_COLUMNS if c in lower), None)
    if tcol is None:
        want = f"--text-column {text_column!r} is not a column" if text_column else "no text column found; pass --text-column"
        raise _Unreadable(f"{want} (columns: {', '.join(h for h in header if h)})")
    icol = lower.get(id_column.lower()) if id_column else next((lower[c] for c in ID_COLUMNS if c in lower), None)
    if id_column and icol is None:
        raise _Unreadable(f"--id-column {id_column!r} is not a column (columns: {', '.join(h for h in header if h)})")
    grouped: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    for row in rows:
        where = f"{path.name}:{row.line}"
        if row.problem:
            out.problems.append(Problem(where, row.problem))
            continue
        text = (row.values.get(tcol) or "").strip()
        sid = ((row.values.get(icol) or "").strip() if icol else "") or f"{path.stem}:{row.line}"
        if not text:
            out.problems.append(Problem(where, f"empty {tcol!r}"))
            continue
        grouped.setdefault(sid, []).append(text)
        first_line.setdefault(sid, row.line)
    for sid, texts in grouped.items():  # rows sharing an id are parts of one statement, in file order
        out.documents.append(Document(sid, "\n\n".join(texts), f"{path.name}:{first_line[sid]}", "table"))


def expand(paths: list[Path], out: Documents) -> list[tuple[Path, str]]:
    """Files to read with their statement ids; folders are walked (sorted), unsupported files listed."""
    files: list[tuple[Path, str]] = []
    for p in paths:
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.is_file() and not x.name.startswith(".")):
                if f.suffix.lower() in SUPPORTED:
                    files.append((f, f.relative_to(p).as_posix()))
                else:
                    out.problems.append(Problem(str(f.relative_to(p)), f"skipped: unsupported file type {f.suffix or '(none)'}"))
        elif p.is_file():
            files.append((p, p.name))
        else:
            out.problems.append(Problem(str(p), "no such file or folder"))
    return files


def read(paths: Sequence[str | Path], *, text_column: str | None = None, id_column: str | None = None) -> Documents:
    """Read every statement; raises BadInput only when nothing at all could be read."""
    out = Documents()
    seen: set[Path] = set()
    for path, sid in expand([Path(p) for p in paths], out):
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        suffix = path.suffix.lower()
        try:
            if path.stat().st_size == 0:
                raise _Unreadable("empty file")
            if suffix in PDF:
                text, pages = _pdf(path)
                out.documents.append(Document(sid, text, path.name, "pdf", pages))
                continue
            if suffix in TABLE:
                _table(path, text_column, id_column, out)
                continue
            if suffix in DOCX:
                text, kind = _docx(path), "docx"
            elif suffix in HTML:
                text, kind = html_text(_text(path)), "html"
            elif suffix in TEXT:
                text, kind = _text(path), "txt"
            else:
                raise _Unreadable(f"unsupported file type {suffix or '(none)'}; expected {', '.join(sorted(SUPPORTED))}")
            if not text.strip():
                raise _Unreadable("no text found")
            out.documents.append(Document(sid, text, path.name, kind))
        except _Unreadable as exc:
            out.problems.append(Problem(path.name, str(exc)))
        except BadInput as exc:
            out.problems.append(Problem(path.name, str(exc)))
    if not out.documents:
        detail = "; ".join(f"{p.source}: {p.reason}" for p in out.problems[:3]) or "no input files"
        raise BadInput(f"no statement could be read ({detail})")
    return out
