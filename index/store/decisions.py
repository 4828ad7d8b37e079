"""The store's decisions, what papers say of others, the links among them, section roles and committee names."""

from __future__ import annotations

import index.store.queries as queries
from index import reads
from index.store.base import StoreBase
from index.store.filters import PAPER_KIND_SQL


class DecisionsMixin(StoreBase):
    def decisions_of(self, doc_ids: list[str]) -> list[reads.DecisionRow]:
        return queries.decisions_of(self.conn, doc_ids)

    def paper_refs(self, doc_ids: list[str]) -> list[tuple[str, str, str, str | None, str | None]]:
        return queries.paper_refs(self.conn, doc_ids)

    def council_papers(self, council: str) -> list[reads.CouncilPaper]:
        return queries.council_papers(self.conn, council)

    def links_of(self, doc_ids: list[str]) -> list[reads.LinkRow]:
        return queries.links_of(self.conn, doc_ids)

    def section_passages(
        self, doc_ids: list[str], sections: tuple[str, ...], theme: str | None = None
    ) -> list[reads.SectionPassage]:
        return queries.section_passages(self.conn, doc_ids, sections, theme)

    def put_links(self, doc_ids: list[str], links: list[tuple[str, str, str, str]]) -> None:
        """Replace the links among these papers (one council's) with `links` (source, target, relation, reason)."""
        with self.transaction():
            for i in range(0, len(doc_ids), 400):
                chunk = doc_ids[i : i + 400]
                marks = ",".join("?" * len(chunk))
                self.conn.execute(
                    f"DELETE FROM paper_links WHERE source IN ({marks}) OR target IN ({marks})", chunk + chunk
                )
            self.conn.executemany(
                "INSERT OR REPLACE INTO paper_links (source, target, relation, reason) VALUES (?, ?, ?, ?)",
                links,
            )

    def body_role_passages(self, passage_ids: list[int]) -> list[tuple[int, str | None]]:
        """(passage id, its paper's kind) of those passages whose section role is their layout's body role
        (nlp.sections: nothing named it), which a classifier over their vectors may refine."""
        out: list[tuple[int, str | None]] = []
        for i in range(0, len(passage_ids), 500):
            chunk = passage_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out += [
                (int(r[0]), r[1])
                for r in self.conn.execute(
                    f"SELECT p.id, ({PAPER_KIND_SQL}) FROM passages p JOIN documents d ON d.id = p.document_id"
                    f" WHERE p.id IN ({marks}) AND p.section_by = 'layout'",
                    chunk,
                )
            ]
        return out

    def set_sections(self, rows: list[tuple[int, str, str]]) -> None:
        """Set (passage id, section role, what decided it) of passages."""
        with self.transaction():
            self.conn.executemany(
                "UPDATE passages SET section = ?, section_by = ? WHERE id = ?",
                [(role, by, pid) for pid, role, by in rows],
            )

    def put_committee_names(self, council: str, names: dict[str, str]) -> None:
        """Replace a council's committee names (name as written -> the committee it names)."""
        with self.transaction():
            self.conn.execute("DELETE FROM committee_names WHERE council = ?", (council,))
            self.conn.executemany(
                "INSERT INTO committee_names (council, name, committee) VALUES (?, ?, ?)",
                [(council, n, c) for n, c in names.items()],
            )

    def committee_names(self, council: str) -> dict[str, str]:
        """A council's committee names (as written) -> the committee each names."""
        return dict(
            self.conn.execute("SELECT name, committee FROM committee_names WHERE council = ?", (council,))
        )
