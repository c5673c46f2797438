"""The CTDC importer for large, well-formed CSV files, run inside DuckDB.

DuckDB reads the file (every column as text, malformed rows kept in its rejects tables) and
the mapping runs as SQL. The SQL is generated from the Python mapping itself, so the two
paths cannot drift apart: every distinct value of every coded column (year, gender, age band,
countries, flags, ...) goes through the same parser as :func:`ctdc.map_item`, and the SQL only
looks the answers up. A record that the SQL is not sure about (a value the parser rejects, a
free-text value with unusual spacing, a possibly blank record, a record that may be a repeated
header, a line with a quote character, a line DuckDB rejected) is read again from the file and
mapped in Python, row by row, by the same code as the Python path. The result is the same
``cases`` rows, line numbers, case ids and rejects as :func:`ctdc.read`.

:func:`plan` returns ``None`` whenever the file is not one this path reads exactly (not UTF-8,
a spreadsheet, gzip, a record spanning several lines, a lone carriage return, too many quoted
lines, an error DuckDB reports that is not about one line's fields); the driver then uses the
Python path.
"""

from __future__ import annotations

import bisect
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tiplens.cases.importers import base, ctdc
from tiplens.cases.importers.base import BadCode, CaseRow
from tiplens.cases.schema import FLAG_COLUMNS
from tiplens.importing import Reject
from tiplens.tabular import csv_layout, is_gzip, is_xlsx, row_of

SAMPLE = 100_000  # records whose values are looked up first (the most frequent first)
MIN_BYTES = 4 << 20  # smaller files go through Python (auto mode): DuckDB's fixed costs dominate there
MAX_QUOTED_LINES = 50_000  # lines with a quote character are parsed again in Python; past this, use Python
CHUNK = 16 << 20
_OK_REJECTS = {"MISSING COLUMNS", "TOO MANY COLUMNS", "UNQUOTED VALUE"}
_BAD = "~bad~"  # the SQL code of a value the parser rejects
# Python's str.isspace() characters, as an RE2 class
_WS = r"[\t-\r\x1c-\x20\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"


class _Fallback(Exception):  # noqa: N818 - internal signal, never escapes plan()
    """The file is not one this path reads exactly: use the Python path."""


@dataclass
class FastRead:
    """A file read by DuckDB: records mapped in Python (by line) and the SQL for the rest."""

    header: list[str]
    items: list[tuple[int, CaseRow | Reject]] = field(default_factory=list)  # in line order
    skipped: list[int] = field(default_factory=list)  # blank lines (not items), sorted
    sql_rows: int = 0  # records the SQL mapped and inserted (all valid)

    def read_index(self, line: int) -> int:
        """The record's position among the file's items (what the Python path counts as read)."""
        return line - 1 - bisect.bisect_left(self.skipped, line)


def eligible(path: Path, module_name: str, mapping: dict[str, str], fast: bool | None) -> bool:
    if fast is False or mapping or module_name not in (ctdc.NAME, "ctdc-synthetic"):
        return False
    if is_xlsx(path) or is_gzip(path):
        return False
    return fast is True or path.stat().st_size >= MIN_BYTES


def run(con, path: Path, encoding: str | None, *, synthetic: bool, tag: str, file: str, import_id: int,  # noqa: ANN001
        repeat: bool) -> FastRead | None:
    """Read ``path`` with DuckDB and insert the records the SQL maps into ``cases`` (into a
    scratch table when ``repeat``: the file was imported before). Returns the rest, for the
    driver to account for; None (nothing inserted) when the Python path must read the file."""
    target = "tiplens_repeat" if repeat else "cases"
    inserted: list[bool] = []
    try:
        return _run(con, path, encoding, synthetic=synthetic, tag=tag, file=file, import_id=import_id,
                    target=target, inserted=inserted)
    except _Fallback:
        if inserted and target == "cases":
            con.execute("DELETE FROM cases WHERE import_id = ? AND source_file = ?", [import_id, file])
        return None
    finally:
        for table in ("tiplens_rejects", "tiplens_reject_scans", "tiplens_repeat", "tiplens_keys", "tiplens_fix"):
            con.execute(f"DROP TABLE IF EXISTS {table}")


