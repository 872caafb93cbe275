"""In Chromium: a bulk action on the project list; the board: drag a card, a refused move, the Move button."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from chains.models import Chain, Enterprise
from pinghu.permissions import Role
from projects.choices import ProjectStage
from projects.models import Project
from projects.services import project_create
from tests.factories import UserFactory

from .conftest import PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _project(name: str, **fields) -> Project:
    return project_create(
        project=Project(
            name=name,
            chain=Chain.objects.get(code="nev"),
            investor=Enterprise.objects.get(name="长城汽车"),
            total_investment=Decimal("50000"),
            first_contact_date=datetime.date(2024, 1, 5),
            **fields,
        ),
        by=None,
    )


@pytest.fixture
def bureau(official):  # the official fixture seeds the reference data
    return UserFactory(username="bureau", roles=[Role.BUREAU_STAFF])


def test_bulk_hold_from_the_list(open_page, live_server, bureau):
    first, second = _project("电机一期项目"), _project("电机二期项目")
    page = open_page(bureau)
    page.goto(f"{live_server.url}/projects/")
    page.check("[data-select-all]")
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    page.fill("#id_reason", "企业资金链紧张")
    page.click("button[name=action][value=hold]")
    expect(page.locator(".alert-success")).to_contain_text("已对 2 个项目完成操作")
    screenshot(page, "project-list-bulk-hold")
    for project in (first, second):
        project.refresh_from_db()
        assert project.stage == ProjectStage.ON_HOLD
    assert page.console_errors == []


def test_drag_a_card_and_a_refused_move(open_page, live_server, bureau):
    lead = _project("驱动电机项目")
    signed = _project("电池包项目", stage=ProjectStage.SIGNED, signed_date=datetime.date(2024, 3, 1))
    page = open_page(bureau)
    page.goto(f"{live_server.url}/board/")
    card = page.locator(f"[data-card='{lead.pk}']")
    card.drag_to(page.locator("[data-drop=signed]"))
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("input[name=signed_date]")).to_be_visible()
    dialog.locator("input[name=signed_date]").fill("2024-04-01")
    screenshot(page, "board-move-dialog")
    dialog.locator("button[type=submit]").click()
    expect(page.locator(f"[data-drop=signed] [data-card='{lead.pk}']")).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text("驱动电机项目")
    lead.refresh_from_db()
    assert lead.stage == ProjectStage.SIGNED and lead.signed_date == datetime.date(2024, 4, 1)

    # Backwards is not a move: the card goes back to its column, with the reason.
    page.locator(f"[data-card='{signed.pk}']").drag_to(page.locator("[data-drop=lead]"))
    expect(page.locator("#board-messages .alert-danger")).to_contain_text("不能从“签约”变更为“线索”")
    expect(page.locator(f"[data-drop=signed] [data-card='{signed.pk}']")).to_be_visible()
    expect(page.locator(f"[data-drop=lead] [data-card='{signed.pk}']")).to_have_count(0)
    screenshot(page, "board-refused-move")
    signed.refresh_from_db()
    assert signed.stage == ProjectStage.SIGNED
    # The refusal is a 409 answer, which Chromium logs; nothing else went wrong.
    assert [error for error in page.console_errors if "409" not in error] == []


def test_the_move_button_on_a_phone(open_page, live_server, bureau):
    project = _project("电控项目")
    page = open_page(bureau, viewport=PHONE)
    page.goto(f"{live_server.url}/board/")
    page.locator(f"[data-card='{project.pk}'] [data-move-button]").click()
    dialog = page.locator("#move-dialog")
    dialog.locator("[data-move-choice=on_hold]").click()
    dialog.locator("textarea[name=note]").fill("等待土地指标")
    dialog.locator("button[type=submit]").click()
    expect(page.locator(f"[data-drop=on_hold] [data-card='{project.pk}']")).to_be_attached()
    project.refresh_from_db()
    assert project.stage == ProjectStage.ON_HOLD
    assert page.console_errors == []
