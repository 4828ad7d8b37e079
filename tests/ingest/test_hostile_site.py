"""A hostile ModernGov site: it links internal services, other hosts and ports, and redirects to them.

Every connection in these tests stays on loopback. The site and an "internal service" both run on
127.0.0.1 (on two ports); the site is reached through a stub resolver that names it
democracy.example.gov.uk, so the council's-domain rule is exercised without any DNS lookup. Harvesting a
loopback site needs `allow_private`, so what is refused here is refused by the origin rule; the address
rule (private, loopback, link-local after DNS) is checked on the policy itself with the stub, and at
connect time with a stub that changes its answer (DNS rebinding), against a loopback server.
"""

from __future__ import annotations

import socket
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from ingest.harvest import harvest
from ingest.moderngov import Blocked, Fetcher
from ingest.netguard import FetchPolicy
from ingest.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
REPORT = CORPUS / "src-bcc-0003_committee-report-workplace-parking-levy-2024-09-12.pdf"
EQIA = CORPUS / "src-bcc-0007_appendix-b-eqia-workplace-parking-levy-obc-final-2024-08-20.pdf"
SECRET = b"internal-service-secret-7f3a"
COMMITTEES = (
    b'<committees xmlns="http://moderngov.co.uk/namespaces"><committee><committeeid>10</committeeid>'
    b"<committeetitle>Cabinet</committeetitle><committeedeleted>False</committeedeleted></committee>"
    b"</committees>"
)
MEETINGS = (
    b'<meetings xmlns="http://moderngov.co.uk/namespaces"><meeting><meetingid>101</meetingid>'
    b"<meetingdate>15/01/2025 10:00:00</meetingdate><meetingstatus>confirmed</meetingstatus></meeting>"
    b"</meetings>"
)


def _doc(n: int, title: str, url: str) -> str:
    return (
        f"<linkeddoc><attachmentid>{n}</attachmentid><title>{title}</title><url>{url}</url>"
        "<isrestricted>False</isrestricted></linkeddoc>"
    )


def meeting_xml(site: str, internal: int, port: int) -> bytes:
    """One agenda item whose documents are a good report and every trick of a hostile site."""
    docs = [
        _doc(1, "Report", f"{site}documents/s1/Report.pdf"),
        _doc(2, "Internal service", f"http://127.0.0.1:{internal}/secret.txt"),
        _doc(3, "Other host name", f"http://localhost:{internal}/secret.txt"),
        _doc(4, "IPv6 loopback", f"http://[::1]:{internal}/secret.txt"),
        _doc(5, "Hex address", f"http://0x7f000001:{internal}/secret.txt"),
        _doc(6, "Another domain", f"http://intranet.example.org:{port}/secret.txt"),
        _doc(7, "Redirect inside", f"{site}documents/s7/Moved.pdf"),
        _doc(8, "Redirect to the service", f"{site}documents/s8/Elsewhere.pdf"),
        _doc(9, "Redirect with user info", f"{site}documents/s9/Trick.pdf"),
        _doc(10, "Local file", "file:///etc/passwd"),
        _doc(11, "Dead file server", f"http://files.example.gov.uk:{port}/documents/s11/Gone.pdf"),
    ]
    return (
        f'<meeting xmlns="http://moderngov.co.uk/namespaces"><meetingid>101</meetingid><agendaitems><agendaitem>'
        f"<agendaitemid>5101</agendaitemid><agendaitemnumber>5.</agendaitemnumber>"
        f"<agendaitemtitle>Workplace Parking Levy</agendaitemtitle><isrestricted>False</isrestricted>"
        f"<linkeddocuments>{''.join(docs)}</linkeddocuments></agendaitem></agendaitems></meeting>"
    ).encode()


