"""The DOCX reader on documents built in the test with python-docx."""

from __future__ import annotations

import copy
from io import BytesIO

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from ingest.docx import read_docx
from ingest.errors import IngestError
from ingest.parse import parse_bytes
from ingest.settings import Settings

MULTILEVEL = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>'
    "</w:abstractNum>"
)
LONG = (
    "The council has reviewed the arrangements for the delivery of the service over the past year "
    "and found that demand has grown by twelve per cent across the district."
)


def _numbered(doc, text: str, num_id: int, ilvl: int) -> None:
    p = doc.add_paragraph(text)
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def _paper() -> bytes:
    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(MULTILEVEL))  # abstractNums come before nums
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    doc.add_paragraph("Parks Strategy Refresh", style="Title")
    doc.add_heading("Background", level=1)
    _numbered(doc, LONG, 90, 0)
    _numbered(doc, "Members asked officers to report on the following matters in the new year:", 90, 1)
    _numbered(doc, "play area safety inspections", 90, 2)
    _numbered(doc, "tree planting", 90, 2)
    _numbered(doc, LONG.replace("twelve", "nine"), 90, 1)
    doc.add_heading("Financial implications", level=2)
    table = doc.add_table(rows=3, cols=3)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = "Scheme", "2024/25", "2025/26"
    merged = table.cell(1, 0).merge(table.cell(2, 0))
    merged.text = "Play areas"
    table.cell(1, 1).text, table.cell(1, 2).text = "£10,000", "£12,000"
    table.cell(2, 1).text, table.cell(2, 2).text = "£3,000", "£4,000"
    doc.add_paragraph("Figures are indicative and subject to the budget setting process.")
    doc.add_heading("Recommendations", level=1)
    doc.add_paragraph("That Cabinet:")
    doc.add_paragraph("approves the refreshed strategy;", style="List Number")
    doc.add_paragraph("notes the timetable.", style="List Number")
    doc.add_paragraph("publishes the results.", style="List Bullet")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def doc():
    return parse_bytes(_paper(), "parks.docx", Settings(workers=1))


def test_title_and_heading_paths(doc) -> None:
    assert doc.format == "docx" and doc.title == "Parks Strategy Refresh"
    fin = next(p for p in doc.passages if p.kind == "table")
    assert fin.heading_path == ("Background", "Financial implications")
    rec = next(p for p in doc.passages if p.text.startswith("That Cabinet:"))
    assert rec.heading_path == ("Recommendations",)


def test_multilevel_numbers_as_printed(doc) -> None:
    by_num = {p.paragraph: p for p in doc.passages if p.paragraph}
    assert by_num["1"].text == LONG
    assert "nine per cent" in by_num["1.2"].text
    lead = by_num["1.1"]
    assert lead.kind == "list" and "a) play area safety inspections" in lead.text
    assert "b) tree planting" in lead.text


def test_list_styles_numbered_and_bulleted(doc) -> None:
    rec = next(p for p in doc.passages if p.text.startswith("That Cabinet:"))
    assert "1. approves the refreshed strategy;" in rec.text
    assert "2. notes the timetable." in rec.text
    assert "- publishes the results." in rec.text


def test_table_in_body_order_with_merged_cell_once(doc) -> None:
    table = doc.tables[0]
    assert table.rows == (
        ("Scheme", "2024/25", "2025/26"),
        ("Play areas", "£10,000", "£12,000"),
        ("", "£3,000", "£4,000"),
    )
    idx = table.passage_index
    assert "nine per cent" in doc.passages[idx - 1].text
    assert doc.passages[idx + 1].text.startswith("Figures are indicative")


def test_offsets(doc) -> None:
    for p in doc.passages:
        assert doc.text[p.start : p.end] == p.text


def test_corrupt_docx_is_one_line_error() -> None:
    data = _paper()
    broken = data[: len(data) // 2]
    with pytest.raises(IngestError) as err:
        parse_bytes(broken, "broken.docx", Settings(workers=1))
    assert str(err.value).startswith("broken.docx: corrupt DOCX")
    assert "\n" not in str(err.value)


def test_missing_document_part_is_corrupt() -> None:
    import zipfile

    src = zipfile.ZipFile(BytesIO(_paper()))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data[:200]  # truncated XML
            z.writestr(copy.copy(item), data)
    with pytest.raises(IngestError, match="corrupt DOCX"):
        read_docx(out.getvalue(), "cut.docx", Settings(workers=1))


def _with_member(name: str, data: bytes, count: int = 1) -> bytes:
    """The test paper with `count` members `name` holding `data` (deflated, so they pack small); a
    member of the paper itself (word/document.xml) gets `data` appended."""
    import zipfile

    out = BytesIO()
    with zipfile.ZipFile(BytesIO(_paper())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item.filename, src.read(item) + (data if item.filename == name else b""))
        for n in range(count if name not in src.namelist() else 0):
            z.writestr(name.format(n=n), data)
    return out.getvalue()


def test_decompression_bomb_refused_before_unpacking() -> None:
    # 30 MB of XML packed into about 30 KB: refused by its directory sizes, nothing is inflated
    bomb = _with_member("customXml/item{n}.xml", b"<a>" + b" " * 30_000_000 + b"</a>")
    assert len(bomb) < 100_000
    settings = Settings(workers=1, max_unzipped_bytes=10_000_000)
    with pytest.raises(IngestError, match=r"bomb\.docx: DOCX unpacks to \d\d MB, over the limit of 10 MB"):
        parse_bytes(bomb, "bomb.docx", settings)
    assert parse_bytes(_paper(), "ok.docx", settings).title == "Parks Strategy Refresh"


def test_too_many_zip_members_refused() -> None:
    crowded = _with_member("word/media/m{n}.bin", b"x", count=60)
    with pytest.raises(IngestError, match=r"crowded\.docx: DOCX holds \d+ files, over the limit of 50"):
        parse_bytes(crowded, "crowded.docx", Settings(workers=1, max_zip_members=50))


def test_member_that_lies_about_its_size_is_corrupt() -> None:
    """A directory entry declaring fewer bytes than the member inflates to: zipfile stops at the declared
    size and the CRC check fails, so the lie cannot get past the cap."""
    import struct

    data = bytearray(_with_member("word/document.xml", b"<!--" + b" " * 2_000_000 + b"-->"))
    # the member's sizes in its local header and central directory entry: declare 1000 bytes instead
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = -1
        while (pos := data.find(sig, pos + 1)) >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at : name_at + 17] == b"word/document.xml":
                struct.pack_into("<I", data, pos + offset, 1000)
    with pytest.raises(IngestError, match=r"liar\.docx: corrupt DOCX"):
        parse_bytes(bytes(data), "liar.docx", Settings(workers=1, max_unzipped_bytes=1_500_000))
