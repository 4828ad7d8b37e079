"""Headless screenshots of each web-app page for the README: docs/screenshots/*.png.

Usage: python docs/screenshots.py [--store DIR]   (a store built by `councilpapers ingest corpus/`)
Needs Debian's chromium (/usr/bin/chromium); Playwright drives it (no `playwright install`).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
OUT = Path(__file__).parent / "screenshots"


def pages(store_folder: Path) -> list[tuple[str, str]]:
    """(file name, path) of each page, picking a paper and an entity that the store has."""
    from index.store import Store
    from ingest.settings import Settings

    with Store.open(Settings(store=store_folder), create=False) as store:
        entities = store.list_entities()
        docs = store.list_documents()
    entity = next((e for e in entities if len(e.councils) > 1), entities[0] if entities else None)
    paper = entity and next((d for d in docs if d.council in entity.councils), None) or docs[0]
    from collections import Counter
    from urllib.parse import urlencode

    named = Counter(c for e in entities for c in e.councils).most_common(3)
    compare = "/app/compare?" + urlencode([("cols", "partnership-kind"), *(("councils", c) for c, _ in named)])
    out = [("search.png", "/app/search?q=" + quote("county lines exploitation of children")),
           ("paper.png", f"/app/papers/{paper.id}"),
           ("compare.png", compare),
           ("precedents.png", "/app/precedents?q=" + quote("young people groomed into drug supply"))]
    if entity:
        out.insert(2, ("entity.png", "/app/entities/" + quote(f"{entity.type}:{entity.name.lower()}", safe=":")))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path(".store"))
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    from api.serving import background_server
    from ingest.settings import Settings

    OUT.mkdir(parents=True, exist_ok=True)
    with background_server(Settings(store=args.store)) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name, path in pages(args.store):
            page.goto(base + path)
            if name == "compare.png" and page.locator("details.cite summary").count():
                page.locator("details.cite summary").first.click()  # show a citation popover
                page.evaluate("window.scrollTo(0, document.querySelector('table.compare').offsetTop - 120)")
            page.screenshot(path=str(OUT / name), full_page=False)
            print(OUT / name)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
