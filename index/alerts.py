"""Saved searches ("alerts"): words with filters, an entity, a theme, or just councils and committees.

Each ingest (and so each harvest) evaluates every saved search against the papers it added, and records
each new match once, with the passage that matched best. A paper matches words only when one of its
passages is about them by search's own floor (index.search.QUERY_FLOOR: the cosine a query needs to
get any result); search's other way past the floor, a passage holding every word, is not enough here,
as a paper that merely mentions a word is not news. The passage cited is hybrid search's best in the
paper (the words themselves count there, not only the meaning). A theme matches the papers search's
theme filter lets through (index.reads.theme_filter_sql), citing the passage most about the theme.
`run_alerts` reports what is new since the last run, and POSTs a JSON digest to the saved search's
webhook (index.webhooks); e-mail digests are index.subscriptions; `atom_feed` is a saved search's feed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from index.links import absolute, paper_path
from index.mail import MailError, normalise_address
from index.reads import norm_name
from index.runtime import Runtime
from index.search import QUERY_FLOOR, SearchFilters, search
from index.store.alerts import Alert, AlertTable, Match, Recipient, now
from index.webhooks import check_webhook, post_digest
from ingest.netguard import AddressRefused, Resolver, system_resolver
from ingest.settings import Settings
from nlp.themes import theme_labels

if TYPE_CHECKING:
    from index.reads import DocumentDetail, PassageRow
    from index.store import Store

    Cited = tuple[PassageRow | None, float | None]  # the passage a match cites, and its score

CITED_CHARS = 600  # of the matching passage, kept with the match
EVERY = ("now", "daily", "weekly")  # how often an e-mail recipient gets a digest (at most)


class AlertError(ValueError):
    """A saved search that cannot be made: one line naming the field."""


@dataclass(frozen=True)
class AlertSpec:
    query: str = ""
    councils: tuple[str, ...] = ()
    committees: tuple[str, ...] = ()
    theme: str | None = None
    entity: str | None = None
    webhook: str | None = None
    name: str = ""
    email: str | None = None  # e-mail digests to this address (index.subscriptions)
    every: str = "now"


@dataclass(frozen=True)
class Digest:
    """What `run_alerts` found new for one saved search, and how its webhook went ("" when not asked)."""

    alert: Alert
    matches: tuple[Match, ...]
    webhook: str = ""


def add_alert(
    store: Store,
    spec: AlertSpec,
    settings: Settings | None = None,
    *,
    origin: str = "cli",
    token: str | None = None,
    resolve: Resolver = system_resolver,
) -> Alert:
    """Save a search. An e-mail recipient made here (origin "cli") is confirmed at once; one made by
    subscribing (origin "web", index.subscriptions) waits for its confirmation link."""
    import secrets

    settings = settings or Settings()
    query, entity = " ".join(spec.query.split()), (spec.entity or "").strip() or None
    theme = (spec.theme or "").strip() or None
    clean = lambda values: tuple(dict.fromkeys(v.strip() for v in values if v.strip()))  # noqa: E731
    councils, committees = clean(spec.councils), clean(spec.committees)
    if not (query or entity or theme or councils or committees):
        raise AlertError("give words to search for (query), an entity, a theme, a council or a committee")
    if theme and theme not in theme_labels():
        raise AlertError(f"theme: {theme!r} is not a theme id (known: {', '.join(sorted(theme_labels()))})")
    if spec.webhook:
        try:
            check_webhook(spec.webhook, settings, resolve)
        except AddressRefused as e:
            raise AlertError(str(e)) from None
    if spec.every not in EVERY:
        raise AlertError(f"every: {spec.every!r} is not one of {', '.join(EVERY)}")
    recipient = None
    if spec.email:
        try:
            email = normalise_address(spec.email)
        except MailError as e:
            raise AlertError(str(e)) from None
        at = now()
        recipient = Recipient(
            0,
            email,
            spec.every,
            token or secrets.token_urlsafe(24),
            origin,
            at,
            at if origin == "cli" else None,
            None,
            None,
        )
    name = (
        " ".join(spec.name.split())
        or query
        or " ".join((entity or "").split())
        or theme_labels().get(theme or "", "")
        or " / ".join(councils + committees)
    )
    return store.alerts().add(
        name, query, councils, committees, theme, entity, spec.webhook or None, recipient
    )


def evaluate(store: Store, doc_ids: list[str], settings: Settings) -> list[Match]:
    """Match every saved search against these (newly added) papers; record and return the new matches."""
    table = store.alerts()
    alerts = table.all()
    if not alerts or not doc_ids:
        return []
    with Runtime(settings, queries=False) as runtime:  # one model, vectors and threads for all its searches
        return table.record(_matches(store, table, alerts, doc_ids, runtime))


def _matches(
    store: Store, table: AlertTable, alerts: list[Alert], doc_ids: list[str], runtime: Runtime
) -> list[Match]:
    papers = table.papers(doc_ids)
    on_theme = {t: table.on_theme(list(papers), t) for t in {a.theme for a in alerts if a.theme}}
    found: list[Match] = []
    for doc_id, paper in papers.items():
        detail: DocumentDetail | None = None
        cited: dict[tuple[str, str | None, str | None], Cited | None] = {}  # saved searches alike search once
        for alert in alerts:
            if not _within(alert, paper) or (alert.theme and doc_id not in on_theme[alert.theme]):
                continue
            key = (alert.query, alert.theme, alert.entity)
            if key not in cited:
                detail = detail or store.get_document(doc_id)
                cited[key] = _cite(store, alert, detail, runtime) if detail else None
            if cited[key] is not None:
                p, score = cited[key]  # type: ignore[misc]
                found.append(
                    Match(
                        alert.id,
                        doc_id,
                        paper["title"],
                        paper["source"],
                        paper["council"],
                        paper["committee"],
                        paper["meeting_date"],
                        p.index if p else None,
                        p.page if p else None,
                        p.paragraph if p else None,
                        p.text[:CITED_CHARS] if p else "",
                        score,
                        now(),
                    )
                )
    return found


def after_ingest(store: Store, added: list[str], settings: Settings) -> tuple[list[Match], list[str]]:
    """`evaluate` for index.pipeline: (new matches, warnings); a failure here is a warning, not a failed ingest."""
    try:
        return evaluate(store, added, settings), []
    except Exception as e:  # noqa: BLE001 - the papers are stored; saved searches must not undo an ingest
        return [], [f"saved searches not evaluated: {type(e).__name__}: {str(e)[:160]}"]


def _within(alert: Alert, paper: dict[str, Any]) -> bool:
    def ok(wanted: tuple[str, ...], value: str | None) -> bool:
        return not wanted or (value or "").casefold() in {w.casefold() for w in wanted}

    return ok(alert.councils, paper["council"]) and ok(alert.committees, paper["committee"])


def _cite(store: Store, alert: Alert, detail: DocumentDetail, runtime: Runtime) -> Cited | None:
    """The passage to cite (and its score) of a paper already within the saved search's councils, committees
    and theme: the one that matches best; None when the paper is not about its words or does not name its
    entity."""
    doc_id = detail.document.id
    filters = SearchFilters(document=doc_id, theme=alert.theme, entity=alert.entity)
    if (
        alert.query
    ):  # a passage of the paper about the words: over search's semantic floor, not just naming them
        about = search(
            store, alert.query, settings=runtime.settings, mode="dense", k=1, filters=filters, runtime=runtime
        )
        if not about or about[0].score < QUERY_FLOOR:
            return None
        best = (
            search(
                store,
                alert.query,
                settings=runtime.settings,
                mode="hybrid",
                k=1,
                filters=filters,
                runtime=runtime,
            )
            or about
        )
        return detail.passages[best[0].passage], about[0].score
    if alert.entity:  # the paper names the entity: cite its first mention
        key = norm_name(alert.entity)
        named = [
            e
            for e in detail.entities
            if key in norm_name(e.name)
            or key == (e.acronym or "").lower()
            or key in {norm_name(f) for f in e.forms}
        ]
        mentions = sorted((m for e in named for m in e.mentions), key=lambda m: m.start)
        return (detail.passages[mentions[0].passage], None) if mentions else None
    if alert.theme:  # the passage most about the theme (a paper may state it as a priority only)
        hits = store.passage_themes([doc_id], [alert.theme])
        if hits:
            return detail.passages[hits[0].passage], hits[0].score

        found = search(
            store,
            theme_labels()[alert.theme],
            settings=runtime.settings,
            k=1,
            filters=filters,
            runtime=runtime,
        )
        if found:
            return detail.passages[found[0].passage], found[0].score
    # councils or committees only (or a stated theme search found nothing for): what the paper is for
    return _opening(detail.passages), None


def _opening(passages: tuple[PassageRow, ...]) -> PassageRow | None:
    """The passage saying what a paper is for: the first of its purpose or summary section (nlp.sections),
    else its first numbered paragraph, else its first passage that is not boilerplate."""
    real = [p for p in passages if not p.boilerplate] or list(passages)
    return (
        next((p for p in real if p.section == "purpose"), None)
        or next((p for p in real if p.paragraph), None)
        or (real[0] if real else None)
    )


def run_alerts(
    store: Store, settings: Settings, *, webhooks: bool = True, resolve: Resolver = system_resolver
) -> list[Digest]:
    """What each saved search matched since it was last run; those are then marked as reported.

    When a webhook fails (after its retries, or refused as internal), its matches stay unreported and are
    sent again next run."""
    table = store.alerts()
    digests = []
    for alert in table.all():
        new = table.matches(alert.id, limit=10_000, unreported=True)
        outcome = ""
        if new and alert.webhook and webhooks:
            outcome = post_digest(
                alert.webhook, digest_json(alert, new, settings.public_url), settings, resolve
            )
        if not outcome.startswith("failed"):
            table.mark_reported(alert.id, [m.document_id for m in new])
        digests.append(Digest(alert, tuple(new), outcome))
    return digests


def digest_json(alert: Alert, matches: list[Match], public_url: str = "") -> dict[str, Any]:
    return {"alert": alert_json(alert), "new": [match_json(m, public_url) for m in matches]}


def alert_json(alert: Alert, *, private: bool = True) -> dict[str, Any]:
    """The saved search as JSON; `private=False` (asked without the API key): no webhook URL, no address."""
    d = asdict(alert)
    d["councils"], d["committees"] = list(alert.councils), list(alert.committees)
    d["feed"] = f"/feeds/{alert.id}.atom"
    if not private:
        d["webhook"] = d["email"] = None
    return d


def match_json(m: Match, public_url: str = "") -> dict[str, Any]:
    """The match as JSON: `url` the paper page (relative), `link` it under COUNCILPAPERS_PUBLIC_URL (or null)."""
    return {**asdict(m), "url": paper_link(m), "link": absolute(public_url, paper_link(m))}


def paper_link(m: Match) -> str:
    return paper_path(m.document_id, m.passage)


def atom_feed(alert: Alert, matches: list[Match], base_url: str) -> bytes:
    """The saved search's Atom feed: one entry per matched paper, newest first, citing the passage."""
    from feedgen.feed import FeedGenerator

    base = base_url.rstrip("/")  # COUNCILPAPERS_PUBLIC_URL when set, else the URL the feed was asked at
    fg = FeedGenerator()
    fg.id(f"{base}/feeds/{alert.id}.atom")
    fg.title(f"councilpapers: {alert.name}")
    fg.author({"name": "councilpapers"})
    fg.link(href=f"{base}/feeds/{alert.id}.atom", rel="self", type="application/atom+xml")
    fg.link(href=f"{base}/app/search?q={quote(alert.query or alert.entity or alert.name)}", rel="alternate")
    fg.subtitle(describe(alert))
    fg.updated(datetime.fromisoformat(matches[0].found_at if matches else alert.created_at))
    for m in reversed(matches):  # feedgen puts the last added first
        fe = fg.add_entry()
        fe.id(f"{base}/feeds/{alert.id}/{m.document_id}")
        where = ", ".join(x for x in (m.council, m.committee, m.meeting_date) if x)
        fe.title(f"{m.title or m.source}" + (f" ({where})" if where else ""))
        fe.link(href=f"{base}{paper_link(m)}")
        fe.summary(f"{citation(m)}: {m.text}")
        fe.updated(datetime.fromisoformat(m.found_at))
    return fg.atom_str(pretty=True)


def citation(m: Match) -> str:
    parts = [m.title or m.source]
    if m.page is not None:
        parts.append(f"p. {m.page}")
    if m.paragraph:
        parts.append(f"para {m.paragraph}")
    return ", ".join(parts)


def describe(alert: Alert) -> str:
    bits = [f'"{alert.query}"'] if alert.query else []
    bits += [f"entity {alert.entity}"] if alert.entity else []
    bits += [f"theme {alert.theme}"] if alert.theme else []
    bits += [f"in {' or '.join(alert.councils)}"] if alert.councils else []
    bits += [f"committee {' or '.join(alert.committees)}"] if alert.committees else []
    return " ".join(bits)
