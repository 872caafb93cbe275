"""Accessibility of the main pages in Chromium: axe-core's WCAG 2 A/AA rules and 44 px touch targets on a phone.

Every page of ``PAGES`` is opened as an official and as bureau staff, at 375×812 and at desktop size, on a little
demo data, and checked by axe-core (from npm, ``node_modules/axe-core``) with the WCAG 2.0/2.1/2.2 A and AA rules
and its best practices (landmarks, headings, unique ids...). At 375 px every interactive element of the navbar and
of the page's main content must also offer a target of at least 44×44 CSS px (``TOUCH_TARGETS_JS`` says exactly
which). A failure lists every offender of every page, so one run shows all there is to fix. The rules and how to
run the check: docs/pages.md, "Accessibility".

How axe gets into the page: the CSP allows only same-origin scripts (``script-src 'self'``), so the page routes a
same-origin URL, ``/__axe__/axe.min.js``, to the npm file and adds it as an ordinary ``<script src>``. The pages are
checked with their real CSP in force (``bypass_csp`` would check pages the users never get, and hide a page that
only works without its CSP); the URL exists only inside the test's browser.
"""

from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from aftercare.models import CadreAssignment, EnterpriseIssue
from chains.models import Chain, Leader
from pinghu.permissions import Role
from projects.models import InvestmentVisit, Project
from reports.models import Report
from targets.models import Target
from tests.factories import UserFactory

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__axe__/axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (landmarks, one main, heading order, ...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Rules left out, each with its reason (none so far: fix the page rather than add one here).
AXE_DISABLED: dict[str, str] = {}
MIN_TARGET = 44


@dataclass(frozen=True)
class A11yPage:
    """A page to check: its name in the report and its path, from the test data (``data``)."""

    name: str
    path: object  # callable(data) -> str
    roles: tuple[str, ...] = ("official", "bureau")  # whose pages they are (a role refused with 403 is not listed)

    def url(self, data) -> str:
        return self.path(data)


# The pages checked, as an official and as bureau staff. To add one: a name and how to reach it from ``data``
# (see ``a11y_data``: users, a chain, a project, a problem, a firm, a target, a report).
PAGES = [
    A11yPage("dashboard", lambda d: reverse("projects:dashboard")),
    A11yPage("chain", lambda d: reverse("projects:chain-detail", args=[d.chain.code])),
    A11yPage("visit list", lambda d: reverse("projects:visit-list")),
    A11yPage("visit form", lambda d: reverse("projects:visit-new"), roles=("official",)),
    A11yPage("visit", lambda d: reverse("projects:visit-detail", args=[d.visit.pk])),
    A11yPage("offline queue", lambda d: reverse("offline-queue")),
    A11yPage("project list", lambda d: reverse("projects:project-list")),
    A11yPage("project", lambda d: reverse("projects:project-detail", args=[d.project.pk])),
    A11yPage("project edit", lambda d: reverse("projects:project-edit", args=[d.project.pk])),
    A11yPage("board", lambda d: reverse("projects:board")),
    A11yPage("search results", lambda d: reverse("search:page") + "?q=演示"),
    A11yPage("signing conferences", lambda d: reverse("projects:signing-event-list")),
    A11yPage("problems", lambda d: reverse("aftercare:issue-list")),
    A11yPage("problem", lambda d: reverse("aftercare:issue-detail", args=[d.issue.pk])),
    A11yPage("my firms", lambda d: reverse("aftercare:my-firms")),
    A11yPage("firm", lambda d: reverse("aftercare:enterprise-detail", args=[d.project.investor_id])),
    A11yPage("targets", lambda d: reverse("targets:target-list")),
    A11yPage("target", lambda d: reverse("targets:target-detail", args=[d.target.pk])),
    A11yPage("reports", lambda d: reverse("reports:report-list")),
    A11yPage("report", lambda d: reverse("reports:report-detail", args=[d.report.pk])),
    A11yPage("notifications", lambda d: reverse("notifications:inbox")),
]

# Which elements must offer a 44×44 px target on a phone, and how big their target is. Measured: the visible
# links, buttons, inputs, selects, text areas, summaries and other focusable elements of the navbar and of <main>
# (not those of a closed menu or dialog, which are not displayed, nor the field a tom-select picker hides
# behind its own controls, .ts-hidden-accessible, which are measured instead). The target of a check box or
# radio button is the union of its box and its label's (a tap on the label ticks it); a label styled as a
# button (.btn-check) is measured itself. Exempt, as WCAG 2.5.5 allows for inline targets: a link displayed
# inline, not styled as a button, nav link, page link or menu item, whose block (its paragraph, table cell,
# list item) holds other text than the link's: a link in a sentence. A link alone in its cell or line is a
# target like a button.
TOUCH_TARGETS_JS = """
(minimum) => {
  const SELECTOR = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], '
    + '[tabindex]:not([tabindex="-1"])';
  const STYLED = '.btn, .nav-link, .page-link, .dropdown-item, .navbar-brand, .navbar-toggler, '
    + '.list-group-item-action, .form-control, .form-select';
  const BOX = 'input[type=checkbox], input[type=radio]';
  const shown = (el) => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    const hidden = '[hidden], [aria-hidden=true], .visually-hidden, .ts-hidden-accessible';
    return style.visibility !== 'hidden' && !el.closest(hidden);
  };
  const union = (rects) => rects.reduce((a, r) => ({
    left: Math.min(a.left, r.left), top: Math.min(a.top, r.top),
    right: Math.max(a.right, r.right), bottom: Math.max(a.bottom, r.bottom)}));
  const textOf = (el) => (el.innerText || '').replace(/\\s+/g, '');
  const inline = (el) => {
    if (el.tagName !== 'A' || el.matches(STYLED) || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    if (!block) return false;
    return textOf(block).length > textOf(el).length;
  };
  const describe = (el) => {
    let text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 30);
    const classes = [...el.classList].slice(0, 3).map((c) => '.' + c).join('');
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes + (text ? ' "' + text + '"' : '');
  };
  const offenders = [];
  const scopes = document.querySelectorAll('main, nav.navbar');
  for (const scope of scopes) {
    for (const el of scope.querySelectorAll(SELECTOR)) {
      if (el.disabled || inline(el)) continue;
      let rects = shown(el) ? [el.getBoundingClientRect()] : [];
      if (el.matches(BOX)) {
        rects = rects.concat([...el.labels].filter(shown).map((l) => l.getBoundingClientRect()));
      }
      if (!rects.length) continue;
      const box = union(rects);
      const width = box.right - box.left, height = box.bottom - box.top;
      if (width < minimum - 0.5 || height < minimum - 0.5) {
        offenders.push(describe(el) + ': ' + width.toFixed(0) + '×' + height.toFixed(0));
      }
    }
  }
  return offenders;
}
"""


@pytest.fixture
def a11y_data(official):
    """A little demo data, an official responsible for a project and cadre of a firm, and bureau staff."""
    call_command("generate_demo_data", "--projects", "30", "--visits", "30", "--seed", "7", stdout=StringIO())
    bureau = UserFactory(username="bureau", roles=[Role.BUREAU_STAFF])
    project = Project.objects.filter(investor__isnull=False).order_by("pk").first()
    Project.objects.filter(pk=project.pk).update(responsible_official=official)
    leader = Leader.objects.get(user=official)
    current = CadreAssignment.objects.filter(enterprise=project.investor, end_date__isnull=True)
    if not current.update(cadre_leader=leader, cadre_user=None):
        CadreAssignment.objects.create(cadre_leader=leader, enterprise=project.investor, start_date="2024-01-01")
    chain = Chain.objects.filter(projects__isnull=False).order_by("sort_order").first()
    return SimpleNamespace(
        official=official,
        bureau=bureau,
        chain=chain,
        project=Project.objects.get(pk=project.pk),
        issue=EnterpriseIssue.objects.order_by("pk").first(),
        target=Target.objects.order_by("pk").first(),
        report=Report.objects.order_by("pk").first(),
        visit=InvestmentVisit.objects.filter(photos__isnull=False).order_by("pk").first()
        or InvestmentVisit.objects.order_by("pk").first(),
    )


def run_axe(page) -> list[str]:
    """axe-core's violations on the page as readable lines: rule, impact, element, help."""
    if not getattr(page, "axe_routed", False):
        page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
        page.axe_routed = True
    page.add_script_tag(url=AXE_URL)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "rules": {r: {"enabled": False} for r in AXE_DISABLED}}
    result = page.evaluate("(options) => axe.run(document, options)", options)
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            # The first check's message says why (for contrast: the colours and the ratio found).
            why = next((check["message"] for check in node["any"] + node["all"] if check.get("message")), "")
            lines.append(f"{violation['id']} [{violation['impact']}] {target}: {violation['help']}. {why}".strip())
    return lines


