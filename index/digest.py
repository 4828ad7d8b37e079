"""The e-mails of saved searches: a digest of what is new for one address, and the confirmation of a
subscription. Plain text and HTML (index/templates/*.txt, *.html); every link is absolute under
COUNCILPAPERS_PUBLIC_URL (index.links), so e-mail needs that setting."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jinja2

from index.alerts import citation, describe
from index.links import absolute, paper_path, published_link
from index.mail import MailError, message
from index.readable import uk_date
from index.store.alerts import Alert, Match, Recipient
from ingest.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"


QUOTE_CHARS = 300  # of the cited passage, in the e-mail
EXPIRE_DAYS = 7  # an unconfirmed subscription lapses after this many days (index.subscriptions)
HOW_OFTEN = MappingProxyType(
    {"now": "after each update of the papers", "daily": "at most once a day", "weekly": "at most once a week"}
)


@dataclass(frozen=True)
class _Cited:
    title: str | None
    source: str
    council: str | None
    committee: str | None
    meeting_date: str | None
    citation: str
    quote: str
    link: str
    published: str | None


def public_base(settings: Settings) -> str:
    base = absolute(settings.public_url, "")
    if base is None:
        raise MailError("e-mail needs COUNCILPAPERS_PUBLIC_URL (the address of this site) for its links")
    return base


def unsubscribe_link(settings: Settings, token: str, every_alert: bool = False) -> str:
    return f"{public_base(settings)}/subscriptions/{token}/unsubscribe" + ("?all=1" if every_alert else "")


def confirm_link(settings: Settings, token: str) -> str:
    return f"{public_base(settings)}/subscriptions/{token}/confirm"


def digest_message(
    settings: Settings,
    email: str,
    items: list[tuple[Match, Recipient]],
    alerts: dict[int, Alert],
    message_id: str,
) -> EmailMessage:
    """One e-mail for one address: each saved search's new papers, each citing its passage, with links to
    read it and to stop that saved search (or every one to this address)."""
    base = public_base(settings)
    groups: dict[int, dict[str, Any]] = {}
    for m, r in items:
        alert = alerts[m.alert_id]
        group = groups.setdefault(
            m.alert_id,
            {
                "alert": alert,
                "description": _about(alert),
                "matches": [],
                "unsubscribe": unsubscribe_link(settings, r.token),
            },
        )
        link = absolute(settings.public_url, paper_path(m.document_id, m.passage)) or base
        quote = " ".join(m.text.split())
        group["matches"].append(
            _Cited(
                m.title,
                m.source,
                m.council,
                m.committee,
                m.meeting_date,
                citation(m),
                quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …",
                link,
                published_link(m.source, m.page),
            )
        )
    papers = sum(len(g["matches"]) for g in groups.values())
    names = [g["alert"].name for g in groups.values()]
    subject = (
        f"{papers} new council paper{'s' if papers != 1 else ''} for “{names[0]}”"
        if len(names) == 1
        else f"{papers} new council papers for {len(names)} of your alerts"
    )
    all_link = unsubscribe_link(settings, items[0][1].token, every_alert=True)
    context = {
        "groups": list(groups.values()),
        "email": email,
        "public_url": base,
        "subject": subject,
        "unsubscribe_all": all_link,
    }
    return message(
        settings,
        email,
        subject,
        _render("digest.txt", context),
        _render("digest.html", context),
        {
            "List-Unsubscribe": f"<{all_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
        message_id,
    )


def _about(alert: Alert) -> str:
    """What the saved search looks for, when that says more than its name ("" when it does not)."""
    about = describe(alert)
    return "" if about == f'"{alert.name}"' else about


def confirmation_message(settings: Settings, alert: Alert, recipient: Recipient) -> EmailMessage:
    context = {
        "alert": alert,
        "email": recipient.email,
        "description": _about(alert),
        "how_often": HOW_OFTEN.get(recipient.every, recipient.every),
        "confirm": confirm_link(settings, recipient.token),
        "public_url": public_base(settings),
        "expire_days": EXPIRE_DAYS,
    }
    return message(
        settings,
        recipient.email,
        f"Confirm your councilpapers alert “{alert.name}”",
        _render("confirm.txt", context),
        _render("confirm.html", context),
        {"Auto-Submitted": "auto-generated"},
    )


def _render(name: str, context: dict[str, Any]) -> str:
    return _templates().get_template(name).render(context)


@lru_cache(maxsize=4)
def _templates(folder: Path = TEMPLATES) -> jinja2.Environment:
    """The e-mail templates of a folder, loaded once a folder."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["ukdate"] = uk_date
    return env
