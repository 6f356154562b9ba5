"""The case worker's journey in Chromium."""
import pytest

from tests.browser.conftest import drive

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_case_worker_signs_in_with_a_totp_code(site, tmp_path):
    pages = drive("case_worker", site, tmp_path)
    assert set(pages) == {"ma-xac-thuc"}
