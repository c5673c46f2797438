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

import numpy as np

ACCOUNT = {"id": "900000000000000001", "username": "demo_migration_org",
           "name": "Demo Migration Organisation (SYNTHETIC)"}
SEED = 4004

PARTNERS = {  # handle -> user id (synthetic ids); handles are public organisation accounts
    "unmigration": "900000000000000101", "IOMAsiaPacific": "900000000000000102", "stateprm": "900000000000000103",
    "UNODC": "900000000000000104", "ILOAsiaPacific": "900000000000000105", "Kemnaker": "900000000000000106",
    "BP2MI_RI": "900000000000000107", "Kemlu_RI": "900000000000000108", "UNICEFIndonesia": "900000000000000109",
    "migrantcare": "900000000000000110", "KemenPPPA": "900000000000000111", "DivHubInter_Polri": "900000000000000112",
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
}
TAGS = {
    "awareness": ["StopTrafficking", "AntiTPPO", "Indonesia"],
    "case_reports": ["HumanTrafficking", "Indonesia", "TPPO"],
    "victim_support": ["Survivors", "IOMAsiaPacific"],
    "prevention": ["MigrasiAman", "Indonesia", "migration"],
    "policy": ["IOMAsiaPacific", "BaliProcess", "migration"],
    "labour_migration": ["migration", "PekerjaMigran", "Indonesia"],
    "covid19": ["covid19", "COVID19", "migration"],
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
            partners = list(rng.choice(list(PARTNERS), size=int(rng.integers(1, 3)), replace=False)) \
                if rng.random() < 0.35 else []
            kind = rng.choice(["original", "reply", "retweet", "quote"], p=[0.62, 0.12, 0.18, 0.08])
            has_media = bool(rng.random() < 0.4)
            text = sentence + " " + " ".join("#" + t for t in tags)
            if partners:
                text += " " + " ".join("@" + p for p in partners)
            tweet = {"id": str(next_id), "author_id": ACCOUNT["id"], "lang": lang,
                     "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z")}
            refs = []
            if kind != "original":
                target = str(rng.choice(list(PARTNERS) + list(PUBLIC)))
                tid = PARTNERS.get(target) or PUBLIC[target]
                users[tid] = {"id": tid, "username": target, "name": target}
                ref_id = str(next_id - int(rng.integers(10, 999)))
                ref_tweets[ref_id] = {"id": ref_id, "author_id": tid, "text": "(referenced post)"}
                refs = [{"type": {"reply": "replied_to", "retweet": "retweeted", "quote": "quoted"}[kind], "id": ref_id}]
                tweet["referenced_tweets"] = refs
                if kind == "retweet":
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
    names = list(THEMES)
    weights = np.array([0.24, 0.14, 0.14, 0.16, 0.12, 0.12, 0.0])
    if datetime(2020, 3, 1, tzinfo=UTC) <= when < datetime(2022, 7, 1, tzinfo=UTC):
        weights[-1] = 0.35
    return names[int(rng.choice(len(names), p=weights / weights.sum()))]
