"""The paper page shows all five kinds of finding, each cited to its paragraph."""

from __future__ import annotations

import re

HAMPSHIRE = "000_e79f2a3e769e1994.txt"


def test_paper_page_shows_priorities_figures_and_dates_with_citations(client, seed_docs) -> None:  # noqa: ANN001
    html = client.get(f"/app/papers/{seed_docs[HAMPSHIRE]}").text
    for heading in ("Partnerships (", "Operations (", "Priorities (", "Figures reported (", "Dates ("):
        assert heading in html, heading
    priorities = html[html.index("Priorities (") : html.index("Figures reported (")]
    assert "The threat of radical extremism" in priorities
    for anchor in re.findall(r'href="#(p\d+)"', priorities):
        assert f'id="{anchor}"' in html  # every citation lands on a passage of the page
    assert "24 November 2020" in html[html.index("Dates (") :]
