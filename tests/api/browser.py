"""What the browser tests share: Debian's chromium, driven headless by Playwright (never `playwright install`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# every browser test: marked, and skipped, saying why, where chromium is not installed
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"{CHROMIUM} not installed (apt-get install chromium; `make test` does)",
    ),
]
# true when the element is within the window (top edge on screen, nothing cut off at the sides)
ON_SCREEN = (
    "el => { const r = el.getBoundingClientRect();"
    " return r.top >= 0 && r.top < window.innerHeight && r.left >= 0 && r.right <= window.innerWidth; }"
)


def open_cited(page: Any, link: Any, url_glob: str = "**") -> Any:
    """Follow a result's link to its paper and check the cited paragraph is the page's target and on screen;
    the paragraph's locator."""
    anchor = (link.get_attribute("href") or "").split("#", 1)[1]
    link.click()
    page.wait_for_url(f"{url_glob}#{anchor}")
    target = page.locator(f"#{anchor}")
    assert page.evaluate("document.querySelector(':target').id") == anchor
    assert target.is_visible() and page.evaluate(ON_SCREEN, target.element_handle())
    return target