def check_pages(page, live_server, data, pages, *, touch: bool, role: str = "") -> list[str]:
    """Open each page and collect axe's violations (and, on a phone, the small touch targets), one line each."""
    problems = []
    for entry in pages:
        if role and role not in entry.roles:
            continue
        response = page.goto(live_server.url + entry.url(data))
        assert response.status == 200, f"{entry.name}: {response.status}"
        page.wait_for_load_state("networkidle")
        problems += [f"{entry.name}: {line}" for line in run_axe(page)]
        if touch:
            problems += [f"{entry.name}: target-size-44 {line}" for line in page.evaluate(TOUCH_TARGETS_JS, MIN_TARGET)]
    return problems


def report(problems: list[str]) -> None:
    """Fail with every problem on its own line (pytest.fail: the list is never cut short)."""
    if problems:
        pytest.fail(f"{len(problems)} accessibility problems:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("role", ["official", "bureau"])
def test_main_pages_pass_axe_and_touch_targets(open_page, live_server, a11y_data, role, viewport):
    page = open_page(getattr(a11y_data, role), viewport=viewport)
    report(check_pages(page, live_server, a11y_data, PAGES, touch=viewport == PHONE, role=role))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_login_page_passes_axe_and_touch_targets(open_anonymous, live_server, viewport):
    page = open_anonymous(viewport)
    login = A11yPage("login", lambda d: reverse("login"))
    report(check_pages(page, live_server, None, [login], touch=viewport == PHONE))
