"""The commune officer's unit directory and plan import in Chromium."""
import pytest

from tests.browser.conftest import drive

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_commune_officer_keeps_the_unit_directory_and_imports_corrects_and_issues_a_plan(site, tmp_path):
    pages = drive("officer_plan", site, tmp_path)
    assert set(pages) == {"don-vi", "don-vi-sua", "ke-hoach-danh-sach", "ke-hoach-nhap", "ke-hoach-nhap-don-vi",
                          "ke-hoach-nhap-canh-bao", "ke-hoach-sua", "ke-hoach-ban-hanh", "ke-hoach"}
