"""Take full-page screenshots of CareAssure pages in Chromium, optionally signed in.

python scripts/screenshot.py http://127.0.0.1:8000/national-picture/ out.png [--user kent.lead]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.system.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pairs", nargs="+", help="URL OUT.png [URL OUT.png ...]")
    parser.add_argument("--user")
    parser.add_argument(
        "--password", default=os.environ.get("CAREASSURE_DEMO_PASSWORD", "demo-password")
    )
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    pairs = list(zip(args.pairs[::2], args.pairs[1::2], strict=True))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        if args.user:
            base = pairs[0][0].split("/", 3)[:3]
            page.goto("/".join(base) + "/sign-in/")
            page.fill("#id_username", args.user)
            page.fill("#id_password", args.password)
            page.click("button[type=submit].govuk-button")
        for url, out in pairs:
            page.goto(url)
            page.screenshot(path=out, full_page=True)
            print(out)
        browser.close()


if __name__ == "__main__":
    main()
