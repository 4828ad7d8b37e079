"""Decision history in the store: links rebuilt at ingest, a paper's timeline, links gone with a paper."""

from __future__ import annotations

from pathlib import Path

from ingest.settings import Settings


def test_links_and_timeline(linked_papers: tuple[Settings, dict[str, str]]) -> None:
    from index.history import paper_history
    from index.store import Store

    settings, ids = linked_papers
    with Store.open(settings, create=False) as store:
        links = {(k.source, k.target, k.relation) for k in store.links_of(list(ids.values()))}
        history = paper_history(store, ids["pspo-update.txt"])
    assert links == {
        (ids["pspo-report.txt"], ids["minutes.txt"], "decided_by"),
        (ids["allotments.txt"], ids["minutes.txt"], "decided_by"),
        (ids["pspo-report.txt"], ids["pspo-update.txt"], "update_of"),
        (ids["minutes.txt"], ids["pspo-update.txt"], "same_matter"),
    }  # the update follows that decision
    assert history is not None
    # the report before its decision; the allotments report, decided at the same meeting, is another matter
    assert [e.document for e in history.entries] == [
        ids["pspo-report.txt"],
        ids["minutes.txt"],
        ids["pspo-update.txt"],
    ]
    minutes = history.entries[1]
    assert [(d.item, d.outcome) for d in minutes.decisions] == [
        ("Street Drinking Public Spaces Protection Order", "amended")
    ]  # not the allotments item
    assert history.entries[2].current and not history.entries[0].current


def test_sections_and_decisions_are_stored(linked_papers: tuple[Settings, dict[str, str]]) -> None:
    from index.store import Store

    settings, ids = linked_papers
    with Store.open(settings, create=False) as store:
        report = store.get_document(ids["pspo-report.txt"])
        minutes = store.get_document(ids["minutes.txt"])
    assert report is not None and minutes is not None
    by_text = {p.text[:20]: p.section for p in report.passages}
    assert by_text["That the Committee a"] == "recommendations"
    assert by_text["Signage costs £4,000"] == "financial"
    assert report.document.paper_kind == "report" and minutes.document.paper_kind == "minutes"
    assert [(d.item_number, d.outcome) for d in minutes.decisions] == [("2", "amended"), ("3", "noted")]
    cited = minutes.passages[minutes.decisions[0].passages[0]]
    assert "approved as amended" in cited.text and cited.section == "resolution"


def test_removing_a_paper_removes_its_links(
    linked_papers: tuple[Settings, dict[str, str]], tmp_path: Path
) -> None:
    import shutil

    from index.history import paper_history
    from index.pipeline import remove_document
    from index.store import Store

    settings, ids = linked_papers
    shutil.copytree(settings.store, tmp_path / "store")
    copy = settings.model_copy(update={"store": tmp_path / "store"})
    with Store.open(copy, create=False) as store:
        assert remove_document(store, ids["minutes.txt"], copy)
        history = paper_history(store, ids["pspo-report.txt"])
    assert history is not None
    assert [e.document for e in history.entries] == [ids["pspo-report.txt"], ids["pspo-update.txt"]]


def test_committee_names_and_section_sources_are_stored(
    linked_papers: tuple[Settings, dict[str, str]],
) -> None:
    from index.store import Store
    from tests.history_papers import COMMITTEE, COUNCIL

    settings, ids = linked_papers
    with Store.open(settings, create=False) as store:
        assert store.committee_names(COUNCIL) == {COMMITTEE: COMMITTEE}
        report = store.get_document(ids["pspo-report.txt"])
        ids_of = {p.text[:20]: p.id for p in report.passages} if report else {}
        weak = dict(store.body_role_passages(list(ids_of.values())))
    assert report is not None and all(p.section for p in report.passages)  # a role for every passage
    assert ids_of["That the Committee a"] not in weak  # named by its heading: no classifier changes it


def test_the_vector_classifier_refines_only_body_role_passages(
    linked_papers: tuple[Settings, dict[str, str]], tmp_path: Path
) -> None:
    """A model sure that everything is financial changes the passages nothing named, and nothing else."""
    import shutil

    import numpy as np

    from index.embed import model_name
    from index.resolve import refine_sections
    from index.store import Store
    from nlp.section_model import SectionModel

    settings, ids = linked_papers
    shutil.copytree(settings.store, tmp_path / "store")
    copy = settings.model_copy(update={"store": tmp_path / "store"})
    roles = ("background", "financial", "other")
    model = SectionModel(
        roles,
        np.zeros((4, 3), dtype=np.float32),
        np.array([0, 9, 0], dtype=np.float32),
        {"report": roles},
        0.9,
        model_name(copy),
        4,
    )
    with Store.open(copy, create=False) as store:
        before = {p.id: (p.section, p.text) for p in store.get_document(ids["allotments.txt"]).passages}  # type: ignore[union-attr]
        weak = {pid for pid, _ in store.body_role_passages(list(before))}
        changed = refine_sections(
            store, list(before), np.ones((len(before), 4), dtype=np.float32), copy, model
        )
        after = {p.id: p.section for p in store.get_document(ids["allotments.txt"]).passages}  # type: ignore[union-attr]
    assert changed == len(weak)
    assert all(after[pid] == ("financial" if pid in weak else before[pid][0]) for pid in before)
