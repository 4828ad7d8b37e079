"""The harvester over a real ModernGov site's answers (Manchester City Council, ../shared/eval/moderngov/):
minutes and the items' minute texts are the record, and are harvested, tagged and indexed."""

from __future__ import annotations

import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ingest.harvest import harvest
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = ROOT.parent / "shared" / "eval" / "moderngov"
HOST = "https://democracy.manchester.gov.uk/"
# the two linked documents, served as real PDFs of the bundled corpus
PDFS = {
    "60860": ROOT / "corpus" / "src-bcc-0036_printed-minutes-transport-and-connectivity-policy-committee"
    "-15-may-2025.pdf",
    "60909": ROOT
    / "corpus"
    / "src-bcc-0016_transport-connectivity-policy-committee-forward-plan-2026-01-21.pdf",
}
LAST_MODIFIED = "Mon, 02 Feb 2026 09:00:00 GMT"
COUNCIL, COMMITTEE, DAY = "Manchester City Council", "Audit Committee", "2026-02-10"

pytestmark = pytest.mark.skipif(
    not ANSWERS.is_dir(), reason=f"{ANSWERS} (the shared ModernGov answers) is missing"
)


class Manchester(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.site = f"http://127.0.0.1:{self.server_address[1]}/"
        self.log: list[tuple[str, int]] = []  # (path?query, status)


class Handler(BaseHTTPRequestHandler):
    server: Manchester

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        q = {k.lower(): v[0] for k, v in parse_qs(parts.query).items()}
        status, body, headers = self.route(parts.path, q)
        self.server.log.append((self.path, status))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def answer(self, name: str) -> tuple[int, bytes, dict[str, str]]:
        # the files unchanged, but for the council's host, which becomes this loopback server
        body = (ANSWERS / name).read_bytes().replace(HOST.encode(), self.server.site.encode())
        return 200, body, {"Content-Type": "text/xml; charset=utf-8"}

    def route(self, path: str, q: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        if path == "/mgWebService.asmx/GetCommittees":
            return self.answer("committees.xml")
        if path == "/mgWebService.asmx/GetMeetings":
            if q.get("lcommitteeid") == "144":
                return self.answer("meetings.xml")
            return (
                200,
                b"<getmeetings><meetingscount> 0</meetingscount></getmeetings>",
                {"Content-Type": "text/xml"},
            )
        if path == "/mgWebService.asmx/GetMeeting" and q.get("lmeetingid") == "4967":
            return self.answer("meeting_4967.xml")
        if path == "/mgConvert2PDF.aspx" and q.get("id") in PDFS:
            headers = {"Content-Type": "application/pdf", "Last-Modified": LAST_MODIFIED}
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                return 304, b"", headers
            return 200, PDFS[q["id"]].read_bytes(), headers
        return 404, b"not found", {"Content-Type": "text/plain"}


@pytest.fixture
def site():
    server = Manchester()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def settings_for(tmp_path: Path) -> Settings:
    return Settings(
        store=tmp_path / "store",
        harvest_delay=0.0,
        harvest_timeout=5.0,
        harvest_retries=0,
        contact="papers-bot@example.org",
        workers=1,
        harvest_allow_private=True,
    )  # a loopback site


def run(site: Manchester, settings: Settings):
    return harvest(site.site, COUNCIL, settings, date_from=date(2026, 1, 1), date_to=date(2026, 3, 31))


def test_minutes_and_item_minutes_are_harvested_with_their_metadata(site, tmp_path):
    result = run(site, settings_for(tmp_path))
    assert not result.failures
    by_kind = {(p.paper_kind, p.agenda_item) for p in result.papers}
    assert by_kind == {
        ("minutes", "Minutes"),
        ("report", "Work Programme"),
        ("item minute", "Minutes"),
        ("item minute", "Work Programme"),
    }
    assert result.downloaded == 2 and result.written == 2  # both documents taken; two minute texts stored
    assert "meeting 4966 of Audit Committee on 2026-01-13: cancelled" in result.skipped
    assert (
        "/mgWebService.asmx/GetMeeting?lMeetingId=4966",
        200,
    ) not in site.log  # the cancelled one: not read
    page = f"{site.site}ieListDocuments.aspx?CId=144&MId=4967"
    minutes = {p.agenda_item: p for p in result.papers if p.paper_kind == "item minute"}
    approve, programme = minutes["Minutes"], minutes["Work Programme"]
    for m in (approve, programme):
        assert (m.council, m.committee, m.meeting_id, m.meeting_date) == (COUNCIL, COMMITTEE, "4967", DAY)
        assert m.url == m.meeting_url == page
        assert (m.is_decision, m.decision_published, m.call_in, m.decision_date) == (
            "false",
            "false",
            "false",
            DAY,
        )
        assert m.path.suffix == ".html" and m.path.parent == tmp_path / "store" / "files"
    assert (approve.agenda_item_number, approve.minute_number, approve.title) == (
        "1.",
        "1",
        "Minute of item 1, meeting 4967: Minutes",
    )
    assert programme.title == "Minute of item 9, meeting 4967: Work Programme"
    text = approve.path.read_text(encoding="utf-8")
    assert "To approve the minutes of the meeting held on\n25 November 2025 as a correct record." in text
    assert "To approve as a correct record" in text and "<script" not in text and "class=" not in text
    assert "The Committee considered a report of the" in programme.path.read_text(encoding="utf-8")
    # minute and reports are linked both ways
    report = next(p for p in result.papers if p.paper_kind == "report")
    assert (
        report.url == f"{site.site}mgConvert2PDF.aspx?ID=60909" and report.title == "DRAFT WP FEBRUARY 2026"
    )
    assert report.item_minute == programme.source_key() == f"{page}#item=18833"
    assert programme.item_documents == report.url
    approved = next(p for p in result.papers if p.paper_kind == "minutes")
    assert approved.title == "6 - CHAIR APPROVED Minutes Audit Committee 25 Nov 2025"
    given = dict(programme.pairs())
    assert given["paper_kind"] == "item minute" and given["source"] == programme.source_key()
    assert given["call_in"] == "false" and given["meeting_url"] == page


def test_a_rerun_fetches_nothing_and_writes_nothing(site, tmp_path):
    s = settings_for(tmp_path)
    first = run(site, s)
    site.log.clear()
    again = run(site, s)
    assert (again.downloaded, again.written, again.unchanged) == (0, 0, 2)
    assert all(status == 304 for path, status in site.log if path.startswith("/mgConvert2PDF"))
    assert [(p.source_key(), p.path) for p in again.papers] == [
        (p.source_key(), p.path) for p in first.papers
    ]


def test_procedural_items_are_skipped_and_named(tmp_path):
    from ingest.kinds import is_procedural

    assert is_procedural("Apologies") and is_procedural("Declarations of Interest")
    assert is_procedural("Urgent Business") and not is_procedural("Minutes")


def test_every_harvested_paper_is_found_by_search_with_its_council_committee_and_date(site, tmp_path, capsys):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.cli import main
    from index.search import SearchFilters, search
    from index.store import Store

    s = settings_for(tmp_path)
    code = main(
        [
            "harvest",
            "--site",
            site.site,
            "--council",
            COUNCIL,
            "--from",
            "2026-01-01",
            "--to",
            "2026-03-31",
            "--store",
            str(s.store),
            "--allow-private",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert (
        "4 links to 4 documents" in out
        and "skipped: meeting 4966 of Audit Committee on 2026-01-13: cancelled" in out
        and "kinds: 2 item minute, 1 minutes, 1 report" in out
    )
    wanted = SearchFilters(council=COUNCIL, committee=COMMITTEE, date_from=DAY, date_to=DAY)
    with Store.open(s, create=False) as store:
        docs = store.list_documents(COUNCIL, COMMITTEE, DAY, DAY)
        assert sorted(d.paper_kind or "" for d in docs) == ["item minute", "item minute", "minutes", "report"]
        for d in docs:  # each paper found by a phrase of its own, within the council, committee and day
            detail = store.get_document(d.id)
            passage = max(detail.passages, key=lambda p: len(p.text))
            query = " ".join(passage.text.split()[:12])
            assert d.id in {r.document for r in search(store, query, settings=s, filters=wanted)}, (
                d.title,
                query,
            )
        minute = next(d for d in docs if d.title == "Minute of item 1, meeting 4967: Minutes")
        given = next(iter(store.get_document(minute.id).given.values()))
        assert (given["agenda_item"], given["agenda_item_number"], given["is_decision"]) == (
            "Minutes",
            "1.",
            "false",
        )
    with TestClient(create_app(s)) as client:
        hits = client.get(
            "/search",
            params={
                "q": "approve the minutes of the meeting held on 25 November 2025",
                "council": COUNCIL,
                "committee": COMMITTEE,
                "from": DAY,
                "to": DAY,
            },
        ).json()["results"]
        assert hits and hits[0]["paper_kind"] == "item minute"
        listed = client.get("/documents", params={"council": COUNCIL}).json()["documents"]
        assert {d["paper_kind"] for d in listed} == {"item minute", "minutes", "report"}
