"""What the browser tests share: Debian's chromium, driven headless by Playwright (never `playwright install`)."""
from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
# every browser test: marked, and skipped, saying why, where chromium is not installed
BROWSER = [pytest.mark.browser,
           pytest.mark.skipif(not Path(CHROMIUM).exists(),
                              reason=f"{CHROMIUM} not installed (apt-get install chromium; `make test` does)")]
