"""The US Department of Labor's List of Goods Produced by Child Labor or Forced Labor as
DOL ships it in its Sweat & Toil app (``goods_<YEAR>.xml``): ``<Goods><Good>`` with a
name, a sector and ``<Countries><Country>`` carrying Yes/No flags for child labour,
forced labour and forced child labour, and (in later files) goods made with inputs
produced with such labour (``Derived_Labor_Exploitation``, ``Derived_Country``).

The file names a reporting year, not the List edition (the List is published the year
after); the edition recorded is the file's own year unless ``--edition`` says otherwise.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from tiplens.errors import BadInput
from tiplens.importing import Reject
from tiplens.supply.reference.base import CountryNotes, Loaded, Peek, edition_from, yes_no

NAME = "dol-goods-xml"
DESCRIPTION = "US DOL List of Goods, XML from DOL's Sweat & Toil app (goods_YEAR.xml)"
PUBLISHER = "US Department of Labor, Bureau of International Labor Affairs (ILAB)"
TITLE = "List of Goods Produced by Child Labor or Forced Labor"


def sniff(peek: Peek) -> bool:
    return peek.container == "xml" and re.search(r"<Goods\b", peek.head[:2000]) is not None


def _text(el: ET.Element | None, tag: str) -> str | None:
    child = el.find(tag) if el is not None else None
    if child is None or child.text is None or not child.text.strip():
        return None
    return child.text.strip()


def read(path: Path, peek: Peek, edition: str | None) -> list[Loaded]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise BadInput(f"{path}: not well-formed XML ({exc})") from None
    m = re.search(r"goods_(\d{4})", path.name)
    found = f"DOL app data goods_{m.group(1)}" if m else None
    ed, year, notes = edition_from(edition, found, int(m.group(1)) if m else None, "List")
    if found and not edition:
        notes.append("edition taken from the file name (a reporting year; DOL publishes the List the year after)")
    out = Loaded("dol_goods", PUBLISHER, TITLE, ed, year, notes=notes)
    countries = CountryNotes("DOL country")
    no_country: list[str] = []
    has_derived = False
    for good in root.iter("Good"):
        name = _text(good, "Good_Name")
        listed = good.findall("./Countries/Country")
        if not listed:
            out.read += 1
            out.rejects.append(Reject(f"good {name or '(no name)'!r} lists no country"))
            no_country.append(name or "(no name)")
            continue
        for c in listed:
            out.read += 1
            cname = _text(c, "Country_Name")
            if not name or not cname:
                out.rejects.append(Reject("a <Country> without a good or country name"))
                continue
            derived = _text(c, "Derived_Labor_Exploitation")
            has_derived = has_derived or derived is not None
            dcountry = _text(c, "Derived_Country")
            out.rows.append({
                "good": name, "good_sector": _text(good, "Good_Sector"), "country": cname,
                "iso3": countries.iso3(cname), "child_labor": yes_no(_text(c, "Child_Labor")),
                "forced_labor": yes_no(_text(c, "Forced_Labor")),
                "forced_child_labor": yes_no(_text(c, "Forced_Child_Labor")),
                "inputs": yes_no(derived) if derived is not None else None,
                "inputs_child_labor": None, "inputs_forced_labor": None,
                "derived_country": dcountry if dcountry and dcountry.casefold() != "no" else None,
            })
    if out.read == 0:
        raise BadInput(f"{path}: no <Good> elements found")
    if no_country:
        out.notes.append(f"{len(no_country)} <Good> element(s) list no country: {', '.join(no_country)}")
    if not has_derived:
        out.notes.append("no Derived_* fields: goods made with inputs produced with child or forced labour "
                         "are not marked in this file")
    else:
        out.notes.append("inputs-produced-with rows do not say whether the input involved child or forced labour")
    out.notes.extend(countries.note())
    return [out]
