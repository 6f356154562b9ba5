"""The same content gives the same bytes, whenever it is rendered: a submitted report is stored with the hash of
its documents. python-docx and openpyxl would stamp the time of saving into the zip entries and the document
properties; the renderers fix both."""
import hashlib
import io
import time
import zipfile
from collections.abc import Callable
from typing import Any

import docx
import openpyxl
import pytest

from services.reporting.documents import render_docx, render_province_docx, render_province_xlsx, render_xlsx
from services.reporting.documents.packaging import FIXED_ENTRY_TIME
from tests.support.commune_reports import example_commune_report
from tests.support.province_summaries import example_province_summary

RENDERERS: dict[str, tuple[Callable[[Any], bytes], Callable[..., Any]]] = {
    "commune docx": (render_docx, example_commune_report),
    "commune xlsx": (render_xlsx, example_commune_report),
    "province docx": (render_province_docx, example_province_summary),
    "province xlsx": (render_province_xlsx, example_province_summary),
}


@pytest.mark.parametrize("output", list(RENDERERS))
def test_the_same_content_gives_the_same_bytes_at_any_time(output, monkeypatch):
    render, example = RENDERERS[output]
    first = render(example())
    later = time.time() + 3 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    again = render(example())
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(first).hexdigest()
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {entry.date_time for entry in package.infolist()} == {FIXED_ENTRY_TIME}


@pytest.mark.parametrize("output", list(RENDERERS))
def test_other_content_gives_other_bytes(output):
    render, example = RENDERERS[output]
    assert render(example()) != render(example(year=2027))


def test_document_properties_carry_the_time_the_content_was_assembled():
    report = example_commune_report()
    properties = docx.Document(io.BytesIO(render_docx(report))).core_properties
    assert properties.created == properties.modified == report.generated_at
    assert properties.author == "UBND xã Sơn Hải"
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert workbook.properties.created == workbook.properties.modified == report.generated_at.replace(tzinfo=None)
