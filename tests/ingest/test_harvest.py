"""The ModernGov harvester against a stand-in site on 127.0.0.1 serving XML/HTML fixtures and real PDFs."""

from __future__ import annotations

import hashlib
import sys
import threading
import time
import types
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from ingest.harvest import HarvestError, harvest, is_procedural, paper_kind, paper_kinds
from ingest.kinds import is_pack
from ingest.model import content_id
from ingest.moderngov import clean_text, meeting_day, parse_meeting, site_base
from ingest.settings import Settings

FIXTURES = Path(__file__).with_name("moderngov_fixtures")
CORPUS = Path(__file__).resolve().parents[2] / "corpus"
REPORT = CORPUS / "src-bcc-0003_committee-report-workplace-parking-levy-2024-09-12.pdf"
EQIA = CORPUS / "src-bcc-0007_appendix-b-eqia-workplace-parking-levy-obc-final-2024-08-20.pdf"
PLAN = CORPUS / "src-bcc-0016_transport-connectivity-policy-committee-forward-plan-2026-01-21.pdf"
MINUTES = CORPUS / "src-bcc-0036_printed-minutes-transport-and-connectivity-policy-committee-15-may-2025.pdf"
# document paths on the stand-in -> the real PDF served there (s3001 is the s1001 report again)
DOCS = {
    "/documents/s1001/Committee report.pdf": REPORT,
    "/mgConvert2PDF.aspx?ID=60860": EQIA,
    "/documents/s2001/Forward Plan.pdf": PLAN,
    "/documents/g201/Printed minutes 20th-Jan-2025.pdf": MINUTES,
    "/documents/s3001/WPL report.pdf": REPORT,
    "/documents/s2000/Minutes.pdf": MINUTES,  # approved minutes are the record: harvested
}
LAST_MODIFIED = "Tue, 07 Jan 2025 09:30:00 GMT"
FROM, TO = date(2025, 1, 1), date(2025, 3, 31)


