"""The reports' DOCX as a reader's office suite lays them out: LibreOffice headless converts the commune report
and the province report to PDF; every page is A4, the page number stands at the top from the second page, the
text is printed in Times New Roman (or Liberation Serif, its metric twin on Linux) with its Vietnamese intact.

LibreOffice comes from Debian (`libreoffice-writer-nogui`, with `fonts-liberation2`); `.ci/run` installs both."""
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from services.reporting.documents import render_docx, render_province_docx
from tests.support.commune_reports import example_commune_report
from tests.support.province_summaries import example_province_summary

pytestmark = pytest.mark.documents

A4_POINTS = (595.28, 841.89)
TIMES_FONTS = ("TimesNewRoman", "Times New Roman", "LiberationSerif")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, PdfReader]:
    soffice = shutil.which("soffice")
    assert soffice, ("LibreOffice is not installed: apt-get install -y --no-install-recommends "
                     "libreoffice-writer-nogui fonts-liberation2 (.ci/run does it)")
    folder = tmp_path_factory.mktemp("pdf")
    (folder / "commune.docx").write_bytes(render_docx(example_commune_report()))
    (folder / "province.docx").write_bytes(render_province_docx(example_province_summary()))
    # a profile of its own: LibreOffice would otherwise hand the job to an instance another run has open
    profile = (folder / "profile").as_uri()
    converted = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(folder), str(folder / "commune.docx"), str(folder / "province.docx")],
        capture_output=True, text=True, timeout=240)
    assert converted.returncode == 0, converted.stderr
    return {name: PdfReader(folder / f"{name}.pdf") for name in ("commune", "province")}


def _text(reader: PdfReader) -> str:
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


def _top_line(page) -> list[str]:
    """The texts printed in the page header's band (above the top margin of 20 mm)."""
    found: list[str] = []

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and y > A4_POINTS[1] - 20 / 25.4 * 72:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("name", ["commune", "province"])
def test_it_converts_with_every_page_a4(pdfs, name):
    reader = pdfs[name]
    assert len(reader.pages) >= 2
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4_POINTS, abs=1)


@pytest.mark.parametrize("name", ["commune", "province"])
def test_page_numbers_stand_at_the_top_from_the_second_page(pdfs, name):
    pages = pdfs[name].pages
    assert _top_line(pages[0]) == []
    for number, page in enumerate(pages[1:], start=2):
        assert _top_line(page) == [str(number)]


@pytest.mark.parametrize("name", ["commune", "province"])
def test_the_text_is_set_in_times_new_roman(pdfs, name):
    fonts = {str(font.get_object()["/BaseFont"]) for page in pdfs[name].pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts and all(any(times in font for times in TIMES_FONTS) for font in fonts), fonts


def test_the_vietnamese_text_survives_the_conversion(pdfs):
    text = _text(pdfs["commune"])
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 125/BC-UBND",
                 "Sơn Hải, ngày 05 tháng 12 năm 2026", "BÁO CÁO", "Nơi nhận:", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"):
        assert line in text
    for unit in example_commune_report().completeness.units:
        assert unit.unit_name in text.replace("\n", " ")
