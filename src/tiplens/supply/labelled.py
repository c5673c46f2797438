"""Reading sentence-labelled statements in the Project AIMS layout.

One row per sentence: a statement id column (``statement_id``), a sentence column (``sentence``;
``sentence_text`` and ``text`` are accepted too) and the labels, either as the 11 requirement
columns (our names, or the AIMS spellings such as ``c3 (risk description)``) or as a ``targets``
column holding an 11-element list in the canonical order (approval, signature, C1, C2 structure,
C2 operations, C2 supply chains, C3, C4 mitigation, C4 remediation, C5, C6). A label is 1/0
(also true/false, yes/no); -1 or an empty cell means "not labelled" and that sentence is left out
of that requirement's training and metrics.

The file's encoding is detected (one of the shared AIMS files is not valid UTF-8). Rows that cannot
be used (no sentence, no statement id, a malformed label list) are counted and reported with their
line number, never dropped silently.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tiplens.errors import BadInput
from tiplens.knowledge.msa_requirements import NAMES
from tiplens.tabular import read_rows

ID_COLUMNS = ("statement_id", "statement", "doc_id", "document_id")
SENTENCE_COLUMNS = ("sentence", "sentence_text", "text")
ALIASES = {
    "approval": "approval", "signature": "signature",
    "c1": "c1_reporting_entity", "c1_reporting_entity": "c1_reporting_entity",
    "c2_structure": "c2_structure", "c2_operations": "c2_operations", "c2_supply_chains": "c2_supply_chains",
    "c2_supply_chain": "c2_supply_chains",
    "c3": "c3_risks", "c3_risks": "c3_risks", "c3_risk_description": "c3_risks", "c3_risk": "c3_risks",
    "c4_mitigation": "c4_mitigation", "c4_risk_mitigation": "c4_mitigation",
    "c4_remediation": "c4_remediation",
    "c5": "c5_effectiveness", "c5_effectiveness": "c5_effectiveness",
    "c6": "c6_consultation", "c6_consultation": "c6_consultation",
}
_TRUE = {"1", "1.0", "true", "yes", "y"}
_FALSE = {"0", "0.0", "false", "no", "n"}
_UNKNOWN = {"", "-1", "-1.0", "nan", "none", "null"}


@dataclass
class Labelled:
    """Sentences with labels; ``y[i, j]`` is 1, 0 or -1 (not labelled) for requirement ``NAMES[j]``."""

    statement_ids: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # file-qualified statement ids (for grouped splits)
    sentences: list[str] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # row position within its statement, input order
    y: np.ndarray = field(default_factory=lambda: np.zeros((0, len(NAMES)), dtype=np.int8))
    rejected: list[tuple[str, int, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sentences)

    def subset(self, rows: list[int] | np.ndarray) -> Labelled:
        """The given rows (e.g. the statements of one fold), positions kept as in the input."""
        idx = [int(i) for i in rows]
        return Labelled([self.statement_ids[i] for i in idx], [self.groups[i] for i in idx],
                        [self.sentences[i] for i in idx], [self.positions[i] for i in idx],
                        self.y[idx], [], list(self.files))

    def statements(self) -> dict[str, list[int]]:
        """Group key -> row indices in input order."""
        out: dict[str, list[int]] = {}
        for i, g in enumerate(self.groups):
            out.setdefault(g, []).append(i)
        return out


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _label(value: str | None) -> int | None:
    v = (value or "").strip().lower()
    if v in _TRUE:
        return 1
    if v in _FALSE:
        return 0
    if v in _UNKNOWN:
        return -1
    return None


def _targets(value: str | None) -> list[int] | None:
    if value is None or not value.strip():
        return None
    try:
        items = ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        return None
    if not isinstance(items, list | tuple) or len(items) != len(NAMES):
        return None
    out: list[int] = []
    for v in items:
        label = _label(str(int(v)) if isinstance(v, bool | int | float) else str(v))
        if label is None:
            return None
        out.append(label)
    return out


def read(files: Sequence[str | Path], *, encoding: str | None = None) -> Labelled:
    """Read one or more labelled files into one :class:`Labelled` set."""
    data = Labelled()
    rows_y: list[list[int]] = []
    counters: dict[str, int] = {}
    for path in map(Path, files):
        if not path.is_file():
            raise BadInput(f"{path}: no such file")
        header, rows = read_rows(path, encoding=encoding)
        norm = {_norm(h): h for h in header if h}
        id_col = next((norm[c] for c in ID_COLUMNS if c in norm), None)
        text_col = next((norm[c] for c in SENTENCE_COLUMNS if c in norm), None)
        label_cols = {ALIASES[k]: h for k, h in norm.items() if k in ALIASES}
        targets_col = norm.get("targets")
        if id_col is None or text_col is None:
            raise BadInput(f"{path}: needs a statement id column ({', '.join(ID_COLUMNS)}) and a sentence column "
                           f"({', '.join(SENTENCE_COLUMNS)}); found {', '.join(h for h in header if h)}")
        if not label_cols and targets_col is None:
            raise BadInput(f"{path}: no labels: expected the requirement columns ({', '.join(NAMES)}) or a 'targets' list")
        data.files.append(str(path))
        for row in rows:
            if row.problem:
                data.rejected.append((path.name, row.line, row.problem))
                continue
            sid = (row.values.get(id_col) or "").strip()
            sentence = (row.values.get(text_col) or "").strip()
            if not sid:
                data.rejected.append((path.name, row.line, "no statement id"))
                continue
            if not sentence:
                data.rejected.append((path.name, row.line, "empty sentence"))
                continue
            labels: list[int] | None
            if label_cols:
                parsed = [_label(row.values.get(label_cols[n])) if n in label_cols else -1 for n in NAMES]
                bad = [n for n, v in zip(NAMES, parsed, strict=True) if v is None]
                if bad:
                    data.rejected.append((path.name, row.line, f"label not 0/1 in {', '.join(bad)}"))
                    continue
                labels = [int(v) for v in parsed if v is not None]
            else:
                labels = _targets(row.values.get(targets_col or ""))
                if labels is None:
                    data.rejected.append((path.name, row.line, f"targets is not a list of {len(NAMES)} labels"))
                    continue
            group = f"{path.name}::{sid}"
            data.statement_ids.append(sid)
            data.groups.append(group)
            data.sentences.append(sentence)
            data.positions.append(counters.get(group, 0))
            counters[group] = counters.get(group, 0) + 1
            rows_y.append(labels)
    if not data.sentences:
        raise BadInput(f"{', '.join(map(str, files))}: no usable labelled sentences"
                       + (f" ({len(data.rejected)} rows rejected, first: line {data.rejected[0][1]}: {data.rejected[0][2]})"
                          if data.rejected else ""))
    data.y = np.asarray(rows_y, dtype=np.int8).reshape(-1, len(NAMES))
    return data
