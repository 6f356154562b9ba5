"""The browser journeys, run by the tests in tests/browser/ in a process of their own: Playwright's synchronous API
cannot run in the test process, which eventlet has monkey-patched.

    python -m tests.browser.journeys <role> <web address> <output folder> <site JSON>

drives Debian's Chromium through the journey of `role` (the module tests/browser/journeys/<role>.py and its
`run(journey, page, site)`), on a phone's screen, saves a screenshot of every page it sees in the output folder,
runs axe-core (vendored: tests/browser/axe.min.js, from the npm package) in each, and prints a JSON object:
page name -> {"screenshot", "title", "url", "violations": serious or critical axe rule ids, "lesser_violations":
moderate or minor ones, as "rule (impact, nodes)"}.
`site` is what tests/browser/conftest.py set up: the accounts by role (username, password, totp_secret) and the
services' addresses.
"""
from __future__ import annotations

from pathlib import Path

import pyotp
from playwright.sync_api import Page

AXE = (Path(__file__).resolve().parents[1] / "axe.min.js").read_text(encoding="utf-8")
CHROMIUM = "/usr/bin/chromium"


class Journey:
    def __init__(self, base: str, output: Path):
        self.base, self.output = base, output
        self.pages: dict[str, dict] = {}

    def look(self, page: Page, name: str) -> None:
        """Screenshot the page and check it with axe-core."""
        screenshot = self.output / f"{name}.png"
        page.screenshot(path=str(screenshot), full_page=True)
        page.evaluate(AXE)
        found = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))")
        self.pages[name] = {"screenshot": str(screenshot), "title": page.title(), "url": page.url,
                            # serious or critical: the tests fail on any
                            "violations": [v["id"] for v in found if v["impact"] in ("serious", "critical")],
                            # moderate or minor: reported (accessibility.json beside the screenshots), not failed
                            "lesser_violations": [f"{v['id']} ({v['impact']}, {v['nodes']})" for v in found
                                                  if v["impact"] not in ("serious", "critical")]}

    def sign_in(self, page: Page, account: dict) -> None:
        """Sign in with the keyboard, giving the TOTP code where the account has a second factor."""
        page.goto(self.base + "/dang-nhap")
        page.get_by_label("Tên đăng nhập").fill(account["username"])
        page.get_by_label("Mật khẩu").fill(account["password"])
        page.keyboard.press("Enter")
        if account.get("totp_secret"):
            page.wait_for_url("**/dang-nhap/ma-xac-thuc")
            page.get_by_label("Mã xác thực").fill(pyotp.TOTP(account["totp_secret"]).now())
            page.keyboard.press("Enter")
        page.wait_for_url(self.base + "/")

