"""Marking vague or future-tense promises in evidence sentences.

A statement that "will" do something has not done it yet. Reviewers (Walk Free's Beyond Compliance,
the AIMS annotators) single such sentences out, so evidence sentences carry a flag and the cue that
raised it:

- future: "we will", "we intend to", "aim to", "plan to", "we are planning", "expect to",
  "going forward", "in the coming year", "over the next ... months/years", "in FY25 we will";
  "will continue to" is not flagged (it reports an action already under way);
- vague: "committed to", "strive/endeavour/seek to", "where possible/appropriate/practicable",
  "as far as possible", "zero tolerance", "we believe".
"""

from __future__ import annotations

import re

_FUTURE = re.compile(
    r"\b(?:we|i|it|the\s+(?:company|group|business|organisation|organization|board|entity))\s+"
    r"(?:will|shall|'ll)\s+(?!continue\b)\w+"
    r"|\b(?:intends?|intending|plans?|planning|aims?|aiming|expects?|hopes?|wish(?:es)?|propose[sd]?)\s+to\b"
    r"|\b(?:going\s+forward|in\s+the\s+(?:coming|next|following)\s+(?:year|months|reporting\s+(?:period|year))"
    r"|over\s+the\s+(?:next|coming)\s+\w+\s*(?:months|years)?|next\s+(?:year|financial\s+year|reporting\s+period)"
    r"|in\s+the\s+future|future\s+(?:plans|steps|actions))\b"
    r"|\b(?:is|are)\s+(?:planning|intending|looking)\s+to\b|\bwill\s+be\s+(?:developed|introduced|rolled\s+out|implemented|launched)\b",
    re.IGNORECASE)
_VAGUE = re.compile(
    r"\b(?:(?:are|is|remain|remains)\s+(?:fully\s+|firmly\s+|strongly\s+)?committed\s+to|strives?\s+to|endeavou?rs?\s+to|seeks?\s+to"
    r"|where\s+(?:possible|appropriate|practicable|feasible)|as\s+far\s+as\s+(?:possible|practicable)|zero[\s-]tolerance"
    r"|we\s+believe)\b",
    re.IGNORECASE)


def cue(sentence: str) -> tuple[str, str]:
    """('future' | 'vague' | '', the matched words)."""
    m = _FUTURE.search(sentence)
    if m:
        return "future", m.group(0)
    m = _VAGUE.search(sentence)
    if m:
        return "vague", m.group(0)
    return "", ""


def is_vague(sentence: str) -> bool:
    return bool(cue(sentence)[0])
