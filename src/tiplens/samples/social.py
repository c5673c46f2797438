"""A synthetic bilingual (English/Indonesian) organisation account, July 2015 - March 2023,
written as twarc2 JSONL pages so the demo runs through a real importer.

The shape imitates what the @IOMIndonesia study describes (seed 004): posting that more
than doubles after 2016, hashtags such as #IOMAsiaPacific, #Indonesia, #migration and
#covid19, themes of awareness, case reports, victim support and prevention, and
interaction with UN, government and NGO accounts that goes with higher engagement.
No post is real; the account name says SYNTHETIC.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ACCOUNT = {"id": "900000000000000001", "username": "demo_migration_org",
           "name": "Demo Migration Organisation (SYNTHETIC)"}
SEED = 4004

PARTNERS = {  # handle -> user id (synthetic ids); handles from the organisation registry
    "UNmigration": "900000000000000101", "IOMAsiaPacific": "900000000000000102", "StatePRM": "900000000000000103",
    "UNODC": "900000000000000104", "ILOAsiaPacific": "900000000000000105", "KemnakerRI": "900000000000000106",
    "StateJTIP": "900000000000000107", "Kemlu_RI": "900000000000000108", "UNICEFIndonesia": "900000000000000109",
    "migrantcare": "900000000000000110", "KemenPPPA": "900000000000000111", "DivHumas_Polri": "900000000000000112",
    "UN_Women": "900000000000000113", "Refugees": "900000000000000114", "jakpost": "900000000000000115",
    "kompascom": "900000000000000116",
}
PUBLIC = {"warga_peduli": "900000000000000201", "jurnalis_migrasi": "900000000000000202",
          "student_voice_id": "900000000000000203", "relawan_desa": "900000000000000204"}

THEMES = {
    "awareness": [
        ("en", "Know the signs of human trafficking: fake job offers, confiscated passports and debts you cannot repay."),
        ("id", "Kenali tanda-tanda perdagangan orang: tawaran kerja palsu, paspor ditahan, dan utang yang tak bisa dibayar."),
        ("en", "Today we ran an awareness campaign in schools on safe migration and trafficking risks."),
        ("id", "Kampanye kesadaran tentang migrasi aman dan bahaya TPPO bersama pelajar di Nusa Tenggara Timur."),
    ],
    "case_reports": [
        ("en", "Authorities rescued 23 migrant workers from a fishing vessel; victims reported unpaid wages and violence."),
        ("id", "Aparat menyelamatkan 14 korban perdagangan orang yang dijanjikan kerja di luar negeri."),
        ("en", "A new report documents cases of forced labour among seafarers recruited through unlicensed agencies."),
    ],
    "victim_support": [
        ("en", "Survivors receive shelter, medical care and legal aid while they recover and return home."),
        ("id", "Penyintas mendapatkan rumah aman, layanan kesehatan, dan pendampingan hukum untuk pemulihan."),
        ("en", "Reintegration support helps survivors find decent work and rebuild their lives."),
    ],
    "prevention": [
        ("en", "Prevention starts in the village: community task forces check recruiters before anyone leaves."),
        ("id", "Pencegahan dimulai dari desa: gugus tugas memeriksa perekrut sebelum warga berangkat bekerja."),
        ("id", "Jangan bayar biaya penempatan ilegal. Pastikan agen resmi dan kontrak kerja jelas."),
    ],
    "policy": [
        ("en", "Regional cooperation under the Bali Process strengthens the response to trafficking in persons."),
        ("id", "Kerja sama antarnegara dan penegakan hukum penting untuk memberantas perdagangan orang."),
        ("en", "Training for police, prosecutors and judges on victim-centred investigation of trafficking cases."),
    ],
    "labour_migration": [
        ("en", "Safe, regular labour migration protects workers: check the agency licence and your employment contract."),
        ("id", "Pekerja migran Indonesia berhak atas informasi, perlindungan, dan kontrak kerja yang adil."),
    ],
    "covid19": [
        ("en", "COVID-19 has left many migrant workers stranded without income, raising their risk of exploitation."),
        ("id", "Pandemi COVID-19 membuat pekerja migran rentan dieksploitasi; bantuan darurat telah disalurkan."),
    ],
    "sexual_exploitation": [
        ("en", "Young women promised jobs as waitresses were forced into prostitution; sexual exploitation is trafficking."),
        ("id", "Eksploitasi seksual berkedok lowongan kerja di kafe: kenali modusnya dan laporkan."),
    ],
    "domestic_servitude": [
        ("en", "Domestic workers abroad can be locked in, unpaid and cut off from family: domestic servitude is a crime."),
        ("id", "Pekerja rumah tangga berhak atas hari libur, gaji penuh, dan memegang paspor sendiri."),
    ],
    "online_scams": [
        ("en", "Online scam compounds lure graduates with IT jobs, then force them to defraud strangers."),
        ("id", "Waspada penipuan online: tawaran kerja di luar negeri berujung dipaksa menipu orang lain."),
    ],
    "child_trafficking": [
        ("en", "Children are among the victims: child trafficking cases rose in border areas this year."),
        ("id", "Perdagangan anak harus dihentikan; lindungi anak-anak dari perekrut di media sosial."),
    ],
    "forced_marriage": [
        ("en", "Girls sent abroad as mail-order brides face forced marriage and abuse."),
        ("id", "Modus pengantin pesanan menjerat perempuan muda ke dalam kawin paksa di luar negeri."),
    ],
    "organ_removal": [
        ("en", "Police uncovered a network that recruited donors for kidney sales abroad: organ trafficking is trafficking."),
        ("id", "Sindikat jual ginjal ke luar negeri terungkap; perdagangan organ adalah TPPO."),
    ],
    # what the codebook does not cover: emergency response and displacement
    "emergency": [
        ("en", "Emergency response after the earthquake: tents, hygiene kits and clean water for displaced families."),
        ("en", "Displaced families in the earthquake zone receive tents, clean water and hygiene kits from emergency teams."),
        ("id", "Tanggap darurat gempa: tenda, paket kebersihan, dan air bersih untuk keluarga pengungsi."),
        ("en", "Rohingya refugees who landed in Aceh receive emergency tents, clean water and health checks."),
    ],
}
TAGS = {
    "awareness": ["StopTrafficking", "AntiTPPO", "Indonesia"],
    "case_reports": ["HumanTrafficking", "Indonesia", "TPPO"],
    "victim_support": ["Survivors", "IOMAsiaPacific"],
    "prevention": ["MigrasiAman", "Indonesia", "migration"],
    "policy": ["IOMAsiaPacific", "BaliProcess", "migration"],
    "labour_migration": ["migration", "PekerjaMigran", "Indonesia"],
    "covid19": ["covid19", "COVID19", "migration"],
    "sexual_exploitation": ["StopTrafficking", "TPPO"],
    "domestic_servitude": ["PekerjaMigran", "DomesticWorkers"],
    "online_scams": ["OnlineScam", "StopTrafficking", "Indonesia"],
    "child_trafficking": ["EndChildTrafficking", "Indonesia"],
    "forced_marriage": ["StopTrafficking", "Indonesia"],
    "organ_removal": ["TPPO", "Indonesia"],
    "emergency": ["IOMAsiaPacific", "Indonesia", "migration"],
}
# partners a theme's posts address: organisations that work together appear together
THEME_PARTNERS = {
    "awareness": ["IOMAsiaPacific", "UNmigration", "kompascom", "UNICEFIndonesia"],
    "case_reports": ["DivHumas_Polri", "Kemlu_RI", "jakpost", "StateJTIP"],
    "victim_support": ["KemenPPPA", "UN_Women", "UNICEFIndonesia", "migrantcare"],
    "prevention": ["KemnakerRI", "migrantcare", "ILOAsiaPacific"],
    "policy": ["StatePRM", "StateJTIP", "UNODC", "Kemlu_RI"],
    "labour_migration": ["KemnakerRI", "ILOAsiaPacific", "migrantcare"],
    "covid19": ["UNmigration", "IOMAsiaPacific"],
    "sexual_exploitation": ["KemenPPPA", "UN_Women", "DivHumas_Polri"],
    "domestic_servitude": ["ILOAsiaPacific", "migrantcare", "UN_Women"],
    "online_scams": ["Kemlu_RI", "DivHumas_Polri", "UNODC", "jakpost"],
    "child_trafficking": ["UNICEFIndonesia", "KemenPPPA"],
    "forced_marriage": ["Kemlu_RI", "UN_Women"],
    "organ_removal": ["DivHumas_Polri", "kompascom"],
    "emergency": ["UNmigration", "Refugees", "IOMAsiaPacific"],
}


def _monthly_rate(month_index: int) -> float:
    """Posts per month: about 9 before 2017, rising to about 24 after (more than double)."""
    year = 2015 + (month_index + 6) // 12
    base = 9.0 if year <= 2016 else 24.0
    return base * (1.15 if year in (2020, 2021) else 1.0)


def generate(path: str | Path, *, seed: int = SEED) -> Path:
    """Write the sample as twarc2 JSONL pages (100 tweets a page) and return its path."""
    rng = np.random.default_rng(seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tweets: list[dict] = []
    users = {ACCOUNT["id"]: ACCOUNT}
    ref_tweets: dict[str, dict] = {}
    retweeted: set[str] = set()
    next_id = 1_000_000_000_000_000_000
    for m in range(93):  # 2015-07 .. 2023-03
        month_start = datetime(2015 + (6 + m) // 12, (6 + m) % 12 + 1, 1, tzinfo=UTC)
        month_end = datetime(month_start.year + (month_start.month == 12), month_start.month % 12 + 1, 1, tzinfo=UTC)
        n = int(rng.poisson(_monthly_rate(m)))
        for _ in range(n):
            next_id += int(rng.integers(1_000, 5_000_000))
            when = month_start + timedelta(seconds=float(rng.uniform(0, (month_end - month_start).total_seconds())))
            theme = _pick_theme(rng, when)
            lang, sentence = THEMES[theme][int(rng.integers(len(THEMES[theme])))]
            tags = list(rng.choice(TAGS[theme], size=int(rng.integers(1, 3)), replace=False))
            pool = THEME_PARTNERS[theme]
            partners = list(rng.choice(pool, size=min(len(pool), int(rng.integers(1, 4))), replace=False)) \
                if rng.random() < 0.35 else []
            kind = rng.choice(["original", "reply", "retweet", "quote"], p=[0.62, 0.12, 0.18, 0.08])
            has_media = bool(rng.random() < 0.4)
            text = sentence + " " + " ".join("#" + t for t in tags)
            if partners:
                text += " " + " ".join("@" + p for p in partners)
            tweet: dict[str, Any] = {"id": str(next_id), "author_id": ACCOUNT["id"], "lang": lang,
                     "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z")}
            refs = []
            if kind != "original":
                target = str(rng.choice(THEME_PARTNERS[theme] + list(PUBLIC)))
                tid = PARTNERS.get(target) or PUBLIC[target]
                users[tid] = {"id": tid, "username": target, "name": target}
                ref_id = str(next_id - int(rng.integers(10, 999)))
                # a retweeted post keeps its text when referenced again
                ref_tweets[ref_id] = {"id": ref_id, "author_id": tid, "text": ref_tweets[ref_id]["text"]
                                      if ref_id in retweeted else "(referenced post)"}
                refs = [{"type": {"reply": "replied_to", "retweet": "retweeted", "quote": "quoted"}[kind], "id": ref_id}]
                tweet["referenced_tweets"] = refs
                if kind == "retweet":  # the retweeted post holds the whole text (the importer takes it from there)
                    ref_tweets[ref_id]["text"] = text
                    retweeted.add(ref_id)
                    text = f"RT @{target}: " + text
                    partners = [target] + partners
                if kind == "reply":
                    text = f"@{target} " + text
                    partners = [target] + partners
                    tweet["in_reply_to_user_id"] = tid
            tweet["text"] = text
            org_boost = 1.0 + 0.8 * any(p in PARTNERS for p in partners)
            mu = (4.0 + 0.9 * (when.year - 2015)) * org_boost * (1.3 if has_media else 1.0)
            likes = int(rng.negative_binomial(2, 2 / (2 + mu)))
            if kind == "retweet":  # counts of a retweet belong to the original
                metrics = {"retweet_count": int(rng.integers(1, 60)), "reply_count": 0, "like_count": 0, "quote_count": 0}
            else:
                metrics = {"like_count": likes, "retweet_count": int(rng.binomial(likes, 0.35)),
                           "reply_count": int(rng.binomial(likes, 0.08)), "quote_count": int(rng.binomial(likes, 0.03))}
            tweet["public_metrics"] = metrics
            ents: dict = {"hashtags": [], "mentions": []}
            for t in tags:
                i = text.find("#" + t)
                ents["hashtags"].append({"start": i, "end": i + len(t) + 1, "tag": t})
            for p in dict.fromkeys(partners):
                i = text.find("@" + p)
                if i >= 0:
                    ents["mentions"].append({"start": i, "end": i + len(p) + 1, "username": p})
            tweet["entities"] = ents
            if has_media:
                tweet["attachments"] = {"media_keys": [f"3_{next_id}"]}
            tweets.append(tweet)
    for u, uid in {**PARTNERS, **PUBLIC}.items():
        users.setdefault(uid, {"id": uid, "username": u, "name": u})
    with path.open("w", encoding="utf-8") as fh:
        for i in range(0, len(tweets), 100):
            page = tweets[i:i + 100]
            ids = {r["id"] for t in page for r in t.get("referenced_tweets", [])}
            fh.write(json.dumps({
                "data": page,
                "includes": {"users": list(users.values()),
                             "tweets": [ref_tweets[x] for x in sorted(ids)]},
                "meta": {"result_count": len(page)},
                "__twarc": {"note": "SYNTHETIC sample generated by tiplens.samples.social", "version": "tiplens"},
            }, ensure_ascii=False) + "\n")
    return path


def _pick_theme(rng: np.random.Generator, when: datetime) -> str:
    """Theme weights that change with time: COVID-19 from March 2020 to June 2022, online scams
    from 2022, emergency response around the 2018 Lombok and Sulawesi earthquakes."""
    w = {"awareness": 0.20, "case_reports": 0.12, "victim_support": 0.12, "prevention": 0.13, "policy": 0.10,
         "labour_migration": 0.10, "covid19": 0.0, "sexual_exploitation": 0.03, "domestic_servitude": 0.03,
         "online_scams": 0.0, "child_trafficking": 0.03, "forced_marriage": 0.02, "organ_removal": 0.01,
         "emergency": 0.09}
    if datetime(2020, 3, 1, tzinfo=UTC) <= when < datetime(2022, 7, 1, tzinfo=UTC):
        w["covid19"] = 0.30
    if when >= datetime(2022, 1, 1, tzinfo=UTC):
        w["online_scams"] = 0.15
    if datetime(2018, 7, 1, tzinfo=UTC) <= when < datetime(2019, 3, 1, tzinfo=UTC):
        w["emergency"] = 0.40
    names = list(THEMES)
    weights = np.array([w[k] for k in names])
    return names[int(rng.choice(len(names), p=weights / weights.sum()))]
