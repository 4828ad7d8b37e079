"""Section roles: report templates, run-in labels, ModernGov decision blocks, minutes, papers with no
headings; a role for every passage; and the gold gate."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ingest.model import Document
from ingest.parse import parse_file
from ingest.settings import Settings
from nlp.sections import heading_role, layout, passage_roles, roles, section_roles
from tests.nlp.decision_papers import PAPERS

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def parsed(tmp_path: Path, text: str, name: str = "paper.txt") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path, Settings())


def by_start(doc: Document) -> dict[str, str]:
    """Role by the first 24 characters of each passage."""
    return {p.text[:24]: r for p, r in zip(doc.passages, section_roles(doc), strict=True)}


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("6 Financial Implications", "financial"),
        ("7.  EQUALITIES IMPLICATIONS", "equalities"),
        ("Legal implications", "legal"),
        ("Risk Management", "risk"),
        ("Environmental Impact", "climate"),
        ("Consultees", "consultation"),
        ("10 Data Protection Implications", "implications"),
        ("4 Options considered and dismissed, and associated risk", "options"),
        ("Recommendation(s):", "recommendations"),
        ("Officer Recommendations:", "recommendations"),
        ("Purpose of Report:", "purpose"),
        ("Appendix A – Equality Impact Assessment", "appendix"),
        ("Background Papers", "appendix"),
        ("2 Background", "background"),
        ("3 Declarations of Interest", "declarations"),
        ("Reasons for the decision", "resolution"),
        ("Decision status: Recommendations Approved", "resolution"),
        ("Decision type", "other"),  # a cover-sheet field, not a decision
        ("Wards affected: All", "other"),
        ("Contact Details", "other"),
        ("Director of Public Health Annual Report", None),  # a title, not the "Director:" field
        ("Open Spaces Strategy", None),
        ("Priority 1 – The threat of radical extremism", None),
    ],
)
def test_heading_roles(heading: str, role: str | None) -> None:
    assert heading_role(heading) == role


def test_report_sections_and_numbered_children(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "Report to Cabinet, 4 March 2025\n\nSummary: This report seeks approval of the Safer Streets plan.\n\n"
            "1 Introduction\n\n1.1 Street drinking in the town centre rose last year.\n\n"
            "2 Financial Implications\n\n2.1 The scheme costs £40,000 from reserves.\n\n"
            "2.2 No further growth is needed.\n\n3 Recommendations\n\n3.1 Cabinet is asked to approve the plan.\n"
        ),
    )
    got = by_start(doc)
    assert got["Summary: This report see"] == "purpose"
    assert got["Street drinking in the t"] == "background"
    assert got["The scheme costs £40,000"] == "financial"
    assert got["No further growth is nee"] == "financial"  # a numbered child inherits its section
    assert got["Cabinet is asked to appr"] == "recommendations"


def test_labels_carry_over_within_a_section(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "Professional comments section\n\nFinance advice: The levy would raise £9m a year.\n\n"
            "Income would be ring-fenced for transport.\n\nLegal advice: The Transport Act 2000 gives the power.\n\n"
            "A consultation must be carried out first.\n"
        ),
    )
    got = by_start(doc)
    assert got["Finance advice: The levy"] == "financial"
    assert got["Income would be ring-fen"] == "financial"
    assert got["Legal advice: The Transp"] == "legal"
    assert got["A consultation must be c"] == "legal"


def test_a_report_with_no_headings(tmp_path: Path) -> None:
    """A short web report: the passages' own words decide; the rest is the report's body, never no role."""
    doc = parsed(
        tmp_path,
        (
            "Northvale Borough Council\n\n"
            "This report updates the Panel on the work of the Community Safety Partnership during 2024.\n\n"
            "Anti-social behaviour reports fell by 12% across the borough, with the largest fall in the town "
            "centre after the dispersal order was renewed.\n\n"
            "The Panel is asked to note the report and comment on the draft priorities for 2025/26.\n\n"
            "A Diversity Impact Assessment has been completed and no adverse impact on any group was found.\n\n"
            "There are no direct financial implications arising from this report.\n\n"
            "Contact officer: Jo Bell, Community Safety Manager, jo.bell@northvale.gov.uk\n"
        ),
        "web-report.txt",
    )
    assert layout(doc) == "report"
    got = by_start(doc)
    assert got["This report updates the "] == "purpose"
    assert got["Anti-social behaviour re"] == "background"
    assert got["The Panel is asked to no"] == "recommendations"
    assert got["A Diversity Impact Asses"] == "equalities"
    assert got["There are no direct fina"] == "financial"
    assert got["Contact officer: Jo Bell"] == "other"
    assert None not in got.values()


def test_asked_to_note_under_a_background_heading(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "Report to the Health and Wellbeing Board\n\nPurpose of report\n\nTo update the Board.\n\n"
            "Background\n\nThe strategy was adopted in 2022.\n\n"
            "The Board is asked to note the progress made.\n"
        ),
    )
    got = by_start(doc)
    assert got["The strategy was adopted"] == "background"
    assert got["The Board is asked to no"] == "recommendations"


def test_moderngov_decision_page(tmp_path: Path) -> None:
    name, text, _ = next(p for p in PAPERS if p[0] == "decision-page.txt")
    doc = parsed(tmp_path, text, name)
    assert layout(doc) == "decision"
    got = by_start(doc)
    assert got["Decision status: Recomme"] == "resolution"
    assert got["To adopt the refreshed C"] == "purpose"  # under its label "Purpose:"
    assert got["The Cabinet agreed to ad"] == "resolution"  # under "Decision:"
    assert got["Not adopting the plan wa"] == "options"  # "rejected" in the options considered is no decision
    assert got["Date of decision: 12/03/"] == "other"


def test_minutes_resolution_discussion_declarations(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "Minutes of the Community Safety Panel, 12 June 2024\n\nPresent: Councillors Smith and Jones\n\n"
            "1 Apologies for Absence\n\nApologies were received from Councillor Patel.\n\n"
            "2 Declarations of Interest\n\nThere were none.\n\n"
            "3 Anti-social Behaviour Update\n\nThe Panel considered a report on anti-social behaviour in parks.\n\n"
            "Members asked about the number of dispersal orders.\n\n"
            "RESOLVED – that the report be noted and a further update be brought in six months.\n\n"
            "4 PSPO Review\n\nOn being put to the vote the recommendation was LOST.\n"
        ),
        "minutes.txt",
    )
    assert layout(doc) == "minutes"
    got = by_start(doc)
    assert got["Apologies were received "] == "procedural"
    assert got["There were none."] == "declarations"
    assert got["The Panel considered a r"] == "discussion"
    assert got["Members asked about the "] == "discussion"
    assert got["RESOLVED – that the repo"] == "resolution"
    assert got["On being put to the vote"] == "resolution"


def test_minutes_without_item_headings(tmp_path: Path) -> None:
    doc = parsed(
        tmp_path,
        (
            "Minutes of the meeting of the Licensing Sub-Committee held on 3 April 2024\n\n"
            "The Chair welcomed everyone to the meeting.\n\n"
            "Councillor Reid declared a personal interest as a member of the licensed premises' darts team.\n\n"
            "The Licensing Officer summarised the application and the representations received.\n\n"
            "It was AGREED that the licence be granted subject to the conditions agreed with the police.\n"
        ),
        "sub-committee.txt",
    )
    got = by_start(doc)
    assert list(got.values()) == ["procedural", "declarations", "discussion", "resolution"]


_MINUTES_HEAD = (
    "Minutes of the meeting of the Cabinet of Ashdown District Council held on 9 May 2024\n\n"
    "Present: Councillors Ward (Chair), Hale and Osei\n\n"
)


@pytest.mark.parametrize(
    "decision",
    [
        "The Cabinet Member for Highways and Transport approved the revised parking charges set out in Appendix A.",
        "The Leader of the Council agreed to adopt the refreshed Climate Change Action Plan.",
        "- The Portfolio Holder for Housing decided to extend the temporary accommodation contract for a year.",
        "That the refreshed Transparency Statement be approved for publication.",
        "(a) That the Serious Violence Duty Strategy 2024-2027 be endorsed.",
    ],
)
def test_minutes_record_an_executive_member_decision_and_a_passive_resolution(
    tmp_path: Path, decision: str
) -> None:
    doc = parsed(
        tmp_path,
        _MINUTES_HEAD + "5 Parking Review\n\nThe Chair introduced the item.\n\n"
        "The cabinet member explained that the charges had not changed since 2019.\n\n"
        f"{decision}\n",
        "minutes.txt",
    )
    got = {p.text: r for p, r in zip(doc.passages, section_roles(doc), strict=True)}
    # a list item joins its lead-in: the passage that holds the decision records it
    assert [r for t, r in got.items() if decision in t] == ["resolution"]
    assert got["The Chair introduced the item."] == "discussion"


@pytest.mark.parametrize(
    "narrative",
    [
        "The cabinet member explained that the charges had not changed since 2019.",
        "The Leader of the Opposition asked whether the plan had been costed.",
        "Members asked that the item be deferred to the next meeting.",
        "The Portfolio Holder said that the contract would be retendered in the spring.",
    ],
)
def test_narrative_about_decision_makers_is_discussion(tmp_path: Path, narrative: str) -> None:
    doc = parsed(
        tmp_path,
        _MINUTES_HEAD + "5 Parking Review\n\nThe Chair introduced the item.\n\n"
        f"{narrative}\n\nRESOLVED – that the report be noted.\n",
        "minutes.txt",
    )
    got = by_start(doc)
    assert got[narrative[:24]] == "discussion"
    assert got["RESOLVED – that the repo"] == "resolution"


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        (p[0], p[1], k)
        for p, k in zip(
            PAPERS,
            [
                "minutes",
                "minutes",
                "minutes",
                "minutes",
                "minutes",
                "decision",
                "decision",
                "decision",
                "minutes",
                "minutes",
                "report",
                "report",
                "minutes",
                "minutes",
                "minutes",
                "decision",
                "decision",
                "minutes",
            ],
            strict=True,
        )
    ],
)
def test_layouts_of_many_councils(tmp_path: Path, name: str, text: str, kind: str) -> None:
    doc = parsed(tmp_path, text, name)
    assert layout(doc) == kind
    assert all(r.role in roles() for r in passage_roles(doc))  # a role for every passage, from the vocabulary


def test_vocabulary_is_data() -> None:
    assert {
        "purpose",
        "recommendations",
        "background",
        "options",
        "financial",
        "legal",
        "equalities",
        "risk",
        "climate",
        "consultation",
        "implications",
        "appendix",
        "resolution",
        "discussion",
        "declarations",
        "procedural",
        "other",
    } <= set(roles())


@pytest.mark.skipif(
    not (SHARED / "corpus").exists(), reason="needs the shared development corpus beside the repo"
)
def test_gold_accuracy() -> None:
    """Measured 0.942 on 378 passages of 14 papers, 0.939 on the 263 first judged (0.948 and 0.937 on 388 and
    271 before the text reader kept wrapped papers' headings and paragraphs apart: rows whose passage merged
    were dropped); no passage without one. Gated below."""
    spec = importlib.util.spec_from_file_location("bench_sections", ROOT / "benchmarks" / "bench_sections.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    pairs = bench.judge(SHARED)
    assert len(pairs) >= 370 and len({r["document"] for r, _ in pairs}) >= 14
    assert all(p is not None for _, p in pairs)
    assert bench.accuracy(pairs) >= 0.92
    assert bench.accuracy([(r, p) for r, p in pairs if r.get("judged") == "first"]) >= 0.91


# A paragraph's own words give its role where an excerpt has no heading above it (an excerpt of a report
# that starts mid-document, a web page): made-up sentences in the style of UK committee reports.
OWN_WORDS = [
    (
        "The cost of the scheme is £642,000 over two years, funded from the Homelessness Prevention Grant and an "
        "earmarked reserve.",
        "financial",
    ),
    (
        "The proposals will be delivered within existing budgets and no additional funding is sought.",
        "financial",
    ),
    ("There are no specific financial implications arising from this report.", "financial"),
    (
        "The Council has a duty under section 149 of the Equality Act 2010 to have due regard to the need to "
        "eliminate discrimination and advance equality of opportunity.",
        "equalities",
    ),
    ("There are no legal implications arising directly from this report.", "legal"),
    (
        "The Council has the power to make the Order under section 1 of the Road Traffic Regulation Act 1984.",
        "legal",
    ),
    (
        "Members are asked to note the progress made and approve the extension of the scheme to March 2026.",
        "recommendations",
    ),
    ("Approves the Outline Business Case for the town centre car parks.", "recommendations"),
    ("The report sets out progress on the Community Safety Strategy during 2024.", "purpose"),
    (
        "The main risk is that demand rises faster than the budget allows; it is mitigated by monthly monitoring.",
        "risk",
    ),
    (
        "Consultation ran for eight weeks between June and August and received over four hundred responses, most "
        "of them in support.",
        "consultation",
    ),
    ("There are no specific implications for the environment arising from this report.", "climate"),
    (
        "Anti-social behaviour reports fell by 12% across the borough during the year, with the largest fall in "
        "the town centre.",
        "background",
    ),
]
_BEFORE = "in the number of households in temporary accommodation, which rose by 14% over the year to March."
_AFTER = "Further detail is given in the sections below and in the appendices to this report."


def _wrapped(text: str, width: int = 72) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


@pytest.mark.parametrize("style", ["first", "between", "numbered", "wrapped"])
@pytest.mark.parametrize(("sentence", "role"), OWN_WORDS, ids=[r for _, r in OWN_WORDS])
def test_a_paragraph_without_a_heading_takes_its_role_from_its_words(
    tmp_path: Path, sentence: str, role: str, style: str
) -> None:
    if style == "first":  # the excerpt starts with it: a reader's first line, but no title
        text = f"{sentence}\n\n{_AFTER}\n"
    elif style == "between":
        text = f"{_BEFORE}\n\n{sentence}\n\n{_AFTER}\n"
    elif style == "numbered":
        text = f"3.3 {_BEFORE[0].upper()}{_BEFORE[1:]}\n\n3.4 {sentence}\n\n3.5 {_AFTER}\n"
    else:
        text = f"{_wrapped(_BEFORE)}\n\n{_wrapped(sentence)}\n\n{_wrapped(_AFTER)}\n"
    doc = parsed(tmp_path, text, "excerpt.txt")
    assert layout(doc) == "report"
    got = by_start(doc)
    assert got[sentence[:24]] == role
    assert got[_AFTER[:24]] == "background"


def test_the_first_sentence_of_an_excerpt_is_no_title(tmp_path: Path) -> None:
    """A reader takes an excerpt's first line for its title; a sentence of the body keeps its own role."""
    excerpt = parsed(
        tmp_path,
        "On being put to the vote the recommendation was CARRIED.\n\nThe meeting closed at 8.15 pm.\n",
        "e.txt",
    )
    assert section_roles(excerpt)[0] == "resolution"


