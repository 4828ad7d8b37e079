"""Sending e-mail through an SMTP server (the standard library's smtplib), configured by one URL.

`COUNCILPAPERS_SMTP_URL`: "smtp://host:port" (port 25 by default; STARTTLS when the server offers it),
"smtps://host:port" (TLS from the start, port 465 by default); "user:password@" before the host logs
in (percent-encode reserved characters). `COUNCILPAPERS_MAIL_FROM` is the From address.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from ingest.settings import Settings

SMTP_TIMEOUT = 30.0  # seconds for each SMTP command; a server slower than this is treated as down
# an address as people type it: RFC 5322's unquoted ASCII local part, one @, a dotted domain (IDN as
# punycode); no spaces, line breaks or angle brackets, so it cannot add a header
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)


class MailError(ValueError):
    """E-mail cannot be sent as configured, or an address is not one: one line naming the setting or field."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    tls: bool  # TLS from the start (smtps)
    user: str | None
    password: str | None


def normalise_address(text: str) -> str:
    """An e-mail address as stored: trimmed, its domain in lower case; MailError when it is not one."""
    address = text.strip()
    if len(address) > 254 or not _ADDRESS.fullmatch(address):
        raise MailError(f"email: {text[:80]!r} is not an e-mail address")
    local, domain = address.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def smtp_server(settings: Settings) -> SmtpServer:
    """The server of COUNCILPAPERS_SMTP_URL, or MailError saying what is missing or wrong."""
    if not settings.smtp_url:
        raise MailError("e-mail is not set up: set COUNCILPAPERS_SMTP_URL (smtp://host:port)")
    if not settings.mail_from:
        raise MailError("e-mail is not set up: set COUNCILPAPERS_MAIL_FROM (the From address)")
    normalise_address(settings.mail_from)
    parts = urlsplit(settings.smtp_url)
    try:
        port = parts.port
    except ValueError:
        raise MailError(f"COUNCILPAPERS_SMTP_URL: bad port in {_shown(settings.smtp_url)}") from None
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise MailError(
            f"COUNCILPAPERS_SMTP_URL: {_shown(settings.smtp_url)} is not smtp://host:port or smtps://"
        )
    tls = parts.scheme == "smtps"
    return SmtpServer(
        parts.hostname,
        port or (465 if tls else 25),
        tls,
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
    )


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    return url.replace(f":{parts.password}@", ":***@") if parts.password else url


def message(
    settings: Settings,
    to: str,
    subject: str,
    text: str,
    html: str,
    headers: dict[str, str] | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """A multipart/alternative e-mail (plain text first, then HTML) from COUNCILPAPERS_MAIL_FROM."""
    msg = EmailMessage()
    msg["From"] = Address("councilpapers", addr_spec=settings.mail_from)
    msg["To"] = to
    msg["Subject"] = " ".join(subject.split())  # names come from users: no line break gets into a header
    msg["Message-ID"] = message_id or new_message_id(settings)
    for key, value in (headers or {}).items():
        msg[key] = value
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def new_message_id(settings: Settings) -> str:
    return make_msgid("councilpapers", domain=settings.mail_from.rsplit("@", 1)[-1] or None)


def send(settings: Settings, messages: list[EmailMessage]) -> list[str | None]:
    """Send each message over one connection: for each, None when the server took it, else why not."""
    with connection(settings) as deliver:
        return [deliver(msg) for msg in messages]


@contextmanager
def connection(settings: Settings) -> Iterator[Callable[[EmailMessage], str | None]]:
    """`deliver(message)` -> None when the server took it, else why not (one line). It connects at the first
    message (none sent: no connection); once the server cannot be reached, every later message fails alike."""
    server = smtp_server(settings)
    smtp: smtplib.SMTP | None = None
    broken: str | None = None

    def deliver(msg: EmailMessage) -> str | None:
        nonlocal smtp, broken
        if broken:
            return broken
        try:
            smtp = smtp or _connect(server)
            refused = smtp.send_message(msg)
            return f"refused by the server: {', '.join(refused)}" if refused else None
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as e:
            return f"refused by the server: {_why(e)}"
        except (smtplib.SMTPException, OSError) as e:
            broken = f"SMTP {server.host}:{server.port}: {_why(e)}"
            return broken

    try:
        yield deliver
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


def _connect(server: SmtpServer) -> smtplib.SMTP:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if server.tls:
        smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=SMTP_TIMEOUT, context=context)
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT)
    try:
        smtp.ehlo()
        if not server.tls and smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
        if server.user:
            smtp.login(server.user, server.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _why(e: BaseException) -> str:
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{a}: {code} {msg.decode(errors='replace')}" for a, (code, msg) in e.recipients.items()
        )
    if isinstance(e, smtplib.SMTPResponseException):
        return f"{e.smtp_code} {e.smtp_error.decode(errors='replace') if isinstance(e.smtp_error, bytes) else e.smtp_error}"
    return f"{type(e).__name__}: {e}"[:300]
