"""Editing and moving a project where it is read (issue 20), in Chromium: a stale edit, a move that skips stages."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from chains.models import Chain, Enterprise
from pinghu.permissions import Role
from projects.models import Project, SigningEvent
from projects.services import project_create, project_update
from tests.factories import UserFactory

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date


def unexpected(errors: list[str]) -> list[str]:
    """Console errors other than the refused form's answer (400, the form again with its reasons)."""
    return [error for error in errors if "status of 400" not in error]


@pytest.fixture
def bureau(official):
    """A member of the bureau's staff (局工作人员), on the seeded reference data (``official`` seeds it)."""
    return UserFactory(username="bureau", roles=[Role.BUREAU_STAFF])


@pytest.fixture
def project(official):
    return project_create(
        project=Project(
            name="驱动电机扩产项目",
            chain=Chain.objects.get(code="nev"),
            investor=Enterprise.objects.get(name="尼得科集团"),
            total_investment=Decimal("50000"),
            stage="negotiating",
            first_contact_date=D(2024, 1, 5),
        ),
        by=official,
    )


def test_an_edit_from_a_stale_page_keeps_the_input_and_saves_after_reopening(open_page, live_server, bureau, project):
    page = open_page(bureau)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.click("#project-edit-link")
    page.fill("#id_name", "驱动电机扩产项目（二期）")
    page.fill("#id_total_investment", "60000")
    # Someone else saves the project while the page is open.
    project_update(project=project, data={"town": "当湖街道"}, expected_version=None)
    page.click("#project-edit-form button[type=submit]")
    expect(page.locator("#form-problems")).to_contain_text("此记录已被他人保存")
    expect(page.locator("#id_name")).to_have_value("驱动电机扩产项目（二期）")
    screenshot(page, "project-edit-stale")
    project.refresh_from_db()
    assert project.name == "驱动电机扩产项目" and project.total_investment == Decimal("50000")

    page.goto(f"{live_server.url}/projects/{project.pk}/edit/")  # reopened: the current version
    expect(page.locator("#id_town")).to_have_value("当湖街道")
    page.fill("#id_name", "驱动电机扩产项目（二期）")
    page.click("#project-edit-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/")
    expect(page.locator("h1")).to_contain_text("驱动电机扩产项目（二期）")
    project.refresh_from_db()
    assert (project.name, project.town) == ("驱动电机扩产项目（二期）", "当湖街道")
    assert unexpected(page.console_errors) == []


def test_a_move_that_skips_stages_asks_each_date_and_the_conference(open_page, live_server, bureau, project):
    event = SigningEvent.objects.create(name="长三角招商签约大会", date=D(2024, 3, 15))
    page = open_page(bureau)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.click("#stage-moves [data-move=construction]")
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/move/construction/")
    expect(page.locator("#move-explained")).to_be_visible()
    # First without the registered date: refused, with the field named, nothing moved.
    page.fill("#id_registered_date", "")
    page.fill("#id_construction_date", "2024-05-20")
    page.select_option("#id_signing_event", str(event.pk))
    page.click("#move-form button[type=submit]")
    expect(page.locator("[data-field=registered_date] [role=alert]")).to_contain_text("注册日期")
    project.refresh_from_db()
    assert project.stage == "negotiating"

    page.fill("#id_registered_date", "2024-04-01")
    screenshot(page, "project-move-construction")
    page.click("#move-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/")
    expect(page.locator("[data-stage=construction]")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("2024-03-15")
    project.refresh_from_db()
    assert (project.stage, project.signed_date, project.registered_date, project.construction_date) == (
        "construction",
        D(2024, 3, 15),
        D(2024, 4, 1),
        D(2024, 5, 20),
    )
    assert project.signing_event == event
    assert unexpected(page.console_errors) == []
