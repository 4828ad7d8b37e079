"""ModernGov sites: a polite HTTP client, and parsers for the web service and the public pages.

Every ModernGov install exposes a key-less XML service at `<site>/mgWebService.asmx`
(`GetCommittees`, `GetMeetings`, `GetMeeting`) and the same facts as public pages
(`mgListCommittees.aspx`, `ieListMeetings.aspx`, `ieListDocuments.aspx`), which we read
when a council has switched the service off. Parsers are pure functions of the bytes.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

from ingest.dates import iso_date
from ingest.download import TooLarge, read_capped
from ingest.netguard import Blocked, FetchPolicy, guarded_transport
from ingest.settings import Settings

VERSION = "0.1.0"


class HarvestError(Exception):
    """A site that refuses, times out or answers nonsense: `str()` is one line for users."""


class ServiceOff(HarvestError):
    """The web service is switched off or missing on this site; the public pages may still work."""


@dataclass(frozen=True)
class Committee:
    id: str
    title: str
    deleted: bool = False
    expired: bool = False
    category: str = ""


@dataclass(frozen=True)
class Meeting:
    id: str
    committee_id: str
    date: str  # ISO YYYY-MM-DD, "" when the site gave none we could read
    status: str = ""
    time: str = ""


@dataclass(frozen=True)
class LinkedDoc:
    id: str
    title: str
    url: str  # absolute
    restricted: bool = False
    publication_date: str = ""  # ISO, "" when unknown
    decision_date: str = ""  # ISO, "" when unknown
    decision_attachment: str = ""  # "true"/"false" as the site says, "" when it does not


@dataclass(frozen=True)
class AgendaItem:
    id: str
    number: str  # as printed on the agenda ("1."), else the site's item number
    title: str
    restricted: bool = False
    documents: tuple[LinkedDoc, ...] = ()
    agenda_text: str = ""  # HTML, decoded (the web service's `agendatext`)
    minutes_html: str = ""  # HTML, decoded (`minutesnonemptyhtmlbody`): what the meeting resolved on the item
    minute_number: str = ""
    # "true"/"false" as the site says, "" when it does not say
    is_decision: str = ""
    decision_published: str = ""
    call_in: str = ""
    minute_published: str = ""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int  # 200, or 304 when a conditional request found nothing new
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""


# --- text helpers -------------------------------------------------------------------------------


def clean_text(value: str | None) -> str:
    """Undo HTML encoding (some sites encode twice: `&amp;amp;`), drop tags, squash whitespace."""
    text = value or ""
    for _ in range(3):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    text = re.sub(r"<[^>]{0,200}>", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"true", "1", "yes", "y"}


def _said(value: str | None) -> str:
    """A flag as "true"/"false", or "" when the site left it out."""
    v = (value or "").strip()
    return ("true" if _flag(v) else "false") if v else ""


def decoded_html(value: str | None) -> str:
    """HTML the service sends escaped (some sites twice): the markup itself, whitespace kept."""
    text = value or ""
    for _ in range(3):
        if "<" in text:
            break
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text.strip()


def meeting_day(text: str | None) -> str:
    """The ISO day of a service or page date field ("15/01/2025 10:00:00", "2025-01-15T..",
    "Wednesday, 15th January, 2025"); "" when it holds none."""
    return iso_date(clean_text(text)) or ""


def site_base(site: str) -> str:
    """ "https://x.gov.uk/mgWebService.asmx" or ".../ieListMeetings.aspx?CId=1" -> "https://x.gov.uk/"."""
    parts = urlsplit(site.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise HarvestError(
            f"--site: {site!r} is not an http(s) address such as https://democracy.example.gov.uk"
        )
    path = parts.path
    if re.search(r"\.(aspx|asmx)(/.*)?$", path, re.I):
        path = path[: re.search(r"[^/]*\.(aspx|asmx)(/.*)?$", path, re.I).start()]  # type: ignore[union-attr]
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


# --- the web service (XML) ------------------------------------------------------------------------


def _xml_root(data: bytes):  # noqa: ANN202
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(data.strip() or b"<empty/>", parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise ServiceOff("the web service did not answer with XML")
    # some installs wrap the document as text inside <string>; unwrap it
    if etree.QName(root).localname == "string" and (root.text or "").lstrip().startswith("<"):
        return _xml_root(root.text.encode("utf-8"))
    return root


def _local(el) -> str:  # noqa: ANN001
    tag = el.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _all(el, name: str) -> list:  # noqa: ANN001
    return [e for e in el.iter() if _local(e) == name]


def _child(el, name: str) -> str:  # noqa: ANN001
    for e in el:
        if _local(e) == name:
            return e.text or ""
    return ""


def parse_committees(data: bytes) -> list[Committee]:
    return [
        Committee(
            id=_child(c, "committeeid").strip(),
            title=clean_text(_child(c, "committeetitle")),
            deleted=_flag(_child(c, "committeedeleted")),
            expired=_flag(_child(c, "committeeexpired")),
            category=clean_text(_child(c, "committeecategory")),
        )
        for c in _all(_xml_root(data), "committee")
        if _child(c, "committeeid").strip()
    ]


def parse_meetings(data: bytes, committee_id: str) -> list[Meeting]:
    return [
        Meeting(
            id=_child(m, "meetingid").strip(),
            committee_id=committee_id,
            date=meeting_day(_child(m, "meetingdate")),
            status=clean_text(_child(m, "meetingstatus")),
            time=clean_text(_child(m, "meetingtime")),
        )
        for m in _all(_xml_root(data), "meeting")
        if _child(m, "meetingid").strip()
    ]


def _linked_docs(elements: list, base: str) -> tuple[LinkedDoc, ...]:
    docs = []
    for d in elements:
        url = clean_text(_child(d, "url"))
        if url:
            docs.append(
                LinkedDoc(
                    id=_child(d, "attachmentid").strip(),
                    title=clean_text(_child(d, "title")),
                    url=urljoin(base, url),
                    restricted=_flag(_child(d, "isrestricted")),
                    publication_date=meeting_day(_child(d, "publicationdate")),
                    decision_date=meeting_day(_child(d, "decisiondate")),
                    decision_attachment=_said(_child(d, "isdecisionattachment")),
                )
            )
    return tuple(docs)


def parse_meeting(data: bytes, base: str) -> list[AgendaItem]:
    """GetMeeting -> agenda items with their linked documents (documents outside items: number "")."""
    root = _xml_root(data)
    items = [_agenda_item(it, base) for it in _all(root, "agendaitem")]
    # meeting-level documents (agenda frontsheet, printed minutes) sit outside every agenda item
    loose = [
        d for d in _all(root, "linkeddoc") if not any(_local(a) == "agendaitem" for a in d.iterancestors())
    ]
    if loose:
        items.insert(0, AgendaItem(id="", number="", title="", documents=_linked_docs(loose, base)))
    return items


def _agenda_item(it, base: str) -> AgendaItem:  # noqa: ANN001
    return AgendaItem(
        id=_child(it, "agendaitemid").strip(),
        number=clean_text(_child(it, "fulldisplaynumberformat"))
        or clean_text(_child(it, "agendaitemnumber")),
        title=clean_text(_child(it, "agendaitemtitle")),
        restricted=_flag(_child(it, "isrestricted")),
        documents=_linked_docs(_all(it, "linkeddoc"), base),
        agenda_text=decoded_html(_child(it, "agendatext")),
        minutes_html=decoded_html(_child(it, "minutesnonemptyhtmlbody")),
        minute_number=clean_text(_child(it, "minutesitemnumber")),
        is_decision=_said(_child(it, "isdecision")),
        decision_published=_said(_child(it, "isdecisionpublished")),
        call_in=_said(_child(it, "iscallin")),
        minute_published=_said(_child(it, "isminutepublished")),
    )


def meeting_page(base: str, committee_id: str, meeting_id: str) -> str:
    """The public page of a meeting: its agenda, documents and minutes."""
    return f"{base}ieListDocuments.aspx?CId={committee_id}&MId={meeting_id}"


# --- the public pages (HTML) ----------------------------------------------------------------------


def _soup(data: bytes):  # noqa: ANN202
    from bs4 import BeautifulSoup

    return BeautifulSoup(data, "lxml")


def _query(href: str) -> dict[str, str]:
    return {k.lower(): v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def parse_committees_page(data: bytes) -> list[Committee]:
    """mgListCommittees.aspx: links to mgCommitteeDetails.aspx?ID= or ieListMeetings.aspx?CId=."""
    found: dict[str, Committee] = {}
    for a in _soup(data).find_all("a", href=True):
        href, q = a["href"], _query(a["href"])
        cid = q.get("cid") or (q.get("id") if "mgcommitteedetails" in href.lower() else None)
        title = clean_text(a.get_text(" "))
        if cid and title and cid not in found:
            found[cid] = Committee(id=cid, title=title)
    return list(found.values())


def parse_meetings_page(data: bytes, committee_id: str) -> list[Meeting]:
    """ieListMeetings.aspx: links to ieListDocuments.aspx?CId=&MId= whose text is the date."""
    found: dict[str, Meeting] = {}
    for a in _soup(data).find_all("a", href=True):
        if "ielistdocuments" not in a["href"].lower():
            continue
        mid = _query(a["href"]).get("mid")
        text = clean_text(a.get_text(" "))
        if mid and mid not in found:
            status = "cancelled" if re.search(r"\bcancel", text, re.I) else ""
            found[mid] = Meeting(id=mid, committee_id=committee_id, date=meeting_day(text), status=status)
    return list(found.values())


_DOC_HREF = re.compile(r"(^|/)documents/|mgconvert2pdf\.aspx|\.(pdf|docx?|rtf)(\?|$)", re.I)
_RESTRICTED = re.compile(r"\b(restricted|exempt|confidential)\b", re.I)


def _page_doc(a, base: str) -> LinkedDoc | None:  # noqa: ANN001
    href = a["href"]
    if not _DOC_HREF.search(href):
        return None
    m = re.match(r"link to document '(.*)'", a.get("title", ""), re.I)
    title = clean_text(m[1] if m else a.get_text(" "))
    title = re.sub(r"\s+(PDF|DOCX?|RTF)\s+[\d.]+\s*[KMG]B\s*$", "", title, flags=re.I)
    return LinkedDoc(
        id=_query(href).get("id", ""),
        title=title,
        url=urljoin(base, href),
        restricted=bool(_RESTRICTED.search(title)),
    )


def parse_documents_page(data: bytes, base: str) -> list[AgendaItem]:
    """ieListDocuments.aspx: rows of table.mgItemTable are items; document links elsewhere are the meeting's."""
    soup = _soup(data)
    items: list[AgendaItem] = []
    in_items: set[int] = set()
    for row in soup.select("table.mgItemTable tr"):
        links = row.find_all("a", href=True)
        in_items.update(id(a) for a in links)
        number_cell = row.select_one(".mgItemNumberCell")
        title_el = row.select_one(".mgAiTitleTxt, .mgAiTitleLnk") or row.find("p")
        number = clean_text(number_cell.get_text(" ")) if number_cell else ""
        title = clean_text(title_el.get_text(" ")) if title_el else ""
        if not title and not links:
            continue
        restricted = any("mgwhyrestricted" in a["href"].lower() for a in links)
        docs = tuple(d for a in links if (d := _page_doc(a, base)))
        items.append(
            AgendaItem(
                id=number, number=number.rstrip("."), title=title, restricted=restricted, documents=docs
            )
        )
    loose = tuple(
        d for a in soup.find_all("a", href=True) if id(a) not in in_items and (d := _page_doc(a, base))
    )
    if loose:
        items.insert(0, AgendaItem(id="", number="", title="", documents=loose))
    return items


