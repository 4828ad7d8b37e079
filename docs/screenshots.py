"""Headless screenshots of each web-app page for the README, on a desktop (1280 px) and a phone (390 px)
screen: docs/screenshots/NAME.png and NAME-phone.png, reduced to 256 colours to keep them small.

Usage: python docs/screenshots.py [--store DIR]   (a store built by `councilpapers ingest corpus/`)
Needs Debian's chromium (/usr/bin/chromium); Playwright drives it (no `playwright install`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUT = Path(__file__).parent / "screenshots"
SCREENS = {"": {"width": 1280, "height": 900}, "-phone": {"width": 390, "height": 844}}


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
    compare = "/app/compare?" + urlencode(
        [("cols", "partnership-kind"), *(("councils", c) for c, _ in named)]
    )
    out = [
        ("search.png", "/app/search?q=" + quote("county lines exploitation of children")),
        ("paper.png", f"/app/papers/{paper.id}"),
        ("compare.png", compare),
        ("precedents.png", "/app/precedents?q=" + quote("young people groomed into drug supply")),
    ]
    if entity:
        out.insert(
            2, ("entity.png", "/app/entities/" + quote(f"{entity.type}:{entity.name.lower()}", safe=":"))
        )
    return out


def shrink(path: Path) -> None:
    """256 colours (screens of text lose nothing visible) and an optimised PNG: a third of the size."""
    from PIL import Image

    with Image.open(path) as im:
        im.convert("RGB").quantize(256, dither=Image.Dither.NONE).save(path, optimize=True)


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
        for suffix, viewport in SCREENS.items():
            context = browser.new_context(viewport=viewport, is_mobile=bool(suffix), device_scale_factor=1)
            page = context.new_page()
            for name, path in pages(args.store):
                page.goto(base + path)
                if name == "compare.png" and page.locator("details.cite summary").count():
                    page.locator("details.cite summary").first.click()  # show a citation popover
                    page.evaluate(
                        "window.scrollTo(0, document.querySelector('table.compare').offsetTop - 120)"
                    )
                target = OUT / name.replace(".png", f"{suffix}.png")
                page.screenshot(path=str(target), full_page=False)
                shrink(target)
                print(target)
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
