"""The unit reporter's journey in Chromium."""
import pytest

from tests.browser.conftest import drive

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_unit_reporter_signs_in_sends_the_units_report_attaches_a_file_and_reads_the_inbox(site, tmp_path):
    pages = drive("unit_reporter", site, tmp_path)
    assert set(pages) == {"dang-nhap", "trang-chinh", "bao-cao", "bao-cao-loi", "bao-cao-da-gui",
                          "bao-cao-dinh-kem", "hop-thu"}
    assert "Đã gửi báo cáo" not in pages["bao-cao-loi"]["title"]