# --- the polite client ----------------------------------------------------------------------------


def user_agent(settings: Settings) -> str:
    contact = settings.contact.strip() or "contact not set: COUNCILPAPERS_CONTACT"
    return f"councilpapers/{VERSION} (committee-papers harvester; {contact})"


MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass
class Fetcher:
    """GETs with a delay between requests, timeouts, retries with back-off and conditional headers, only to
    where `policy` allows (ingest.netguard): checked before each request and after every redirect, which
    are followed here, one at a time; every answer is read with a size cap."""

    settings: Settings
    policy: FetchPolicy
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    client: object = None
    _last: float = field(default=-1e9, repr=False)

    def __post_init__(self) -> None:
        import httpx

        if self.client is None:  # no proxies from the environment: they would connect where we did not check
            self.client = httpx.Client(
                headers={"User-Agent": user_agent(self.settings)},
                timeout=self.settings.harvest_timeout,
                follow_redirects=False,
                trust_env=False,
                transport=guarded_transport(self.policy, self.settings.harvest_timeout),
            )

    def close(self) -> None:
        self.client.close()  # type: ignore[attr-defined]

    def _wait(self) -> None:
        gap = self.settings.harvest_delay - (self.clock() - self._last)
        if gap > 0:
            self.sleep(gap)
        self._last = self.clock()

    def get(
        self,
        url: str,
        params: dict[str, str] | None = None,
        etag: str = "",
        last_modified: str = "",
        limit: int | None = None,
    ) -> Fetched:
        """One GET, redirects followed (each checked); raises Blocked for a URL the policy refuses, Refused
        for 4xx and HarvestError (one line) once retries are spent; 304 comes back as status 304. `limit`
        caps the body (default: Settings.harvest_max_answer_bytes, for the site's pages and answers)."""
        import httpx

        target = str(httpx.URL(url, params=params)) if params else url
        cap = (
            (limit, "COUNCILPAPERS_MAX_FILE_BYTES")
            if limit is not None
            else (self.settings.harvest_max_answer_bytes, "COUNCILPAPERS_HARVEST_MAX_ANSWER_BYTES")
        )
        for _ in range(MAX_REDIRECTS + 1):
            why = self.policy.refusal(target)
            if why:
                raise Blocked(why if target == url else f"{url} redirects to {why}")
            got = self._get_once(target, etag, last_modified, cap)
            if isinstance(got, Fetched):
                return got
            target = got
        raise Refused(f"{urlsplit(url).netloc}: more than {MAX_REDIRECTS} redirects: {url}", 310)

    def _get_once(self, url: str, etag: str, last_modified: str, cap: tuple[int, str]) -> Fetched | str:
        """The answer, or the absolute URL a redirect points to; with retries."""
        import httpx

        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        tries = max(0, self.settings.harvest_retries) + 1
        host = urlsplit(url).netloc
        for attempt in range(tries):
            self._wait()
            retry_after = ""
            try:  # streamed, so that the size cap is checked as the body comes in (ingest.download)
                with self.client.stream("GET", url, headers=headers) as resp:  # type: ignore[attr-defined]
                    if resp.status_code in (200, 304):
                        return _fetched(url, resp, cap)
                    if resp.status_code in _REDIRECTS and resp.headers.get("Location"):
                        return urljoin(url, resp.headers["Location"].strip())
                    if resp.status_code not in (429, 500, 502, 503, 504):
                        raise _refusal(host, url, resp.status_code)
                    problem = f"HTTP {resp.status_code}"
                    retry_after = resp.headers.get("Retry-After", "")
            except httpx.TimeoutException:
                problem = (
                    f"no answer within {self.settings.harvest_timeout:g}s (COUNCILPAPERS_HARVEST_TIMEOUT)"
                )
            except httpx.HTTPError as e:
                problem = f"cannot connect: {type(e).__name__}: {str(e)[:120]}"
            if retry_after.isdigit() and attempt + 1 < tries:
                self.sleep(min(float(retry_after), 60.0))
            if attempt + 1 < tries:
                self.sleep(self.settings.harvest_delay * 2**attempt)
        raise HarvestError(f"{host}: {problem} after {tries} tries: {url}")


class Refused(HarvestError):
    """The site answered 4xx: the page or file is missing, forbidden or the service is off."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _refusal(host: str, url: str, status: int) -> Refused:
    if status in (401, 403):
        why = f"refused (HTTP {status}): the site may block automated clients; set COUNCILPAPERS_CONTACT"
    else:
        why = f"HTTP {status}"
    return Refused(f"{host}: {why}: {url}", status)


def _fetched(url: str, resp, cap: tuple[int, str]) -> Fetched:  # noqa: ANN001
    try:
        body = b"" if resp.status_code != 200 else read_capped(resp, cap[0], cap[1])
    except TooLarge as e:
        raise Refused(str(e), 413) from None
    return Fetched(
        url=str(resp.url),
        status=resp.status_code,
        body=body,
        etag=resp.headers.get("ETag", ""),
        last_modified=resp.headers.get("Last-Modified", ""),
        content_type=resp.headers.get("Content-Type", ""),
    )
