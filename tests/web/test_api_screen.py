"""POST /api/v1/screen and /screen/batch: the CLI's records, evidence spans, hotlines from the
directory, and hostile or malformed requests answered with 4xx, never 500."""

from __future__ import annotations

import json

import pytest
import yaml

from tiplens.cli.main import main
from tiplens.knowledge.hotlines import PATH as HOTLINES_YAML

AD = ("URGENT HIRING: factory workers for Dubai. No experience needed. Pay a small registration fee of 300 USD. "
      "The employer will keep your passport. Contact us via WhatsApp +971 50 123 4567.")
# read off the ad by hand against knowledge/indicators.yaml
AD_INDICATORS = {"urgency_pressure", "light_requirements", "worker_fees", "document_retention",
                 "personal_messaging_only"}
CLEAN = "Example Logistics is hiring a warehouse associate in Surabaya. Written contract, paid leave, no fees."


def yaml_hotlines(country: str) -> list[str]:
    """Verified national-level numbers of ``country`` straight from the YAML file."""
    raw = yaml.safe_load(HOTLINES_YAML.read_text(encoding="utf-8"))
    return sorted(str(h["number"]) for h in raw["hotlines"]
                  if h["country"] == country and h["region"] == country and h.get("verified", True))


def test_screen_returns_the_evidence_spans_and_the_countrys_hotlines(client):
    r = client.post("/api/v1/screen", json={"text": AD, "country": "idn"})  # readers in Indonesia
    assert r.status_code == 200, r.text
    rec = r.json()
    assert set(rec) == {"id", "status", "score", "flagged", "level", "language", "indicators", "contacts", "referral"}
    assert rec["status"] == "screened" and rec["flagged"] is True and rec["language"] == "en"
    assert {i["id"] for i in rec["indicators"]} == AD_INDICATORS
    for ind in rec["indicators"]:
        assert AD[ind["start"]:ind["end"]] == ind["text"]
    assert [(c["kind"], c["value"]) for c in rec["contacts"]] == [("phone", "+971501234567")]
    contact = rec["contacts"][0]
    assert AD[contact["start"]:contact["end"]] == "+971 50 123 4567"
    assert sorted(h["number"] for h in rec["referral"]) == yaml_hotlines("ID") != []
    assert {h["country"] for h in rec["referral"]} == {"ID"}


def test_a_clean_ad_is_not_flagged_and_carries_no_referral(client):
    rec = client.post("/api/v1/screen", json={"text": CLEAN, "country": "ID"}).json()
    assert rec["flagged"] is False and rec["referral"] == [] and rec["score"] < 0.5


