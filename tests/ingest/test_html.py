"""The HTML reader on a ModernGov-shaped page and a plain council web page, both with boilerplate."""

from __future__ import annotations

import pytest

from ingest.html import read_html
from ingest.parse import parse_bytes
from ingest.settings import Settings

MODERNGOV = """<!DOCTYPE html>
<html lang="en"><head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>Decision details - Library opening hours review</title>
<script>var mgTrack = "ignored script text";</script>
<style>.mgContent { color: red; }</style>
</head><body>
<div id="cookie-banner"><p>We use cookies to improve this site. Accept all cookies</p></div>
<header class="site-header"><a href="/">Anyshire County Council home</a><nav><ul><li>Bins</li><li>Council tax</li></ul></nav></header>
<div id="modgov">
  <div class="mgBreadCrumbs"><a href="/">Home</a> &gt; <a href="ieDecisions.aspx">Decisions</a></div>
  <div class="mgHeader"><h1 class="mgMainTitleTxt">Decision details</h1></div>
  <div class="mgContent">
    <h2 class="mgSubTitleTxt">Library opening hours review</h2>
    <p class="mgSectionTitle">Decision Maker:</p>
    <p>Cabinet Member for Communities</p>
    <p class="mgSectionTitle">Purpose:</p>
    <p>To agree revised opening hours at six libraries, saving €120,000 a year.</p>
    <h3>Decision:</h3>
    <ol>
      <li>That the revised hours in Appendix A be approved.</li>
      <li>That the Director be authorised to consult staff on the “new rota”.</li>
    </ol>
    <h3>Reasons for the decision:</h3>
    <div>The review found that visits fall sharply after 5pm on weekdays.<br>
      Opening later on Saturdays matches demand.</div>
    <table class="mgStatsTable">
      <tr><th>Library</th><th colspan="2">Hours a week</th></tr>
      <tr><td>Northgate</td><td>42</td><td>38</td></tr>
    </table>
    <div class="mgSideBar"><ul><li><a href="mgIssueHistoryHome.aspx">Issue history</a></li></ul></div>
  </div>
</div>
<footer><p>&copy; Anyshire County Council. Accessibility statement.</p></footer>
</body></html>
"""

PLAIN = """<html><head><meta charset="utf-8"><title>Parks consultation | Anytown Council</title></head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<nav aria-label="Main"><a href="/">Home</a><a href="/news">News</a></nav>
<main id="main">
<nav class="breadcrumb"><ol><li>Home</li><li>Parks</li></ol></nav>
<h1>Parks consultation results</h1>
<p>2.1 Over 1,200 residents responded to the consultation on the future of the town’s parks.</p>
<h2>Key findings</h2>
<p>Residents asked for:</p>
<ul><li>more trees</li><li>better lighting</li></ul>
<aside><p>Related pages: Allotments</p></aside>
</main>
<footer>Follow us on social media</footer>
</body></html>
"""


@pytest.fixture(scope="module")
def decision():
    return parse_bytes(MODERNGOV.encode("cp1252"), "ieDecisionDetails.aspx.html", Settings(workers=1))


def test_moderngov_main_content_only(decision) -> None:
    text = decision.text
    assert decision.format == "html"
    for junk in (
        "cookies",
        "Council tax",
        "Home",
        "Accessibility statement",
        "ignored script text",
        "color: red",
        "Issue history",
        "Anyshire County Council home",
    ):
        assert junk not in text, junk
    assert decision.title == "Decision details"


def test_moderngov_sections_and_legacy_encoding(decision) -> None:
    purpose = next(p for p in decision.passages if p.heading_path[-1:] == ("Purpose",))
    assert purpose.text == "To agree revised opening hours at six libraries, saving €120,000 a year."
    assert purpose.heading_path == ("Decision details", "Library opening hours review", "Purpose")
    decided = next(p for p in decision.passages if p.heading_path[-1:] == ("Decision:",))
    assert "1. That the revised hours in Appendix A be approved." in decided.text
    assert "2. That the Director be authorised to consult staff on the “new rota”." in decided.text


def test_moderngov_div_text_and_table(decision) -> None:
    reasons = next(p for p in decision.passages if p.heading_path[-1:] == ("Reasons for the decision:",))
    assert reasons.text == (
        "The review found that visits fall sharply after 5pm on weekdays. "
        "Opening later on Saturdays matches demand."
    )
    assert decision.tables[0].rows == (("Library", "Hours a week", ""), ("Northgate", "42", "38"))


def test_plain_page_main_only_with_numbers_and_list() -> None:
    reading = read_html(PLAIN.encode("utf-8"), "parks.html", Settings(workers=1))
    texts = [b.text for b in reading.blocks]
    assert reading.title == "Parks consultation results"
    assert not any("Skip to" in t or "Allotments" in t or "social media" in t for t in texts)
    para = next(b for b in reading.blocks if b.number == "2.1")
    assert para.text.startswith("Over 1,200 residents responded") and "town’s" in para.text
    doc = parse_bytes(PLAIN.encode("utf-8"), "parks.html", Settings(workers=1))
    findings = next(
        p for p in doc.passages if p.heading_path == ("Parks consultation results", "Key findings")
    )
    assert (
        findings.kind == "list" and findings.text == "Residents asked for:\n- more trees\n- better lighting"
    )


def test_title_falls_back_to_title_tag() -> None:
    page = b"<html><head><title>Agenda item - Budget 2025/26</title></head><body><p>The budget.</p></body></html>"
    assert read_html(page, "mgAi.aspx", Settings(workers=1)).title == "Agenda item - Budget 2025/26"
