"""The SQLite store on its own: documents, sources, passages, entities with evidence, reads, deletion."""

from __future__ import annotations

from pathlib import Path

from index.boilerplate import is_boilerplate
from index.resolve import resolve_entities
from index.store import Store
from ingest.model import Document, Passage
from ingest.settings import Settings
from nlp.model import Evidence, Extraction, Metadata, Named, Priority

TEXT = (
    "The Safer Streets Partnership met monthly.\n\nOperation Nightjar reduced burglary by 12%.\n\n"
    "There were no declarations of interest."
)


def _doc(doc_id: str = "a" * 16, source: str = "papers/a.txt", given: tuple = ()) -> Document:
    parts = TEXT.split("\n\n")
    passages, pos = [], 0
    heads = [("Partnerships",), ("Operations",), ("Declarations of Interest",)]
    for i, t in enumerate(parts):
        start = TEXT.index(t, pos)
        passages.append(Passage(i, t, (i + 1,), heads[i], f"{i + 1}.1", start, start + len(t)))
        pos = start + len(t)
    return Document(doc_id, source, "text", "A paper", 3, TEXT, tuple(passages), given=given)


def _extraction(doc: Document) -> Extraction:
    p0, p1 = doc.passages[0], doc.passages[1]
    partnership = Named(
        "partnership",
        "Safer Streets Partnership",
        ("Safer Streets Partnership", "SSP"),
        "SSP",
        "csp",
        (Evidence(0, 1, "1.1", p0.start + 4, p0.start + 29, "Safer Streets Partnership"),),
    )
    operation = Named(
        "operation",
        "Operation Nightjar",
        ("Operation Nightjar",),
        None,
        None,
        (Evidence(1, 2, "2.1", p1.start, p1.start + 18, "Operation Nightjar"),),
    )
    return Extraction(
        doc.id,
        doc.source,
        Metadata(council="Exeter City Council", committee="Scrutiny", meeting_date="2024-03-01"),
        partnerships=(partnership,),
        operations=(operation,),
        priorities=(Priority("Cut burglary", ("neighbourhood_crime",)),),
        acronyms=(("SSP", "Safer Streets Partnership"),),
    )


def test_document_round_trip_with_entities_and_evidence(tmp_path: Path) -> None:
    doc = _doc()
    with Store.open(Settings(store=tmp_path)) as store:
        ids = store.put_document(doc, _extraction(doc))
        assert len(ids) == 3 and ids == sorted(ids)
        resolve_entities(store, doc.id)  # as ingest does: its entities made canonical
        detail = store.get_document(doc.id)
    assert detail is not None
    assert detail.document.council == "Exeter City Council" and detail.document.meeting_date == "2024-03-01"
    assert [p.heading_path for p in detail.passages][1] == ("Operations",)
    assert detail.passages[2].boilerplate and not detail.passages[1].boilerplate
    op = next(e for e in detail.entities if e.type == "operation")
    assert op.mentions[0].text == "Operation Nightjar" and op.mentions[0].page == 2
    assert TEXT[op.mentions[0].start : op.mentions[0].end] == "Operation Nightjar"
    assert detail.themes == ("neighbourhood_crime",)
    assert (
        detail.extraction is not None and detail.extraction["operations"][0]["name"] == "Operation Nightjar"
    )


def test_given_metadata_wins_and_filters_list_documents(tmp_path: Path) -> None:
    a = _doc("a" * 16, "x/a.txt", given=(("council", "Given Council"),))
    b = _doc("b" * 16, "x/b.txt")
    with Store.open(Settings(store=tmp_path)) as store:
        store.put_document(a, _extraction(a))
        store.put_document(b, _extraction(b))
        assert [d.id for d in store.list_documents(council="given council")] == [a.id]
        assert [d.id for d in store.list_documents(council="Exeter City Council")] == [b.id]
        assert store.list_documents(date_from="2024-04-01") == []
        assert len(store.list_documents(date_from="2024-03-01", date_to="2024-03-01")) == 2


