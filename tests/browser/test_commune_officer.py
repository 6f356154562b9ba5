"""The commune officer's journey in Chromium."""
import pytest

from tests.browser.conftest import drive

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_commune_officer_manages_accounts_and_follows_the_units_reports(site, tmp_path):
    pages = drive("commune_officer", site, tmp_path)
    assert set(pages) == {"tai-khoan", "so-theo-doi", "doi-mat-khau"}
