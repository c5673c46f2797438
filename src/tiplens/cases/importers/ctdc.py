"""CTDC k-anonymised Global Dataset (codebook v6, 2017-2021 releases, ~63 columns) and any
subset of its columns, also with extra columns of a third party (ignored and named).

Codes follow the codebook and data dictionary: -99 and empty are unknown; binary fields
are 1/0 (also 1.0/0.0 after pandas); countries are ISO 3166-1 alpha-2 with '00' (and its
numeric form '0') and 'ZZ' meaning unknown. The 19 ``meansOfControl*`` columns are merged
into the eight groups of the 2024 synthetic codebook (appendix II) so both CTDC schemas
land in the same columns; a merged group is TRUE when any member is 1, FALSE when every
member is 0, otherwise unknown.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tiplens.cases.importers import base
from tiplens.cases.importers.base import BadCode, CaseRow, ReadContext
from tiplens.importing import Reject
from tiplens.tabular import Row, read_rows

NAME = "ctdc"
KIND = "cases"
SOURCE = "CTDC"

# source column (lower case) -> canonical flag column
FLAGS: dict[str, str] = {
    "meansofcontroldebtbondage": "means_debt_earnings", "meansofcontroltakesearnings": "means_debt_earnings",
    "meansofcontrolrestrictsfinancialaccess": "means_deny_needs", "meansofcontrolrestrictsmovement": "means_deny_needs",
    "meansofcontrolrestrictsmedicalcare": "means_deny_needs", "meansofcontrolwithholdsnecessities": "means_deny_needs",
    "meansofcontrolthreats": "means_threats", "meansofcontrolusesChildren".lower(): "means_threats",
    "meansofcontrolthreatoflawenforcement": "means_threats", "meansofcontrolpsychologicalabuse": "means_abuse",
    "meansofcontrolphysicalabuse": "means_abuse", "meansofcontrolsexualabuse": "means_abuse",
    "meansofcontrolfalsepromises": "means_false_promises", "meansofcontrolpsychoactivesubstances": "means_drugs_alcohol",
    "meansofcontrolexcessiveworkinghours": "means_excessive_hours",
    "meansofcontrolwithholdsdocuments": "means_withhold_docs", "meansofcontrolother": "means_other",
    # 2024 synthetic names (already merged)
    "meansdebtbondageearnings": "means_debt_earnings", "meansthreats": "means_threats",
    "meansabusepsyphysex": "means_abuse", "meansfalsepromises": "means_false_promises",
    "meansdrugsalcohol": "means_drugs_alcohol", "meansdenybasicneeds": "means_deny_needs",
    "meansexcessiveworkhours": "means_excessive_hours", "meanswithholddocs": "means_withhold_docs",
    "meanswithholddocuments": "means_withhold_docs",
    "isforcedlabour": "form_forced_labour", "issexualexploit": "form_sexual", "isotherexploit": "form_other",
    "isforcedmarriage": "form_forced_marriage", "isforcedmilitary": "form_forced_military",
    "isorganremoval": "form_organ_removal",
    "typeoflabouragriculture": "labour_agriculture", "typeoflabouraquafarming": "labour_aquafarming",
    "typeoflabourbegging": "labour_begging", "typeoflabourconstruction": "labour_construction",
    "typeoflabourdomesticwork": "labour_domestic_work", "typeoflabourhospitality": "labour_hospitality",
    "typeoflabourillicitactivities": "labour_illicit_activities", "typeoflabourmanufacturing": "labour_manufacturing",
    "typeoflabourminingordrilling": "labour_mining", "typeoflabourpeddling": "labour_peddling",
    "typeoflabourtransportation": "labour_transportation", "typeoflabourother": "labour_other",
    "typeofsexprostitution": "sex_type_prostitution", "typeofsexpornography": "sex_type_pornography",
    "typeofsexremoteinteractiveservices": "sex_type_remote_interactive",
    "typeofsexprivatesexualservices": "sex_type_private_sexual_services",
    "recruiterrelationintimatepartner": "recruiter_intimate_partner", "recruiterrelationfriend": "recruiter_friend",
    "recruiterrelationfamily": "recruiter_family", "recruiterrelationother": "recruiter_other",
}
# "not specified" switches: when 1, the group is unknown rather than all-absent
NOT_SPECIFIED = {"meansofcontrolnotspecified": "means_", "typeoflabournotspecified": "labour_",
                 "recruiterrelationunknown": "recruiter_"}
SCALARS = {"yearofregistration", "datasource", "gender", "agebroad", "majoritystatus", "citizenship",
           "countryofexploitation", "isabduction", "issexandlabour", "traffickmonths", "recruiterrelationship"}
# recognised, derived from other columns, not stored
DERIVED = {"majoritystatusatexploit", "majorityentry", "meansofcontrolconcatenated", "typeofexploitconcatenated",
           "typeoflabourconcatenated", "typeofsexconcatenated"}
KNOWN = set(FLAGS) | set(NOT_SPECIFIED) | SCALARS | DERIVED
_RECRUITER_TEXT = {"intimate partner": "recruiter_intimate_partner", "friend/acquaintance": "recruiter_friend",
                   "friend": "recruiter_friend", "family/relative": "recruiter_family", "family": "recruiter_family",
                   "other": "recruiter_other"}
_MONTHS = {"0-12": "0-12", "13-24": "13-24", "25+": "25+"}


def sniff(header: list[str], path: Path) -> bool:
    cols = {h.strip().lower() for h in header}
    return "yearofregistration" in cols and bool(cols & {"gender", "agebroad", "citizenship", "countryofexploitation",
                                                         "isforcedlabour", "issexualexploit"})


def unknown_columns(header: list[str]) -> list[str]:
    return [h for h in header if h and h.strip().lower() not in KNOWN]


def read(path: Path, ctx: ReadContext, *, synthetic: bool = False) -> Iterator[tuple[int, CaseRow | Reject]]:
    header, rows = read_rows(path, encoding=ctx.encoding)
    names = {h.strip().lower() for h in header}
    for row in rows:
        yield row.line, item_of(row, names, synthetic=synthetic)


def item_of(row: Row, names: set[str], *, synthetic: bool = False) -> CaseRow | Reject:
    """One source record (a Row of :func:`tiplens.tabular.read_rows`) -> CaseRow or Reject."""
    if row.problem:
        return Reject(row.problem, row.line)
    values = {k.strip().lower(): v for k, v in row.values.items()}
    if _looks_like_header(values, names):
        return Reject("a header line inside the data: mixed schemas in one file", row.line)
    try:
        return map_item(values, synthetic=synthetic)
    except BadCode as exc:
        return Reject(str(exc), row.line)


def _looks_like_header(values: dict[str, str | None], names: set[str]) -> bool:
    texts = [str(v).strip().lower() for v in values.values() if v]
    return bool(texts) and sum(t in names or t in KNOWN for t in texts) >= max(2, len(texts) // 2)


def map_item(v: dict[str, str | None], *, synthetic: bool = False) -> CaseRow:
    """One CTDC record (column names lower-cased) -> CaseRow. Raises BadCode."""
    row = CaseRow(source="CTDC synthetic" if synthetic else SOURCE)
    row.year = base.year(v.get("yearofregistration"), "yearOfRegistration")
    row.datasource = None if base.is_missing(v.get("datasource")) else str(v["datasource"]).strip()
    row.sex = base.sex(v.get("gender"), "gender")
    row.age_band = base.age_band(v.get("agebroad"), "ageBroad")
    row.minor = base.minor_of(row.age_band)
    if row.minor is None and "majoritystatus" in v:
        row.minor = base.majority(v.get("majoritystatus"), "majorityStatus")
    row.citizenship = base.country(v.get("citizenship"), "citizenship")
    row.country_of_exploitation = base.country(v.get("countryofexploitation"), "CountryOfExploitation")
    row.abduction = base.flag(v.get("isabduction"), "isAbduction")
    if not base.is_missing(v.get("traffickmonths")):
        row.traffick_months = _months(v["traffickmonths"])
    merged: dict[str, list[bool | None]] = {}
    for col, target in FLAGS.items():
        if col in v:
            merged.setdefault(target, []).append(base.flag(v[col], col))
    for target, parts in merged.items():
        row.flags[target] = True if any(p is True for p in parts) else False if all(p is False for p in parts) else None
    both = base.flag(v.get("issexandlabour"), "isSexAndLabour")
    if both:
        row.flags["form_sexual"] = row.flags["form_forced_labour"] = True
    text = v.get("recruiterrelationship")
    if not base.is_missing(text) and not any(c.startswith("recruiter") for c in merged):
        for part in str(text).split(";"):
            relation = _RECRUITER_TEXT.get(part.strip().lower())
            if relation:
                row.flags[relation] = True
    for col, prefix in NOT_SPECIFIED.items():
        if base.flag(v.get(col), col):
            for target in [t for t in row.flags if t.startswith(prefix)]:
                if row.flags[target] is not True:
                    row.flags[target] = None
    if synthetic:
        _fill_groups(row)
    return row


def _months(value: object) -> str:
    text = base._DASHES.sub("-", str(value).strip().split("(")[0].strip())
    if text not in _MONTHS:
        raise BadCode(f"traffickMonths: unknown value {str(value)[:20]!r}")
    return _MONTHS[text]


def _fill_groups(row: CaseRow) -> None:
    """The synthetic data record only 1s; the codebook (section 6) counts the other members
    of a group as 0 when at least one member is 1, and the whole group as unknown otherwise."""
    groups = ("means_", "form_", "labour_", "sex_type_", "recruiter_")
    for prefix in groups:
        cols = [c for c in row.flags if c.startswith(prefix)]
        if any(row.flags[c] is True for c in cols):
            for c in cols:
                if row.flags[c] is None:
                    row.flags[c] = False