def test_entities_group_across_papers_and_lookup_by_acronym(tmp_path: Path) -> None:
    a, b = _doc("a" * 16, "x/a.txt"), _doc("b" * 16, "x/b.txt")
    with Store.open(Settings(store=tmp_path)) as store:
        store.put_document(a, _extraction(a))
        store.put_document(b, _extraction(b))
        resolve_entities(store, a.id)
        resolve_entities(store, b.id)  # incrementally: b's sightings join a's canonical entities
        rows = {e.name: e for e in store.list_entities(type="partnership")}
        assert len(rows) == 1
        assert rows["Safer Streets Partnership"].documents == 2
        ent = store.get_entity("ssp")
        assert ent is not None and ent.name == "Safer Streets Partnership"
        assert {m.document_id for m in ent.mentions} == {a.id, b.id}
        assert "SSP" in ent.forms


def test_delete_removes_everything_and_keyword_index_follows(tmp_path: Path) -> None:
    doc = _doc()
    with Store.open(Settings(store=tmp_path)) as store:
        ids = store.put_document(doc, _extraction(doc))
        hit = store.conn.execute(
            "SELECT rowid FROM passages_fts WHERE passages_fts MATCH 'nightjar'"
        ).fetchall()
        assert [r[0] for r in hit] == [ids[1]]
        assert store.delete_document(doc.id) == ids
        assert store.get_document(doc.id) is None
        assert (
            store.conn.execute(
                "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH 'nightjar'"
            ).fetchone()[0]
            == 0
        )
        assert store.counts() == {"documents": 0, "passages": 0, "entities": 0, "sources": 0}
        assert store.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0


def test_second_source_is_recorded_once_stored(tmp_path: Path) -> None:
    doc = _doc()
    with Store.open(Settings(store=tmp_path)) as store:
        store.put_document(doc, None)
        store.add_source(doc.id, "meeting2/a.txt", (("committee", "Cabinet"),))
        detail = store.get_document(doc.id)
        assert detail is not None
        assert detail.document.sources == ("meeting2/a.txt", "papers/a.txt")
        assert detail.given["meeting2/a.txt"] == {"committee": "Cabinet"}
        assert detail.document.committee == "Cabinet"  # filled a gap (extraction was unavailable)


def test_boilerplate_rules() -> None:
    assert is_boilerplate(("Agenda", "3. Apologies for Absence"), "Cllr Smith sent apologies.")
    assert is_boilerplate(("12 Legal Implications",), "The council has powers under the 1998 Act.")
    assert is_boilerplate(("Report",), "In line with the Public Sector Equality Duty the council must ...")
    assert not is_boilerplate(("Priority 1 - County lines",), "Drug supply lines from London rose by 20%.")


def test_write_lock_excludes_other_writers_until_released(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    import pytest

    from index.lock import StoreBusy

    settings = Settings(store=tmp_path / "store")
    hold = (
        "import sys, time; from pathlib import Path; from index.lock import write_lock\n"
        "with write_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(float(sys.argv[2]))\n"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", hold, str(settings.store), "1.5"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert other.stdout is not None and other.stdout.readline() == "held\n"
    with Store.open(settings) as store:
        started = time.monotonic()
        with pytest.raises(
            StoreBusy, match=r"another writer \(ingest, upload or remove\) has held the store"
        ):
            with store.write_lock(timeout=0.3):
                pass
        assert time.monotonic() - started >= 0.3
        with store.write_lock(timeout=30):  # taken as soon as the other process lets go
            assert other.wait(timeout=30) == 0
        with store.write_lock(timeout=0), pytest.raises(StoreBusy), store.write_lock(timeout=0.1):
            pass  # two threads (or two opens) of one process exclude each other too


def test_an_entity_page_reads_its_mentions_in_one_query_however_many_papers(tmp_path: Path) -> None:
    """The entity page (Store.get_entity) runs the same few statements for 2 papers as for 6: no query per
    mention, and every mention of every paper is there, in meeting order."""

    def statements(papers: int) -> tuple[int, int]:
        sql: list[str] = []
        folder = tmp_path / f"s{papers}"
        with Store.open(Settings(store=folder)) as store:
            docs = [_doc(f"{n:x}" * 16, f"x/{n}.txt") for n in range(1, papers + 1)]
            for d in docs:
                store.put_document(d, _extraction(d))
                resolve_entities(store, d.id)
            store.conn.set_trace_callback(sql.append)
            ent = store.get_entity("Safer Streets Partnership")
            store.conn.set_trace_callback(None)
        assert ent is not None and {m.document_id for m in ent.mentions} == {d.id for d in docs}
        return len(sql), len(ent.mentions)

    few, few_mentions = statements(2)
    many, many_mentions = statements(6)
    assert many_mentions == 3 * few_mentions > 0
    assert many == few
