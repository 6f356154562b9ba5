"""The province summary's content model: its JSON reads back as the same summary, its texts are NFC, it refuses
what it does not know, and the example lists every report status."""
import unicodedata

import pytest
from pydantic import ValidationError

from services.reporting.province_content import CommuneReportStatus, ProvinceSummary
from tests.support.province_summaries import example_province_summary


def test_the_json_reads_back_as_the_same_summary():
    summary = example_province_summary()
    assert ProvinceSummary.model_validate_json(summary.model_dump_json()) == summary


def test_texts_are_normalised_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Lưu: VT, CTTN.")
    assert decomposed != "Lưu: VT, CTTN."
    assert example_province_summary(recipients=[decomposed]).recipients == ["Lưu: VT, CTTN."]


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError) as refused:
        ProvinceSummary.model_validate({**example_province_summary().model_dump(mode="json"), "extra": 1})
    assert refused.value.errors()[0]["type"] == "extra_forbidden"


def test_the_example_has_a_commune_in_every_report_status():
    summary = example_province_summary()
    assert {c.report_status for c in summary.communes} == set(CommuneReportStatus)
    assert [s.count for s in summary.totals.by_status] == [
        sum(c.report_status is status for c in summary.communes) for status in CommuneReportStatus]
