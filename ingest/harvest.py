"""Harvest a ModernGov site: committees -> meetings -> agenda items -> public documents, into the store.

Documents are saved as `<store>/files/<content-hash>.<ext>`, so a PDF linked from two meetings is
stored once; every link is returned as its own `HarvestedPaper` (and kept in the state database).
State lives in `<store>/harvest.sqlite`, read and written only through ingest/harvest_state.py (each
write a transaction, so it survives a kill):
  - `fetches`: per URL the ETag/Last-Modified, the stored file and the run that fetched it;
  - `runs`: one row per harvest of a site; a run that did not finish is resumed by the next one,
    which neither refetches the documents nor rereads the meetings that run already finished;
  - `links`: every document link seen with its metadata.
A new (not resumed) run rereads every meeting and asks for each known document with If-None-Match /
If-Modified-Since, so an up-to-date store costs one small request per meeting and document.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import astuple, dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

from ingest.detect import detect_format
from ingest.errors import IngestError
from ingest.harvest_state import HarvestedPaper, HarvestState
from ingest.kinds import has_minute, is_pack, is_procedural, minute_html, paper_kind, paper_kinds
from ingest.model import content_id
from ingest.moderngov import (
    AgendaItem,
    Blocked,
    Committee,
    Fetcher,
    HarvestError,
    Meeting,
    Refused,
    ServiceOff,
    meeting_page,
    parse_committees,
    parse_committees_page,
    parse_documents_page,
    parse_meeting,
    parse_meetings,
    parse_meetings_page,
    site_base,
)
from ingest.netguard import FetchPolicy
from ingest.settings import Settings

__all__ = (
    "HarvestError",
    "HarvestResult",
    "HarvestedPaper",
    "harvest",
    "is_procedural",
    "paper_kind",
    "paper_kinds",
)

_EXT = MappingProxyType({"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"})


@dataclass(frozen=True)
class HarvestResult:
    papers: tuple[HarvestedPaper, ...]  # every public, non-procedural link and item minute, in site order
    downloaded: int  # documents whose bytes were fetched this time
    unchanged: int  # documents the site said were unchanged (304) or this run already had
    skipped: tuple[str, ...]  # one line each: cancelled meetings; restricted, procedural, unsupported items
    failures: tuple[str, ...]  # one line each: documents and meetings that could not be fetched (dead links)
    used_pages: bool  # True when the web service was off and the public pages were read
    written: int = 0  # item minutes new to the store this time
    refused: tuple[str, ...] = ()  # one line each: links off the site or to internal addresses, not fetched


# --- the walk -------------------------------------------------------------------------------------


@dataclass
class _Run:
    """The mutable tally of one harvest (kept out of the frozen results)."""

    site: str
    settings: Settings
    fetcher: Fetcher
    state: HarvestState
    run: int
    note: Callable[[str], None]
    downloaded: int = 0
    unchanged: int = 0
    written: int = 0
    skipped: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    seen: dict[str, Path | None] = field(default_factory=dict)  # url -> stored file, within this run


def harvest(
    site: str,
    council: str,
    settings: Settings,
    *,
    date_from: date,
    date_to: date,
    committee: str | None = None,
    note: Callable[[str], None] = lambda line: None,
    fetcher: Fetcher | None = None,
) -> HarvestResult:
    """Download the public papers of `council`'s meetings between the dates; see the module docstring.
    Only the site's own host and the council's domain are fetched, never an internal address unless
    `settings.harvest_allow_private` (ingest.netguard; `fetcher` brings its own policy). A dead or
    refused link is one line of the result and the harvest goes on.

    Raises HarvestError (one line) when the site itself refuses, times out or cannot be read at all.
    """
    if not council.strip():
        raise HarvestError('--council: give the council\'s name, e.g. "Leeds City Council"')
    base = site_base(site)
    own = fetcher is None
    if fetcher is None:
        policy = FetchPolicy.for_site(base, settings.harvest_hosts, settings.harvest_allow_private)
        why = policy.refusal(base)
        if why:
            raise HarvestError(f"--site: {why}")
        fetcher = Fetcher(settings, policy)
    state = HarvestState(settings.store)
    r = _Run(site=base, settings=settings, fetcher=fetcher, state=state, run=state.start_run(base), note=note)
    try:
        used_pages, committees = _committees(r)
        wanted = _committee_filter(committee)
        papers: list[HarvestedPaper] = []
        for c in committees:
            if c.deleted or not wanted(c.title):
                continue
            for m in _meetings(r, c, used_pages, date_from, date_to):
                papers.extend(_meeting_papers(r, council.strip(), c, m, used_pages))
        state.finish_run(r.run)
        return HarvestResult(
            papers=tuple(papers),
            downloaded=r.downloaded,
            unchanged=r.unchanged,
            skipped=tuple(r.skipped),
            failures=tuple(r.failures),
            used_pages=used_pages,
            written=r.written,
            refused=tuple(r.refused),
        )
    finally:
        state.close()
        if own:
            fetcher.close()


def _committee_filter(pattern: str | None) -> Callable[[str], bool]:
    if not pattern:
        return lambda title: True
    try:
        rx = re.compile(pattern, re.I)
    except re.error:
        rx = re.compile(re.escape(pattern), re.I)
    return lambda title: bool(rx.search(title))


def _committees(r: _Run) -> tuple[bool, list[Committee]]:
    """(used_pages, committees): the web service, else the public committee list."""
    try:
        got = r.fetcher.get(r.site + "mgWebService.asmx/GetCommittees")
        return False, parse_committees(got.body)
    except (ServiceOff, Refused, Blocked) as e:
        reason = (
            f"HTTP {e.status}"
            if isinstance(e, Refused)
            else str(e)
            if isinstance(e, Blocked)
            else "it did not answer with XML"
        )
        r.note(f"{r.site}: web service off or refused ({reason}); reading the public pages instead")
    try:
        committees = parse_committees_page(r.fetcher.get(r.site + "mgListCommittees.aspx").body)
    except (Refused, Blocked) as e:
        raise HarvestError(f"{r.site}: neither the web service nor the public pages answered ({e})") from None
    if not committees:
        raise HarvestError(f"{r.site}: no committees found in the web service or on mgListCommittees.aspx")
    return True, committees


def _meetings(r: _Run, c: Committee, used_pages: bool, date_from: date, date_to: date) -> list[Meeting]:
    try:
        found = _listed_meetings(r, c, used_pages, date_from, date_to)
    except Blocked as e:
        r.refused.append(f"committee {c.id} {c.title}: {e}")
        return []
    except HarvestError as e:  # refused, dead or timed out: this committee only
        r.failures.append(f"committee {c.id} {c.title}: {e}")
        return []
    lo, hi = date_from.isoformat(), date_to.isoformat()
    held = []
    for m in found:
        if not (m.date and lo <= m.date <= hi):
            continue
        if m.status.lower() == "cancelled":
            r.skipped.append(f"meeting {m.id} of {c.title} on {m.date}: cancelled")
        else:
            held.append(m)
    return held


def _listed_meetings(
    r: _Run, c: Committee, used_pages: bool, date_from: date, date_to: date
) -> list[Meeting]:
    if used_pages:
        found: list[Meeting] = []
        for year in range(date_from.year, date_to.year + 1):
            page = r.fetcher.get(r.site + "ieListMeetings.aspx", {"CId": c.id, "Year": str(year)})
            found.extend(m for m in parse_meetings_page(page.body, c.id) if m.id not in {f.id for f in found})
    else:
        got = r.fetcher.get(
            r.site + "mgWebService.asmx/GetMeetings",
            {
                "lCommitteeId": c.id,
                "sFromDate": date_from.strftime("%d/%m/%Y"),
                "sToDate": date_to.strftime("%d/%m/%Y"),
            },
        )
        found = parse_meetings(got.body, c.id)
    return found


def _meeting_papers(
    r: _Run, council: str, c: Committee, m: Meeting, used_pages: bool
) -> list[HarvestedPaper]:
    if r.state.meeting_run(r.site, m.id) == r.run:  # finished earlier in this (resumed) run
        return r.state.links(r.site, m.id)
    try:
        if used_pages:
            body = r.fetcher.get(r.site + "ieListDocuments.aspx", {"CId": c.id, "MId": m.id}).body
            items = parse_documents_page(body, r.site)
        else:
            body = r.fetcher.get(r.site + "mgWebService.asmx/GetMeeting", {"lMeetingId": m.id}).body
            items = parse_meeting(body, r.site)
    except Blocked as e:
        r.refused.append(f"meeting {m.id}: {e}")
        return r.state.links(r.site, m.id)
    except HarvestError as e:  # one meeting the site will not show, or a dead link: note it, carry on
        r.failures.append(f"meeting {m.id}: {e}")
        return r.state.links(r.site, m.id)
    papers = []
    for item in items:
        papers += _item_papers(r, council, c, m, item)
    complete = not any(f.startswith(f"meeting {m.id}:") for f in r.failures)  # a dead link is asked for again
    r.state.put_links(r.site, m.id, papers, r.run if complete else None)
    return papers


def _item_papers(r: _Run, council: str, c: Committee, m: Meeting, item: AgendaItem) -> list[HarvestedPaper]:
    """The item's public documents, then its minute (when the site gives the text) as a paper of its own."""
    number = item.number.rstrip(". ") or "-"
    if item.title and is_procedural(item.title):
        r.skipped.append(f"meeting {m.id}: item {number} {item.title}: procedural")
        return []
    page = meeting_page(r.site, c.id, m.id)
    minute = f"{page}#item={item.id or number}" if has_minute(item) and not item.restricted else ""
    meta = {
        "council": council,
        "committee": c.title,
        "meeting_id": m.id,
        "meeting_date": m.date,
        "agenda_item": item.title,
        "agenda_item_number": item.number,
        "item_id": item.id,
        "meeting_url": page,
        "minute_number": item.minute_number,
        "is_decision": item.is_decision,
        "decision_published": item.decision_published,
        "call_in": item.call_in,
    }
    papers = []
    for doc in item.documents:
        label = f"meeting {m.id}: item {number} {doc.title or doc.url}"
        if item.restricted or doc.restricted:
            r.skipped.append(f"{label}: restricted")
        elif is_pack(doc.title):
            r.skipped.append(f"{label}: reports pack (the meeting's papers again)")
        elif path := _download(r, doc.url, label):
            papers.append(
                HarvestedPaper(
                    path=path,
                    **meta,
                    title=doc.title or item.title,
                    url=doc.url,
                    publication_date=doc.publication_date,
                    decision_date=doc.decision_date,
                    paper_kind=paper_kind(doc.title, item.title),
                    item_minute=minute,
                )
            )
    if minute:
        title = f"Minute of item {number}, meeting {m.id}" + (f": {item.title}" if item.title else "")
        papers.append(
            HarvestedPaper(
                path=_write_minute(r, item, title),
                **meta,
                title=title,
                url=page,
                paper_kind="item minute",
                source=minute,
                decision_date=next((d.decision_date for d in item.documents if d.decision_date), ""),
                item_documents=" ".join(p.url for p in papers),
            )
        )
    return papers