def _run(con, path: Path, encoding: str | None, *, synthetic: bool, tag: str, file: str, import_id: int,  # noqa: ANN001, C901
         target: str, inserted: list[bool]) -> FastRead:
    import duckdb

    header, delimiter, enc = csv_layout(path, encoding)
    if enc.lower().replace("_", "-") not in ("utf-8", "utf-8-sig", "utf8", "ascii"):
        raise _Fallback
    lower = [h.strip().lower() for h in header]
    if len(set(lower)) != len(lower):
        raise _Fallback  # repeated column names: the Python dict keeps the last one
    if con.execute("SELECT count(*) FROM cases WHERE import_id = ? AND source_file = ?",
                   [import_id, file]).fetchone()[0]:
        raise _Fallback  # the same file twice in one import: keep its rows apart
    scan = _prescan(path)
    n = len(header)
    cols = [f"c{i}" for i in range(n)]
    con.execute("SET enable_progress_bar = false")
    reader = _reader_sql(path, cols, delimiter)
    coded = {i: kind for i, name in enumerate(lower) if (kind := _kind(name)) is not None}
    names = set(lower) | ctdc.KNOWN
    free = [i for i in range(n) if i not in coded]
    # the values to look up: those of the first records (most frequent first), then every other
    # value the parser accepts; any other value sends its record to Python
    hist = ", ".join(f"histogram(c{i})" for i in coded) or "NULL"
    try:
        sample = con.execute(f"SELECT [{hist}] FROM (SELECT * FROM {reader.replace('REJECTS', _SKIP)} "
                             f"LIMIT {SAMPLE})").fetchone()[0] if coded else []
    except duckdb.Error:
        raise _Fallback from None
    lookups = {i: _lookup(coded[i], lower[i], dict(h or {}), names) for i, h in zip(coded, sample, strict=True)}
    sql = _mapping_sql(lower, coded, lookups, free, _sql_list(sorted(names)), synthetic)
    if target != "cases":
        con.execute(f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT * FROM cases LIMIT 0")

    # one pass: every record in, in file order (DuckDB keeps the order of a parallel read and
    # insert when preserve_insertion_order is on, its default), then numbered by rowid: rows
    # appended by one statement get consecutive rowids, so a row's position k is its rowid less
    # the first one, plus one. Numbering in the read itself (a window) would force one thread.
    # Records the SQL cannot map are marked (source = _BAD) and replaced below; line numbers
    # assume one record per line until checked
    from tiplens.cases.schema import CASE_COLUMNS

    mapped = [c for c in CASE_COLUMNS if c not in ("case_id", "source", "source_file", "source_line", "import_id")]
    body = f"(SELECT {sql.codes}, {sql.slow} AS slow, {', '.join(cols)} FROM {reader.replace('REJECTS', _STORE)})"
    values = f"(SELECT slow, {sql.values} FROM {body})"
    mine = f"import_id = {int(import_id)} AND source_file = {_q(file)}"
    try:
        con.execute("DROP TABLE IF EXISTS tiplens_rejects; DROP TABLE IF EXISTS tiplens_reject_scans")
        if not con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]:
            raise _Fallback  # rows may come in any order: rowid would not give the position
        inserted.append(True)
        rows = con.execute(
            f"INSERT INTO {target} (case_id, source, {', '.join(mapped)}, source_file, source_line, import_id) "
            f"SELECT '', CASE WHEN slow THEN {_q(_BAD)} ELSE source END, {sql.fill_mapped}, ?, NULL, ? "
            f"FROM {values}", [file, import_id]).fetchone()[0]
        first, last, count = con.execute(f"SELECT min(rowid), max(rowid), count(*) FROM {target} WHERE {mine}").fetchone()
        if count != rows or (rows and last - first + 1 != rows):
            raise _Fallback  # not numbered one by one: rowid would not give the position
        k = f"(rowid - {int(first or 0)} + 1)"
        con.execute(f"UPDATE {target} SET source_line = {k} + 1, case_id = {_q(tag + ':')} || ({k} + 1) || ':' || {k} "
                    f"WHERE {mine}")
        stored = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'tiplens_rejects'").fetchone()
        errors = (con.execute("SELECT DISTINCT line, error_type FROM tiplens_rejects").fetchall()
                  if stored and stored[0] else [])
    except duckdb.Error:
        raise _Fallback from None
    if any(t not in _OK_REJECTS for _, t in errors):
        raise _Fallback
    rejected = sorted({int(line) for line, _ in errors})
    if rows != scan.lines - 1 - len(set(scan.empty) | set(rejected)) or set(scan.empty) & set(rejected):
        raise _Fallback  # some record is not one physical line: the Python path numbers them
    no_row = sorted(set(scan.empty) | set(rejected))  # data lines that give DuckDB no row
    shifts = _shifts(no_row)

    def line_of(k: int) -> int:  # the k-th DuckDB row (1-based) -> its physical line
        return k + 1 + bisect.bisect_left(shifts, k)

    # lines mapped in Python from their raw text: rejected by DuckDB or holding a quote character
    raw_lines = sorted(set(rejected) | (set(scan.quoted) - set(scan.empty)))
    texts = _lines_at(path, set(raw_lines))
    results: dict[int, CaseRow | Reject | None] = {}
    for line in raw_lines:
        fields = _parse_line(texts[line], delimiter)
        results[line] = _item(row_of(line, header, fields), set(lower), synthetic)
    quoted_k = {line - 1 - bisect.bisect_right(no_row, line) for line in raw_lines if line not in rejected}
    slow_k = {int(k) for (k,) in con.execute(
        f"SELECT source_line - 1 FROM {target} WHERE {mine} AND source = {_q(_BAD)}").fetchall()} - quoted_k
    if slow_k or quoted_k:
        con.execute("CREATE OR REPLACE TEMP TABLE tiplens_keys (k BIGINT, slow BOOLEAN)")
        con.executemany("INSERT INTO tiplens_keys VALUES (?, ?)",
                        [[k, True] for k in sorted(slow_k)] + [[k, False] for k in sorted(quoted_k)])
        con.execute(f"DELETE FROM {target} WHERE {mine} AND source_line IN (SELECT k + 1 FROM tiplens_keys)")
    if slow_k:
        plain = f"(SELECT row_number() OVER () AS k, * FROM {reader.replace('REJECTS', _SKIP)})"
        for k, *fields in con.execute(f"SELECT k, {', '.join(cols)} FROM {plain} "
                                      "WHERE k IN (SELECT k FROM tiplens_keys WHERE slow)").fetchall():
            line = line_of(int(k))
            results[line] = _item(row_of(line, header, ["" if v is None else v for v in fields]), set(lower),
                                  synthetic)
    out = FastRead(header=header)
    out.skipped = sorted(set(scan.empty) | {line for line, item in results.items() if item is None})
    out.items = [(line, item) for line, item in sorted(results.items()) if item is not None]
    out.sql_rows = rows - len(quoted_k) - len(slow_k)
    _renumber(con, target, mine, tag, no_row, out.skipped)
    return out


