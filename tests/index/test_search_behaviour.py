"""Search behaviour on three small papers no rule was written from: acronyms the papers define,
hyphen and spelling variants, quoted phrases in every mode, hyphen pieces, honest counts, marks,
snippets and grouping by paper."""

from __future__ import annotations

import json
import re

import pytest

from api.cli import main
from index.keyword import build_query
from index.search import search, search_page
from index.store import Store
from ingest.settings import Settings

NORTHSHIRE = """Northshire Borough Council
Community Safety Partnership
12 March 2024

Community Safety Partnership Annual Update

1. Purpose of the report
1.1 This report updates members of the Northshire Community Safety Partnership on the work of the partnership over the last year, and on the Riverside Traders Network (RTN), which now has forty members.

2. Town centre orders
2.1 A public spaces protection order now covers the town centre and the riverside. It lets officers require people to stop drinking alcohol in public.
2.2 The RTN asked for more patrols on Friday nights.

3. Exploitation
3.1 Police closed four county lines running drugs into Northshire from the city, and safeguarded eleven young people.
3.2 Hate crime reports rose after the football derby; the partnership funded a hate crime awareness week in schools.
3.3 Reports of crime in the night-time economy were stable, and shop theft fell.

4. Anti-social behaviour
4.1 Reports of anti-social behaviour fell by 12 per cent. Youth workers ran evening sessions in the parks.
"""
EASTVALE = """Eastvale District Council
Cabinet
4 June 2024

Residential Parking Review

1. Background
1.1 Residents asked for in-line parking bays on narrow streets, with bays set in-line with the kerb.
1.2 The council will repaint worn yellow lines on the high street next spring.

2. Older residents
2.1 The review considered the wellbeing of older residents who need to park near their homes.

3. Care visits
3.1 Social care visitors will get free permits for the zones they work in.
"""
WESTMOOR = """Westmoor County Council
Health and Well-being Board
9 September 2024

Health and Well-being Strategy

1. The strategy
1.1 The board agreed the health and well-being strategy for 2024 to 2028, led by the director of public health.

2. Behaviour and health
2.1 Antisocial behaviour near homes harms the mental health of neighbours, the survey found.

3. Domestic abuse
3.1 The multi-agency risk assessment conference heard 120 cases of domestic abuse this year, more than last year.
"""


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from index.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("behaviour")
    papers = folder / "papers"
    papers.mkdir()
    for name, text in (
        ("northshire.txt", NORTHSHIRE),
        ("eastvale.txt", EASTVALE),
        ("westmoor.txt", WESTMOOR),
    ):
        (papers / name).write_text(text, encoding="utf-8")
    s = Settings(store=folder / "store", workers=1)
    summary = ingest_paths([papers], s, progress=False)
    assert summary.failures == [] and summary.papers == 3
    return s


@pytest.fixture(scope="module")
def store(settings: Settings):  # noqa: ANN201
    with Store.open(settings) as s:
        yield s


def _marked(r) -> list[str]:  # noqa: ANN001 - a SearchResult
    return [r.snippet_text[a:b] for a, b in r.matches]


def test_an_acronym_a_paper_defines_finds_its_long_form_and_back(store: Store, settings: Settings) -> None:
    assert '"riverside traders network"' in build_query("RTN", store.conn).fts
    by_short = search(store, "RTN patrols", settings=settings, mode="keyword")
    assert any("Riverside Traders Network" in r.text for r in by_short)
    assert any("asked for more patrols" in r.text for r in by_short)  # which says only "RTN"
    by_long = search(store, "riverside traders network", settings=settings, mode="keyword")
    assert any("The RTN asked" in r.text for r in by_long)
    general = search(store, "PSPO", settings=settings, mode="keyword")  # the gazetteer's long form
    assert general and "public spaces protection order" in general[0].text.lower()


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("antisocial", "Reports of anti-social behaviour fell"),
        ("anti-social", "Antisocial behaviour near homes"),
        ("wellbeing", "health and well-being strategy"),
        ("well-being", "the wellbeing of older residents"),
    ],
)
def test_hyphen_and_spelling_variants_match_each_other(
    store: Store, settings: Settings, query: str, wanted: str
) -> None:
    found = search(store, query, settings=settings, mode="keyword", k=20)
    assert any(wanted in r.text for r in found), [r.text[:60] for r in found]


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "dense"])
def test_a_quoted_phrase_is_in_every_result_in_every_mode(
    store: Store, settings: Settings, mode: str
) -> None:
    found = search(store, '"hate crime" schools', settings=settings, mode=mode, k=20)  # type: ignore[arg-type]
    assert found and all("hate crime" in r.text.lower() for r in found)
    loose = search(store, "hate crime schools", settings=settings, mode=mode, k=20)  # type: ignore[arg-type]
    assert any("hate crime" not in r.text.lower() for r in loose)  # without quotes, "crime" alone counts