class StandIn(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.site = f"http://127.0.0.1:{self.server_address[1]}/"
        self.log: list[list] = []  # (path?query, request headers, status)
        self.service_off = False
        self.hang: set[str] = set()  # paths that answer too late

    def requested(self, path: str) -> list[list]:
        return [entry for entry in self.log if entry[0] == path]


class Handler(BaseHTTPRequestHandler):
    server: StandIn

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        q = {k.lower(): v[0] for k, v in parse_qs(parts.query).items()}
        key = path + (f"?{parts.query}" if path.endswith("mgConvert2PDF.aspx") else "")
        entry = [key, dict(self.headers), 0]
        self.server.log.append(entry)  # logged on arrival, so requests that hang are counted too
        if key in self.server.hang:
            time.sleep(1.0)
        status, body, headers = self.route(path, key, q)
        entry[2] = status
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def fixture(self, name: str, kind: str) -> tuple[int, bytes, dict[str, str]]:
        f = FIXTURES / name
        if not f.exists():
            empty = b"<meetings/>" if kind == "xml" else b"<html><body><p>No meetings</p></body></html>"
            return 200, empty, {"Content-Type": f"text/{kind}"}
        return (
            200,
            f.read_text().replace("{site}", self.server.site).encode(),
            {"Content-Type": f"text/{kind}"},
        )

    def route(self, path: str, key: str, q: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        if path.startswith("/mgWebService.asmx/"):
            if self.server.service_off:
                return (
                    404,
                    b"<html><body>The resource cannot be found.</body></html>",
                    {"Content-Type": "text/html"},
                )
            method = path.rsplit("/", 1)[1]
            arg = q.get("lcommitteeid") or q.get("lmeetingid") or ""
            return self.fixture(f"{method}{'_' + arg if arg else ''}.xml", "xml")
        if path == "/mgListCommittees.aspx":
            return self.fixture("mgListCommittees.html", "html")
        if path == "/ieListMeetings.aspx":
            return self.fixture(f"ieListMeetings_{q['cid']}_{q['year']}.html", "html")
        if path == "/ieListDocuments.aspx":
            return self.fixture(f"ieListDocuments_{q['cid']}_{q['mid']}.html", "html")
        if key in DOCS:
            return self.document(key, DOCS[key].read_bytes())
        return 404, b"not found", {"Content-Type": "text/plain"}

    def document(self, key: str, data: bytes) -> tuple[int, bytes, dict[str, str]]:
        headers = {"Content-Type": "application/pdf"}
        if key.startswith("/mgConvert2PDF"):  # converted on the fly: a date, no ETag
            headers["Last-Modified"] = LAST_MODIFIED
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                return 304, b"", headers
        else:
            headers["ETag"] = f'"{hashlib.md5(data).hexdigest()}"'
            if self.headers.get("If-None-Match") == headers["ETag"]:
                return 304, b"", headers
        return 200, data, headers


@pytest.fixture
def site():
    server = StandIn()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def settings_for(tmp_path: Path, **kw: object) -> Settings:
    # the stand-in runs on 127.0.0.1: a loopback address, which a harvest fetches only when allowed
    values = {
        "store": tmp_path / "store",
        "harvest_delay": 0.0,
        "harvest_timeout": 0.4,
        "harvest_retries": 0,
        "contact": "papers-bot@example.org",
        "workers": 1,
        "harvest_allow_private": True,
        **kw,
    }
    return Settings(**values)


def run(site: StandIn, settings: Settings, **kw: object):
    return harvest(site.site, "Example City Council", settings, date_from=FROM, date_to=TO, **kw)


def test_full_harvest_stores_papers_with_their_metadata(site, tmp_path):
    s = settings_for(tmp_path)
    result = run(site, s)
    by_url = {p.url.removeprefix(site.site): p for p in result.papers}
    report = by_url["documents/s1001/Committee report.pdf"]
    assert report.council == "Example City Council"
    assert report.committee == "Cabinet"
    assert (report.meeting_id, report.meeting_date) == ("101", "2025-01-15")
    assert report.agenda_item == "Workplace Parking Levy – Outline Business Case"  # &amp;amp;ndash; decoded
    assert report.agenda_item_number == "5."
    assert report.title == "Committee report & recommendations"
    assert report.publication_date == "2025-01-07"
    assert report.path == s.store / "files" / f"{content_id(REPORT.read_bytes())}.pdf"
    assert report.path.read_bytes() == REPORT.read_bytes()
    minutes = by_url["documents/g201/Printed minutes 20th-Jan-2025.pdf"]
    assert minutes.committee == "Transport & Connectivity Policy Committee"  # double-encoded in the XML
    assert (minutes.meeting_date, minutes.agenda_item) == ("2025-01-20", "")
    pairs = dict(report.pairs())
    assert pairs["url"] == site.site + "documents/s1001/Committee report.pdf"
    assert pairs["meeting_date"] == "2025-01-15" and "path" not in pairs
    assert pairs["source"] == pairs["url"] + "#meeting=101"  # each link its own source in the index
    assert (
        result.downloaded == 6 and not result.failures
    )  # 6 URLs, 4 distinct files and not result.used_pages
    assert "GetMeetings" not in str([e for e in site.log if "lCommitteeId=30" in e[0]])  # deleted committee
    assert site.log[0][1]["User-Agent"].startswith("councilpapers/")
    assert "papers-bot@example.org" in site.log[0][1]["User-Agent"]


def test_restricted_procedural_and_out_of_range_are_not_fetched(site, tmp_path):
    result = run(site, settings_for(tmp_path))
    asked = {e[0] for e in site.log}
    for path in (
        "/documents/s1003/Appendix C.pdf",
        "/documents/s1004/Report.pdf",
        "/documents/s100/Apologies.pdf",
        "/documents/g101/Public reports pack 15th-Jan-2025 10.00 Cabinet.pdf",
    ):
        assert path not in asked
    assert (
        "/mgWebService.asmx/GetMeeting" in asked and len(site.requested("/mgWebService.asmx/GetMeeting")) == 3
    )
    assert any("Appendix C" in s and s.endswith("restricted") for s in result.skipped)
    assert "meeting 101: item 1 Apologies for Absence: procedural" in result.skipped
    assert "meeting 101: item 2 Declarations of Interest: procedural" in result.skipped
    assert "meeting 104 of Cabinet on 2025-02-26: cancelled" in result.skipped
    assert any("Public reports pack" in s and "reports pack" in s for s in result.skipped)
    assert {p.meeting_id for p in result.papers} == {
        "101",
        "102",
        "201",
    }  # not 103 (2023) nor 104 (cancelled)


def test_same_document_linked_twice_is_stored_once_and_both_links_kept(site, tmp_path):
    s = settings_for(tmp_path)
    result = run(site, s)
    eqia = [p for p in result.papers if p.url.endswith("ID=60860")]
    assert [(p.meeting_id, p.agenda_item) for p in eqia] == [
        ("101", "Workplace Parking Levy – Outline Business Case"),
        ("102", "Q&A: Workplace Parking Levy update"),
    ]
    assert len(site.requested("/mgConvert2PDF.aspx?ID=60860")) == 1  # same URL: fetched once
    reports = [p for p in result.papers if p.path.name.startswith(content_id(REPORT.read_bytes()))]
    assert {p.url.removeprefix(site.site) for p in reports} == {
        "documents/s1001/Committee report.pdf",
        "documents/s3001/WPL report.pdf",
    }
    assert reports[0].path == reports[1].path  # different URL, same bytes: one file
    assert sorted(f.name for f in (s.store / "files").glob("*.pdf")) == sorted(
        f"{content_id(p.read_bytes())}.pdf" for p in (REPORT, EQIA, PLAN, MINUTES)
    )
    assert len(list((s.store / "files").glob("*.html"))) == 1  # the one item minute the fixtures give


def test_rerun_asks_conditionally_and_downloads_nothing(site, tmp_path):
    s = settings_for(tmp_path)
    first = run(site, s)
    site.log.clear()
    again = run(site, s)
    assert again.downloaded == 0 and again.unchanged == 6 and again.written == 0  # one 304 per URL
    assert [(p.url, p.path) for p in again.papers] == [(p.url, p.path) for p in first.papers]
    report = site.requested("/documents/s1001/Committee report.pdf")
    assert report[0][1]["If-None-Match"] and report[0][2] == 304
    eqia = site.requested("/mgConvert2PDF.aspx?ID=60860")
    assert eqia[0][1]["If-Modified-Since"] == LAST_MODIFIED and eqia[0][2] == 304


def test_interrupted_harvest_resumes_where_it_stopped(site, tmp_path):
    from ingest.moderngov import Fetcher
    from ingest.netguard import FetchPolicy

    class Stopped(Fetcher):  # stopped (as by Ctrl-C or a kill) when about to ask for the forward plan
        def get(self, url: str, *args: object, **kw: object):  # noqa: ANN202
            if url.endswith("Forward Plan.pdf"):
                raise KeyboardInterrupt
            return super().get(url, *args, **kw)  # type: ignore[arg-type]

    s = settings_for(tmp_path)
    stopped = Stopped(s, FetchPolicy.for_site(site.site, allow_private=True))
    with pytest.raises(KeyboardInterrupt):  # meeting 102 is cut short after 101 is done
        run(site, s, fetcher=stopped)
    assert (s.store / "files" / f"{content_id(REPORT.read_bytes())}.pdf").exists()
    site.log[:] = []
    result = run(site, s)
    asked = [e[0] for e in site.log]
    assert "/documents/s1001/Committee report.pdf" not in asked  # done before the interruption
    assert (
        "/mgWebService.asmx/GetMeeting" in asked and len(site.requested("/mgWebService.asmx/GetMeeting")) == 2
    )
    assert site.requested("/documents/s2001/Forward Plan.pdf")[0][2] == 200
    assert {p.meeting_id for p in result.papers} == {"101", "102", "201"}
    assert any(p.url.endswith("Committee report.pdf") for p in result.papers)  # recalled from the state
    site.log.clear()
    run(site, s)  # that run finished: the next one is a fresh, conditional pass
    assert site.requested("/documents/s1001/Committee report.pdf")[0][2] == 304


def test_a_dead_document_is_one_line_and_the_harvest_goes_on(site, tmp_path):
    site.hang = {"/documents/s2001/Forward Plan.pdf"}  # times out, as a dead server does
    s = settings_for(tmp_path)
    result = run(site, s)
    assert [f for f in result.failures if "Forward Plan" in f] == [
        f"meeting 102: item 4 Forward Plan: 127.0.0.1:{site.server_address[1]}: no answer within 0.4s "
        f"(COUNCILPAPERS_HARVEST_TIMEOUT) after 1 tries: {site.site}documents/s2001/Forward Plan.pdf"
    ]
    assert {p.meeting_id for p in result.papers} == {"101", "102", "201"}  # the rest harvested
    site.hang, site.log[:] = set(), []
    again = run(site, s)  # the next run asks for the dead link again, and for nothing it has
    assert not again.failures and site.requested("/documents/s2001/Forward Plan.pdf")[0][2] == 200
    assert site.requested("/documents/s1001/Committee report.pdf")[0][2] == 304


def test_a_site_that_times_out_gives_one_line(site, tmp_path):
    site.hang = {"/mgWebService.asmx/GetCommittees"}
    with pytest.raises(HarvestError) as e:
        run(site, settings_for(tmp_path, harvest_timeout=0.2, harvest_retries=1))
    msg = str(e.value)
    assert "no answer within 0.2s" in msg and "after 2 tries" in msg and "\n" not in msg
    assert len(site.requested("/mgWebService.asmx/GetCommittees")) == 2


def test_service_disabled_falls_back_to_public_pages(site, tmp_path):
    site.service_off = True
    notes: list[str] = []
    result = run(site, settings_for(tmp_path), committee="^cabinet$", note=notes.append)
    assert result.used_pages
    assert any("web service off" in n and "public pages" in n for n in notes)
    assert [(p.meeting_id, p.meeting_date, p.agenda_item_number, p.title) for p in result.papers] == [
        ("101", "2025-01-15", "5", "Committee report & recommendations"),
        ("101", "2025-01-15", "5", "Appendix B - Equality Impact Assessment"),
    ]
    assert result.papers[0].agenda_item == "Workplace Parking Levy – Outline Business Case"
    assert "/documents/s1004/Report.pdf" not in {e[0] for e in site.log}  # restricted item
    assert "/ieListDocuments.aspx" in {e[0] for e in site.log}
    assert len(site.requested("/ieListMeetings.aspx")) == 1  # Cabinet only, one year
    assert all(p.committee == "Cabinet" for p in result.papers)


def test_a_refusing_site_names_the_reason(tmp_path):
    class Refuser(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(403)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refuser)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(HarvestError, match=r"refused \(HTTP 403\)"):
            harvest(
                f"http://127.0.0.1:{server.server_address[1]}/mgWebService.asmx",
                "Example City Council",
                settings_for(tmp_path),
                date_from=FROM,
                date_to=TO,
            )
    finally:
        server.shutdown()
        server.server_close()


def test_parsers_and_helpers():
    assert clean_text("Q&amp;amp;A &lt;b&gt;now&lt;/b&gt;") == "Q&A now"
    assert meeting_day("Wednesday, 15th January, 2025 10.00 am") == "2025-01-15"
    assert meeting_day("31/02/2025") == "" and meeting_day("20/01/2025 00:00:00") == "2025-01-20"
    assert (
        site_base("https://democracy.example.gov.uk/mgWebService.asmx/GetCommittees")
        == "https://democracy.example.gov.uk/"
    )
    assert (
        site_base("https://example.gov.uk/moderngov/ieListMeetings.aspx?CId=1")
        == "https://example.gov.uk/moderngov/"
    )
    with pytest.raises(HarvestError, match="not an http"):
        site_base("democracy.example.gov.uk")
    wrapped = (
        b'<string xmlns="http://moderngov.co.uk/namespaces">&lt;meeting&gt;&lt;agendaitems&gt;&lt;agendaitem&gt;'
        b"&lt;agendaitemid&gt;1&lt;/agendaitemid&gt;&lt;agendaitemtitle&gt;Budget&lt;/agendaitemtitle&gt;"
        b"&lt;/agendaitem&gt;&lt;/agendaitems&gt;&lt;/meeting&gt;</string>"
    )
    assert [i.title for i in parse_meeting(wrapped, "https://x.gov.uk/")] == ["Budget"]
    assert is_procedural("Declarations of Disclosable Pecuniary Interests")
    assert is_procedural("Urgent Business") and is_procedural("Apologies for absence and substitutions")
    for record in (
        "Minutes",
        "Minutes of the previous meeting",
        "Exclusion of the Press and Public",
        "Revenue Budget 2025/26",
    ):  # the record, and business that is not routine, is harvested
        assert not is_procedural(record)
    assert is_pack("Public reports pack 15th-Jan-2025 10.00 Cabinet") and not is_pack("Committee report")
    assert paper_kind("6 - CHAIR APPROVED  Minutes Audit Committee 25 Nov 2025", "Minutes") == "minutes"
    assert paper_kind("Audit Committee 25 Nov 2025", "Minutes of the previous meeting") == "minutes"
    assert paper_kind("Appendix B - Equality Impact Assessment", "Workplace Parking Levy") == "appendix"
    assert paper_kind("Record of Decisions", "") == "decision notice"
    assert paper_kind("Forward Plan", "Forward Plan") == "forward plan"
    assert paper_kind("Agenda frontsheet 15th-Jan-2025 Cabinet") == "agenda"
    assert paper_kind("DRAFT WP  FEBRUARY 2026", "Work Programme") == "report"
    assert set(paper_kinds()) >= {
        "report",
        "minutes",
        "decision notice",
        "agenda",
        "appendix",
        "forward plan",
    }


def test_cli_harvest_hands_every_link_to_the_index(site, tmp_path, monkeypatch, capsys):
    from api.cli import main

    calls: list[list[tuple[str, dict[str, str]]]] = []

    def ingest_paths(paths, settings, given=lambda p: (), progress=True):  # noqa: ANN001, ANN202
        calls.append([(Path(p).name, dict(given(p))) for p in paths])
        return types.SimpleNamespace(failures=[])

    monkeypatch.setitem(sys.modules, "index.pipeline", types.SimpleNamespace(ingest_paths=ingest_paths))
    for key, value in {"HARVEST_DELAY": "0", "HARVEST_RETRIES": "0", "CONTACT": "x@example.org"}.items():
        monkeypatch.setenv(f"COUNCILPAPERS_{key}", value)
    code = main(
        [
            "harvest",
            "--site",
            site.site,
            "--council",
            "Example City Council",
            "--from",
            "2025-01-01",
            "--to",
            "31/03/2025",
            "--store",
            str(tmp_path / "store"),
            "--allow-private",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "8 links to 5 documents" in out and "6 downloaded" in out and "1 item minutes new" in out
    assert "skipped: meeting 101: item 1 Apologies for Absence: procedural" in out  # named without --verbose
    eqia = f"{content_id(EQIA.read_bytes())}.pdf"
    assert len(calls) == 2  # a second round for the files linked twice
    assert {name for name, _ in calls[1]} == {
        eqia,
        f"{content_id(REPORT.read_bytes())}.pdf",
        f"{content_id(MINUTES.read_bytes())}.pdf",
    }  # printed and approved
    first = dict(calls[0])[eqia]
    second = dict(calls[1])[eqia]
    assert (first["meeting_id"], second["meeting_id"]) == ("101", "102")
    assert first["council"] == "Example City Council" and first["url"] == second["url"]
    assert (first["source"], second["source"]) == (
        first["url"] + "#meeting=101",
        first["url"] + "#meeting=102",
    )


def test_cli_bad_dates_are_one_line(tmp_path, capsys):
    from api.cli import main

    code = main(
        [
            "harvest",
            "--site",
            "http://127.0.0.1:9/",
            "--council",
            "X",
            "--from",
            "2025-02-30",
            "--store",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and "--from: date: '2025-02-30' is not a date" in err and err.count("\n") == 1