def _shifts(no_row: list[int]) -> list[int]:
    """For each data line that gives DuckDB no row (sorted), the number of DuckDB rows before it:
    row k sits ``bisect_left(shifts, k)`` lines further down than k + 1."""
    return [(x - 1) - j for j, x in enumerate(no_row, start=1)]


def _renumber(con, target: str, mine: str, tag: str, no_row: list[int], skipped: list[int]) -> None:  # noqa: ANN001
    """Turn the provisional numbers (k: position among DuckDB's rows) into physical lines and
    positions among the items, when some lines gave no row or were blank."""
    if not no_row and not skipped:
        return  # inserted as line k + 1, item k: right
    shifts = _shifts(no_row)
    con.execute("CREATE OR REPLACE TEMP TABLE tiplens_fix (t BIGINT, c BIGINT, kind VARCHAR)")
    con.executemany("INSERT INTO tiplens_fix VALUES (?, ?, 'shift')", [[t, j] for j, t in enumerate(shifts, start=1)])
    con.executemany("INSERT INTO tiplens_fix VALUES (?, ?, 'skip')", [[b, i] for i, b in enumerate(skipped, start=1)])
    lines = (f"(SELECT r.k, r.k + 1 + coalesce(s.c, 0) AS line FROM (SELECT source_line - 1 AS k FROM {target} "
             f"WHERE {mine}) r ASOF LEFT JOIN (SELECT t, max(c) AS c FROM tiplens_fix WHERE kind = 'shift' "
             "GROUP BY t) s ON r.k > s.t)")
    fixed = (f"(SELECT l.k, l.line, l.line - 1 - coalesce(b.c, 0) AS read FROM {lines} l ASOF LEFT JOIN "
             "(SELECT t, c FROM tiplens_fix WHERE kind = 'skip') b ON l.line > b.t)")
    con.execute(f"UPDATE {target} AS u SET source_line = f.line, case_id = {_q(tag + ':')} || f.line || ':' || f.read "
                f"FROM {fixed} f WHERE u.{mine.replace(' AND ', ' AND u.', 1)} AND u.source_line = f.k + 1")


