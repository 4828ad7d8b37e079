"""E-mail alerts: subscribing without the API key (confirmed by a link), unsubscribing by a link, and
sending each address one digest of what is new.

A subscription is a saved search with an e-mail recipient (alert_recipients). Made by `subscribe`
(POST /subscriptions) it waits for its confirmation link and lapses unconfirmed after a week; made with
`alerts add --email` it is confirmed at once. `send_mail` (run by `alerts run`) sends the confirmations
still to send and the digests: it writes each digest to the outbox (with its matches, each in one
digest only) before sending it and marks it sent after, in the store's transactions, so nothing is sent
twice and a failed digest is sent again next run. (A run killed between the server taking a digest
and recording it sends that digest again, with the same Message-ID.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING

from index.alerts import AlertSpec, add_alert
from index.digest import EXPIRE_DAYS, confirmation_message, digest_message, public_base
from index.mail import MailError, connection, new_message_id, normalise_address, send, smtp_server
from index.store.alerts import Alert, Recipient
from ingest.settings import Settings

if TYPE_CHECKING:
    from index.store import Store

# how long after the last digest an address's next one may go; an hour short of the period, so a daily
# cron job a few seconds early still sends
SLACK = timedelta(hours=1)
PERIODS = MappingProxyType({"daily": timedelta(days=1) - SLACK, "weekly": timedelta(days=7) - SLACK})
CLAIM_MINUTES = 15  # a digest claimed by a run that has not finished it after this long is taken over


@dataclass(frozen=True)
class Subscribed:
    alert: Alert
    recipient: Recipient
    confirmation: str  # "sent", "already confirmed", or why it was not sent (retried by `alerts run`)


@dataclass(frozen=True)
class MailOutcome:
    email: str
    kind: str  # confirmation | digest
    papers: int  # in a digest
    error: str | None  # None: the server took it


def mail_ready(settings: Settings) -> None:
    """MailError (one line naming the setting) unless e-mail can be sent with links in it."""
    smtp_server(settings)
    public_base(settings)


def subscribe(store: Store, spec: AlertSpec, settings: Settings) -> Subscribed:
    """An unconfirmed subscription, and its confirmation e-mail sent (the same subscription asked for again
    sends the confirmation again, or nothing once confirmed). AlertError/MailError for bad input or no
    e-mail set up."""
    mail_ready(settings)
    email = normalise_address(spec.email or "")
    for r in store.alerts().recipients_of(email):
        alert = store.alerts().get(r.alert_id)
        if alert and r.origin == "web" and _same(alert, spec):
            return Subscribed(
                alert, r, "already confirmed" if r.confirmed_at else _confirm(store, settings, alert, r)
            )
    alert = add_alert(
        store,
        AlertSpec(
            query=spec.query,
            councils=spec.councils,
            committees=spec.committees,
            theme=spec.theme,
            entity=spec.entity,
            name=spec.name,
            email=email,
            every=spec.every,
        ),
        settings,
        origin="web",
    )
    r = next(r for r in store.alerts().recipients_of(email) if r.alert_id == alert.id)
    return Subscribed(alert, r, _confirm(store, settings, alert, r))


def _same(alert: Alert, spec: AlertSpec) -> bool:
    return (alert.query, set(alert.councils), set(alert.committees), alert.theme, alert.entity) == (
        " ".join(spec.query.split()),
        {c.strip() for c in spec.councils if c.strip()},
        {c.strip() for c in spec.committees if c.strip()},
        (spec.theme or "").strip() or None,
        (spec.entity or "").strip() or None,
    )


def _confirm(store: Store, settings: Settings, alert: Alert, r: Recipient) -> str:
    error = send(settings, [confirmation_message(settings, alert, r)])[0]
    if error:
        return f"not sent yet ({error})"
    store.alerts().confirmation_sent(r.alert_id, _iso(_now()))
    return "sent"


def confirm(store: Store, token: str, now: datetime | None = None) -> Recipient | None:
    """Confirm the subscription of the link's token (again: no change); None for an unknown token."""
    if not store.alerts().recipient(token):
        return None
    return store.alerts().confirm(token, _iso(now or _now()))


def unsubscribe(store: Store, token: str, every_alert: bool = False) -> list[int] | None:
    """Stop the e-mail of the link's subscription (or of every one to its address); the saved searches
    ids it stopped, or None for an unknown token (already unsubscribed, or never)."""
    r = store.alerts().recipient(token)
    if r is None:
        return None
    ids = [x.alert_id for x in store.alerts().recipients_of(r.email)] if every_alert else [r.alert_id]
    store.alerts().remove_recipients(ids)
    return ids


def send_mail(store: Store, settings: Settings, now: datetime | None = None) -> list[MailOutcome]:
    """Send the confirmations still to send and each address's digest of what is new (what its alerts'
    `every` lets go now). Nothing to send: nothing is asked of the mail server."""
    table = store.alerts()
    at = now or _now()
    table.expire_unconfirmed(_iso(at - timedelta(days=EXPIRE_DAYS)))
    pending = table.unconfirmed()
    due = {every: _iso(at - period) for every, period in PERIODS.items()}
    claimed = table.queue_and_claim(
        due, _iso(at), _iso(at - timedelta(minutes=CLAIM_MINUTES)), lambda: new_message_id(settings)
    )
    if not pending and not claimed:
        return []
    try:
        mail_ready(settings)
    except MailError as e:
        for d in claimed:
            table.digest_failed(d.id, str(e))
        return [MailOutcome(r.email, "confirmation", 0, str(e)) for r in pending] + [
            MailOutcome(d.email, "digest", 0, str(e)) for d in claimed
        ]
    out = []
    alerts = {a.id: a for a in table.all()}
    with connection(settings) as deliver:  # each send recorded as soon as the server has taken it
        for r in pending:
            error = deliver(confirmation_message(settings, alerts[r.alert_id], r))
            if not error:
                table.confirmation_sent(r.alert_id, _iso(at))
            out.append(MailOutcome(r.email, "confirmation", 0, error))
        for d in claimed:
            items = table.digest_matches(d.id)
            if not items:  # every alert in it was stopped since it was written
                table.drop_digest(d.id)
                continue
            error = deliver(digest_message(settings, d.email, items, alerts, d.message_id))
            if error:
                table.digest_failed(d.id, error)
            else:
                table.digest_sent(d.id, _iso(at), sorted({m.alert_id for m, _ in items}))
            out.append(MailOutcome(d.email, "digest", len(items), error))
    return out


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds")