def _write_minute(r: _Run, item: AgendaItem, title: str) -> Path:
    """The item's agenda text and minute as a small HTML paper in the store (stored once per content)."""
    data = minute_html(title, item.title, item.agenda_text, item.minutes_html)
    if not (r.settings.store / "files" / f"{content_id(data)}.html").exists():
        r.written += 1
    return _store_file(r.settings.store, data, ".html")


def _download(r: _Run, url: str, label: str) -> Path | None:
    """The stored file for `url`, fetching it unless this run has it or the site says it is unchanged."""
    if url in r.seen:
        return r.seen[url]
    last = r.state.fetch(url)
    known = last.file if last else None
    if known and not known.exists():
        last, known = None, None  # the file was deleted: fetch it again, unconditionally
    if last and last.run == r.run:
        r.unchanged += 1
        r.seen[url] = known
        return known
    try:
        got = r.fetcher.get(
            url,
            etag=last.etag if last else "",
            last_modified=last.last_modified if last else "",
            limit=r.settings.max_file_bytes,
        )
    except Blocked as e:  # off the site, or an internal address: never fetched
        r.refused.append(f"{label}: {e}")
        r.seen[url] = None
        return None
    except HarvestError as e:  # missing, refused, dead or timed out: this link only
        r.failures.append(f"{label}: {e}")
        r.seen[url] = None
        return None
    if got.status == 304 and known:
        r.unchanged += 1
        path = known
    else:
        try:
            path = _store_file(r.settings.store, got.body, _EXT[_format(got.body, url)])
        except IngestError as e:
            r.skipped.append(f"{label}: {e.reason}")
            r.seen[url] = None
            return None
        r.downloaded += 1
    r.state.put_fetch(
        url,
        got.etag or (last.etag if last else ""),
        got.last_modified or (last.last_modified if last else ""),
        path,
        r.run,
    )
    r.seen[url] = path
    return path


def _format(data: bytes, url: str) -> str:
    return detect_format(data, url)


def _store_file(store: Path, data: bytes, ext: str) -> Path:
    folder = store / "files"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{content_id(data)}{ext}"
    if not path.exists():  # same bytes, same name: a second link costs nothing
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    return path


def paper_rows(papers: tuple[HarvestedPaper, ...]) -> list[tuple[str, ...]]:
    """Papers as plain rows (path first), e.g. for a CSV listing."""
    return [tuple(str(v) for v in astuple(p)) for p in papers]
