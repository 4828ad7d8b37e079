"""Made-up papers of councils outside the development set, in the style of UK committee papers, for the
alert tests: a town-centre safety update whose anti-social behaviour and CCTV are each one numbered
paragraph (beside one about shop radios and the control room, which names no CCTV), and a youth
violence report of another council."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Paper:
    name: str
    text: str
    meta: dict[str, str] = field(default_factory=dict)  # its row of the manifest written beside it


TOWN_CENTRE_TEXT = """Kennet Vale Borough Council

Community Safety and Wellbeing Committee

18 November 2026

Town Centre Safety Update

Report of the Head of Community Safety

1. Purpose of Report

1.1 To update the Committee on work by the Community Safety Partnership in Kennet Vale town centre since the last report in May 2026.

2. Recommendations

2.1 That the Committee notes the progress made and agrees the priorities for the next twelve months.

3. Town centre

3.1 Reports of anti-social behaviour in the town centre rose by 18% in the year to September 2026, mostly groups of young people gathering in the bus station and the shopping precinct in the evenings. Neighbourhood wardens and police community support officers have carried out joint evening patrols, and four Community Protection Warnings have been issued.

3.2 The Council's CCTV network of 42 public space cameras is being upgraded to digital cameras, with the control room now staffed until 3am on Fridays and Saturdays. CCTV operators passed 312 incidents to the police in the last six months, and footage supported 27 arrests.

3.3 The town centre security partnership links shop radios to the control room, so staff can alert operators and the police to shoplifters and disorder.

4. Financial Implications

4.1 The camera upgrade is funded from the capital programme at a cost of £186,000. There are no other financial implications.
"""

YOUTH_VIOLENCE_TEXT = """Marlow Heath District Council

Overview and Scrutiny Committee

2 December 2026

Serious Youth Violence and Exploitation: Partnership Response

1. Summary

1.1 This report sets out how the Marlow Heath Community Safety Partnership is responding to the rise in serious youth violence and the criminal exploitation of children by county lines drug networks.

2. Background

2.1 Knife crime involving under-18s rose by 22% in 2025/26. Police identified 14 children being criminally exploited to carry drugs between London and the district, and six addresses where vulnerable adults had been cuckooed.

2.2 The partnership has adopted the duty under the Serious Violence Duty to prepare a joint strategic needs assessment and a local response strategy with the police, health, probation and youth justice services.

3. Recommendation

3.1 That the Committee notes the partnership response and asks for an update in six months.
"""


TOWN_CENTRE = Paper(
    "kennet-vale-town-centre.txt",
    TOWN_CENTRE_TEXT,
    {
        "council": "Kennet Vale Borough Council",
        "committee": "Community Safety and Wellbeing Committee",
        "meeting_date": "2026-11-18",
        "title": "Town Centre Safety Update",
        "url": "https://democracy.kennetvale.example.gov.uk/documents/s4411/Town%20Centre%20Safety.pdf",
    },
)
YOUTH_VIOLENCE = Paper(
    "marlow-heath-youth-violence.txt",
    YOUTH_VIOLENCE_TEXT,
    {
        "council": "Marlow Heath District Council",
        "committee": "Overview and Scrutiny Committee",
        "meeting_date": "2026-12-02",
        "title": "Serious Youth Violence and Exploitation: Partnership Response",
    },
)


def write(folder: Path, *papers: Paper) -> list[Path]:
    """The papers as text files in `folder`, with a manifest.json of their metadata (as a harvest leaves them)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps({p.name: p.meta for p in papers}), encoding="utf-8")
    for p in papers:
        (folder / p.name).write_text(p.text, encoding="utf-8")
    return [folder / p.name for p in papers]