_STORE = "store_rejects = true, rejects_table = 'tiplens_rejects', rejects_scan = 'tiplens_reject_scans', rejects_limit = 0"
_SKIP = "ignore_errors = true"


def _reader_sql(path: Path, cols: list[str], delimiter: str) -> str:
    """read_csv(...) with every column as text; REJECTS is replaced by the reject options."""
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in cols) + "}"
    return (f"read_csv({_q(str(path))}, columns = {columns}, header = true, auto_detect = false, "
            f"delim = {_q(delimiter)}, quote = '\"', escape = '\"', strict_mode = true, null_padding = false, "
            "encoding = 'utf-8', REJECTS)")


def _item(row, names: set[str], synthetic: bool) -> CaseRow | Reject | None:  # noqa: ANN001
    return None if row is None else ctdc.item_of(row, names, synthetic=synthetic)


def _parse_line(text: str, delimiter: str) -> list[str]:
    """Fields of one physical line as Python's csv module reads it in the stream; a line whose
    quote stays open would take the next line with it: then the Python path reads the file."""
    reader = csv.reader(io.StringIO(text + "\r\n\x02\r\n", newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error:
        raise _Fallback from None
    if len(rows) != 2 or rows[1] != ["\x02"]:
        raise _Fallback
    return rows[0]


# -- the file, byte by byte ------------------------------------------------------------------

@dataclass
class _Scan:
    lines: int = 0  # physical lines (a last line without newline counts)
    empty: list[int] = field(default_factory=list)  # zero-length data lines (DuckDB gives no row)
    quoted: list[int] = field(default_factory=list)  # data lines holding a quote character


def _prescan(path: Path) -> _Scan:
    scan = _Scan()
    last = b"\n"
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            block += fh.readline()  # end the block at a line end
            cr = b"\r" in block
            if cr and block.count(b"\r") != block.count(b"\r\n"):
                raise _Fallback  # a lone carriage return: the two readers may split lines differently
            start = scan.lines
            if (b'"' in block or b"\n\n" in block or (cr and b"\n\r\n" in block)
                    or block.startswith((b"\n", b"\r\n"))):
                for i, text in enumerate(block.split(b"\n")[:block.count(b"\n") + (not block.endswith(b"\n"))]):
                    line = start + i + 1
                    if line == 1:
                        continue
                    if text in (b"", b"\r"):
                        scan.empty.append(line)
                    elif b'"' in text:
                        scan.quoted.append(line)
                        if len(scan.quoted) > MAX_QUOTED_LINES:
                            raise _Fallback
            scan.lines += block.count(b"\n")
            last = block[-1:]
    if last != b"\n":
        scan.lines += 1
    return scan


def _lines_at(path: Path, wanted: set[int]) -> dict[int, str]:
    """The text of the given physical lines (this path only reads UTF-8 files)."""
    out: dict[int, str] = {}
    if not wanted:
        return out
    top = max(wanted)
    with path.open("rb") as fh:
        for i, raw in enumerate(fh, start=1):
            if i in wanted:
                out[i] = raw.rstrip(b"\n").removesuffix(b"\r").decode("utf-8")
                if i == top:
                    break
    return out


# -- the mapping as SQL ----------------------------------------------------------------------

def _kind(name: str) -> str | None:
    if name in ctdc.FLAGS or name in ctdc.NOT_SPECIFIED or name in ("isabduction", "issexandlabour"):
        return "flag"
    return {"yearofregistration": "year", "gender": "sex", "agebroad": "age", "majoritystatus": "majority",
            "citizenship": "country", "countryofexploitation": "country", "traffickmonths": "months",
            "recruiterrelationship": "recruiter"}.get(name)


_RECRUITER_BITS = {"recruiter_intimate_partner": 1, "recruiter_friend": 2, "recruiter_family": 4, "recruiter_other": 8}


_PARSERS: dict[str, Callable[[str, str], object]] = {"flag": base.flag, "year": base.year, "sex": base.sex, "age": base.age_band, "majority": base.majority,
            "country": base.country}


def _parse(kind: str, value: str, column: str) -> object:
    """The Python importer's reading of one value (raises BadCode)."""
    parser = _PARSERS.get(kind)
    if parser is not None:
        return parser(value, column)
    if kind == "months":
        return None if base.is_missing(value) else ctdc._months(value)
    # recruiter relationship text: the targets it names, as bits
    if base.is_missing(value):
        return 0
    bits = 0
    for part in str(value).split(";"):
        target = ctdc._RECRUITER_TEXT.get(part.strip().lower())
        if target:
            bits |= _RECRUITER_BITS[target]
    return bits


@dataclass
class _Lookup:
    kind: str
    values: list[tuple[str, object]]  # (source value, parsed value), the sampled ones most frequent first


def _variants(words) -> list[str]:  # noqa: ANN001
    out: list[str] = []
    for w in words:
        for v in (w, w.lower(), w.upper(), w.title(), w.capitalize()):
            if v not in out:
                out.append(v)
    return out


def _universe(kind: str) -> list[str]:
    """Spellings the parser accepts that the sample may not show (tried after the sampled ones)."""
    from datetime import date

    from tiplens.cases.schema import AGE_BANDS
    from tiplens.knowledge.countries import countries

    missing = _variants(sorted(base.MISSING - {""}))
    if kind == "flag":
        return ["1", "0", *missing, "1.0", "0.0", *_variants(["true", "false", "yes", "no", "y", "n", "t", "f"])]
    if kind == "year":
        years = range(base.FIRST_YEAR, date.today().year + 1)
        return [*(str(y) for y in years), *missing, *(f"{y}.0" for y in years)]
    if kind == "sex":
        return [*_variants(sorted(base._SEX)), *missing]
    if kind in ("age", "months"):
        bands = list(AGE_BANDS) + list(base._NARROW) if kind == "age" else ["0-12", "13-24", "25+"]
        spelled = [b.replace("-", d) for b in bands for d in ("-", "--", " - ", "\u2013", "\u2014")]
        return [*dict.fromkeys(spelled), *missing, *((str(a) for a in range(121)) if kind == "age" else ())]
    if kind == "majority":
        return [*_variants(["minor", "adult"]), *missing]
    if kind == "country":
        codes = []
        for c in countries().values():
            codes += [c.iso2, c.iso3, c.iso2.lower(), c.iso3.lower()] + ([c.m49, str(int(c.m49))] if c.m49 else [])
        return [*codes, *sorted(base.UNKNOWN_COUNTRY), *missing]
    if kind == "recruiter":
        return [*_variants(sorted(ctdc._RECRUITER_TEXT)), *missing]
    return []


def _lookup(kind: str, column: str, counts: dict[str, int], names: set[str]) -> _Lookup:
    values = []
    seen: set[str] = set()
    for value in [*sorted(counts, key=lambda v: -counts[v]), *_universe(kind)]:
        if value in seen or not any("!" <= ch <= "~" for ch in value):
            continue  # no visible character: may be part of a blank record, let Python decide
        seen.add(value)
        if value.strip().lower() in names:
            continue  # may be part of a repeated header line: let Python decide
        try:
            values.append((value, _parse(kind, value, column)))
        except BadCode:
            continue
    return _Lookup(kind, values)


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_list(items: list[str]) -> str:
    return "(" + ", ".join(_q(x) for x in items) + ")" if items else "(NULL)"


def _lit(kind: str, parsed: object) -> str:
    if parsed is _BAD:
        return {"flag": "9", "year": "-1", "majority": "9", "recruiter": "-1"}.get(kind, _q(_BAD))
    if parsed is None:
        return "NULL"
    if isinstance(parsed, bool):
        return "1" if parsed else "0"
    if isinstance(parsed, int):
        return str(parsed)
    return _q(str(parsed))


def _case(col: str, lk: _Lookup) -> str:
    """The parsed value of a source value; the _BAD code for any value not looked up."""
    missing = "0" if lk.kind == "recruiter" else "NULL"
    whens = " ".join(f"WHEN {_q(v)} THEN {_lit(lk.kind, p)}" for v, p in lk.values)
    return f"(CASE WHEN {col} IS NULL THEN {missing} ELSE (CASE {col} {whens} ELSE {_lit(lk.kind, _BAD)} END) END)"


def _plain(col: str) -> str:
    """Starts and ends with a visible ASCII character (so Python's strip() leaves it as it is)."""
    return f"(ascii({col}) BETWEEN 33 AND 126 AND ascii(right({col}, 1)) BETWEEN 33 AND 126)"


def _is_name(col: str, name_list: str) -> str:
    """The value may be a column name (part of a header line repeated in the data)."""
    return (f"({col} IS NOT NULL AND (lower({col}) IN {name_list} OR (NOT {_plain(col)} "
            f"AND lower(regexp_replace({col}, '^{_WS}+|{_WS}+$', '', 'g')) IN {name_list})))")


@dataclass
class _Sql:
    codes: str  # coded columns: c<i> -> v<i>
    slow: str  # TRUE for records mapped in Python
    values: str  # the case columns from the codes
    fill_mapped: str  # the case columns but ``source`` from ``values`` (the synthetic data's group rule)


def _mapping_sql(lower: list[str], coded: dict[int, str], lookups: dict[int, _Lookup], free: list[int],
                 name_list: str, synthetic: bool) -> _Sql:
    by_name = {name: i for i, name in enumerate(lower)}
    codes = [f"{_case(f'c{i}', lookups[i])} AS v{i}" for i in coded]
    slow_terms = [f"coalesce(v{i} = {_lit(lk.kind, _BAD)}, false)" for i, lk in lookups.items()]
    if "datasource" in by_name:
        ds = f"c{by_name['datasource']}"
        slow_terms.append(f"({ds} IS NOT NULL AND NOT {_plain(ds)})")
    if len(free) >= 2:  # a record whose coded values are all looked up is a header line only through these
        slow_terms += [_is_name(f"c{i}", name_list) for i in free]
    # a record whose every value may be blank: Python decides (a blank line is not an item); a
    # looked-up value has a visible character, so the first coded column settles most records
    blank = " AND ".join(f"(c{i} IS NULL OR NOT regexp_matches(c{i}, '[!-~]'))" for i in range(len(lower)))
    gate = f"(c{next(iter(coded))} IS NULL)" if coded else "true"
    slow = (f"(CASE WHEN {' OR '.join(slow_terms) or 'false'} THEN true "
            f"WHEN {gate} THEN coalesce({blank}, false) ELSE false END)")

    def v(name: str) -> str | None:
        return f"v{by_name[name]}" if name in by_name and by_name[name] in coded else None

    def flag(name: str) -> str:
        code = v(name)
        # codes: 1 true, 0 false, NULL unknown (9, a value not looked up, only in records Python replaces)
        return "NULL::BOOLEAN" if code is None else f"({code} = 1)"

    out: dict[str, str] = {}
    out["source"] = _q("CTDC synthetic" if synthetic else ctdc.SOURCE)
    if "datasource" in by_name:
        ds = f"c{by_name['datasource']}"
        missing = _sql_list(sorted(base.MISSING))
        out["datasource"] = f"(CASE WHEN {ds} IS NULL OR lower({ds}) IN {missing} THEN NULL ELSE {ds} END)"
    else:
        out["datasource"] = "NULL::VARCHAR"
    out["year"] = f"{v('yearofregistration') or 'NULL'}::INTEGER"
    out["sex"] = f"{v('gender') or 'NULL'}::VARCHAR"
    age = v("agebroad") or "NULL::VARCHAR"
    out["age_band"] = f"{age}::VARCHAR"
    minor_else = flag("majoritystatus") if "majoritystatus" in by_name else "NULL::BOOLEAN"
    out["minor"] = f"(CASE WHEN {age} IS NOT NULL THEN {age} IN ('0-8', '9-17') ELSE {minor_else} END)"
    out["citizenship"] = f"{v('citizenship') or 'NULL'}::VARCHAR"
    out["country_of_exploitation"] = f"{v('countryofexploitation') or 'NULL'}::VARCHAR"
    out["traffick_months"] = f"{v('traffickmonths') or 'NULL'}::VARCHAR"
    out["abduction"] = flag("isabduction")

    # flags, in the order map_item builds them
    targets: dict[str, list[str]] = {}
    for col, target in ctdc.FLAGS.items():
        if col in by_name:
            targets.setdefault(target, []).append(flag(col))
    merged = {}
    for target, parts in targets.items():
        if len(parts) == 1:
            merged[target] = parts[0]
        else:
            any_true = " OR ".join(f"coalesce({p}, false)" for p in parts)
            all_false = " AND ".join(f"coalesce({p} = false, false)" for p in parts)
            merged[target] = f"(CASE WHEN {any_true} THEN true WHEN {all_false} THEN false END)"
    sexlab = f"coalesce({flag('issexandlabour')}, false)" if "issexandlabour" in by_name else None
    text_applies = "recruiterrelationship" in by_name and not any(t.startswith("recruiter") for t in targets)
    stage: dict[str, str] = {}
    for c in FLAG_COLUMNS:
        dyn = []
        if sexlab and c in ("form_sexual", "form_forced_labour"):
            dyn.append(sexlab)
        if text_applies and c in _RECRUITER_BITS:
            dyn.append(f"(({v('recruiterrelationship')} & {_RECRUITER_BITS[c]}) <> 0)")
        value = merged.get(c, "NULL::BOOLEAN")
        if dyn:
            value = f"(CASE WHEN {' OR '.join(dyn)} THEN true ELSE {value} END)"
        for col, prefix in ctdc.NOT_SPECIFIED.items():
            if c.startswith(prefix) and col in by_name and c in merged:
                value = f"(CASE WHEN coalesce({flag(col)}, false) AND {value} IS DISTINCT FROM true THEN NULL ELSE {value} END)"
        stage[c] = value
    fill: dict[str, str] = {}  # computed on the columns above (synthetic data: see ctdc._fill_groups)
    if synthetic:
        for prefix in ("means_", "form_", "labour_", "sex_type_", "recruiter_"):
            group = [c for c in FLAG_COLUMNS if c.startswith(prefix)]
            present = [c for c in group if c in merged or stage[c] != "NULL::BOOLEAN"]
            if not present:
                continue
            any_true = " OR ".join(f"coalesce({c}, false)" for c in present)
            for c in group:
                if c in merged:
                    fill[c] = f"(CASE WHEN {c} IS NULL AND ({any_true}) THEN false ELSE {c} END)"
    out.update(stage)
    inner = ", ".join(f"{expr} AS {name}" for name, expr in out.items())
    outer = [fill.get(name, name) + f" AS {name}" for name in out]
    return _Sql(codes=", ".join(codes) or "NULL AS v_none", slow=slow, values=inner, fill_mapped=", ".join(outer[1:]))
