"""Decision history: links by decision number, by the meeting that decided a report, by citation, by update."""

from __future__ import annotations

from pathlib import Path

from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.decisions import collect_decisions
from nlp.history import PaperFacts, link_papers, paper_references, subject_similarity
from nlp.model import Decision
from nlp.sections import layout, section_roles

BRISTOL = "Bristol City Council"
TC = "Transport and Connectivity Committee"


def facts(
    id: str,
    kind: str,
    date: str,
    title: str,
    *,
    council: str = BRISTOL,
    committee: str = TC,
    decisions: tuple[Decision, ...] = (),
    references: tuple[str, ...] = (),
    cites: tuple[tuple[str, str, str], ...] = (),
) -> PaperFacts:
    return PaperFacts(id, council, committee, date, title, kind, references, decisions, cites)


def decision(number: str, item: str, outcome: str) -> Decision:
    return Decision(item, number, outcome, f"RESOLVED on {item}", None, (0,), 1)


def test_report_decision_update_chain() -> None:
    papers = [
        facts("report", "report", "2024-09-12", "Workplace Parking Levy"),
        facts(
            "minutes",
            "minutes",
            "2024-09-12",
            "Minutes of the Transport and Connectivity Policy Committee",
            committee="Transport and Connectivity Policy Committee",
            decisions=(
                decision("9", "Bristol Regional Cycling Hub, Lawrence Weston", "approved"),
                decision("10", "Workplace Parking Levy", "approved"),
            ),
        ),
        facts("update", "report", "2025-05-15", "Workplace Parking Levy Update"),
        facts("other", "report", "2024-09-12", "Supported Bus Services Priorities Task and Finish Group"),
        facts(
            "elsewhere", "report", "2025-01-30", "Workplace Parking Levy", council="Nottingham City Council"
        ),
    ]
    got = {(k.source, k.target, k.relation) for k in link_papers(papers)}
    # the update follows the decision of September 2024 on the levy: the same matter, at another meeting
    assert got == {
        ("report", "minutes", "decided_by"),
        ("report", "update", "update_of"),
        ("minutes", "update", "same_matter"),
    }
    reason = next(k.reason for k in link_papers(papers) if k.relation == "decided_by")
    assert "Workplace Parking Levy" in reason and "approved" in reason