def test_a_word_does_not_match_a_piece_of_a_hyphenated_word(store: Store, settings: Settings) -> None:
    found = search(store, "lines", settings=settings, mode="keyword", k=20)
    assert found and not any("in-line" in r.text and not re.search(r"\blines\b", r.text) for r in found)
    assert not any("line" in m.lower() and "lines" not in m.lower() for r in found for m in _marked(r))


def test_county_lines_counts_no_passage_without_either_word(store: Store, settings: Settings) -> None:
    for mode in ("hybrid", "keyword"):
        page = search_page(store, "county lines", settings=settings, mode=mode, k=100)  # type: ignore[arg-type]
        counted = page.results[: page.total]
        assert counted and "county lines" in counted[0].text
        # the words may be in the passage or its headings (searched too, weighted lower); never "in-line".
        # In hybrid a passage may also be found by its meaning alone (a cosine of index.fusion.FUSION.floor)
        words = [
            bool(re.search(r"\b(county|lines)\b", " ".join([r.text, *r.heading_path]), re.IGNORECASE))
            for r in counted
        ]
        assert all(words) if mode == "keyword" else sum(words) >= len(words) / 2, mode


def test_marks_are_exactly_the_matched_words(store: Store, settings: Settings) -> None:
    top = search(store, "county lines", settings=settings, mode="hybrid", k=5)
    marks = {m.lower() for r in top for m in _marked(r)}
    assert "county lines" in marks or {"county", "lines"} <= marks
    assert marks <= {"county", "lines", "county lines"}  # never "council" or "Country"
    for r in top:
        assert r.snippet.count("<mark>") == len(r.matches)


def test_the_snippet_shows_the_phrase_not_a_lone_word(store: Store, settings: Settings) -> None:
    top = search(store, "hate crime", settings=settings, mode="keyword", k=1)[0]
    marks = [m.lower() for m in _marked(top)]
    assert "hate" in marks and "crime" in marks
    assert "hate crime" in top.snippet_text.lower()


def test_nonsense_finds_nothing_and_counts_nothing(store: Store, settings: Settings) -> None:
    page = search_page(store, "purple elephant quantum banjo", settings=settings)
    assert page.results == [] and page.total == 0


def test_grouped_by_paper(store: Store, settings: Settings) -> None:
    flat = search_page(store, "partnership", settings=settings, mode="keyword", k=50)
    grouped = search_page(store, "partnership", settings=settings, mode="keyword", k=50, group="paper")
    docs = [r.document for r in grouped.results]
    assert len(docs) == len(set(docs)) == grouped.total
    first = grouped.results[0]
    assert (first.document, first.passage) == (flat.results[0].document, flat.results[0].passage)
    counted = [r.document for r in flat.results[: flat.total]]
    assert first.more == counted.count(first.document) - 1 >= 1


def test_cli_json_gives_plain_snippets_with_offsets_and_groups(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", str(settings.store), "search", "county lines", "--json", "--group", "paper"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] >= 1 and len({r["document"] for r in out["results"]}) == len(out["results"])
    top = out["results"][0]
    assert "<mark>" in top["snippet"] and "<" not in top["snippet_text"]
    assert [top["snippet_text"][a:b].lower() for a, b in top["matches"]] in (
        ["county lines"],
        ["county", "lines"],
    )
    assert main(["--store", str(settings.store), "search", "county lines", "--group", "paper"]) == 0
    text = capsys.readouterr().out
    assert "**county" in text.lower() and "found" in text


def test_http_group_by_paper(settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(settings)) as client:
        body = client.get("/search", params={"q": "partnership", "group": "paper", "mode": "keyword"}).json()
        assert body["group"] == "paper" and body["total"] == len(body["results"])
        assert body["results"][0]["more"] >= 1 and body["results"][0]["matches"]
        page = client.get("/app/search", params={"q": "partnership", "group": "paper", "mode": "keyword"})
        assert page.status_code == 200 and "more from this paper" in page.text
        assert client.get("/search", params={"q": "x", "group": "council"}).status_code == 422
