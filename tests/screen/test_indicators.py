"""The indicator engine on hand-written English and Indonesian examples, negation, and spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.properties import examples
from tiplens.screen.indicators import feature_names, find, indicator_vector


def ids(text: str, lang: str | None = None) -> set[str]:
    return {m.id for m in find(text, lang)}


ENGLISH_POSITIVES = [
    ("A registration fee of $150 must be paid before the interview.", {"worker_fees"}),
    ("Your passport will be kept by the employer for safekeeping.", {"document_retention"}),
    ("Fly within 2 weeks on a tourist visa, we change it to a work visa later.", {"visit_visa_work"}),
    ("Earn $350 to $400 extra per day, no experience required!", {"pay_far_above_norm", "light_requirements"}),
    ("Ticket costs will be deducted from your salary for six months.", {"debt_bondage"}),
    ("Workers are not allowed to leave the compound.", {"movement_restricted"}),
    ("Phones will be kept by the supervisor during the contract.", {"phone_restricted"}),
    ("Penalty if you quit before the contract ends.", {"threats_penalties"}),
    ("Don't tell your family about this offer.", {"isolation_secrecy"}),
    ("New in town, incall and outcall, ask for my friend", {"movement_cues", "sex_service_terms",
                                                             "third_party_control"}),
    ("Customer service staff needed in Sihanoukville, Cambodia", {"scam_compound_jobs"}),
    ("We buy kidneys for cash.", {"organ_sale"}),
    ("Salary will be paid at the end of the contract.", {"wages_withheld"}),
    ("Sign the contract on arrival.", {"no_contract"}),
    ("Interview via Telegram only.", {"chat_interview"}),
]

INDONESIAN_POSITIVES = [
    ("Biaya pendaftaran Rp 2.500.000 transfer dulu.", {"worker_fees"}),
    ("Paspor dititipkan ke agen selama kontrak.", {"document_retention"}),
    ("Berangkat pakai visa kunjungan, urus visa kerja di sana.", {"visit_visa_work"}),
    ("Gaji besar, kerja ringan, tanpa pengalaman.", {"pay_far_above_norm", "light_requirements"}),
    ("Gaji dipotong 7 bulan untuk biaya keberangkatan.", {"debt_bondage"}),
    ("Tidak boleh bawa HP selama 3 bulan.", {"phone_restricted"}),
    ("Denda jika kabur sebelum kontrak habis.", {"threats_penalties"}),
    ("Kontrak menyusul setelah sampai.", {"no_contract"}),
    ("Jangan bilang ke keluarga soal pekerjaan ini.", {"isolation_secrecy"}),
    ("Minat japri aja.", {"personal_messaging_only"}),
    ("Dicari admin judi online, penempatan Kamboja.", {"scam_compound_jobs"}),
    ("Open BO, ST/LT ready", {"sex_service_terms"}),
    ("Wanita usia 18-23, menginap di rumah majikan", {"age_sex_limits", "live_in"}),
    ("Tanpa hari libur selama setahun.", {"excessive_hours"}),
    ("Gaji dibayar di akhir kontrak.", {"wages_withheld"}),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH_POSITIVES + INDONESIAN_POSITIVES)
def test_positives(text, expected):
    assert expected <= ids(text)


NEGATED = [
    "No registration fee.",
    "We do not charge any fees to workers.",
    "We never ask candidates to pay a fee.",
    "No registration, processing or placement fees are charged.",
    "Visa fees covered by the employer.",
    "Registration fee: none.",
    "Workers do not travel on a tourist visa.",
    "We never hold your passport.",
    "Tanpa biaya pendaftaran.",
    "Tidak dipungut biaya apapun.",
    "Tidak ada biaya administrasi.",
    "Bebas biaya penempatan.",
    "Biaya pelatihan ditanggung perusahaan.",
    "Biaya medical gratis.",
    "Paspor tidak ditahan agen, karena paspor tidak boleh disimpan majikan.",
]


@pytest.mark.parametrize("text", NEGATED)
def test_negations_cancel_the_match(text):
    assert not ({"worker_fees", "visit_visa_work", "document_retention"} & ids(text)), ids(text)


def test_an_exception_after_a_negation_is_still_a_fee():
    assert "worker_fees" in ids("Tidak ada biaya apapun kecuali biaya medical Rp 500.000.")


def test_a_negation_in_another_sentence_does_not_count():
    assert "worker_fees" in ids("No experience needed. Registration fee $100.")


CLEAN = [
    "Example Logistics is hiring a warehouse associate in Surabaya. Two years of experience, written contract, "
    "paid leave. Apply at careers@example.com.",
    "We are looking for a senior software engineer to join our team in Singapore. Competitive salary and benefits.",
    "Lowongan resmi PT Contoh di Bandung. Dibutuhkan operator produksi, pendidikan minimal SMA. Gaji sesuai UMK, "
    "BPJS, kontrak kerja tertulis. Lamaran dikirim ke kantor kami.",
    "Dicari kasir untuk toko kami di Medan. Jam kerja 8 jam, libur satu hari seminggu.",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_ads_have_no_indicator(text):
    assert find(text) == []


def test_normalisation_tricks_are_seen_and_spans_point_to_the_original():
    text = "F R E E visa!! Only a small registr@tion f33 of $200. Pаsspоrt will be kept by the employer."
    matches = find(text)
    got = {m.id: m.text for m in matches}
    assert got["worker_fees"] in ("registr@tion f33", "f33 of $200")
    assert "document_retention" in got
    for m in matches:
        assert text[m.start:m.end] == m.text


def test_mixed_language_ads_are_screened_with_both_languages():
    from tiplens.screen.screening import screen_text

    text = ("We are hiring factory workers for a job in Malaysia. You will be paid on time and we give you a "
            "room. Biaya pendaftaran Rp 500.000 and no contract is needed.")
    got = {i["id"] for i in screen_text(text)["indicators"]}
    assert {"worker_fees", "no_contract"} <= got


def test_language_restriction():
    text = "Biaya pendaftaran Rp 500.000, registration fee $50"
    assert {m.text for m in find(text, "en")} == {"registration fee"}
    assert {m.text for m in find(text, "id")} == {"Biaya pendaftaran Rp 500.000"}


def test_indicator_vector_has_every_id_and_counts_matches():
    vec = indicator_vector("Gaji besar! gaji besar! Biaya pendaftaran Rp 100.000")
    assert list(vec) == list(feature_names())
    assert vec["pay_far_above_norm"] == 2
    assert vec["worker_fees"] == 1
    assert sum(vec.values()) == 3


PIECES = st.sampled_from([
    "registration fee", "No fee", "tanpa biaya", "biaya pendaftaran", "gaji besar", "F R E E", "fr33", "🌹",
    "passport will be kept by the employer", "paspor ditahan", "\n", "  ", ".", ",", "\u200b", "ß", "ﬁ", "İ",
    "e\u0301", "Rp 5.000.000", "$350 per day", "visa kunjungan", "tourist visa", "never", "tidak", "kecuali",
    "Open BO", "ST/LT", "incall", "WA 0812-3456-7890", "-\n",
])


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=20).map(" ".join))
def test_every_match_is_a_slice_of_the_input(text):
    for m in find(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.text == m.text.strip()
