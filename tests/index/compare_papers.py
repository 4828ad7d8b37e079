"""Made-up papers of made-up councils, in the style of UK committee papers, for the comparison tests: a stated
priority in several wordings, a figure whose sentence says what it counts, and an equality impact assessment
form whose guidance text speaks to whoever fills it in (in a table, as bullets and inline)."""

from __future__ import annotations

import csv
from pathlib import Path

ELMBRIDGE = "Elmbridge Vale Borough Council"
ELMBRIDGE_PAPER = """ELMBRIDGE VALE BOROUGH COUNCIL

REPORT TO: Community Safety Scrutiny Panel
DATE: 14 March 2024
TITLE: Community Safety Partnership Annual Update

1. Purpose of the report

1.1 This report updates members on the work of the Elmbridge Vale Community Safety Partnership during 2023/24.

2. Background

2.1 Tackling anti-social behaviour in the town centre is a priority of the Community Safety Plan 2023-2026. Over the last year the partnership saw a 38% fall in anti-social behaviour in the town centre.

2.2 The priority areas include serious violence, exploitation of young people and drug-related harm.

2.3 Proven reoffending by the cohort managed under Integrated Offender Management fell by 9% in the year.

Report author: Sam Okafor, Community Safety Manager
Data checked by: Priya Nair, Head of Community Partnerships
"""

KESTON = "Keston Heath District Council"
KESTON_FORM = """KESTON HEATH DISTRICT COUNCIL

Equality Impact Assessment: Town Centre Public Spaces Protection Order

Step 1: About the proposal

Please use this section to describe the proposal and who it is aimed at. Include any consultation you have carried out with community groups and explain how the proposal supports community cohesion.

What are the aims of the proposal? | Explain the aims in plain English. You should think about residents, businesses and visitors.

Step 2: What information do we have?

- Identify the groups who could be affected, including people experiencing homelessness and young people.
- Include data on hate crime and community tensions where you have it.
- If you do not have enough information, set out how you will find it out.

Step 3: Review

The Equalities Team need at least five working days to comment on your assessment. This form should be completed by the lead officer before the decision is taken. Guidance on completing the form is available on the intranet.

Report author: Jo Baines, Community Safety Officer
Wards affected: All
"""


def write_papers(folder: Path) -> Path:
    """The papers in `folder` with the manifest a harvest would give them; the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    papers = {
        "elmbridge_csp_update.txt": (ELMBRIDGE_PAPER, ELMBRIDGE),
        "keston_eqia_pspo.txt": (KESTON_FORM, KESTON),
    }
    for name, (text, _) in papers.items():
        (folder / name).write_text(text, encoding="utf-8")
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "council"])
        w.writerows([name, council] for name, (_, council) in papers.items())
    return folder
