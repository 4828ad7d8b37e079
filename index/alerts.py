"""Saved searches ("alerts"): words with filters, an entity or a theme, within councils and committees.

Each ingest (and so each harvest) evaluates every saved search against the papers it added, and records
each new match once, with the passage that matched. A paper matches words only when one of its
passages is about them by search's own floor (index.search.QUERY_FLOOR: the cosine a query needs to
get any result); search's other way past the floor, a passage holding every word, is not enough here,
as a paper that merely mentions a word is not news. `run_alerts` reports what is new since the last run, and POSTs a JSON
digest to the saved search's webhook (with retries and a timeout); `atom_feed` is a saved search's feed.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from index.alertstore import Alert, Match, now
from index.links import paper_path
from ingest.settings import Settings

if TYPE_CHECKING:
    from index.store import Store

CITED_CHARS = 600  # of the matching passage, kept with the match


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


@dataclass(frozen=True)
class Digest:
    """What `run_alerts` found new for one saved search, and how its webhook went ("" when not asked)."""

    alert: Alert
    matches: tuple[Match, ...]
    webhook: str = ""


def add_alert(store: Store, spec: AlertSpec) -> Alert:
    from nlp.themes import theme_labels

    query, entity = " ".join(spec.query.split()), (spec.entity or "").strip() or None
    theme = (spec.theme or "").strip() or None
    if not (query or entity or theme):
        raise AlertError("give words to search for (query), an entity or a theme")
    if theme and theme not in theme_labels():
        raise AlertError(f"theme: {theme!r} is not a theme id (known: {', '.join(sorted(theme_labels()))})")
    if spec.webhook and (urlsplit(spec.webhook).scheme not in {"http", "https"} or not urlsplit(spec.webhook).netloc):
        raise AlertError(f"webhook: {spec.webhook!r} is not an http(s) address")
    clean = lambda values: tuple(dict.fromkeys(v.strip() for v in values if v.strip()))  # noqa: E731
    name = spec.name.strip() or query or entity or theme_labels().get(theme or "", "")
    return store.alerts().add(name, query, clean(spec.councils), clean(spec.committees), theme, entity,
                              spec.webhook or None)


def evaluate(store: Store, doc_ids: list[str], settings: Settings) -> list[Match]:
    """Match every saved search against these (newly added) papers; record and return the new matches."""
    table = store.alerts()
    alerts = table.all()
    if not alerts or not doc_ids:
        return []
    papers = table.papers(doc_ids)
    found: list[Match] = []
    for doc_id, paper in papers.items():
        for alert in alerts:
            if _within(alert, paper):
                m = _match(store, alert, doc_id, paper, settings)
                if m:
                    found.append(m)
    return table.record(found)


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


def _match(store: Store, alert: Alert, doc_id: str, paper: dict[str, Any], settings: Settings) -> Match | None:
    from index.reads import norm_name
    from index.search import QUERY_FLOOR, SearchFilters, search

    def cite(passage: int | None, page: int | None, paragraph: str | None, text: str, score: float | None) -> Match:
        return Match(alert.id, doc_id, paper["title"], paper["source"], paper["council"], paper["committee"],
                     paper["meeting_date"], passage, page, paragraph, text[:CITED_CHARS], score, now())

    filters = SearchFilters(document=doc_id, theme=alert.theme, entity=alert.entity)
    if alert.query:  # a passage of the paper about the words: over search's semantic floor, not just naming them
        hits = search(store, alert.query, settings=settings, mode="dense", k=1, filters=filters)
        if hits and hits[0].score >= QUERY_FLOOR:
            return cite(hits[0].passage, hits[0].page, hits[0].paragraph, hits[0].text, hits[0].score)
        return None
    detail = store.get_document(doc_id)
    if detail is None or (alert.theme and alert.theme not in detail.themes):
        return None
    if alert.entity:  # the paper names the entity: cite its first mention
        key = norm_name(alert.entity)
        named = [e for e in detail.entities if key in norm_name(e.name) or key == (e.acronym or "").lower()
                 or key in {norm_name(f) for f in e.forms}]
        mentions = sorted((m for e in named for m in e.mentions), key=lambda m: m.start)
        if not mentions:
            return None
        m = mentions[0]
        return cite(m.passage, m.page, m.paragraph, detail.passages[m.passage].text, None)
    from nlp.themes import theme_labels

    hits = search(store, theme_labels()[alert.theme or ""], settings=settings, k=1, filters=filters)
    if hits:
        return cite(hits[0].passage, hits[0].page, hits[0].paragraph, hits[0].text, hits[0].score)
    first = detail.passages[0] if detail.passages else None
    return cite(first.index if first else None, first.page if first else None, first.paragraph if first else None,
                first.text if first else "", None)


def run_alerts(store: Store, settings: Settings, *, webhooks: bool = True) -> list[Digest]:
    """What each saved search matched since it was last run; those are then marked as reported.

    When a webhook fails (after its retries), its matches stay unreported and are sent again next run."""
    table = store.alerts()
    digests = []
    for alert in table.all():
        new = table.matches(alert.id, limit=10_000, unreported=True)
        outcome = ""
        if new and alert.webhook and webhooks:
            outcome = post_digest(alert.webhook, digest_json(alert, new), settings)
        if not outcome.startswith("failed"):
            table.mark_reported(alert.id, [m.document_id for m in new])
        digests.append(Digest(alert, tuple(new), outcome))
    return digests


def digest_json(alert: Alert, matches: list[Match]) -> dict[str, Any]:
    return {"alert": alert_json(alert), "new": [match_json(m) for m in matches]}


def alert_json(alert: Alert) -> dict[str, Any]:
    d = asdict(alert)
    d["councils"], d["committees"] = list(alert.councils), list(alert.committees)
    d["feed"] = f"/feeds/{alert.id}.atom"
    return d


def match_json(m: Match) -> dict[str, Any]:
    return {**asdict(m), "url": paper_link(m)}


def paper_link(m: Match) -> str:
    return paper_path(m.document_id, m.passage)


def post_digest(url: str, payload: dict[str, Any], settings: Settings) -> str:
    """POST the digest as JSON; retried with back-off on errors and 5xx. "sent (HTTP n)" or "failed: why"."""
    import httpx
    from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

    class _Retry(Exception):
        pass

    try:
        for attempt in Retrying(stop=stop_after_attempt(max(0, settings.webhook_retries) + 1), reraise=True,
                                wait=wait_exponential(multiplier=settings.webhook_backoff, max=30),
                                retry=retry_if_exception_type((httpx.TransportError, _Retry))):
            with attempt:
                resp = httpx.post(url, json=payload, timeout=settings.webhook_timeout,
                                  headers={"User-Agent": "councilpapers alerts"})
                if resp.status_code >= 500 or resp.status_code == 429:
                    raise _Retry(f"HTTP {resp.status_code}")
        if resp.status_code >= 400:
            return f"failed: HTTP {resp.status_code} from {url}"
        return f"sent (HTTP {resp.status_code})"
    except _Retry as e:
        return f"failed: {e} from {url} after {settings.webhook_retries + 1} tries"
    except httpx.TransportError as e:
        return f"failed: {type(e).__name__} posting to {url} after {settings.webhook_retries + 1} tries"


def atom_feed(alert: Alert, matches: list[Match], base_url: str) -> bytes:
    """The saved search's Atom feed: one entry per matched paper, newest first, citing the passage."""
    from feedgen.feed import FeedGenerator

    base = base_url.rstrip("/")
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
