"""Assessment results and the report sections, on hand-written statements (rules-only mode)."""

from __future__ import annotations

from tiplens.report import Html, Section, Table
from tiplens.supply import documents, statements
from tiplens.supply.statements_report import statement_sections

TEXT = ("Acme Ltd modern slavery statement.\n\n"
        "We will map our cotton suppliers next year.\n\n"
        "This statement was approved by the Board of Directors on 3 May 2024.\n\n"
        "Jane Doe, Director, 3 May 2024")
EVIL = '<img src=x onerror="alert(1)">'


def assessment():
    found = documents.Documents([documents.Document("acme", TEXT, "acme.txt", "txt"),
                                 documents.Document(EVIL, f"Our suppliers {EVIL} are audited.", "evil.txt", "txt")],
                                [documents.Problem("scan.pdf", "no text layer")])
    return statements.assess(found, None, "ca")


def test_results_by_hand():
    a = assessment()
    assert a.rules_only and a.act == "ca"
    acme = {q.requirement: q for q in a.results[0].requirements}
    assert acme["approval"].addressed and [e.sentence_index for e in acme["approval"].evidence] == [2]
    assert acme["approval"].confidence == 0.9 and acme["approval"].decided_by == "rules"
    assert [e.sentence_index for e in acme["signature"].evidence] == [3]
    assert not acme["c6_consultation"].addressed and acme["c6_consultation"].confidence == 0.5
    supply = acme["c2_supply_chains"]  # keyword cue 'suppliers'; a future promise
    assert [(e.sentence_index, e.vague, e.vague_cue) for e in supply.evidence] == [(1, True, "future: We will map")]
    frame = a.statements_frame()
    assert len(frame) == 22 and frame.loc[frame.requirement == "approval", "act_reference"].tolist() == ["s.11(4)"] * 2


def test_sections_escape_statement_text_and_names():
    sections = statement_sections(assessment(), full_text=True)
    assert all(isinstance(s, Section) for s in sections)
    assert [s.id for s in sections] == ["statements-overview", "statements-methods", "statements-evidence", "statements-problems"]
    html = "".join(b.html for s in sections for b in s.blocks if isinstance(b, Html))
    assert EVIL not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert "<mark" in html and 'class="cue">future: We will map' in html
    tables = {b.name: b.frame for s in sections for b in s.blocks if isinstance(b, Table)}
    assert tables["statement_coverage"].set_index("statement").loc["acme", "approval"] == "yes (1)"
    assert tables["problems"].to_dict("records") == [{"source": "scan.pdf", "problem": "no text layer"}]
