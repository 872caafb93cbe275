"""A closed report printed to PDF by Chromium with the print stylesheet: A4, the menu and buttons gone, page numbers."""

import re
import zlib
from io import StringIO

import pytest
from django.core.management import call_command

from pinghu.permissions import Role
from reports.models import Report
from tests.factories import UserFactory

from .conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
A4_POINTS = (595, 842)  # 210 × 297 mm


def _streams(pdf: bytes) -> str:
    """Every FlateDecode stream of the PDF, inflated, as text (Chromium's PDFs keep their ToUnicode maps there)."""
    text = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(text)


def test_a_closed_report_prints_on_a4_with_page_numbers_and_signature_lines(open_page, live_server):
    call_command("seed_pinghu", stdout=StringIO())
    call_command("generate_demo_data", "--projects", "60", "--visits", "80", "--seed", "4", stdout=StringIO())
    bureau = UserFactory(username="bureau", roles=[Role.BUREAU_STAFF])
    # The demo data holds last month's city report, closed and sent (reports.demo), and this month's draft.
    report = Report.objects.get(status="sent")
    template = report.template
    assert report.versions.count() == 1 and report.sent_to.startswith("嘉兴市")
    page = open_page(bureau)
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    assert page.inner_text("h1.report-title") == template.name
    assert "嘉兴市经济和信息化局" in page.inner_text("[data-sent]")
    screenshot(page, "report")
    page.emulate_media(media="print")
    assert not page.is_visible("nav.navbar") and not page.is_visible("#reopen-form")
    assert page.is_visible(".signatures") and page.is_visible("[data-section=summary]")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    (ARTIFACTS / "report-print.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    assert len(pages) >= 2
    boxes = {tuple(round(float(n)) for n in box.split()[2:]) for box in re.findall(rb"/MediaBox\s*\[([^\]]+)\]", pdf)}
    assert boxes == {A4_POINTS}
    # The footer "第 n 页 / 共 m 页" of @page: its glyphs 页 (U+9875) and 共 (U+5171) are in the fonts' maps,
    # and neither character is anywhere on the page itself.
    assert "页" not in page.inner_text("body") and "共" not in page.inner_text("body")
    maps = _streams(pdf)
    assert "<9875>" in maps and "<5171>" in maps
    assert page.console_errors == []
