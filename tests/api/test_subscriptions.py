"""Subscribing by e-mail without the API key (POST /subscriptions and the Follow form), against a real SMTP
server on loopback: confirmation e-mail, no digest before confirming, the unsubscribe link stops it; rate
limits; what is refused and why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.store import Store
from index.subscriptions import send_mail
from ingest.settings import Settings
from tests.index.alert_papers import YOUTH_VIOLENCE, write
from tests.smtp import Inbox, html_of, smtp_server, text_of

ROOT = Path(__file__).resolve().parents[2]
THREE_RIVERS = ROOT / "corpus" / "004_ff393e8c3870aa40.txt"
PUBLIC = "https://papers.kennetvale.example.org"
FROM = "alerts@papers.kennetvale.example.org"
KEY = "subscriptions-key-81c"
QUERY = "criminal exploitation of young people"


def settings_for(store: Path, inbox: Inbox | None, **more: object) -> Settings:
    mail = {"smtp_url": inbox.url, "mail_from": FROM, "public_url": PUBLIC} if inbox else {}
    return Settings(store=store, workers=1, **{"api_key": KEY, **mail, **more})


def ingest(settings: Settings, files: list[Path]) -> None:
    from index.pipeline import ingest_paths
    from ingest.manifest import given_for

    assert not ingest_paths(files, settings, given=given_for(files), progress=False).failures


def link(msg, kind: str) -> str:  # noqa: ANN001
    [found] = {u for u in re.findall(rf"{re.escape(PUBLIC)}/subscriptions/[\w-]+/{kind}\b", text_of(msg))}
    return found.removeprefix(PUBLIC)


def test_subscribe_without_a_key_confirm_get_digests_and_unsubscribe(tmp_path) -> None:
    from api.app import create_app

    with smtp_server() as inbox:
        settings = settings_for(tmp_path / "store", inbox)
        with TestClient(create_app(settings)) as client:
            made = client.post("/subscriptions", json={"email": " Reader@Example.ORG", "query": QUERY})
            assert made.status_code == 202 and made.json()["email"] == "Reader@example.org"
            [confirmation] = inbox.take()
            assert confirmation["To"] == "Reader@example.org" and "Confirm" in confirmation["Subject"]
            confirm = link(confirmation, "confirm")
            assert f"{PUBLIC}{confirm}" in html_of(confirmation) and QUERY in text_of(confirmation)
            # someone else follows the same words, and confirms: the control
            assert (
                client.post("/subscriptions", json={"email": "clerk@example.org", "query": QUERY}).status_code
                == 202
            )
            assert client.get(link(inbox.take()[0], "confirm")).status_code == 200

            ingest(settings, [THREE_RIVERS])
            with Store.open(settings) as store:
                send_mail(store, settings)
            assert [m["To"] for m in inbox.take()] == ["clerk@example.org"]  # not confirmed: no digest

            page = client.get(confirm)
            assert (
                page.status_code == 200
                and "Alert confirmed" in page.text
                and "Reader@example.org" in page.text
            )
            with Store.open(settings) as store:
                send_mail(store, settings)
            [digest] = inbox.take()
            assert digest["To"] == "Reader@example.org" and "Three Rivers District Council" in text_of(digest)
            assert f"{PUBLIC}/app/papers/" in text_of(digest)  # the match found before confirming comes now

            stop = client.get(link(digest, "unsubscribe"))  # no key, no login
            assert stop.status_code == 200 and "That alert is stopped" in stop.text
            assert client.get(link(digest, "unsubscribe")).status_code == 200  # twice: still fine
            ingest(settings, write(tmp_path / "more", YOUTH_VIOLENCE))
            with Store.open(settings) as store:
                send_mail(store, settings)
                assert {r.email for r in store.alerts().recipients_of("Reader@example.org")} == set()
            [control] = inbox.take()
            assert control["To"] == "clerk@example.org" and "Marlow Heath District Council" in text_of(
                control
            )


def test_the_one_click_unsubscribe_of_mail_programs_stops_every_alert_to_the_address(tmp_path) -> None:
    from api.app import create_app

    with smtp_server() as inbox:
        settings = settings_for(tmp_path / "store", inbox)
        with TestClient(create_app(settings)) as client:
            for query in ("knife crime", "county lines"):
                assert (
                    client.post(
                        "/subscriptions", json={"email": "r@example.org", "query": query, "every": "weekly"}
                    ).status_code
                    == 202
                )
            tokens = [link(m, "confirm").split("/")[2] for m in inbox.take()]
            assert all(client.get(f"/subscriptions/{t}/confirm").status_code == 200 for t in tokens)
            gone = client.post(
                f"/subscriptions/{tokens[0]}/unsubscribe?all=1", data={"List-Unsubscribe": "One-Click"}
            )
            assert gone.status_code == 200 and "2 alerts are stopped" in gone.text
        with Store.open(settings) as store:
            assert store.alerts().recipients_of("r@example.org") == [] and store.alerts().all() == []
        with TestClient(create_app(settings)) as client:
            unknown = client.get(f"/subscriptions/{tokens[1]}/confirm")
            assert unknown.status_code == 404 and "Link not known" in unknown.text


def test_subscriptions_are_rate_limited_per_address_and_per_client(tmp_path) -> None:
    from api.app import create_app

    with smtp_server() as inbox:
        settings = settings_for(tmp_path / "store", inbox, subscribe_per_address=2, subscribe_per_client=4)
        with TestClient(create_app(settings)) as client:
            asks = [
                client.post("/subscriptions", json={"email": "r@example.org", "query": f"topic {n}"})
                for n in range(3)
            ]
            assert [r.status_code for r in asks] == [202, 202, 429]
            assert (
                asks[2].json()["error"]["message"]
                == "too many subscriptions for this e-mail address; try again later"
            )
            assert 3000 <= int(asks[2].headers["retry-after"]) <= 3600
            others = [
                client.post("/subscriptions", json={"email": f"p{n}@example.org", "query": "x"}).status_code
                for n in range(3)
            ]
            assert others == [202, 429, 429]  # the client's fourth ask (the refused one counted too)
            assert len(inbox.take()) == 3  # one confirmation per accepted subscription, no more


def test_what_subscribing_refuses(tmp_path) -> None:
    from api.app import create_app

    with TestClient(create_app(settings_for(tmp_path / "off", None))) as client:  # no SMTP set up
        off = client.post("/subscriptions", json={"email": "r@example.org", "query": "x"})
        assert off.status_code == 503 and off.json()["error"]["message"].startswith(
            "e-mail is not set up: set COUNCILPAPERS_SMTP_URL"
        )
    with smtp_server() as inbox:
        settings = settings_for(tmp_path / "store", inbox)
        with TestClient(create_app(settings)) as client:
            cases = [
                ({"email": "not-an-address", "query": "x"}, 400, "email"),
                ({"email": "r@example.org"}, 400, "query"),
                ({"email": "r@example.org", "theme": "nope"}, 400, "theme"),
                ({"email": "r@example.org", "query": "x", "every": "hourly"}, 422, "every"),
            ]
            for body, status, field in cases:
                r = client.post("/subscriptions", json=body)
                assert (r.status_code, r.json()["error"]["field"]) == (status, field), body
            # a webhook cannot be set without the key: the field is not taken
            assert (
                client.post(
                    "/subscriptions",
                    json={"email": "r@example.org", "query": "x", "webhook": "http://127.0.0.1:9/"},
                ).status_code
                == 202
            )
            with Store.open(settings) as store:
                assert [a.webhook for a in store.alerts().all()] == [None]
            # deleting papers and saved searches still needs the key
            assert client.delete("/alerts/1").status_code == 401
            assert client.delete("/documents/0123456789abcdef").status_code == 401


def test_the_follow_form_subscribes_by_email_when_no_key_is_given(tmp_path) -> None:
    from api.app import create_app

    with smtp_server() as inbox:
        settings = settings_for(tmp_path / "store", inbox, api_key="")
        with TestClient(create_app(settings)) as client:
            page = client.get(
                "/app/search", params={"q": "county lines", "council": "Marlow Heath District Council"}
            ).text
            assert 'action="/app/subscriptions"' in page and 'name="email"' in page
            assert 'action="/app/alerts"' not in page  # no key on this server: no key form
            done = client.post(
                "/app/subscriptions",
                data={
                    "email": "r@example.org",
                    "query": "county lines",
                    "council": "Marlow Heath District Council",
                    "every": "daily",
                },
            )
            assert done.status_code == 200 and "Check your inbox" in done.text
            [msg] = inbox.take()
            assert "Marlow Heath District Council" in text_of(msg) and "at most once a day" in text_of(msg)
            bad = client.post("/app/subscriptions", data={"email": "nope", "query": "county lines"})
            assert bad.status_code == 400 and "is not an e-mail address" in bad.text and "<html" in bad.text
    with TestClient(create_app(settings_for(tmp_path / "bare", None, api_key=""))) as client:
        page = client.get("/app/search", params={"q": "county lines"}).text
        assert "Following needs e-mail set up on this server" in page and '<form method="post"' not in page


@pytest.mark.parametrize(
    "value,shown",
    [
        ("2026-12-07T16:53:54+00:00", "7 December 2026, 16:53"),
        ("2026-07-07T16:53:54+00:00", "7 July 2026, 17:53"),
        ("2020-11-24", "24 November 2020"),
        ("soon", "soon"),
        (None, ""),
    ],
)
def test_dates_read_as_people_write_them(value: str | None, shown: str) -> None:
    from api.templating import uk_date

    assert uk_date(value) == shown
