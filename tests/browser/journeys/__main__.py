"""`python -m tests.browser.journeys <role> <web address> <output folder> <site JSON>`: see journey.py."""
from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.journeys.journey import CHROMIUM, Journey


def main(role: str, base: str, output: str, site_json: str) -> None:
    journey = Journey(base.rstrip("/"), Path(output))
    run = importlib.import_module(f"tests.browser.journeys.{role}").run
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            # a phone's screen: the reporters are often a thôn head on a phone
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
            run(journey, context.new_page(), json.loads(site_json))
            context.close()
        finally:
            browser.close()
    print(json.dumps(journey.pages, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:5])
