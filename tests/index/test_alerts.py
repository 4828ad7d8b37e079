"""Saved searches: matched by each ingest against the papers it added, once, with citations; digests,
webhooks, the CLI, the API and the Atom feed (parsed by feedparser)."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from index.alerts import AlertError, AlertSpec, add_alert, run_alerts
from index.store import Store
from index.store.alerts import Match
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpus").glob("0*.txt"))
REPORT = ROOT / "corpus" / "src-bcc-0003_committee-report-workplace-parking-levy-2024-09-12.pdf"
API_KEY = "alerts-key-7d1"


def by_alert(matches: list[Match]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for m in matches:
        out.setdefault(m.alert_id, set()).add(Path(m.source).name)
    return out


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """Saved searches made on an empty store, then: three papers; the same again; two more and a PDF."""
    from index.pipeline import ingest_paths

    settings = Settings(store=tmp_path_factory.mktemp("alerts") / "store", workers=1, api_key=API_KEY)
    with Store.open(settings) as store:
        ids = {
            name: add_alert(store, spec).id
            for name, spec in {
                "pspo": AlertSpec(query="PSPO"),
                "wpl": AlertSpec(query="workplace parking levy"),
                "liberal": AlertSpec(entity="Operation Liberal"),
                "abuse": AlertSpec(
                    theme="domestic_abuse", councils=("Test Valley Borough Council", "herefordshire council")
                ),
                "nonsense": AlertSpec(query="quantum chromodynamics of baroque opera"),
            }.items()
        }
    first = ingest_paths(SEEDS[:3], settings, progress=False)
    again = ingest_paths(SEEDS[:3], settings, progress=False)
    with Store.open(settings) as store:
        reported = run_alerts(store, settings)
        rerun = run_alerts(store, settings)
    third = ingest_paths([*SEEDS, REPORT], settings, progress=False)
    return settings, ids, first, again, reported, rerun, third


def test_a_saved_search_reports_exactly_the_new_relevant_papers(story) -> None:
    settings, ids, first, *_ = story
    assert not first.failures and first.papers == 3
    assert by_alert(first.alerts) == {
        ids["pspo"]: {SEEDS[1].name},
        ids["liberal"]: {SEEDS[1].name},
        ids["abuse"]: {SEEDS[1].name},
    }  # no parking levy, no opera; one council
    pspo = next(m for m in first.alerts if m.alert_id == ids["pspo"])
    assert "Public Space Protection Order" in pspo.text and pspo.paragraph == "3" and pspo.score >= 0.35
    liberal = next(m for m in first.alerts if m.alert_id == ids["liberal"])
    assert liberal.council == "Test Valley Borough Council" and liberal.passage is not None


def test_an_unchanged_ingest_reports_nothing_and_a_later_one_only_its_new_papers(story) -> None:
    settings, ids, first, again, reported, rerun, third = story
    assert again.papers == 0 and again.alerts == []
    assert by_alert(third.alerts) == {ids["wpl"]: {REPORT.name}, ids["abuse"]: {SEEDS[3].name}}
    wpl = next(m for m in third.alerts if m.alert_id == ids["wpl"])
    assert wpl.page is not None and "parking levy" in wpl.text.lower()


def test_alerts_run_reports_what_is_new_since_the_last_run(story, capsys) -> None:
    settings, ids, first, again, reported, rerun, third = story
    assert {d.alert.id: len(d.matches) for d in reported if d.matches} == {
        ids["pspo"]: 1,
        ids["liberal"]: 1,
        ids["abuse"]: 1,
    }
    assert all(not d.matches for d in rerun)
    from api.cli import main

    assert main(["alerts", "run", "--store", str(settings.store), "--no-webhook"]) == 0
    out = capsys.readouterr().out
    assert 'saved search 2 "workplace parking levy": 1 new' in out and ", p. " in out
    assert "/app/papers/" in out and "PSPO" not in out  # reported before: not again
    assert main(["alerts", "run", "--store", str(settings.store)]) == 0
    assert "nothing new since the last run" in capsys.readouterr().out


def test_the_atom_feed_parses_and_cites_each_match(story) -> None:
    import feedparser
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings, ids, *_ = story
    with TestClient(create_app(settings)) as client:
        resp = client.get(f"/feeds/{ids['abuse']}.atom")
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/atom+xml")
        feed = feedparser.parse(resp.content)
        assert not feed.bozo and feed.version == "atom10"
        assert feed.feed.title == "councilpapers: Domestic abuse (incl. domestic homicide reviews, MARAC)"
        assert len(feed.entries) == 2
        titles = " ".join(e.title for e in feed.entries)
        assert "Test Valley Borough Council" in titles and "Herefordshire Council" in titles
        assert all("/app/papers/" in e.link and e.summary for e in feed.entries)
        assert client.get("/feeds/999.atom").status_code == 404
        listed = client.get("/alerts").json()["alerts"]
        assert [a["id"] for a in listed] == sorted(ids.values())
        detail = client.get(f"/alerts/{ids['wpl']}").json()
        assert [m["document_id"] for m in detail["matches"]] and detail["matches"][0]["url"].startswith(
            "/app/papers/"
        )


def test_api_writes_need_the_key_and_bad_specs_are_one_line(story) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings, *_ = story
    with TestClient(create_app(settings)) as client:
        assert client.post("/alerts", json={"query": "knife crime"}).status_code == 401
        made = client.post(
            "/alerts",
            json={"query": "knife crime", "councils": ["Hampshire County Council"]},
            headers={"X-API-Key": API_KEY},
        )
        assert made.status_code == 201 and made.json()["feed"] == f"/feeds/{made.json()['id']}.atom"
        bad = client.post("/alerts", json={"theme": "nope"}, headers={"X-API-Key": API_KEY})
        assert bad.status_code == 400 and bad.json()["error"]["field"] == "theme"
        assert client.delete(f"/alerts/{made.json()['id']}").status_code == 401
        assert (
            client.delete(f"/alerts/{made.json()['id']}", headers={"X-API-Key": API_KEY}).status_code == 200
        )
        assert client.get(f"/alerts/{made.json()['id']}").status_code == 404


def test_bad_saved_searches_are_refused(tmp_path) -> None:
    with Store.open(Settings(store=tmp_path / "s")) as store:
        with pytest.raises(AlertError, match="give words to search for"):
            add_alert(store, AlertSpec(councils=(" ",), name="nothing"))
        with pytest.raises(AlertError, match="^webhook: 'ftp://x' is not an http"):
            add_alert(store, AlertSpec(query="x", webhook="ftp://x"))
        with pytest.raises(AlertError, match="^email: 'reader@' is not an e-mail address"):
            add_alert(store, AlertSpec(query="x", email="reader@"))
        with pytest.raises(AlertError, match="^email: .* is not an e-mail address"):
            add_alert(store, AlertSpec(query="x", email="a@b.org\r\nBcc: c@d.org"))  # no header injection
        with pytest.raises(AlertError, match="^every: 'hourly' is not one of now, daily, weekly"):
            add_alert(store, AlertSpec(query="x", email="a@b.org", every="hourly"))
        council = add_alert(
            store, AlertSpec(councils=("Kennet Vale Borough Council",))
        )  # every new paper of it
        assert council.name == "Kennet Vale Borough Council" and not council.query


class Hook(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, statuses: list[int]) -> None:
        super().__init__(("127.0.0.1", 0), HookHandler)
        self.statuses = statuses  # answered in turn; the last one from then on
        self.bodies: list[dict] = []
        self.hosts: list[str] = []  # the Host header of each POST
        self.url = f"http://127.0.0.1:{self.server_address[1]}/hook"


class HookHandler(BaseHTTPRequestHandler):
    server: Hook

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        self.server.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.server.hosts.append(self.headers["Host"])
        status = self.server.statuses[min(len(self.server.bodies), len(self.server.statuses)) - 1]
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def hooks():  # noqa: ANN201
    made: list[Hook] = []

    def make(statuses: list[int]) -> Hook:
        server = Hook(statuses)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        made.append(server)
        return server

    yield make
    for server in made:
        server.shutdown()
        server.server_close()


def test_webhooks_are_retried_and_a_failed_one_is_sent_again(tmp_path, hooks) -> None:
    # the test servers are on loopback, which webhooks may reach only with the allow-private setting
    settings = Settings(
        store=tmp_path / "s",
        webhook_retries=2,
        webhook_backoff=0.01,
        webhook_timeout=2.0,
        webhook_allow_private=True,
    )
    flaky, down = hooks([500, 200]), hooks([503])
    with Store.open(settings) as store:
        a = add_alert(store, AlertSpec(query="parking", webhook=flaky.url), settings)
        b = add_alert(store, AlertSpec(query="parking", webhook=down.url), settings)
        match = Match(
            0,
            "d1",
            "A paper",
            "a.pdf",
            "Bristol City Council",
            "Cabinet",
            "2025-01-15",
            3,
            2,
            "4.1",
            "Workplace parking...",
            0.6,
            "2026-01-01T00:00:00+00:00",
        )
        store.alerts().record(
            [Match(**{**match.__dict__, "alert_id": a.id}), Match(**{**match.__dict__, "alert_id": b.id})]
        )
        digests = {d.alert.id: d for d in run_alerts(store, settings)}
        assert digests[a.id].webhook == "sent (HTTP 200)" and len(flaky.bodies) == 2  # one retry
        assert (
            flaky.bodies[1]["new"][0]["document_id"] == "d1"
            and flaky.bodies[1]["alert"]["query"] == "parking"
        )
        assert digests[b.id].webhook.startswith("failed: HTTP 503") and len(down.bodies) == 3
        again = {d.alert.id: d for d in run_alerts(store, settings)}
        assert not again[a.id].matches and len(again[b.id].matches) == 1  # the failed digest is sent again


def test_the_pages_follow_a_search_and_show_its_matches_and_feed(story) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings, ids, *_ = story
    with TestClient(create_app(settings)) as client:
        page = client.get(
            "/app/search", params={"q": "domestic abuse", "council": "Herefordshire Council"}
        ).text
        assert 'action="/app/alerts"' in page and 'name="council" value="Herefordshire Council"' in page
        refused = client.post("/app/alerts", data={"query": "domestic abuse", "api_key": "wrong"})
        assert refused.status_code == 403 and "wrong API key" in refused.text
        made = client.post(
            "/app/alerts",
            data={"query": "domestic abuse", "council": "Herefordshire Council", "api_key": API_KEY},
            follow_redirects=False,
        )
        assert made.status_code == 303 and made.headers["location"].startswith("/app/alerts/")
        shown = client.get(made.headers["location"]).text
        assert "domestic abuse" in shown and "No paper has matched yet" in shown and ".atom" in shown
        abuse = client.get(f"/app/alerts/{ids['abuse']}").text
        assert "2 papers matched" in abuse and "Herefordshire Council" in abuse and "/app/papers/" in abuse
        # dates as people read them ("found 7 December 2026, 16:53"), never an ISO time stamp
        assert re.search(r"found \d{1,2} [A-Z][a-z]+ 20\d\d, \d\d:\d\d<", abuse) and not re.search(
            r"\d-\d\dT\d", abuse
        )
        assert "16 September 2024" in abuse  # the Herefordshire paper's meeting
        assert f'href="/feeds/{ids["abuse"]}.atom"' in abuse
        listing = client.get("/app/alerts").text
        assert all(f'href="/app/alerts/{i}"' in listing for i in ids.values())
        entity = client.get("/app/entities/operation:operation liberal").text
        assert 'name="entity" value="Operation Liberal"' in entity
        client.delete(made.headers["location"].replace("/app", ""), headers={"X-API-Key": API_KEY})


def test_an_upload_is_matched_like_an_ingest(story) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings, ids, *_ = story
    paper = (
        "Anytown Borough Council\nCommunity Safety Committee\n\n1. Public Spaces Protection Order\n\n"
        "1.1 The Public Spaces Protection Order (PSPO) for the town centre was renewed for three years to "
        "tackle street drinking and anti-social behaviour, after a public consultation.\n"
    )
    with TestClient(create_app(settings)) as client:
        made = client.post(
            "/documents",
            files={"file": ("pspo.txt", paper.encode(), "text/plain")},
            headers={"X-API-Key": API_KEY},
        )
        assert made.status_code == 201
        matches = client.get(f"/alerts/{ids['pspo']}").json()["matches"]
        assert made.json()["document"]["id"] in {m["document_id"] for m in matches}
        wpl = client.get(f"/alerts/{ids['wpl']}").json()["matches"]
        assert made.json()["document"]["id"] not in {m["document_id"] for m in wpl}


# ---- webhooks reach only public addresses (issue #30, item 8) -------------------------------------------
# No test sends anything to a non-loopback address: refusals are decided by the address classifier, on IP
# literals or names a stub resolver answers, before any connection.

INTERNAL = [
    "http://127.0.0.1:9/hook",
    "http://localhost/hook",
    "http://0x7f000001/hook",
    "http://[::1]:8080/",
    "http://10.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://2130706433/",
    "http://127.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://192.168.1.20/",
    "http://172.16.5.4/",
    "http://[fe80::1]/",
    "http://0.0.0.0/",
    "http://100.64.0.1/",
    "http://api.localhost/",
    "https://user:secret@hooks.internal.example/x",
    "http://metadata.example/",
]
STUB_DNS = {
    "hooks.internal.example": ["10.0.0.1"],
    "metadata.example": ["93.184.216.34", "169.254.169.254"],
    "hooks.example.org": ["93.184.216.34"],
    "hook.test": ["127.0.0.1"],
}


def stub_resolver(answers: dict[str, list[str]]):  # noqa: ANN201
    def resolve(host: str, port: int) -> list[str]:
        if host not in answers:
            raise OSError(f"[Errno -2] Name or service not known: {host}")
        return answers[host]

    return resolve


@pytest.mark.parametrize("url", INTERNAL)
def test_a_webhook_to_an_internal_address_is_refused_when_made(tmp_path, url: str) -> None:
    with Store.open(Settings(store=tmp_path / "s")) as store:
        with pytest.raises(
            AlertError,
            match=r"^webhook: .* is a (loopback|private|link-local|unspecified|non-public)"
            r" address: refused \(unless COUNCILPAPERS_WEBHOOK_ALLOW_PRIVATE is set\)$",
        ):
            add_alert(
                store,
                AlertSpec(query="x", webhook=url),
                Settings(store=tmp_path / "s"),
                resolve=stub_resolver(STUB_DNS),
            )
        assert store.alerts().all() == []


def test_the_address_classifier_reads_every_form_of_an_address() -> None:
    from ingest.netguard import check_url, why_internal

    resolve = stub_resolver(STUB_DNS)
    assert check_url("https://hooks.example.org/in", resolve=resolve).addresses == ("93.184.216.34",)
    assert check_url("https://93.184.216.34:8443/in", resolve=resolve).port == 8443
    assert check_url("http://[2606:4700::1111]/", resolve=resolve).addresses == ("2606:4700::1111",)
    for literal in ("0x7f000001", "2130706433", "127.1", "017700000001"):  # read without asking DNS
        target = check_url(f"http://{literal}/", allow_private=True, resolve=stub_resolver({}))
        assert target.addresses == ("127.0.0.1",)
    import ipaddress

    assert why_internal(ipaddress.ip_address("2002:7f00:1::1")) == "loopback"  # 6to4 carrying 127.0.0.1
    assert why_internal(ipaddress.ip_address("169.254.169.254")) == "link-local"
    from ingest.netguard import AddressRefused

    with pytest.raises(AddressRefused, match="^nowhere.example: cannot be resolved"):
        check_url("http://nowhere.example/", resolve=resolve)
    # the request goes to the address checked, not to whatever DNS answers next
    assert (
        check_url("https://u:p@hooks.example.org:8443/in?x=1", resolve=resolve).pinned_url()
        == "https://u:p@93.184.216.34:8443/in?x=1"
    )


def test_a_webhook_that_resolves_inside_by_send_time_is_refused_then(tmp_path) -> None:
    settings = Settings(store=tmp_path / "s", webhook_retries=0)
    with Store.open(settings) as store:
        a = add_alert(
            store,
            AlertSpec(query="parking", webhook="https://hooks.example.org/in"),
            settings,
            resolve=stub_resolver(STUB_DNS),
        )
        store.alerts().record(
            [
                Match(
                    a.id,
                    "d1",
                    "A paper",
                    "a.pdf",
                    "Bristol City Council",
                    "Cabinet",
                    "2025-01-15",
                    3,
                    2,
                    "4.1",
                    "Workplace parking...",
                    0.6,
                    "2026-01-01T00:00:00+00:00",
                )
            ]
        )
        rebound = stub_resolver(
            {"hooks.example.org": ["169.254.169.254"]}
        )  # DNS now points at the metadata service
        [digest] = run_alerts(store, settings, resolve=rebound)
        assert digest.webhook == (
            "failed: hooks.example.org (169.254.169.254) is a link-local address:"
            " refused (unless COUNCILPAPERS_WEBHOOK_ALLOW_PRIVATE is set)"
        )
        assert len(store.alerts().matches(a.id, unreported=True)) == 1  # kept for the next run


def test_allowed_private_webhooks_go_to_the_address_checked_with_the_name_as_host(tmp_path, hooks) -> None:
    settings = Settings(store=tmp_path / "s", webhook_allow_private=True, webhook_retries=0)
    hook = hooks([204])
    url = hook.url.replace(
        "127.0.0.1", "hook.test"
    )  # a name only the stub resolver knows: pinned to 127.0.0.1
    with Store.open(settings) as store:
        a = add_alert(
            store, AlertSpec(query="parking", webhook=url), settings, resolve=stub_resolver(STUB_DNS)
        )
        store.alerts().record(
            [
                Match(
                    a.id,
                    "d1",
                    "A paper",
                    "a.pdf",
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    "t",
                    None,
                    "2026-01-01T00:00:00+00:00",
                )
            ]
        )
        [digest] = run_alerts(store, settings, resolve=stub_resolver(STUB_DNS))
    assert digest.webhook == "sent (HTTP 204)" and hook.hosts == [f"hook.test:{hook.server_address[1]}"]


def test_webhook_urls_and_email_subscriptions_show_only_with_the_key(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings = Settings(store=tmp_path / "s", api_key=API_KEY)
    secret = "https://user:s3cret@hooks.example.org/in"
    with Store.open(settings) as store:
        hooked = add_alert(
            store, AlertSpec(query="parking", webhook=secret), settings, resolve=stub_resolver(STUB_DNS)
        )
        mailed = add_alert(store, AlertSpec(query="knife crime", email="reader@example.org"), settings)
    with TestClient(create_app(settings)) as client:
        for path in (
            "/alerts",
            f"/alerts/{hooked.id}",
            "/app/alerts",
            f"/app/alerts/{hooked.id}",
            f"/feeds/{hooked.id}.atom",
        ):
            shown = client.get(path)
            assert (
                shown.status_code == 200
                and "s3cret" not in shown.text
                and "hooks.example.org" not in shown.text
            )
            assert "reader@example.org" not in shown.text and "knife crime" not in shown.text, path
        assert client.get("/alerts").json()["alerts"][0]["webhook"] is None
        for path in (f"/alerts/{mailed.id}", f"/app/alerts/{mailed.id}", f"/feeds/{mailed.id}.atom"):
            assert client.get(path).status_code == 404, path
        wrong = client.get("/alerts", headers={"X-API-Key": "wrong"}).json()["alerts"]
        assert [a["id"] for a in wrong] == [hooked.id] and wrong[0]["webhook"] is None
        full = client.get("/alerts", headers={"X-API-Key": API_KEY}).json()["alerts"]
        assert [(a["webhook"], a["email"], a["every"], a["confirmed"]) for a in full] == [
            (secret, None, None, False),
            (None, "reader@example.org", "now", True),
        ]
        assert client.get(f"/alerts/{mailed.id}", headers={"X-API-Key": API_KEY}).status_code == 200
        refused = client.post(
            "/alerts",
            json={"query": "x", "webhook": "http://169.254.169.254/"},
            headers={"X-API-Key": API_KEY},
        )
        assert refused.status_code == 400 and refused.json()["error"]["field"] == "webhook"


# ---- matches that are right ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def town_centre(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """Saved searches on a theme and on a word, then a new paper whose passages are about anti-social
    behaviour (its paper-level themes, the stated priorities, are none)."""
    from index.pipeline import ingest_paths
    from ingest.manifest import given_for
    from tests.index.alert_papers import TOWN_CENTRE, write

    settings = Settings(store=tmp_path_factory.mktemp("town") / "store", workers=1)
    with Store.open(settings) as store:
        ids = {
            "asb": add_alert(store, AlertSpec(theme="asb")).id,
            "cctv": add_alert(store, AlertSpec(query="CCTV")).id,
            "fly": add_alert(store, AlertSpec(theme="environmental_crime")).id,
            "council": add_alert(store, AlertSpec(councils=("kennet vale borough council",))).id,
        }
    files = write(tmp_path_factory.mktemp("papers"), TOWN_CENTRE)
    summary = ingest_paths(files, settings, given=given_for(files), progress=False)
    assert not summary.failures
    return settings, ids, {m.alert_id: m for m in summary.alerts}


def test_a_theme_alert_matches_a_new_paper_as_search_s_theme_filter_does(town_centre) -> None:
    from index.search import SearchFilters, search

    settings, ids, found = town_centre
    with Store.open(settings) as store:
        [doc] = store.alerts().papers([m.document_id for m in found.values()])
        assert store.get_document(doc).themes == ()  # no stated priority: only its passages are on the theme
        on_theme = {
            r.document
            for r in search(
                store,
                "young people in the town centre",
                settings=settings,
                filters=SearchFilters(theme="asb"),
            )
        }
        off_theme = search(
            store,
            "young people in the town centre",
            settings=settings,
            filters=SearchFilters(theme="environmental_crime"),
        )
    assert on_theme == {doc} and off_theme == []
    asb = found[ids["asb"]]
    assert asb.paragraph == "3.1" and "anti-social behaviour" in asb.text and asb.score is not None
    assert ids["fly"] not in found  # nothing about fly-tipping: no match, as search's filter finds none


def test_the_cited_passage_is_the_one_that_matches_best(town_centre) -> None:
    settings, ids, found = town_centre
    cctv = found[ids["cctv"]]
    # 3.3 (shop radios and the control room) is nearer "CCTV" by meaning alone; 3.2 is about CCTV
    assert cctv.paragraph == "3.2" and "CCTV" in cctv.text and cctv.score >= 0.35


def test_a_council_alert_matches_each_new_paper_of_the_council(town_centre) -> None:
    settings, ids, found = town_centre
    m = found[ids["council"]]
    assert m.council == "Kennet Vale Borough Council" and m.title == "Town Centre Safety Update"
    assert m.paragraph == "1.1" and m.text.startswith("To update the Committee")