def test_a_web_page_heading_is_no_section() -> None:
    assert heading_role("Issue - decisions") is None
    assert heading_role("Issue details") is None
    assert heading_role("Issue") == "purpose"


def test_the_classifier_reads_word_features_and_checks_its_files(tmp_path: Path) -> None:
    """The saved model's inputs are the vector, the word features of section_features.jsonl and the layout;
    a config that does not fit its weights is refused with the file named."""
    import json

    import numpy as np

    from nlp.section_model import feature_rules, load_model, refine, save_model, word_features

    names = tuple(name for name, _ in feature_rules())
    assert {"money", "law", "equality", "talk", "decided"} <= set(names)
    x = word_features(
        ["The cost is £40,000, funded from the capital budget.", "Members asked about parking."],
        ("money", "talk"),
    )
    assert x[0, 0] > 0 and x[0, 1] == 0 and x[1, 1] > 0 and x[1, 0] == 0
    roles_ = ("background", "financial")
    inputs_ = 4 + len(names) + 3
    w = np.zeros((inputs_, 2), dtype=np.float32)
    w[4 + names.index("money"), 1] = 40.0  # sure of financial where the words speak of money
    meta = {
        "model": "test",
        "dim": 4,
        "features": list(names),
        "roles": list(roles_),
        "allowed": {"report": list(roles_)},
        "threshold": 0.9,
    }
    weights, config = tmp_path / "m.npz", tmp_path / "m.json"
    save_model(w, np.zeros(2, dtype=np.float32), meta, weights, config)
    model = load_model(weights, config)
    assert model is not None and model.features == names
    got = refine(
        model,
        np.ones((2, 4), dtype=np.float32),
        ["The scheme costs £2m from the budget.", "Parks opened."],
        ["report", "report"],
    )
    assert got == ["financial", None]
    config.write_text(json.dumps({**meta, "features": list(names[:-1])}), encoding="utf-8")
    with pytest.raises(ValueError, match="m.json"):
        load_model(weights, config)
