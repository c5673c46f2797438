"""The supply report shell: other parts of the pillar add their own sections."""

from __future__ import annotations

import pytest

from tests.supply.helpers import SUPPLIER_HEADER, SUPPLIERS, reference_fixture, write_csv
from tiplens.errors import BadInput
from tiplens.report import Note, Section
from tiplens.supply.reference import load_files
from tiplens.supply.report import build
from tiplens.supply.suppliers import import_file

EXTRA = Section("statements", "Statement assessment", [Note("added by another part of the pillar")])


def test_extra_sections_follow_the_risk_sections(study, tmp_path):
    load_files(study, reference_fixture(tmp_path))
    import_file(study, write_csv(tmp_path / "s.csv", SUPPLIER_HEADER, SUPPLIERS))
    report = build(study, extra_sections=[EXTRA])
    ids = [s.id for s in report.sections]
    assert ids[0] == "overview" and ids[-1] == "statements" and "priorities" in ids
    assert any("US Department of Labor" in s for s in report.sources)
    assert "tables/suppliers.csv" in report.files


def test_a_study_without_suppliers_can_still_carry_extra_sections(study):
    report = build(study, extra_sections=[EXTRA], synthetic=True)
    assert [s.id for s in report.sections] == ["statements"]
    assert report.subtitle == "no supplier list in this study (synthetic demonstration data)"
    with pytest.raises(BadInput, match="no suppliers"):
        build(study)
