"""Precedents on a store built from the bundled seeds: other councils' named approaches, grouped and cited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import main
from index.precedents import best_sentence, precedents, precedents_json
from index.store import Store
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
HANTS, TVBC = "Hampshire County Council", "Test Valley Borough Council"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from index.pipeline import ingest_paths

    s = Settings(store=tmp_path_factory.mktemp("store"), workers=1)
    assert ingest_paths(sorted((ROOT / "corpus").glob("0*.txt")), s, progress=False).papers == 5
    return s


def _passage(store: Store, document: str, idx: int) -> str:
    return store.conn.execute(
        "SELECT text FROM passages WHERE document_id = ? AND idx = ?", (document, idx)
    ).fetchone()[0]


def test_street_drinking_finds_test_valleys_op_mazi_cited(settings: Settings) -> None:
    with Store.open(settings, create=False) as store:
        result = precedents(
            store, "street drinking and street-attached behaviour in a town centre", settings=settings
        )
        tv = next(c for c in result.councils if c.council == TVBC)
        mazi = next(a for a in tv.approaches if a.name == "Op Mazi")
        assert "street attached" in mazi.citations[0].quote
        assert result.councils.index(tv) <= 1  # among the first two councils
        for c in result.councils:
            assert [round(x.score, 6) for x in c.approaches] == sorted(
                (round(x.score, 6) for x in c.approaches), reverse=True
            )
            for cite in (*c.passages, *(x for a in c.approaches for x in a.citations)):
                assert cite.quote in _passage(store, cite.document, cite.passage)


def test_the_excluded_council_is_left_out(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "--store",
        str(settings.store),
        "precedents",
        "young people groomed into drug supply (county lines)",
    ]
    assert main([*argv, "--json"]) == 0
    every = json.loads(capsys.readouterr().out)
    assert HANTS in {c["council"] for c in every["councils"]}
    assert main([*argv, "--exclude-council", HANTS, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert HANTS not in {c["council"] for c in data["councils"]} and data["councils"]
    names = {a["name"] for c in data["councils"] for a in c["approaches"]}
    assert names & {"GET SAFE", "SOS Project", "Op Mazi", "Better Choices programme", "Legacy Project"}
    assert main([*argv, "--exclude-council", HANTS]) == 0
    assert "\u201c" in capsys.readouterr().out


def test_like_finds_papers_of_other_councils(settings: Settings) -> None:
    with Store.open(settings, create=False) as store:
        own = store.conn.execute("SELECT id FROM documents WHERE council = ?", (HANTS,)).fetchone()[0]
        result = precedents(store, settings=settings, like=own[:8])
    assert result.like == own and result.councils
    assert HANTS not in {c.council for c in result.councils}
    papers = [p for c in result.councils for p in c.papers]
    assert own not in {p.document for p in papers} and all(0 < p.score <= 1.0001 for p in papers)
    assert (
        precedents_json(result)["councils"][0]["papers"][0]["document"]
        == result.councils[0].papers[0].document
    )


def test_bad_input_is_one_line(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", str(settings.store), "precedents", "--like", "zzzz"]) == 1
    assert "--like zzzz: no paper with that id" in capsys.readouterr().err
    assert main(["--store", str(settings.store), "precedents"]) == 1
    assert "give a QUERY" in capsys.readouterr().err


def test_best_sentence_prefers_the_querys_words() -> None:
    text = "The council met. Street drinking in the town centre fell after the scheme. Other business."
    assert (
        best_sentence(text, "street drinking town centre")
        == "Street drinking in the town centre fell after the scheme."
    )


@pytest.mark.parametrize(
    "query",
    [
        "Tackling antisocial behaviour in town centres",
        "young people groomed into drug supply (county lines)",
        "domestic abuse support for victims",
        "knife crime and serious violence",
    ],
)
def test_precedents_cite_only_passages_about_the_problem(settings: Settings, query: str) -> None:
    with Store.open(settings, create=False) as store:
        result = precedents(store, query, settings=settings)
        assert result.themes and result.councils
        docs = sorted({d.id for d in store.list_documents()})
        about = {(h.document_id, h.passage) for h in store.passage_themes(docs, list(result.themes))}
    for c in result.councils:
        cited = [*c.passages, *(x for a in c.approaches for x in a.citations)]
        assert all((x.document, x.passage) in about for x in cited), (query, c.council)
        assert all(len(x.quote.split()) >= 4 for x in c.passages)


def test_antisocial_behaviour_does_not_list_councils_on_other_problems(settings: Settings) -> None:
    with Store.open(settings, create=False) as store:
        asb = precedents(store, "Tackling antisocial behaviour in town centres", settings=settings)
        nothing = precedents(store, "rocket propulsion for a lunar lander", settings=settings)
    names = {a.name for c in asb.councils for a in c.approaches}
    assert TVBC in {c.council for c in asb.councils} and "Operation Monument" not in names
    assert len(asb.councils) < 5  # a floor: not every council
    assert not nothing.found and precedents_json(nothing)["councils"] == []


def test_nothing_is_clustered_or_read_from_the_extraction_blob_per_request(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nlp.normalise

    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("clustered per request")

    monkeypatch.setattr(nlp.normalise, "normalise", boom)
    from index.compare import compare, entities

    with Store.open(settings, create=False) as store:
        assert precedents(store, "young people groomed into drug supply", settings=settings).councils
        assert compare(store, "operation").cells and entities(store, "operation")


def test_each_council_is_listed_with_why(settings: Settings) -> None:
    import re

    from index.precedents import COSINE_FLOOR

    with Store.open(settings, create=False) as store:
        result = precedents(store, "young people groomed into drug supply (county lines)", settings=settings)
    assert result.councils
    for c in result.councils:
        cosine = re.search(r"\(cosine (0\.\d\d)\)", c.why)
        assert (
            c.why.startswith(c.passages[0].title or c.passages[0].source) and "is about county lines" in c.why
        )
        assert cosine and float(cosine.group(1)) >= COSINE_FLOOR - 0.005, c.why


def test_a_question_naming_a_body_lists_only_councils_naming_it(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(settings, create=False) as store:
        result = precedents(store, "referrals to the Channel Panel", settings=settings)
        naming = {
            d.council
            for d in store.list_documents()
            if store.conn.execute(
                "SELECT 1 FROM passages WHERE document_id = ? AND text LIKE '%Channel Panel%'", (d.id,)
            ).fetchone()
        }
    assert result.councils and {c.council for c in result.councils} <= naming
    assert all("names Channel Panel" in c.why for c in result.councils)
    assert (
        main(["precedents", "referrals to the Channel Panel", "--store", str(settings.store), "--json"]) == 0
    )
    assert all(c["why"] for c in json.loads(capsys.readouterr().out)["councils"])
