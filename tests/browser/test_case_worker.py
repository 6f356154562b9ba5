"""The case worker's journey in Chromium: the victim's name it types is in no URL and no title it saw."""
import json
from urllib.parse import quote

import pytest

from tests.browser.conftest import drive
from tests.browser.journeys.case_worker import VICTIM_NAME

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_case_worker_takes_in_a_case_and_opens_it_with_a_reason(site, tmp_path):
    pages = drive("case_worker", site, tmp_path)
    assert set(pages) == {"ma-xac-thuc", "vu-viec", "vu-viec-moi", "vu-viec-moi-loi", "vu-viec-da-tiep-nhan",
                          "vu-viec-ly-do", "vu-viec-chi-tiet"}
    seen = json.loads((tmp_path / "seen.json").read_text(encoding="utf-8"))
    assert len(seen["urls"]) > 10 and len(seen["titles"]) == len(pages)
    for url in seen["urls"] + [page["url"] for page in pages.values()]:
        assert VICTIM_NAME not in url and quote(VICTIM_NAME) not in url, url
        assert quote(VICTIM_NAME, safe="").replace("%20", "+") not in url, url
    for title in seen["titles"] + [page["title"] for page in pages.values()]:
        assert VICTIM_NAME not in title, title
    assert pages["vu-viec-chi-tiet"]["title"].startswith("Vụ việc VV")
    assert pages["vu-viec-ly-do"]["title"] == pages["vu-viec-chi-tiet"]["title"]