def test_decision_number_and_citation(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(
        "From: Cabinet Member\n\nTo: Cabinet - 17 January 2025\n\nDecision no: 24/00093\n\n"
        "Subject: Future of Family Hubs\n\n1 Introduction\n\n1.1 The two contracts end in March.\n",
        encoding="utf-8",
    )
    review = tmp_path / "review.txt"
    review.write_text(
        "To: County Council - 13 March 2025\n\nSubject: County Council review of Decision 24/00093\n\n"
        "1 Introduction\n\n1.1 As set out in the report to Cabinet on 17 January 2025, the contracts end."
        "\n",
        encoding="utf-8",
    )
    papers = []
    for path, committee, date in (
        (report, "Cabinet", "2025-01-17"),
        (review, "County Council", "2025-03-13"),
    ):
        doc = parse_file(path, Settings())
        refs, cites = paper_references(doc, date)
        papers.append(
            PaperFacts(
                doc.id,
                "Kent County Council",
                committee,
                date,
                None,
                layout(doc),
                refs,
                collect_decisions(doc, section_roles(doc)),
                cites,
            )
        )
    assert papers[0].references == ("24/00093",)
    assert papers[1].cites[0][:2] == ("Cabinet", "2025-01-17")
    got = {(k.relation, k.reason.split(":")[0]) for k in link_papers(papers)}
    assert got == {("same_decision", "both concern decision 24/00093"), ("cites", "refers to it")}


def test_the_same_matter_decided_at_another_meeting_of_the_committee_written_another_way() -> None:
    """The Workplace Parking Levy report of September 2024 (to the "Transport and Connectivity Committee") and
    the minutes of May 2025 (of the "Transport and Connectivity Policy Committee") that noted its update."""
    papers = [
        facts("report", "report", "2024-09-12", "Workplace Parking Levy"),
        facts(
            "may",
            "minutes",
            "2025-05-15",
            "Minutes of the Transport & Connectivity Policy Committee",
            committee="Transport & Connectivity Policy Committee",
            decisions=(
                decision("18", "Kerbside and Parking Task and Finish Group", "noted"),
                decision("19", "Workplace Parking Levy Update", "noted"),
            ),
        ),
        facts(
            "other-body",
            "minutes",
            "2025-05-20",
            "Minutes of the Planning Committee",
            committee="Planning Committee",
            decisions=(decision("4", "Workplace Parking Levy Update", "noted"),),
        ),
        facts(
            "other-matter",
            "minutes",
            "2025-06-12",
            "Minutes",
            committee="Transport and Connectivity Policy Committee",
            decisions=(decision("5", "Residents Parking Schemes Update", "noted"),),
        ),
    ]
    links = link_papers(papers)
    assert {(k.source, k.target, k.relation) for k in links} == {("report", "may", "same_matter")}
    assert "item 19 'Workplace Parking Levy Update' at the meeting of 2025-05-15: noted" in links[0].reason


def test_committee_names_of_one_council() -> None:
    from nlp.committees import resolve_committees, same_committee

    names = [
        "Transport and Connectivity Policy Committee",
        "Transport & Connectivity Policy Committee",
        "Transport and Connectivity Committee",
        "Transport and Connectivity Policy Committee",
        "Cabinet",
        "Cabinet",
        "Cabinet Meeting",
        "Planning Committee",
        "Planning Committee (North)",
        "Licensing Sub-Committee",
        "Licensing Committee",
        "Scrutiny Committee",
        "Children's Scrutiny Committee",
    ]
    got = resolve_committees(names)
    assert got["Transport and Connectivity Committee"].name == "Transport and Connectivity Policy Committee"
    assert set(got["Transport and Connectivity Committee"].aliases) == {
        "Transport & Connectivity Policy Committee",
        "Transport and Connectivity Committee",
    }
    assert got["Cabinet Meeting"].name == "Cabinet"
    assert len({c.name for c in got.values()}) == 8  # the area, sub- and service committees stay apart
    assert not same_committee("Planning Committee", "Planning Committee (North)")
    assert not same_committee("Cabinet", "Cabinet Member for Resources")
    assert same_committee(
        "Transport and Conectivity Committee", "Transport and Connectivity Committee"
    )  # a slip


def test_no_link_between_different_subjects_of_one_meeting() -> None:
    assert subject_similarity("Workplace Parking Levy Update", "Workplace Parking Levy") == 100
    assert subject_similarity("Workplace Parking Levy", "Residents Parking Schemes Update") < 80
    assert subject_similarity("Committee Report", "Workplace Parking Levy") == 0  # nothing but generic words


def test_only_pairs_that_could_link_are_compared_and_nothing_is_lost(monkeypatch) -> None:  # noqa: ANN001
    """Ten years of one council's papers: the links found comparing the candidate pairs are those
    found comparing every pair, and far fewer pairs are compared."""
    import random

    import nlp.history as history

    rng = random.Random(7)
    subjects = [
        "Workplace Parking Levy",
        "Family Hubs",
        "Local Transport Plan",
        "Bus Services Improvement",
        "Libraries Strategy",
        "Community Safety Partnership Plan",
        "Household Waste Recycling",
    ]
    bodies = [
        "Cabinet",
        "cabinet",
        "Transport and Connectivity Policy Committee",
        "Transport & Connectivity Policy Committee",
        "Scrutiny Commission",
        "Full Council",
    ]
    papers = []
    for n in range(400):
        day = f"{2016 + rng.randrange(10)}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(3) * 10:02d}"
        body = rng.choice(bodies)
        subject = rng.choice(subjects)
        kind = rng.choice(["report", "report", "report", "minutes", "decision"])
        decisions = (
            tuple(decision(str(i), rng.choice(subjects), "approved") for i in range(rng.randrange(4)))
            if kind != "report"
            else ()
        )
        refs = (f"{day[2:4]}/{rng.randrange(40):05d}",) if rng.random() < 0.3 else ()
        cites = (
            (
                (
                    rng.choice(bodies),
                    f"{2016 + rng.randrange(10)}-{1 + rng.randrange(12):02d}-01",
                    "the report to",
                ),
            )
            if rng.random() < 0.3
            else ()
        )
        council = BRISTOL if rng.random() < 0.9 else "Nottingham City Council"
        papers.append(
            facts(
                f"p{n:03d}",
                kind,
                day,
                f"{subject} update" if kind == "report" else f"Minutes {body}",
                council=council,
                committee=body,
                decisions=decisions,
                references=refs,
                cites=cites,
            )
        )
    blocked = history._candidate_pairs(papers)
    fast = link_papers(papers)
    every = {(i, j) for i in range(len(papers)) for j in range(i + 1, len(papers))}
    monkeypatch.setattr(history, "_candidate_pairs", lambda _papers: every)
    assert fast == link_papers(papers)
    assert {k.relation for k in fast} == {"same_decision", "decided_by", "cites", "update_of", "same_matter"}
    assert len(blocked) < len(every) / 3
