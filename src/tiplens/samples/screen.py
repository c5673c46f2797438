"""Synthetic job ads and posts in English and Indonesian for the screening demo.

Every ad is invented and ends with "(synthetic example)". Clean ads describe lawful recruitment
(a written contract, no fee to the worker, a licensed agency); the others carry the red flags the
screener looks for (fees, visit visas, retained passports, phones taken, debts, threats, scam
compounds, sex-ad cues, organ and bride offers), some written with leetspeak, spaced letters or
emoji, plus two awareness posts that quote red flags (a lawful text a keyword screener can
mistake for an ad). Contacts are fictional: UK drama numbers (+44 7700 900xxx, reserved by
Ofcom), Australian drama numbers (+61 491 570 1xx, reserved by ACMA), example.com/org/net
addresses and handles named "synthetic". The same contact recurs across cities and dates for
some posters, so linking and movement can be shown. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

SEED = 20240730
COLUMNS = ["id", "posted_at", "location", "language", "text", "synthetic_label"]

CITIES_ID = ["Jakarta", "Surabaya", "Medan", "Batam", "Makassar", "Semarang", "Mataram", "Kupang", "Bandung", "Pontianak"]
CITIES_EN = ["Kuala Lumpur", "Singapore", "Hong Kong", "Taipei", "Riyadh", "Dubai", "Seoul", "Osaka"]
COUNTRIES_ID = ["Malaysia", "Arab Saudi", "Taiwan", "Hong Kong", "Singapura", "Korea Selatan", "Jepang"]
COUNTRIES_EN = ["Malaysia", "Saudi Arabia", "Taiwan", "Hong Kong", "Singapore", "South Korea", "Japan", "the UAE"]
ROLES_EN = ["warehouse associate", "caregiver", "hotel housekeeper", "welder", "line cook", "nurse aide", "driver"]
ROLES_ID = ["operator produksi", "staf gudang", "kasir", "perawat lansia", "juru masak", "sopir", "admin toko"]
COMPANIES = ["Sentosa Demo Makmur", "Contoh Karya Abadi", "Example Logistics", "Demo Care Services"]


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"+44 7700 900{rng.randrange(100, 1000):03d}"
    return f"+61 491 570 {rng.randrange(100, 160):03d}"


CLEAN_EN = [
    "{company} is hiring a {role} in {city}. At least two years of experience. We offer a written employment "
    "contract, paid leave and health insurance. Apply on our website https://jobs.example.com or send your CV to "
    "careers@example.com. We never charge candidates any fee.",
    "Licensed recruitment agency seeks caregivers for {country}. The employer pays all recruitment costs, "
    "including visa and air ticket. The standard employment contract is signed before departure. Call {phone}.",
    "Part-time {role} wanted in {city}, weekday shifts of 8 hours, overtime paid as the law requires. "
    "Interviews at our office. Questions: hr@example.org",
    "{company} opens a graduate programme for {role}s. Salary in line with the market, training provided, "
    "workers keep their own passports and phones. Apply before the end of the month.",
]
FLAGGED_EN = [
    "URGENT!! Housemaids needed in {city}. Female, age 18-25, live-in with the employer family. High salary, no "
    "experience needed. Registration fee $150, pay before interview. Passport will be kept by the employer for "
    "safekeeping. WhatsApp only: {phone}",
    "Factory workers wanted for {country}. Fly within 2 weeks on a tourist visa, change to work visa later. Sign "
    "the contract on arrival. Ticket and visa costs deducted from your salary for the first 6 months. No day off "
    "in the first year. Contact via WhatsApp {phone}",
    "Customer service staff needed in Sihanoukville, Cambodia. Fluent typing, high salary, free flight. Interview "
    "via Telegram @synthetic_cs_hiring",
    "Earn $350 per day from home! No experience required, suitable for all. Pay a small fee to get your starter "
    "kit. DM for details.",
    "New in town 🌹 sweet young girl, incall/outcall, hh rates, ask for my friend. Text {phone}",
    "Just arrived in {city}!! 🍒 barely legal, outcall only, roses for the hour. Call my manager {phone}",
    "Cleaners wanted in {country}. You must stay in the compound and are not allowed to leave the premises. "
    "Phones will be kept by the supervisor. Penalty if you quit before the contract ends. {phone}",
    "F R E E visa and ticket!! Only a small registr@tion f33 of $200. Salary paid at the end of contract. "
    "WA {phone}",
]
CLEAN_ID = [
    "Lowongan resmi PT {company} di {city}. Dibutuhkan {role}, pendidikan minimal SMA, usia 18-35 tahun. Gaji "
    "sesuai UMK, BPJS, kontrak kerja tertulis. Tidak dipungut biaya apapun. Lamaran dikirim ke hrd@example.co.id.",
    "P3MI resmi berizin Kemnaker membuka pendaftaran pekerja migran ke {country}. Proses sesuai prosedur, "
    "pelatihan di BLK, perjanjian kerja ditandatangani sebelum berangkat. Bebas biaya penempatan.",
    "Dicari {role} untuk toko kami di {city}. Jam kerja 8 jam, libur satu hari seminggu, gaji dibayar setiap "
    "bulan. Datang langsung ke toko dengan membawa CV.",
    "Pelatihan kerja gratis dari Disnaker {city} untuk calon pekerja migran. Informasi resmi hanya di kantor "
    "Disnaker dan situs https://disnaker.example.go.id.",
]
FLAGGED_ID = [
    "Dicari TKW ke {country}, gaji besar, kerja ringan, tanpa pengalaman. Biaya pendaftaran Rp 2.500.000 transfer "
    "dulu. Berangkat pakai visa kunjungan, kontrak menyusul. Paspor dititipkan ke agen. Minat hubungi WA {phone}",
    "Loker cepat ke {country}! Proses cepat, langsung terbang, tanpa medical. Tidak boleh bawa HP selama 3 bulan "
    "pertama. Gaji dipotong 7 bulan untuk biaya. Denda jika kabur sebelum kontrak habis. Japri {phone}",
    "Dicari admin judi online di Kamboja, gaji 15 juta, tiket ditanggung. Info lengkap japri Telegram: "
    "@synthetic_admin_loker",
    "Open BO cewek cantik, ST/LT ready, include room. Masih SMA. Hub {phone}",
    "Dibutuhkan LC karaoke di {city}, wanita usia 18-23, berpenampilan menarik, wajib tinggal di mess, gaji "
    "dibayar di akhir kontrak. Info WA {phone}",
    "Kami beli ginjal dengan harga tinggi, proses cepat dan rahasia. Hubungi {phone}",
    "Dicari calon istri untuk pria Tiongkok, mahar besar untuk keluarga, semua biaya ditanggung. Japri {phone}",
    "ART menginap untuk keluarga di {country}, perempuan 20-30 tahun. Tanpa hari libur, HP dititipkan ke majikan. "
    "Jangan bilang ke keluarga soal kontrak ini. WA {phone}",
]
AWARENESS = [
    ("en", "Warning from the labour office: never pay a registration fee to get a job abroad, and never hand over "
           "your passport. Report suspicious ads."),
    ("id", "Waspada! Lowongan kerja palsu biasanya meminta biaya pendaftaran dan menjanjikan gaji besar. Laporkan "
           "ke Disnaker."),
]


def generate(path: Path, *, n: int = 120, seed: int = SEED) -> Path:
    """Write ``n`` synthetic ads (plus the awareness posts) to ``path`` (CSV) and return it."""
    rng = random.Random(seed)
    posters = [_phone(rng) for _ in range(6)]  # a few posters reuse one number across cities
    start = date(2024, 1, 8)
    rows = []
    for i in range(n):
        lang = "en" if i % 2 == 0 else "id"
        flagged = rng.random() < 0.45
        pool = (FLAGGED_EN if flagged else CLEAN_EN) if lang == "en" else (FLAGGED_ID if flagged else CLEAN_ID)
        template = pool[rng.randrange(len(pool))]
        phone = posters[rng.randrange(len(posters))] if flagged and rng.random() < 0.6 else _phone(rng)
        city = rng.choice(CITIES_EN if lang == "en" else CITIES_ID)
        text = template.format(
            company=rng.choice(COMPANIES), role=rng.choice(ROLES_EN if lang == "en" else ROLES_ID), city=city,
            country=rng.choice(COUNTRIES_EN if lang == "en" else COUNTRIES_ID), phone=phone)
        posted = start + timedelta(days=rng.randrange(0, 90))
        rows.append({"id": f"synthetic-{i + 1:04d}", "posted_at": posted.isoformat(), "location": city,
                     "language": lang, "text": text + "\n(synthetic example)", "synthetic_label": int(flagged)})
    for j, (lang, text) in enumerate(AWARENESS):
        rows.append({"id": f"synthetic-awareness-{j + 1}", "posted_at": (start + timedelta(days=30 + j)).isoformat(),
                     "location": "Jakarta", "language": lang, "text": text + "\n(synthetic example)",
                     "synthetic_label": 0})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path
