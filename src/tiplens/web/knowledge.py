"""The knowledge base as report sections: the screening indicators with their ILO and Palermo
mapping, forms of exploitation, organisations, instruments and campaigns, hotlines, and the
regional cooperation table of seed 001. Read from the typed loaders in ``tiplens.knowledge``;
the page and the API (``/api/v1/knowledge/...``) show the same tables."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from tiplens.knowledge.cooperation import load_cooperation
from tiplens.knowledge.forms import load_forms
from tiplens.knowledge.hotlines import load_hotlines
from tiplens.knowledge.indicators import ILO_INDICATORS, PALERMO, load_indicators
from tiplens.knowledge.organisations import load_organisations
from tiplens.report import Note, Report, Section, Table
from tiplens.screen.referral import hotlines_for


def indicators_frame() -> pd.DataFrame:
    return pd.DataFrame([{"indicator": i.id, "label": i.label_en, "label_id": i.label_id, "group": i.group,
                          "ilo": i.ilo or "", "palermo": i.palermo or "", "form": i.form or "", "weight": i.weight,
                          "phrases_en": len(i.patterns_en), "phrases_id": len(i.patterns_id)}
                         for i in load_indicators().indicators])


def ilo_frame() -> pd.DataFrame:
    cat = load_indicators().indicators
    return pd.DataFrame([{"ilo_indicator": ilo, "screening_indicators": ", ".join(i.id for i in cat if i.ilo == ilo)
                          or "-"} for ilo in ILO_INDICATORS])


def palermo_frame() -> pd.DataFrame:
    cat = load_indicators().indicators
    return pd.DataFrame([{"palermo_element": el, "screening_indicators": ", ".join(i.id for i in cat
                                                                                 if i.palermo == el)}
                         for el in PALERMO])


def forms_frame() -> pd.DataFrame:
    return pd.DataFrame([{"form": f.id, "label": f.label_en, "label_id": f.label_id, "description": f.description,
                          "seeds": ", ".join(f.seeds)} for f in load_forms().forms])


def actors_frame() -> pd.DataFrame:
    k = load_forms()
    rows = [{"kind": kind, "id": e.id, "name": e.name, "role": e.note, "seeds": ", ".join(e.seeds)}
            for kind, entries in (("organisation", k.organisations), ("instrument", k.instruments),
                                  ("campaign", k.campaigns)) for e in entries]
    return pd.DataFrame(rows)


def accounts_frame() -> pd.DataFrame:
    return pd.DataFrame([{"handle": o.handle, "name": o.name, "type": o.type, "country": o.country or ""}
                         for o in load_organisations().organisations])


def hotlines_frame(country: str | None = None) -> pd.DataFrame:
    """Verified hotlines (the ones offered as referral); for a country, in referral order."""
    lines = hotlines_for(country) if country else [h for h in load_hotlines() if h.verified]
    return pd.DataFrame([{"country": h.country, "region": h.region, "name": h.name, "number": h.number,
                          "whatsapp": h.whatsapp or "", "type": h.type, "languages": ", ".join(h.languages),
                          "source": h.url or h.cite} for h in lines],
                        columns=["country", "region", "name", "number", "whatsapp", "type", "languages", "source"])


def cooperation_frame() -> pd.DataFrame:
    t = load_cooperation()
    return pd.DataFrame([{"region": e.region, "cooperating_entities": e.entities, "efforts": e.efforts,
                          "liberal_ir_concept": e.concept, "reference": e.reference} for e in t.entries])


@lru_cache(maxsize=1)
def build() -> Report:
    coop = load_cooperation()
    cat = load_indicators()
    sections = [
        Section("indicators", "Screening indicators", [
            Note(f"{len(cat.indicators)} indicators in English and Indonesian. Each maps to at most one of the "
                 "eleven ILO indicators of forced labour, to one element of the Palermo Protocol definition (act, "
                 "means, purpose) and to a form of exploitation; the weight enters the rules score."),
            Table("indicators", indicators_frame(), title="Indicator catalogue", max_rows=100,
                  caption="phrases_en / phrases_id: patterns per language in knowledge/indicators.yaml."),
            Table("ilo_mapping", ilo_frame(), title="ILO indicators of forced labour"),
            Table("palermo_mapping", palermo_frame(), title="Palermo Protocol elements"),
        ]),
        Section("forms", "Forms of exploitation", [
            Table("forms", forms_frame(), title="Forms of exploitation",
                  caption="seeds: the project's seed documents that name the form."),
        ]),
        Section("organisations", "Organisations, instruments and campaigns", [
            Table("actors", actors_frame(), title="Named in the seed documents", max_rows=100),
            Table("accounts", accounts_frame(), title="Social media accounts of organisations", max_rows=100,
                  caption="The registry the social analyses use to tell organisations apart "
                          "(knowledge/organisations.yaml; edit a copy for your study)."),
        ]),
        Section("hotlines", "Hotlines", [
            Note("Verified numbers only (each with an official or press source); the screening referral offers "
                 "these. Numbers change: check the source before publishing them.", "warning"),
            Table("hotlines", hotlines_frame(), title="Hotline directory", max_rows=100),
        ]),
        Section("cooperation", "Regional cooperation", [
            Note(f"Who cooperates against trafficking, where and how, after the table in seed {coop.seed}. The "
                 "last column is the seed's reading of each effort in terms of liberal international-relations "
                 "theory."),
            Table("cooperation", cooperation_frame(), title="Cooperating entities by region", caption=coop.cite),
        ]),
    ]
    return Report(title="Knowledge base", subtitle="What the analyses know, with sources", sections=sections,
                  sources=[coop.cite, *(f"{k}: {v}" for k, v in sorted(cat.sources.items()))])
