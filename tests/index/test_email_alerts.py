"""E-mail digests of saved searches through a real SMTP server on loopback (aiosmtpd, tests/smtp.py): one
digest per address with what is new, sent once; failures kept and sent next run; how often; the CLI."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from api.cli import main
from index.alerts import AlertSpec, add_alert
from index.store import Store
from index.store.alerts import Match
from index.subscriptions import send_mail
from ingest.settings import Settings
from tests.index.alert_papers import YOUTH_VIOLENCE, write
from tests.smtp import Inbox, html_of, smtp_server, text_of

ROOT = Path(__file__).resolve().parents[2]
THREE_RIVERS = ROOT / "corpus" / "004_ff393e8c3870aa40.txt"
PUBLIC = "https://papers.kennetvale.example.org"
FROM = "alerts@papers.kennetvale.example.org"
LINK = re.compile(r"https?://[^\s\"<>]+")


def mail_env(monkeypatch: pytest.MonkeyPatch, inbox: Inbox) -> None:
    monkeypatch.setenv("COUNCILPAPERS_SMTP_URL", inbox.url)
    monkeypatch.setenv("COUNCILPAPERS_MAIL_FROM", FROM)
    monkeypatch.setenv("COUNCILPAPERS_PUBLIC_URL", PUBLIC)
    monkeypatch.setenv("COUNCILPAPERS_WORKERS", "1")


def mail_settings(store: Path, inbox: Inbox, **more: object) -> Settings:
    return Settings(store=store, workers=1, smtp_url=inbox.url, mail_from=FROM, public_url=PUBLIC, **more)


def match(alert_id: int, doc: str, title: str, found_at: str = "2026-12-07T09:00:00+00:00") -> Match:
    return Match(
        alert_id,
        doc,
        title,
        f"{doc}.pdf",
        "Kennet Vale Borough Council",
        "Cabinet",
        "2026-11-18",
        4,
        2,
        "3.2",
        f"{title}: the CCTV network of 42 cameras is being upgraded.",
        0.6,
        found_at,
    )


def test_an_email_alert_sends_one_digest_naming_the_new_paper_then_nothing(
    tmp_path, monkeypatch, capsys
) -> None:
    store = str(tmp_path / "store")
    with smtp_server() as inbox:
        mail_env(monkeypatch, inbox)
        assert (
            main(
                [
                    "alerts",
                    "add",
                    "--query",
                    "serious violence and exploitation",
                    "--email",
                    "reader@example.org",
                    "--store",
                    store,
                ]
            )
            == 0
        )
        assert f"feed {PUBLIC}/feeds/1.atom; e-mail to reader@example.org (now)" in capsys.readouterr().out
        assert main(["ingest", "--quiet", "--store", store, str(THREE_RIVERS)]) == 0
        assert main(["alerts", "run", "--store", store]) == 0
        out = capsys.readouterr().out
        assert (
            f"  {PUBLIC}/app/papers/" in out
            and "(Three Rivers District Council, Local Strategic Partnership, 13 March 2019)" in out
            and "e-mail: digest to reader@example.org (1 paper): sent" in out
        )
        [msg] = inbox.take()
        assert msg["To"] == "reader@example.org" and FROM in msg["From"] and msg["Message-ID"]
        assert msg["Subject"] == "1 new council paper for “serious violence and exploitation”"
        text, html = text_of(msg), html_of(msg)
        for part in (text, html):
            assert "Three Rivers Serious Violence and Exploitation Public Health Framework" in part
            assert "Three Rivers District Council" in part and "Local Strategic Partnership" in part
            assert "13 March 2019" in part and "Serious Violence and Exploitation" in part
        links = LINK.findall(text)
        assert [u for u in links if u.startswith(f"{PUBLIC}/app/papers/")], links
        unsubscribe = [u for u in links if u.startswith(f"{PUBLIC}/subscriptions/") and "/unsubscribe" in u]
        assert len(unsubscribe) == 2 and all(u in html for u in unsubscribe)  # this alert; every alert
        assert msg["List-Unsubscribe"] == f"<{unsubscribe[1]}>" and msg["List-Unsubscribe-Post"]

        assert main(["alerts", "run", "--store", store]) == 0  # a second run: nothing new, nothing sent
        assert inbox.take() == [] and "nothing new since the last run" in capsys.readouterr().out

        # the unsubscribe link works with no login, and stops the e-mail (the saved search stays, as the CLI made it)
        from fastapi.testclient import TestClient

        from api.app import create_app

        with TestClient(create_app(Settings(store=Path(store)))) as client:
            page = client.get(unsubscribe[0].removeprefix(PUBLIC))
            assert page.status_code == 200 and "That alert is stopped" in page.text
        more = write(tmp_path / "more", YOUTH_VIOLENCE)
        assert main(["ingest", "--quiet", "--store", store, str(more[0])]) == 0
        assert main(["alerts", "run", "--store", store]) == 0
        out = capsys.readouterr().out
        assert "Marlow Heath District Council" in out and "e-mail:" not in out and inbox.take() == []


def test_a_digest_that_fails_is_sent_next_run_and_only_once(tmp_path, capsys) -> None:
    with smtp_server() as inbox:
        settings = mail_settings(tmp_path / "store", inbox)
        with Store.open(settings) as store:
            a = add_alert(store, AlertSpec(query="CCTV", email="reader@example.org"), settings)
            b = add_alert(store, AlertSpec(theme="asb", email="reader@example.org", every="daily"), settings)
            other = add_alert(store, AlertSpec(query="CCTV", email="clerk@example.org"), settings)
            store.alerts().record(
                [
                    match(a.id, "d1", "Town Centre Safety Update"),
                    match(b.id, "d1", "Town Centre Safety Update"),
                    match(other.id, "d1", "Town Centre Safety Update"),
                ]
            )
            inbox.refuse = True  # the server answers 451 to every message
            failed = send_mail(store, settings)
            assert [(o.email, o.papers, o.error) for o in failed] == [
                ("reader@example.org", 2, "refused by the server: 451 4.3.0 try again later"),
                ("clerk@example.org", 1, "refused by the server: 451 4.3.0 try again later"),
            ]
            inbox.refuse = False
            store.alerts().record(
                [match(a.id, "d2", "Night-time Economy Review")]
            )  # new since: joins the digest
            sent = send_mail(store, settings)
            assert sorted((o.email, o.papers, o.error) for o in sent) == [
                ("clerk@example.org", 1, None),
                ("reader@example.org", 3, None),
            ]
            reader = inbox.to("reader@example.org")
            assert len(reader) == 1 and reader[0]["Subject"] == "3 new council papers for 2 of your alerts"
            text = text_of(reader[0])
            assert text.count("* Town Centre Safety Update") == 2 and "* Night-time Economy Review" in text
            assert send_mail(store, settings) == [] and len(inbox.take()) == 2  # nothing twice


def test_the_cli_says_when_mail_cannot_go_and_keeps_it(tmp_path, monkeypatch, capsys) -> None:
    store = tmp_path / "store"
    with Store.open(Settings(store=store)) as s:
        a = add_alert(s, AlertSpec(query="CCTV", email="reader@example.org"))
        s.alerts().record([match(a.id, "d1", "Town Centre Safety Update")])
    assert main(["alerts", "run", "--store", str(store)]) == 1  # no COUNCILPAPERS_SMTP_URL
    assert (
        "e-mail: digest to reader@example.org: not sent, retried next run: e-mail is not set up: set"
        " COUNCILPAPERS_SMTP_URL (smtp://host:port)" in capsys.readouterr().out
    )
    with smtp_server() as inbox:
        mail_env(monkeypatch, inbox)
        monkeypatch.setenv("COUNCILPAPERS_SMTP_URL", "smtp://127.0.0.1:1")  # nothing listens there
        assert main(["alerts", "run", "--store", str(store), "--no-webhook"]) == 1
        assert (
            "not sent, retried next run: SMTP 127.0.0.1:1: ConnectionRefusedError" in capsys.readouterr().out
        )
        monkeypatch.setenv("COUNCILPAPERS_SMTP_URL", inbox.url)
        assert main(["alerts", "run", "--store", str(store), "--json"]) == 0
        assert '"kind": "digest", "papers": 1, "error": null' in capsys.readouterr().out
        assert len(inbox.to("reader@example.org")) == 1


def test_daily_and_weekly_recipients_get_at_most_one_digest_a_period(tmp_path) -> None:
    t0 = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
    with smtp_server() as inbox:
        settings = mail_settings(tmp_path / "store", inbox)
        with Store.open(settings) as store:
            daily = add_alert(
                store, AlertSpec(query="CCTV", email="daily@example.org", every="daily"), settings
            )
            weekly = add_alert(
                store, AlertSpec(query="CCTV", email="weekly@example.org", every="weekly"), settings
            )
            sent: list[tuple[str, int]] = []

            def run(at: datetime, *docs: str) -> list[tuple[str, int]]:
                store.alerts().record([match(x.id, d, d) for d in docs for x in (daily, weekly)])
                return sorted(
                    (o.email, o.papers) for o in send_mail(store, settings, now=at) if o.error is None
                )

            sent += run(t0, "d1")  # never sent before: both go now
            assert sent == [("daily@example.org", 1), ("weekly@example.org", 1)]
            assert run(t0 + timedelta(hours=3), "d2") == []
            assert run(t0 + timedelta(days=1) - timedelta(seconds=30), "d3") == [
                ("daily@example.org", 2)
            ]  # cron early
            assert run(t0 + timedelta(days=3)) == []  # nothing new for daily; weekly waits
            assert run(t0 + timedelta(days=7), "d4") == [("daily@example.org", 1), ("weekly@example.org", 3)]
        assert len(inbox.messages) == 5


def test_a_digest_being_sent_by_one_run_is_left_alone_by_another(tmp_path) -> None:
    """Two `alerts run` at once: the digest claimed by the first is not sent by the second, unless the first
    stopped (its claim older than CLAIM_MINUTES), so nothing goes twice and nothing is lost."""
    from index.subscriptions import CLAIM_MINUTES

    t0 = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
    with smtp_server() as inbox:
        settings = mail_settings(tmp_path / "store", inbox)
        with Store.open(settings) as store:
            a = add_alert(store, AlertSpec(query="CCTV", email="reader@example.org"), settings)
            store.alerts().record([match(a.id, "d1", "Town Centre Safety Update")])
            at = t0.isoformat(timespec="seconds")
            [claimed] = store.alerts().queue_and_claim(
                {}, at, at, lambda: "<m1@example.org>"
            )  # run 1, then killed
            assert send_mail(store, settings, now=t0 + timedelta(minutes=1)) == [] and inbox.messages == []
            [taken_over] = send_mail(store, settings, now=t0 + timedelta(minutes=CLAIM_MINUTES + 1))
            assert taken_over.error is None and [m["Message-ID"] for m in inbox.take()] == [
                "<m1@example.org>"
            ]
            assert send_mail(store, settings, now=t0 + timedelta(hours=2)) == [] and inbox.messages == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # loopback only, in the test
def test_smtp_urls_with_a_login_and_tls(tmp_path) -> None:
    from index.mail import MailError, SmtpServer, send
    from index.mail import smtp_server as server_of

    s = Settings(
        store=tmp_path, smtp_url="smtps://alerts%40kv:p%40ss%3Aword@mail.kennetvale.example", mail_from=FROM
    )
    assert server_of(s) == SmtpServer("mail.kennetvale.example", 465, True, "alerts@kv", "p@ss:word")
    assert server_of(s.model_copy(update={"smtp_url": "smtp://mail.example:2525"})).port == 2525
    for url, why in (
        ("http://mail.example", "is not smtp://host:port or smtps://"),
        ("smtp://u:pw@mail.example:99999", "bad port"),
    ):
        with pytest.raises(MailError, match=f"^COUNCILPAPERS_SMTP_URL: .*{re.escape(why)}"):
            server_of(s.model_copy(update={"smtp_url": url}))
    with pytest.raises(MailError, match="not set up: set COUNCILPAPERS_MAIL_FROM"):
        server_of(s.model_copy(update={"mail_from": ""}))
    with smtp_server(login=("alerts", "s3cret pass")) as inbox:
        from index.mail import message

        good = s.model_copy(update={"smtp_url": f"smtp://alerts:s3cret%20pass@127.0.0.1:{inbox.port}"})
        assert send(good, [message(good, "reader@example.org", "Hello", "text", "<p>html</p>")]) == [None]
        assert inbox.logins == [("alerts", "s3cret pass")] and len(inbox.messages) == 1
        bad = good.model_copy(update={"smtp_url": f"smtp://alerts:wrong@127.0.0.1:{inbox.port}"})
        [error] = send(bad, [message(bad, "reader@example.org", "Hello", "text", "<p>html</p>")])
        assert error and error.startswith(f"SMTP 127.0.0.1:{inbox.port}: 535") and "wrong" not in error


def test_a_digest_shows_paper_text_and_names_as_text_not_markup(tmp_path) -> None:
    from index.digest import digest_message

    settings = Settings(store=tmp_path, smtp_url="smtp://127.0.0.1:1", mail_from=FROM, public_url=PUBLIC)
    with Store.open(settings) as store:
        a = add_alert(
            store,
            AlertSpec(
                query="CCTV <b>now</b>", name="cameras\r\nBcc: all@example.org", email="reader@example.org"
            ),
            settings,
        )
        hostile = Match(
            a.id,
            "d1",
            'Report <script>alert("x")</script>',
            "https://democracy.example.gov.uk/r.pdf",
            "Kennet Vale Borough Council",
            "Cabinet",
            "2026-11-18",
            2,
            3,
            "3.2",
            'CCTV <img src=x onerror=alert(1)> & "quotes"',
            0.6,
            "2026-12-07T09:00:00+00:00",
        )
        [r] = store.alerts().recipients_of("reader@example.org")
        msg = digest_message(settings, "reader@example.org", [(hostile, r)], {a.id: a}, "<m@example.org>")
    html = html_of(msg)
    assert (
        "<script>" not in html
        and "&lt;script&gt;" in html
        and "<img" not in html
        and "&amp; &#34;quotes&#34;" in html
    )
    assert msg["Subject"] == "1 new council paper for “cameras Bcc: all@example.org”" and msg["Bcc"] is None
    # the council's copy, at the cited page, beside this site's page
    assert (
        "https://democracy.example.gov.uk/r.pdf#page=3" in text_of(msg)
        and f"{PUBLIC}/app/papers/d1#p2" in html
    )
