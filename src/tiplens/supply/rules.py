"""Documented sentence rules for the requirements with few or no labelled examples, and keyword
cues for the rest.

Each rule is a named regular expression with a strength (the sentence score when it fires):

- ``approval``: an approval verb (approved, adopted, endorsed, signed off, ratified) together with a
  governing body (board, directors, trustees, members, partners, governing body), or a Canadian
  "approved pursuant to ... 11(4)" phrase; a bare "Approval and attestation" heading is weaker.
- ``signature``: "signed by", "Signed:", "signature", "digitally/electronically signed",
  "DocuSign", an attestation ("I attest", "I, NAME, certify"), or a short signature block: a role
  title (Director, CEO, Chair, President, Company Secretary, ...) with a date or "on behalf of".
- ``c1_reporting_entity``: "reporting entity", an Australian/UK/Canadian company number (ABN, ACN,
  company number, registered in England), "this statement is made by / on behalf of / for NAME",
  "made pursuant to section 54 / 13 / 14 / 11" or "... to the Modern Slavery Act", or "this
  statement covers NAME and its subsidiaries".
- ``c6_consultation``: "consult"/"engaged with"/"worked with"/"in collaboration with" together
  with the entities the reporting entity owns or controls (subsidiaries, controlled entities,
  related / reporting entities, group companies), or "does not own or control any other entities".

Keyword cues (``KEYWORDS``) are the baseline for every requirement: a sentence matches when it
contains one of the listed stems. They stand in for the trained model when no model is given.
Rules and cues are case-insensitive and see one sentence at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    requirement: str
    name: str
    pattern: re.Pattern[str]
    strength: float


def _r(requirement: str, name: str, pattern: str, strength: float) -> Rule:
    return Rule(requirement, name, re.compile(pattern, re.IGNORECASE), strength)


_BODY = r"(?:board|directors|trustees|governing\s+body|governing\s+bodies|members|partners|council|committee\s+of\s+management)"
_APPROVE = r"(?:approv\w*|adopt(?:ed|s)?|endors\w*|signed[\s-]+off|ratif\w*|authoris\w*|authoriz\w*)"
_ROLE = (r"(?:director|chief\s+\w+\s+officer|chief\s+executive|ceo|cfo|coo|chair(?:man|woman|person)?|president|"
         r"managing\s+partner|company\s+secretary|general\s+counsel|board\s+member|member\s+of\s+the\s+board|"
         r"founder|owner|principal|vice[\s-]chancellor|head\s+of\s+\w+)")
_DATE = (r"(?:\b\d{1,2}(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?,?\s+\d{4}"
         r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
         r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{4}"
         r"|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\bdated?\s*:)")
_ENTITIES = (r"(?:subsidiar\w*|controlled\s+entit\w*|entit\w+\s+(?:it|we|that\s+\w+)\s+owns?|owned\s+(?:or|and)\s+controlled|"
             r"related\s+entit\w*|reporting\s+entit\w*|group\s+(?:companies|entities)|(?:each|all)\s+(?:of\s+)?(?:the\s+)?entities|"
             r"entities\s+covered|covered\s+entities|operating\s+companies|joint\s+statement)")

RULES: tuple[Rule, ...] = (
    _r("approval", "approved by the governing body",
       rf"^(?!.*\b(?:policy|policies|code|charter|framework|appointments?)\b[^.]{{0,60}}\b{_APPROVE}\b)"
       rf"(?=.*\b(?:statement|report|disclosure|document|it|this)\b|\W*{_APPROVE}\b)"
       rf"(?=.*(?:\b{_APPROVE}\b[^.]{{0,120}}\b{_BODY}\b|\b{_BODY}\b[^.]{{0,80}}\b(?:has|have|had)\s+(?:reviewed\s+and\s+)?{_APPROVE}\b))", 0.9),
    _r("approval", "approved under s.11(4) (Canada)", r"\bapproved\b[^.]{0,80}\b11\s*\(\s*4\s*\)", 0.9),
    _r("signature", "signed by / signature", r"\bsigned\s*(?:by|:|for\s+and\s+on\s+behalf)|\bsignature|\b(?:digitally|electronically)\s+signed|^\W*signed\W*$", 0.9),
    _r("signature", "attestation", r"\bI\s+attest\b|\bI,\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3},\s+(?:hereby\s+)?(?:certify|confirm|attest)", 0.9),
    _r("signature", "signature block (role with date or on behalf of)",
       rf"^(?=.{{0,200}}$)(?!.*\b(?:is|are|was|were|will|has|have)\s+(?:responsible|accountable)\b)"
       rf"(?=.*\b{_ROLE}\b)(?=.*(?:{_DATE}|\bon\s+behalf\s+of\b|\bname\s*:|\bposition\s*:))", 0.8),
    _r("signature", "name and role line",
       rf"^(?=(?:\S+\s+){{0,13}}\S+$)(?!.*[.;:]$)(?!.*\b(?:is|are|was|were|will|has|have|shall|must|should|our|we)\b)(?=.*\b{_ROLE}\b)", 0.75),
    _r("c1_reporting_entity", "reporting entity named", r"\breporting\s+entit(?:y|ies)\b", 0.85),
    _r("c1_reporting_entity", "company number", r"\b(?:ABN|ACN|ARBN)\s*:?\s*\d|\bcompany\s+(?:registration\s+)?(?:number|no\.?)\s*:?\s*\d|\bregistered\s+in\s+(?:england|scotland|wales|northern\s+ireland)\b|\bbusiness\s+number\b", 0.85),
    _r("c1_reporting_entity", "statement made by / on behalf of",
       r"\b(?:this|the|our)\s+(?:joint\s+)?(?:modern\s+slavery\s+|slavery\s+and\s+human\s+trafficking\s+|anti-slavery\s+)?"
       r"(?:statement|report)\b[^.]{0,60}\b(?:is|was|has\s+been)\s+(?:made|published|prepared|given|submitted|issued)\s+"
       r"(?:by|on\s+behalf\s+of|for|in\s+respect\s+of|jointly)", 0.85),
    _r("c1_reporting_entity", "made under the Act's reporting section",
       r"\b(?:made|published|prepared|given|submitted)\b[^.]{0,60}\b(?:pursuant|under|in\s+accordance\s+with|for\s+the\s+purposes\s+of)\b"
       r"[^.]{0,30}(?:\b(?:section|s\.?)\s*(?:54|13|14|11)\b|\bmodern\s+slavery\s+act\b|\bsupply\s+chains\s+act\b)", 0.8),
    _r("c1_reporting_entity", "statement covers the entity",
       r"\b(?:this|the)\s+(?:joint\s+)?(?:statement|report)\s+(?:covers|applies\s+to|relates\s+to|is\s+for)\b", 0.7),
    _r("c6_consultation", "consulted owned or controlled entities",
       rf"\b(?:consult\w*|engag\w+\s+with|work\w*\s+(?:closely\s+)?with|in\s+collaboration\s+with|collaborat\w+\s+with|input\s+from)\b[^.]{{0,160}}\b{_ENTITIES}"
       rf"|\b{_ENTITIES}[^.]{{0,120}}\b(?:were|was|have\s+been|has\s+been)\s+consulted\b", 0.85),
    _r("c6_consultation", "owns or controls no other entity",
       r"\bdoes\s+not\s+(?:own\s+or\s+control|have\s+any\s+(?:subsidiaries|controlled\s+entities))|\bno\s+(?:owned\s+or\s+)?controlled\s+entities\b|\bhas\s+no\s+subsidiaries\b", 0.8),
)

KEYWORDS: dict[str, tuple[str, ...]] = {
    "approval": ("approved by", "board approval", "approved this statement"),
    "signature": ("signed", "signature", "on behalf of the board"),
    "c1_reporting_entity": ("reporting entity", "this statement is made", "abn ", "registered in england"),
    "c2_structure": ("structure", "subsidiar", "headquarter", "parent company", "group of companies", "employ",
                     "owned by", "incorporated", "head office"),
    "c2_operations": ("our business", "operations", "we operate", "operates", "our products", "services",
                      "manufactur", "our sites", "stores", "customers"),
    "c2_supply_chains": ("supply chain", "suppliers", "sourc", "procure", "purchas", "vendors", "tier"),
    "c3_risks": ("high risk", "high-risk", "risk of modern slavery", "risks of modern slavery", "vulnerab",
                 "risk areas", "at risk", "exposure"),
    "c4_mitigation": ("policy", "policies", "code of conduct", "due diligence", "training", "audit",
                      "whistleblow", "questionnaire", "contract", "screening", "assessment"),
    "c4_remediation": ("remedia", "remedy", "corrective action", "grievance", "compensat"),
    "c5_effectiveness": ("effectiveness", "kpi", "key performance indicator", "measure", "metrics",
                         "performance indicator", "monitor progress"),
    "c6_consultation": ("consult",),
}


def rule_hits(sentence: str, requirement: str) -> list[Rule]:
    """The rules for ``requirement`` that fire on ``sentence``."""
    return [r for r in RULES if r.requirement == requirement and r.pattern.search(sentence)]


def rule_score(sentence: str, requirement: str) -> tuple[float, str]:
    """(strongest firing rule's strength or 0.0, its name or '')."""
    hits = rule_hits(sentence, requirement)
    if not hits:
        return 0.0, ""
    best = max(hits, key=lambda r: r.strength)
    return best.strength, best.name


def has_rules(requirement: str) -> bool:
    return any(r.requirement == requirement for r in RULES)


def keyword_hit(sentence: str, requirement: str) -> str:
    """The first keyword cue of ``requirement`` found in ``sentence`` ('' when none)."""
    low = sentence.lower()
    return next((k for k in KEYWORDS[requirement] if k in low), "")
