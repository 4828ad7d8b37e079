"""Plain text and Markdown papers, as councils' converters leave them.

Handles blank-line paragraphs, one-line-per-paragraph and hard-wrapped text (told apart by
line lengths), `- 1.1**`-style numbering artefacts, `**bold**` and `<u>` markup, Markdown
headings and pipe tables, tab-separated tables, bullets and lettered items, and a harvester's
header block (`SOURCE: ...`, `TITLE: ...` ended by `---`), which is kept out of the passages.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.dates import MONTH_PREFIX_PATTERN
from ingest.detect import decode_text
from ingest.model import Block, Reading
from ingest.settings import Settings

# "1.1", "2.5.3", "16", "16." and converter artefacts "- 1.1**", "1.1**": a printed paragraph number
# (a bullet before the number is a converter's artefact, "- 2.4 During lockdown", "- 11.1 2019/20 Report",
# "- 3 PSPOs:**", unless lower case follows: "- 12 people" and "- 1.5 million" are bullets beginning with
# a figure)
NUMBERED = re.compile(
    r"""^(?:[-*•]\s+(?=\d{1,3}(?:\.\d{1,3})+\.?\s+(?![a-z])|\d{1,3}\.?\s+[\"'‘“]?[A-Z]|.*\*\*))?(?P<num>\d{1,3}(?:\.\d{1,3}){0,3})\.?(?:\*\*)?\s+"""
    r"(?P<rest>\S.*)$"
)
_LETTERED = re.compile(
    r"^(?:[-*•]\s+)?(?P<num>\(?[a-z]{1,3}\)|[a-z]\.|\(?[ivx]{1,4}\)|\(?\d{1,2}\))\s+(?P<rest>\S.*)$"
)
# bullet glyphs as converters leave them: Word's Symbol and Wingdings bullets come out as private-use
# characters (U+F0B7, U+F0A7, U+F0D8), arrows and squares as themselves
_BULLET = re.compile(r"^\s*(?:[-*o]\s+|[•●▪◦·■□➢►▸‣⁃\uf0b7\uf0a7\uf0d8\uf076\uf0fc]\s*)(?P<rest>\S.*)$")
# a list line indented and separated by tabs ("\t1.\tReducing reoffending"): an item, not a table row
_TAB_ITEM = re.compile(
    r"^\s*(?:\d{1,2}[.)]?|\(?[a-z]{1,3}[.)]|\([a-z0-9]{1,3}\)|[-*•●▪◦·■➢►\uf0b7\uf0a7])\t+[^\t]+$"
)
# a lead-in ends with a colon, or ":-" / ": -" as typed in some councils' papers
LEAD_IN_END = re.compile(r":\s*[-–]?\s*$")
_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<rest>.+?)\s*#*\s*$")
_PRIORITY_HEADING = re.compile(
    r"^(?:Priority|Theme|Objective|Outcome|Section|Part|Appendix|Annex)\s+\d+\b", re.I
)
_MONTH = re.compile(rf"^{MONTH_PREFIX_PATTERN}\b", re.I)
_MARKUP = re.compile(r"\*\*|__|</?(?:u|b|i|strong|em)>", re.I)
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_TERMINAL = re.compile(r"[.!?;,]\s*$")
_CLOSED = re.compile(r"[.!?:;)\"'\u201d]\s*$")
_HEADER_LINE = re.compile(r"^(?P<key>[A-Z][A-Z_ ]{1,20}):\s*(?P<value>.*)$")

# a numbered line this short, with no closing punctuation, is a list entry ("2 Tackling hate crime"): the
# next number after it continues the list rather than opening a section
LIST_ENTRY_WORDS = 25

WRAPPED_RUN_ON = 0.15
# words a sentence or a title does not end with: a line ending in one was cut by the wrap
_OPEN_WORD_END = re.compile(
    r"(?:^|\s)(?:the|a|an|of|to|and|or|for|in|on|with|by|from|at|as|that|its|their|our)$", re.I
)
PROPORTIONAL = 0.85
_ENDS_SENTENCE = re.compile(r"[.!?:][\"'\u201d)]?\s*$")
# a line that reads as a heading whatever follows: a section number and words, or capitals only
_HEADING_LIKE = re.compile(r"^(?:\d{1,2}\.?\s+[A-Z]\S*(?:\s+\S+){0,12}|[^a-z]*[A-Z]{2}[^a-z]*)$")
# lines reaching the same width (within 15%) that make a text hard-wrapped in places
WRAP_LINES = 3

Unit = tuple[str, str, "str | None"]  # (kind: numbered | item | plain, text, printed number)


def clean_inline(text: str) -> str:
    text = _MARKUP.sub("", text)
    text = text.replace("\u00a0", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


def split_header(text: str) -> tuple[dict[str, str], str]:
    """A leading `KEY: value` block ended by a `---` line -> (fields, the rest); else ({}, text)."""
    lines = text.lstrip("\ufeff").split("\n", 40)
    fields: dict[str, str] = {}
    for i, line in enumerate(lines[:-1] if len(lines) > 40 else lines):
        if line.strip() == "---" and fields:
            return fields, "\n".join(lines[i + 1 :])
        m = _HEADER_LINE.match(line.strip())
        if not m:
            break
        fields[m["key"].strip().upper()] = m["value"].strip()
    return {}, text


def is_wrapped(text: str) -> bool:
    """Hard-wrapped text (lines cut at a fixed width, as from a PDF) rather than a line a paragraph."""
    all_lines = [ln.strip() for ln in text.split("\n")]
    long = [k for k, ln in enumerate(all_lines) if len(ln) > 40]
    if len(long) < 5 or sum(len(all_lines[k]) > 130 for k in long) / len(long) >= 0.05:
        return False
    # and sentences run on over the line breaks: a long line without closing punctuation, the next one in
    # lower case (in the corpus' wrapped papers 0.37-0.70 of long lines; in a line-a-paragraph paper 0.0,
    # which short papers with short paragraphs otherwise resemble)
    runs_on = sum(
        1
        for k in long
        if k + 1 < len(all_lines) and all_lines[k + 1][:1].islower() and not _CLOSED.search(all_lines[k])
    )
    return runs_on / len(long) >= WRAPPED_RUN_ON


def _is_heading_text(text: str, next_text: str | None) -> bool:
    """A short line with no closing punctuation that titles what follows."""
    words = text.split()
    if _PRIORITY_HEADING.match(text) and len(words) <= 30 and not text.endswith((".", ",", ";")):
        return True
    if not words or len(words) > 14 or _TERMINAL.search(text) or len(text) > 110:
        return False
    if LEAD_IN_END.search(text) and len(words) > 6:  # "The Board is asked to consider:" leads a list
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "'\"‘“("):
        return False
    if next_text is None:
        return False
    # a heading is followed by a paragraph or a list, not by a sentence continuing in lower case
    return not next_text[:1].islower()


def _table_block(lines: list[str]) -> Block:
    if lines[0].lstrip().startswith("|"):
        rows = [
            tuple(clean_inline(c) for c in ln.strip().strip("|").split("|"))
            for ln in lines
            if not _MD_RULE.match(ln)
        ]
    else:
        rows = [tuple(clean_inline(c) for c in ln.split("\t")) for ln in lines]
    width = max(len(r) for r in rows)
    # drop columns empty in every row (converters pad rows with tabs)
    keep = [i for i in range(width) if any(i < len(r) and r[i] for r in rows)]
    norm = tuple(tuple(r[i] if i < len(r) else "" for i in keep) for r in rows)
    return Block("table", "", rows=norm)


def _is_table_line(line: str) -> bool:
    if _TAB_ITEM.match(line):
        return False
    return "\t" in line.strip("\t ") or (line.lstrip().startswith("|") and line.rstrip().endswith("|"))


def _chunks(text: str) -> list[list[str]]:
    """Blank-line separated chunks; a run of table lines is its own chunk."""
    chunks: list[list[str]] = []
    cur: list[str] = []
    cur_table = False
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        if not line.strip():
            if cur:
                chunks.append(cur)
            cur, cur_table = [], False
            continue
        is_table = _is_table_line(line)
        if cur and is_table != cur_table:
            chunks.append(cur)
            cur = []
        cur.append(line)
        cur_table = is_table
    if cur:
        chunks.append(cur)
    return chunks


def _starts_unit(line: str, prev: str | None, wrapped: bool) -> Unit | None:
    """The unit a line opens (a numbered paragraph, an item), or None for a plain line."""
    m_num, m_let, m_bul = NUMBERED.match(line), _LETTERED.match(line), _BULLET.match(line)
    if m_num and not _MONTH.match(m_num["rest"]):
        bare = "." not in m_num["num"] and not line.lstrip("-*• ").startswith(m_num["num"] + ".")
        # in wrapped text "150 people attended" may be a wrapped line: a bare number only
        # opens a paragraph after a closed sentence or a short (last) line
        if not (wrapped and bare and prev and not _CLOSED.search(prev) and len(prev) > 50):
            return ("numbered", m_num["rest"], m_num["num"])
    if m_let:
        return ("item", m_let["rest"], m_let["num"])
    if m_bul:
        return ("item", m_bul["rest"], None)
    return None


def wrap_width(text: str, wrapped: bool) -> int | None:
    """The width a text's lines were cut at. In a text that is not `wrapped` as a whole, only when lines reach
    it and a sentence runs on over one of those breaks (a paper hard-wrapped in places, or too short for
    `is_wrapped` to tell); None otherwise (a line a paragraph: no sentence runs on over a line break)."""
    lines = [ln.strip() for ln in text.split("\n")]
    lengths = sorted(len(ln) for ln in lines if len(ln) > 40)
    if len(lengths) < WRAP_LINES:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if wrapped:
        return width
    near = [k for k, ln in enumerate(lines) if len(ln) >= 0.85 * width]
    runs_on = any(k + 1 < len(lines) and lines[k + 1] and _runs_on(lines[k], lines[k + 1]) for k in near)
    return width if len(near) >= WRAP_LINES and runs_on else None


def _runs_on(prev: str, line: str) -> bool:
    """A sentence runs on over this line break: an open line followed by lower case, or one ending in a word
    no sentence or title ends with ("... delegated authority to the" / "Director of Place ...")."""
    return not _CLOSED.search(prev) and (line[:1].islower() or bool(_OPEN_WORD_END.search(prev)))


def _cut_at_width(
    prev: str, line: str, width: int | None, wrapped: bool = False, alone: bool = False
) -> bool:
    """The line break is the wrap's: the next line's first word would not have fit on `prev`. In a text not
    wrapped as a whole, `prev` must also reach near the width and be open (no closing punctuation, no lead-in's
    ":-"). In a wrapped one, a line ending short of the width ends its paragraph when it closes a sentence, or
    is a heading when it stands `alone` and reads as one ("12 COMMUNITY SAFETY REPORT"); otherwise (an
    unbulleted list, a cover sheet's narrower column) it runs on as before."""
    if width is None:
        return wrapped
    fits = len(prev) + 1 + len(line.split(maxsplit=1)[0]) <= width
    if wrapped:
        # text from a PDF set in a proportional font: a character count is the width within about 15%
        fits = len(prev) + 1 + len(line.split(maxsplit=1)[0]) <= PROPORTIONAL * width
        return not fits or not (_ENDS_SENTENCE.search(prev) or (alone and _HEADING_LIKE.match(prev)))
    return (
        len(prev) >= 0.85 * width and not _CLOSED.search(prev) and not LEAD_IN_END.search(prev) and not fits
    )


def _line_units(lines: list[str], wrapped: bool, width: int | None = None) -> list[Unit]:
    """Split one chunk into units: numbered lines and items start new units; a line continues the unit when
    its sentence runs on (lower case after an open line, or an open line ending in "the", "of" ...) or the
    line before was cut at the wrap width (`_cut_at_width`; in a wrapped text, the width of the lines around
    it, as a cover sheet's columns are narrower than the body's)."""
    units: list[Unit] = []
    prev: str | None = None
    stripped = [raw.strip() for raw in lines]
    alone = False  # the unit so far is the line before alone
    for k, line in enumerate(stripped):
        opened = _starts_unit(line, prev, wrapped)
        if wrapped:
            width = max(len(x) for x in stripped[max(0, k - 2) : k + 1])
        if opened:
            units.append(opened)
            alone = True
        elif units and (
            _runs_on(units[-1][1], line)
            or (prev is not None and _cut_at_width(prev, line, width, wrapped, alone))
        ):
            kind, text, num = units[-1]
            sep = "" if wrapped and text.endswith("-") and line[:1].islower() else " "
            units[-1] = (kind, text.rstrip("-") + line if not sep else text + sep + line, num)
            alone = False
        else:
            units.append(("plain", line, None))
            alone = True
        prev = line
    return units


def _merge_cut(units: list[Unit | Block]) -> list[Unit | Block]:
    """Re-join a long paragraph cut by a stray blank line (no closing punctuation, long sentence next)."""
    out: list[Unit | Block] = []
    for u in units:
        prev = out[-1] if out else None
        if (
            not isinstance(u, Block)
            and u[0] == "plain"
            and prev is not None
            and not isinstance(prev, Block)
            and prev[0] in ("numbered", "plain")
            and len(prev[1].split()) >= 20
            and not _CLOSED.search(clean_inline(prev[1]))
            and len(u[1].split()) > 14
            and not _PRIORITY_HEADING.match(u[1])
        ):  # "Priority 2 - ..." opens its own unit
            out[-1] = (prev[0], prev[1] + " " + u[1], prev[2])
        elif (
            isinstance(u, Block)
            and isinstance(prev, Block)
            and u.kind == prev.kind == "table"
            and prev.rows
            and u.rows
            and len(prev.rows[0]) == len(u.rows[0])
        ):
            out[-1] = replace(prev, rows=prev.rows + u.rows)  # a table cut by a blank line
        else:
            out.append(u)
    return out


def read_text(data: bytes, source: str, settings: Settings) -> Reading:
    fields, body = split_header(decode_text(data))
    blocks = text_blocks(body)
    return Reading(tuple(blocks), 0, fields.get("TITLE") or guess_title(blocks))


def _units(text: str) -> list[Unit | Block]:
    wrapped = is_wrapped(text)
    width = wrap_width(text, wrapped)
    units: list[Unit | Block] = []
    for chunk in _chunks(text):
        if all(_is_table_line(x) for x in chunk):
            units.append(_table_block(chunk))
            continue
        md = _MD_HEADING.match(chunk[0].strip())
        if md:
            units.append(Block("heading", clean_inline(md["rest"]), level=len(md["hashes"])))
            chunk = chunk[1:]
        units.extend(_line_units(chunk, wrapped, width))
    return _merge_cut(units)


def _numbered_heading(num: str, text: str, nxt: Unit | Block | None, next_text: str | None) -> bool:
    """'1 Background' heads '1.1 ...'; '14 Treatment outcomes:' before a table is a caption."""
    if nxt is not None and not isinstance(nxt, Block) and nxt[0] == "numbered" and nxt[2]:
        return nxt[2].startswith(num + ".") and _is_heading_text(text, next_text)
    if (isinstance(nxt, Block) and nxt.kind == "table") or text.endswith(":"):
        return False
    return "." not in num and _is_heading_text(text, next_text)


def text_blocks(text: str) -> list[Block]:
    units = _units(text)
    blocks: list[Block] = []
    for i, u in enumerate(units):
        if isinstance(u, Block):
            blocks.append(u)
            continue
        kind, raw, num = u
        text_ = clean_inline(raw)
        if not text_:
            continue
        nxt = units[i + 1] if i + 1 < len(units) else None
        next_text = clean_inline(nxt[1]) if nxt is not None and not isinstance(nxt, Block) else None

        if nxt is not None and isinstance(nxt, Block) and nxt.kind == "heading":
            next_text = nxt.text
        if kind == "item":
            blocks.append(Block("item", text_, number=num))
        elif (
            kind == "numbered"
            and num
            and not _continues_numbering(num, blocks)
            and _numbered_heading(num, text_, nxt, next_text)
        ):
            blocks.append(Block("heading", f"{num} {text_}", level=num.count(".") + 1))
        elif kind == "plain" and _plain_heading(text_, nxt, _item_case(text_, nxt, next_text), blocks):
            blocks.append(Block("heading", text_, level=1))
        else:
            blocks.append(Block("paragraph", text_, number=num))
    return _heading_something(blocks)


def _heading_something(blocks: list[Block]) -> list[Block]:
    """A heading heads what follows it: of a run of headings that ends the text ("Our objectives" /
    "Objective 1: ..." / "Objective 2: ..."), the first stays a heading and the others are its text (a text
    of headings only would have no passage at all); and "Priority 1 - ..." lines one after another, with no
    text between them, are a list's entries, not headings that replace one another."""
    entry = [
        b.kind == "heading" and bool(_PRIORITY_HEADING.match(b.text)) and " " in b.text.strip()
        for b in blocks
    ]
    blocks = [
        replace(b, kind="paragraph", level=0)
        if entry[k]
        and (
            (k and entry[k - 1] and blocks[k - 1].kind == "heading") or (k + 1 < len(blocks) and entry[k + 1])
        )
        else b
        for k, b in enumerate(blocks)
    ]
    end = len(blocks)
    while end and blocks[end - 1].kind == "heading":
        end -= 1
    run = blocks[end:]
    keep = 1 if len(run) >= 2 else 0
    return blocks[:end] + run[:keep] + [replace(b, kind="paragraph", level=0) for b in run[keep:]]


# a short line ending in a colon is a lead-in, not a heading, when it reads as a sentence ("Our priorities are:")
_LEAD_VERB = re.compile(
    r"\b(?:are|is|were|was|include|includes|including|will\s+be|as\s+follows|following|"
    r"namely|to)\s*:\s*[-–]?\s*$",
    re.I,
)

# a short lead-in whose items finish its sentence: "The Committee:-" / "That:" / "It was:" before "(a) notes ..."
_SUBJECT = re.compile(r"^(?:the|that|it|this|we|members)\b", re.I)


def _is_lead_in(text: str, nxt: Unit) -> bool:
    """Before bullets, a line of more than three words ending in a colon; before "1.", one that reads as
    a sentence ("Our priorities are:"), as "Background:" or "Professional comments section:" head numbered
    paragraphs."""
    if not LEAD_IN_END.search(text):
        return False
    if nxt[0] == "item":
        return len(text.split()) > 3 or bool(_LEAD_VERB.search(text) or _SUBJECT.match(text))
    return nxt[0] == "numbered" and nxt[2] in ("1", "a", "i") and bool(_LEAD_VERB.search(text))


def _item_case(text: str, nxt: Unit | Block | None, next_text: str | None) -> str | None:
    """A bullet or a list's "1." opens a unit whatever its case: "Strategic Priorities" / "- domestic abuse";
    after a colon, items in lower case finish the line's sentence ("RESOLVED that:" / "(i) the policy be ...")."""
    if (
        next_text
        and isinstance(nxt, tuple)
        and not LEAD_IN_END.search(text)
        and (nxt[0] == "item" or (nxt[0] == "numbered" and nxt[2] == "1"))
    ):
        return next_text[:1].upper() + next_text[1:]
    return next_text


def _continues_numbering(num: str, done: list[Block]) -> bool:
    """ "3 Safer roads" after paragraph "2": the next entry of a numbered run, not a section heading."""
    prev = done[-1] if done else None
    return (
        prev is not None
        and prev.kind == "paragraph"
        and num.isdigit()
        and prev.number is not None
        and prev.number.rstrip(".") == str(int(num) - 1)
        and len(prev.text.split()) <= LIST_ENTRY_WORDS
        and not _TERMINAL.search(prev.text)
    )


def _plain_heading(text: str, nxt: Unit | Block | None, next_text: str | None, done: list[Block]) -> bool:
    if isinstance(nxt, tuple) and _is_lead_in(text, nxt):
        return False  # the lead-in of a list
    next_numbered = isinstance(nxt, tuple) and nxt[0] == "numbered"
    # a one-sentence title between numbered paragraphs, even when it ends in a full stop
    if (
        next_numbered
        and text.endswith(".")
        and len(text.split()) <= 16
        and ". " not in text
        and text[0].isupper()
        and done
        and done[-1].kind == "paragraph"
        and done[-1].number is not None
    ):
        return True
    if not _is_heading_text(text, next_text):
        return False
    # label/value pairs on cover sheets ("Classification" / "Open"): the value is not a heading
    next_is_heading_like = (
        isinstance(nxt, tuple)
        and nxt[0] == "plain"
        and _is_heading_text(clean_inline(nxt[1]), None if nxt is None else "X")
    )
    label = done[-1] if done and done[-1].kind == "heading" else None
    return not (
        label and len(label.text.split()) <= 3 and next_is_heading_like and not _PRIORITY_HEADING.match(text)
    )


_TITLE_LABEL = re.compile(
    r"^(?:title(?: of (?:the )?report)?|report title|subject|report)\s*:\s*(?P<t>\S.{3,})$", re.I
)
_NOT_TITLE = re.compile(
    r"^(?:report (?:of|by|from)\b|part \w+\b|agenda item|item \d|date\b|meeting\b|classification\b|"
    r"decision report$|committee report$|public$|open$|minutes$)|"
    r"\b(?:council|partnership|board|committee|cabinet)$|\b\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+ \d{4}\b",
    re.I,
)


def guess_title(blocks: list[Block]) -> str | None:
    """A 'Title:' label on the cover sheet, else the first heading-like line that is not a body, date or label."""
    head = blocks[:15]
    for b in head:
        if b.kind == "table":
            for row in b.rows:
                if len(row) >= 2 and re.match(
                    r"^(?:report )?title(?: of report)?:?$|^subject:?$", row[0], re.I
                ):
                    return row[1] or None
        else:
            m = _TITLE_LABEL.match(b.text)
            if m:
                return m["t"].strip()
    for b in head[:8]:
        if b.kind == "table" or len(b.text.split()) < 3 or len(b.text.split()) > 30 or b.text.endswith("."):
            continue
        text = re.sub(r"^\d{1,2}\.?\s+", "", b.text) if b.kind == "heading" else b.text
        if b.kind in ("heading", "paragraph") and not (
            _NOT_TITLE.search(text.strip()) or _NOT_TITLE.search(b.text)
        ):
            return text.strip()
    return None