def test_the_record_is_the_one_the_cli_writes(client, tmp_path, capsys):
    ad = tmp_path / "ad.txt"
    ad.write_text(AD, encoding="utf-8")
    out = tmp_path / "r.jsonl"
    with pytest.raises(SystemExit) as exc:
        main(["screen", str(ad), "--out", str(out), "--country", "ID"])
    assert exc.value.code in (0, None)
    capsys.readouterr()
    (cli,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    api = client.post("/api/v1/screen", json={"text": AD, "country": "ID", "id": cli["id"]}).json()
    assert api == cli


def test_batch_keeps_order_ids_and_per_item_countries(client):
    body = {"country": "ID", "items": [
        {"id": "a", "text": AD, "country": "SA"},
        {"id": "b", "text": AD},
        {"text": CLEAN},
        {"id": "d", "text": "   "},
    ]}
    r = client.post("/api/v1/screen/batch", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    recs = out["records"]
    assert [x["id"] for x in recs] == ["a", "b", "2", "d"]
    assert out["count"] == 4 and out["flagged"] == 2
    assert sorted(h["number"] for h in recs[0]["referral"]) == yaml_hotlines("SA") != []
    assert sorted(h["number"] for h in recs[1]["referral"]) == yaml_hotlines("ID")
    assert recs[3]["status"] == "empty" and recs[3]["score"] is None
    single = client.post("/api/v1/screen", json={"text": AD, "country": "SA", "id": "a"}).json()
    assert recs[0] == single


def test_batch_is_capped(client):
    from tiplens.web.models import MAX_BATCH

    r = client.post("/api/v1/screen/batch", json={"items": [{"text": "x"}] * (MAX_BATCH + 1)})
    assert r.status_code in (413, 422)
    assert client.post("/api/v1/screen/batch", json={"items": []}).status_code == 422


@pytest.mark.parametrize("body, status", [
    (b'{"text": "unterminated', 400),
    (b"[1, 2", 400),
    (b"\xff\xfe not utf-8", 400),
    (b"[" * 100_000 + b"]" * 100_000, 400),      # nesting deeper than any parser's recursion limit
    (b'{"text": 5}', 422),
    (b'{"text": null}', 422),
    (b'{"text": ["a"]}', 422),
    (b'{"text": "ok", "country": 7}', 422),
    (b'{"text": "ok", "country": "Atlantis"}', 422),
    (b'{"text": "ok", "extra": 1}', 422),
    (b'{"txt": "ok"}', 422),
    (b'"just a string"', 422),
    (b'{"text": "lone surrogate \\ud800 here"}', 422),
])
def test_malformed_requests_get_4xx_never_500(client, body, status):
    r = client.post("/api/v1/screen", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    assert "error" in r.json()


@pytest.mark.parametrize("body", [b'{"items": "x"}', b'{"items": [{"text": 1}]}', b'{"items": [{"id": 3, "text": "a"}]}',
                                  b'{"items": [{"text": "a", "country": "XX"}]}', b"{}", b"null"])
def test_malformed_batches_get_422(client, body):
    r = client.post("/api/v1/screen/batch", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text


def test_validation_errors_do_not_echo_the_text(client):
    secret = "SECRET-AD-TEXT " * 3
    r = client.post("/api/v1/screen", json={"text": secret, "country": 5})
    assert r.status_code == 422 and "SECRET-AD-TEXT" not in r.text


def test_a_body_over_the_api_limit_is_413(client):
    limit = client.app.state.tiplens.settings.api_limit
    big = json.dumps({"text": "a" * (limit + 10)}).encode()
    assert client.post("/api/v1/screen", content=big, headers={"content-type": "application/json"}).status_code == 413

    def chunks():  # no content-length: the cap must hold while reading
        yield b'{"text": "'
        for _ in range(limit // (1 << 20) + 2):
            yield b"a" * (1 << 20)
        yield b'"}'

    r = client.post("/api/v1/screen/batch", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413, r.text


def test_long_texts_are_truncated_not_refused(client):
    text = AD + " filler" * 20_000  # 140k characters: the screener reads the first 100,000
    rec = client.post("/api/v1/screen", json={"text": text}).json()
    assert rec["status"] == "truncated" and AD_INDICATORS <= {i["id"] for i in rec["indicators"]}


def test_openapi_describes_the_screening_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/screen", "/api/v1/screen/batch", "/api/v1/cases/{table}", "/api/v1/knowledge/hotlines"):
        assert path in spec["paths"], path
    body = spec["paths"]["/api/v1/screen"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/ScreenRequest")
    assert set(spec["components"]["schemas"]["ScreenRequest"]["properties"]) == {"text", "country", "id"}
    record = spec["paths"]["/api/v1/screen"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert record["$ref"].endswith("/ScreenRecord")


def test_records_match_the_declared_response_model(client):
    from tiplens.web.models import BatchResponse, ScreenRecord

    ScreenRecord.model_validate(client.post("/api/v1/screen", json={"text": AD, "country": "ID"}).json())
    BatchResponse.model_validate(client.post("/api/v1/screen/batch", json={"items": [{"text": AD}]}).json())