class Logged(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.port = int(self.server_address[1])
        self.log: list[tuple[str, str]] = []  # (Host header, path)
        self.internal = 0  # the internal service's port (set on the site)


class Quiet(BaseHTTPRequestHandler):
    server: Logged

    def log_message(self, *args: object) -> None:
        pass

    def reply(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Internal(Quiet):
    def do_GET(self) -> None:  # noqa: N802
        self.server.log.append((self.headers.get("Host", ""), self.path))
        self.reply(200, SECRET, Content_Type="text/plain")


class Site(Quiet):
    def do_GET(self) -> None:  # noqa: N802
        host = self.headers.get("Host", "")
        self.server.log.append((host, unquote(self.path)))
        site, path = f"http://{host}/", unquote(urlsplit(self.path).path)
        q = {k.lower(): v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        internal = self.server.internal
        answers = {
            "/mgWebService.asmx/GetCommittees": lambda: self.reply(200, COMMITTEES, Content_Type="text/xml"),
            "/mgWebService.asmx/GetMeetings": lambda: self.reply(200, MEETINGS, Content_Type="text/xml"),
            "/mgWebService.asmx/GetMeeting": lambda: self.reply(
                200, meeting_xml(site, internal, self.server.port), Content_Type="text/xml"
            ),
            "/documents/s1/Report.pdf": lambda: self.reply(
                200, REPORT.read_bytes(), Content_Type="application/pdf"
            ),
            "/documents/s7/Moved.pdf": lambda: self.reply(302, Location="/documents/s7/Final.pdf"),
            "/documents/s7/Final.pdf": lambda: self.reply(
                200, EQIA.read_bytes(), Content_Type="application/pdf"
            ),
            "/documents/s8/Elsewhere.pdf": lambda: self.reply(
                302, Location=f"http://127.0.0.1:{internal}/secret.txt"
            ),
            "/documents/s9/Trick.pdf": lambda: self.reply(
                301, Location=f"http://{host}@127.0.0.1:{internal}/secret.txt"
            ),
        }
        answers.get(path, lambda: self.reply(404, b"not found"))()
        assert q is not None


@pytest.fixture
def servers():
    site, internal = Logged(Site), Logged(Internal)
    site.internal = internal.port
    for s in (site, internal):
        threading.Thread(target=s.serve_forever, daemon=True).start()
    yield site, internal
    for s in (site, internal):
        s.shutdown()
        s.server_close()


def stub_resolver(names: dict[str, list[str]], asked: list[str]):  # noqa: ANN201
    """Resolves only the names given (and IP literals), recording each lookup; anything else fails, so no
    lookup ever leaves this process."""

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        try:
            socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
            return [host]
        except OSError:
            pass
        if host not in names:
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: not in the stub")
        return names[host]

    return resolve


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        store=tmp_path / "store",
        harvest_delay=0.0,
        harvest_timeout=2.0,
        harvest_retries=0,
        contact="papers-bot@example.org",
        workers=1,
    )


def test_a_hostile_site_gets_no_internal_fetch_and_the_harvest_names_what_it_refused(servers, tmp_path):
    site, internal = servers
    asked: list[str] = []
    # the site's name and a dead file server of the council (127.0.0.2: nothing listens there)
    resolve = stub_resolver(
        {"democracy.example.gov.uk": ["127.0.0.1"], "files.example.gov.uk": ["127.0.0.2"]}, asked
    )
    base = f"http://democracy.example.gov.uk:{site.port}/"
    settings = _settings(tmp_path)
    fetcher = Fetcher(settings, FetchPolicy.for_site(base, allow_private=True, resolve=resolve))
    result = harvest(
        base,
        "Example City Council",
        settings,
        date_from=date(2025, 1, 1),
        date_to=date(2025, 3, 31),
        fetcher=fetcher,
    )
    fetcher.close()

    assert internal.log == []  # 0 internal fetches
    assert [p.title for p in result.papers] == ["Report", "Redirect inside"]  # the harvest completed
    assert "/documents/s7/Final.pdf" in {path for _, path in site.log}  # a redirect on the site is followed
    assert all(SECRET not in f.read_bytes() for f in (tmp_path / "store" / "files").iterdir())
    assert "intranet.example.org" not in asked  # an off-domain name is not even looked up
    refused = "\n".join(result.refused)
    for title in (
        "Internal service",
        "Other host name",
        "IPv6 loopback",
        "Hex address",
        "Another domain",
        "Redirect to the service",
        "Redirect with user info",
        "Local file",
    ):
        assert f"item 5 {title}: " in refused, title
    assert len(result.refused) == 8 and all("\n" not in line for line in result.refused)
    assert (
        f"http://127.0.0.1:{internal.port}/secret.txt: not on the site's own host or the council's domain "
        "(example.gov.uk)" in refused
    )
    assert "Elsewhere.pdf redirects to http://127.0.0.1:" in refused
    assert "file:///etc/passwd: not an http(s) address" in refused
    # the council's own file server is allowed, but dead: one line, and the harvest went on
    assert (
        len(result.failures) == 1 and "item 5 Dead file server: files.example.gov.uk:" in result.failures[0]
    )
    assert "cannot connect: ConnectError" in result.failures[0]


def test_the_command_names_each_refused_link_and_finishes(servers, tmp_path, capsys, monkeypatch):
    from api.cli import main

    site, internal = servers
    for key, value in {
        "HARVEST_DELAY": "0",
        "HARVEST_RETRIES": "0",
        "HARVEST_TIMEOUT": "2",
        "CONTACT": "x@example.org",
    }.items():
        monkeypatch.setenv(f"COUNCILPAPERS_{key}", value)
    argv = [
        "harvest",
        "--site",
        f"http://127.0.0.1:{site.port}/",
        "--council",
        "Example City Council",
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-31",
        "--store",
        str(tmp_path / "store"),
        "--no-index",
    ]
    refused = main(argv)  # a loopback site without --allow-private: refused before any request
    err = capsys.readouterr().err
    assert refused == 1 and site.log == [] and err.count("\n") == 1
    assert (
        f"--site: http://127.0.0.1:{site.port}/: 127.0.0.1 is a loopback address; harvesting one needs "
        "--allow-private" in err
    )
    code = main([*argv, "--allow-private"])
    out, err = capsys.readouterr()
    assert internal.log == []
    # the council's file server is another host of a site known by its address alone: refused too
    assert "2 links to 2 documents" in out and "9 refused, 0 failed" in out and code == 0
    assert out.count("refused: meeting 101: item 5 ") == 9 and "error" not in err


def test_the_policy_refuses_internal_addresses_after_dns_without_connecting():
    asked: list[str] = []
    resolve = stub_resolver(
        {
            "democracy.example.gov.uk": ["93.184.216.34"],
            "www.example.gov.uk": ["93.184.216.35"],
            "files.example.gov.uk": ["10.1.2.3"],
            "meta.example.gov.uk": ["169.254.169.254"],
            "mixed.example.gov.uk": ["93.184.216.36", "127.0.0.1"],
            "v6.example.gov.uk": ["::ffff:192.168.0.7"],
            "cgnat.example.gov.uk": ["100.64.1.1"],
        },
        asked,
    )
    policy = FetchPolicy.for_site("https://democracy.example.gov.uk/", resolve=resolve)
    ok = [
        "https://democracy.example.gov.uk/documents/s1/Report.pdf",
        "http://democracy.example.gov.uk/a.pdf",
        "https://www.example.gov.uk/moderngov/b.pdf",
    ]
    assert [policy.refusal(u) for u in ok] == [None, None, None]
    refused = {
        "https://files.example.gov.uk/a.pdf": "files.example.gov.uk (10.1.2.3) is a private address",
        "https://meta.example.gov.uk/latest": "(169.254.169.254) is a link-local address",
        "https://mixed.example.gov.uk/a.pdf": "(127.0.0.1) is a loopback address",
        "https://v6.example.gov.uk/a.pdf": "is a private address",
        "https://cgnat.example.gov.uk/a.pdf": "is not a public address",
        "https://democracy.example.gov.uk:8443/a.pdf": "not on the site's own host",
        "https://example.moderngov.co.uk/a.pdf": "not on the site's own host",
        "http://169.254.169.254/latest/meta-data/": "not on the site's own host",
        "https://democracy.example.gov.uk.evil.example/a.pdf": "not on the site's own host",
        "ftp://democracy.example.gov.uk/a.pdf": "not an http(s) address",
    }
    for url, why in refused.items():
        assert why in (policy.refusal(url) or ""), url
    assert not {"example.moderngov.co.uk", "democracy.example.gov.uk.evil.example"} & set(asked)
    # allowed on an intranet, and hosts the user names
    assert (
        FetchPolicy.for_site(
            "https://democracy.example.gov.uk/", allow_private=True, resolve=resolve
        ).refusal("https://files.example.gov.uk/a.pdf")
        is None
    )
    named = FetchPolicy.for_site(
        "https://democracy.example.gov.uk/",
        hosts=["example.moderngov.co.uk"],
        resolve=stub_resolver({"example.moderngov.co.uk": ["93.184.216.40"]}, []),
    )
    assert named.refusal("https://example.moderngov.co.uk/a.pdf") is None
    # a hosted ModernGov site opens its own host, not every council's on the hosting domain
    hosted = FetchPolicy.for_site("https://leeds.moderngov.co.uk/", resolve=resolve)
    assert "not on the site's own host" in (hosted.refusal("https://york.moderngov.co.uk/a.pdf") or "")


def test_a_name_that_changes_its_answer_is_checked_again_at_connect_time(servers):
    """DNS rebinding: public at the check, loopback when connecting. Both answers point at loopback-only
    places (a stub public address is never connected to; localhost is what an unguarded client would use)."""
    site, _ = servers
    answers = iter([["93.184.216.34"]] + [["127.0.0.1"]] * 10)
    policy = FetchPolicy.for_site(f"http://localhost:{site.port}/", resolve=lambda host, port: next(answers))
    fetcher = Fetcher(Settings(harvest_delay=0.0, harvest_timeout=2.0, harvest_retries=0), policy)
    try:
        with pytest.raises(Blocked, match=r"localhost \(127\.0\.0\.1\) is a loopback address"):
            fetcher.get(f"http://localhost:{site.port}/documents/s1/Report.pdf")
    finally:
        fetcher.close()
    time.sleep(0.05)
    assert site.log == []  # no request reached the loopback server
