"""Contacts: phone numbers to E.164, e-mails, messaging handles, URLs; salted hashes."""

from __future__ import annotations

from tiplens.screen.contacts import find_contacts


def kinds_values(text: str, region: str | None = None) -> list[tuple[str, str]]:
    return [(c.kind, c.value) for c in find_contacts(text, region)]


def test_indonesian_mobile_with_region_hint_to_e164():
    contacts = find_contacts("Minat hubungi WA 0812-3456-7890 sekarang", "ID")
    assert [(c.kind, c.value, c.channel, c.valid) for c in contacts] == [("phone", "+6281234567890", "whatsapp", True)]
    c = contacts[0]
    assert "Minat hubungi WA 0812-3456-7890 sekarang"[c.start:c.end] == "0812-3456-7890"


def test_international_formats():
    assert kinds_values("call 0044 20 7946 0958 or +62 812 3456 7890") == [
        ("phone", "+442079460958"), ("phone", "+6281234567890")]


def test_the_same_number_written_two_ways_has_one_value():
    a = find_contacts("hub 081234567890", "ID")[0].value
    b = find_contacts("hub +62 812-3456-7890", "ID")[0].value
    assert a == b == "+6281234567890"


def test_prices_and_dates_are_not_phone_numbers():
    assert kinds_values("Gaji Rp 5.000.000 per bulan, mulai 2024-01-15", "ID") == []
    assert kinds_values("salary $ 4500000 yearly", "US") == []


def test_a_local_number_without_region_is_kept_as_digits_when_announced():
    contacts = find_contacts("Tel: 0812 3456 7890")
    assert [(c.kind, c.value, c.valid) for c in contacts] == [("phone", "081234567890", False)]


def test_messaging_handles_links_emails_and_urls():
    text = ("wa.me/6281234567890 t.me/Demo_Jobs Telegram: @synthetic_agent line id: demo.line "
            "wechat: demowx123 mail rekrut@Example.com or john (at) example (dot) org, see https://Example.net/jobs.")
    got = kinds_values(text)
    assert ("whatsapp", "+6281234567890") in got
    assert ("telegram", "demo_jobs") in got
    assert ("telegram", "synthetic_agent") in got
    assert ("line", "demo.line") in got
    assert ("wechat", "demowx123") in got
    assert ("email", "rekrut@example.com") in got
    assert ("email", "john@example.org") in got
    assert ("url", "https://example.net/jobs") in got
    for c in find_contacts(text):
        assert c.start < c.end <= len(text)


def test_redacted_placeholders_are_reported_for_linking():
    text = "call us +91 #PHONE_df058aa8cbf405b99c6fc6459e7085be12bce0e56bcafe7d52281b99685a4a0f#"
    assert kinds_values(text) == [("phone", "#PHONE_df058aa8cbf405b99c6fc6459e7085be12bce0e56bcafe7d52281b99685a4a0f#")]


def test_hashing_is_salted_and_stable():
    c = find_contacts("hub 081234567890", "ID")[0]
    h1, h2 = c.hashed(b"salt-1"), c.hashed(b"salt-1")
    assert h1.value == h2.value and h1.value.startswith("h:") and "6281" not in h1.value
    assert c.hashed(b"salt-2").value != h1.value


def test_numbers_written_one_after_another_are_split():
    text = "0812-3456-7890 0813-1111-2222"
    got = find_contacts(text, "ID")
    assert [c.value for c in got] == ["+6281234567890", "+6281311112222"]
    assert [text[c.start:c.end] for c in got] == ["0812-3456-7890", "0813-1111-2222"]
