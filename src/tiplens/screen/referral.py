"""Referral: the hotlines to show next to a flagged ad, for the country of the reader.

Only numbers backed by a cited public source are offered (``verified`` entries of
``knowledge/hotlines.yaml``). Order: trafficking and exploitation lines first, then labour and
migrant-worker lines, victim support, sub-national lines, and the general emergency number
last (the order the TAT hotline list recommends for display).
"""

from __future__ import annotations

from tiplens.knowledge.hotlines import Hotline, country_code, load_hotlines

ORDER = {"national": 0, "labour": 1, "victim": 2, "state": 3, "regional": 4, "emergency": 5}


def hotlines_for(country: str | None) -> list[Hotline]:
    """Verified hotlines for a country ('ID', 'IDN', 'Indonesia') or a subdivision ('US-NJ').

    A subdivision gets its own lines and its country's national ones; a country gets its
    national lines (not those of its subdivisions). Unknown codes raise BadInput; a known
    country without entries gives an empty list.
    """
    if not country:
        return []
    code = country_code(country)
    nation = code.split("-")[0]
    wanted = {nation, code}
    lines = [h for h in load_hotlines() if h.verified and h.country == nation and h.region in wanted]
    return sorted(lines, key=lambda h: (ORDER.get(h.type, 9), h.region != code))


def referral(country: str | None) -> list[dict[str, object]]:
    """The referral list as plain records (name, number, e164, whatsapp, type, country, region, source)."""
    return [h.to_dict() for h in hotlines_for(country)]
