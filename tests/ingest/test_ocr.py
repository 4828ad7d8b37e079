"""Scanned papers read by OCR: a bundled PDF rasterised into an image-only PDF, read back with tesseract."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.ocr import lines_from_tsv, tesseract
from ingest.parse import parse_bytes
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "corpus" / "src-bcc-0003_committee-report-workplace-parking-levy-2024-09-12.pdf"
SCAN_DPI = 200  # a usual office-scanner resolution

needs_tesseract = pytest.mark.skipif(
    tesseract() is None,
    reason="tesseract-ocr is not installed (make test installs it with apt-get where it can)",
)


def scanned(data: bytes, pages: list[int] | None = None) -> bytes:
    """An image-only PDF of the given pages (all by default): each page rendered by pdfium, as a scan."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    images = [
        doc[i].render(scale=SCAN_DPI / 72, grayscale=True).to_pil()
        for i in (pages if pages is not None else range(len(doc)))
    ]
    doc.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=SCAN_DPI)
    return out.getvalue()


def mixed(text_pdf: bytes, scan_pdf: bytes, text_pages: list[int]) -> bytes:
    """The text pages of one PDF followed by every page of a scan."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    out.import_pages(pdfium.PdfDocument(text_pdf), text_pages)
    out.import_pages(pdfium.PdfDocument(scan_pdf))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def items(document):  # noqa: ANN001, ANN201
    """What extraction finds: partnerships, operations, figures and dates."""
    from index.pipeline import extraction_pipeline
    from nlp.pipeline import extract

    ex = extract(document, extraction_pipeline())
    return (
        {(n.type, n.name.lower()) for n in (*ex.partnerships, *ex.operations)}
        | {("metric", m.value, m.unit) for m in ex.metrics}
        | {("date", d.start, d.end, d.kind) for d in ex.dates}
    )


@pytest.fixture(scope="module")
def scan_of_report() -> tuple[bytes, object]:
    data = scanned(REPORT.read_bytes())
    if tesseract() is None:
        pytest.skip("tesseract-ocr is not installed")
    return data, parse_bytes(data, "scan.pdf", Settings(workers=1))


@needs_tesseract
def test_a_scanned_report_is_read_by_ocr_with_its_pages_marked(scan_of_report) -> None:
    data, doc = scan_of_report
    original = parse_bytes(REPORT.read_bytes(), REPORT.name, Settings(workers=1))
    assert doc.page_count == original.page_count == 7
    assert doc.given_dict()["ocr_pages"] == "1,2,3,4,5,6,7"
    assert "ocr_pages" not in original.given_dict()
    assert {p.page for p in doc.passages} == set(range(1, 8))
    assert "Workplace Parking Levy" in doc.text and "congestion" in doc.text
    numbered = {p.paragraph for p in doc.passages if p.paragraph}
    assert {"1", "2", "3"} <= numbered  # paragraph numbers survive OCR


@needs_tesseract
def test_extraction_on_the_scan_finds_nine_tenths_of_what_it_finds_on_the_original(scan_of_report) -> None:
    _, doc = scan_of_report
    want = items(parse_bytes(REPORT.read_bytes(), REPORT.name, Settings(workers=1)))
    got = items(doc)
    assert len(want) >= 20
    assert len(want & got) / len(want) >= 0.9, sorted(map(str, want - got))  # measured 0.96


@pytest.fixture(scope="module")
def scan_store(scan_of_report, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The scan ingested (real extraction and embedding) into a store of its own."""
    from index.pipeline import ingest_document
    from index.store import Store

    settings = Settings(store=tmp_path_factory.mktemp("ocr") / "store", workers=1)
    with Store.open(settings) as store:
        ingest_document(scan_of_report[1], settings, store)
    return settings


@needs_tesseract
def test_the_scan_ingests_and_is_found_by_search(scan_of_report, scan_store) -> None:
    from index.search import search
    from index.store import Store

    _, doc = scan_of_report
    settings = scan_store
    with Store.open(settings) as store:
        hits = search(store, "a charge on workplace parking places to tackle congestion", settings=settings)
        assert hits and hits[0].document == doc.id and hits[0].page is not None
        detail = store.get_document(doc.id)
        assert next(iter(detail.given.values()))["ocr_pages"] == "1,2,3,4,5,6,7"


@needs_tesseract
def test_a_mixed_pdf_reads_only_its_scanned_pages_by_ocr() -> None:
    text = REPORT.read_bytes()
    data = mixed(text, scanned(text, [2]), [0, 1])
    doc = parse_bytes(data, "mixed.pdf", Settings(workers=1))
    assert doc.page_count == 3 and doc.given_dict()["ocr_pages"] == "3"
    assert {p.page for p in doc.passages} == {1, 2, 3}


@needs_tesseract
def test_ocr_stops_at_the_page_limit() -> None:
    data = scanned(REPORT.read_bytes(), [0, 1])
    doc = parse_bytes(data, "scan.pdf", Settings(workers=1, ocr_max_pages=1))
    assert doc.given_dict()["ocr_pages"] == "1" and {p.page for p in doc.passages} == {1}


def test_without_tesseract_a_scan_is_refused_in_one_line_and_text_pages_still_read(monkeypatch) -> None:
    monkeypatch.setattr("ingest.ocr.tesseract", lambda: None)
    text = REPORT.read_bytes()
    with pytest.raises(IngestError) as e:
        parse_bytes(scanned(text, [0]), "scan.pdf", Settings(workers=1))
    assert str(e.value).startswith("scan.pdf: no text layer: scanned?") and "tesseract" in str(e.value)
    assert "\n" not in str(e.value)
    doc = parse_bytes(mixed(text, scanned(text, [2]), [0]), "mixed.pdf", Settings(workers=1))
    assert {p.page for p in doc.passages} == {1} and "ocr_pages" not in doc.given_dict()


def test_tesseract_words_become_lines_in_points() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "4\t1\t1\t1\t1\t0\t100\t200\t400\t40\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t100\t200\t150\t40\t96.1\t2.1\n"
        "5\t1\t1\t1\t1\t2\t270\t202\t230\t38\t95.0\tBackground\n"
        "5\t1\t1\t1\t2\t1\t100\t260\t90\t30\t91.0\tThe\n"
        "5\t1\t1\t1\t2\t2\t200\t260\t10\t30\t-1\t \n"
    )
    lines = lines_from_tsv(tsv, 4, 72 / 300)
    assert [x.text for x in lines] == ["2.1 Background", "The"]
    first = lines[0]
    assert first.page == 4 and first.x0 == pytest.approx(24.0) and first.top == pytest.approx(48.0)
    assert first.x1 == pytest.approx(120.0) and not first.bold


@needs_tesseract
def test_the_paper_page_says_which_pages_were_read_by_ocr(scan_of_report, scan_store) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    _, doc = scan_of_report
    with TestClient(create_app(scan_store)) as client:
        page = client.get(f"/app/papers/{doc.id}").text
    assert "Read by OCR" in page and "pages 1, 2, 3, 4, 5, 6, 7" in page and "Page 2 · read by OCR" in page
