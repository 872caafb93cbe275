"""The stalled-project reminders written set-based (the demo's scan, PostgreSQL) are the rows the Python path writes."""

import pytest
from django.db import connection, transaction

from notifications.models import Notification
from projects.choices import ProjectStage
from projects.models import ProjectStageChange
from reminders.checks.stalled_sql import sql_format
from reminders.choices import RuleKind
from reminders.scan import run_scan
from tests.factories import ChainFactory, ChainLeadershipFactory, LeaderFactory, ProjectFactory, UserFactory

from .conftest import TODAY, days

pytestmark = pytest.mark.django_db
COLUMNS = [
    "recipient_id",
    "kind",
    "title",
    "body",
    "link",
    "content_type_id",
    "object_id",
    "key",
    "urgent",
    "digest_id",
    "read_at",
]


def project_moved(official, stage, moved_days_ago, **fields):
    project = ProjectFactory(stage=stage, responsible_official=official, **fields)
    if moved_days_ago is not None:
        ProjectStageChange.objects.create(project=project, from_stage="", to_stage=stage, at=days(-moved_days_ago))
    return project


def world(official) -> None:
    """Stalled projects of every kind of recipient: an official, a chief, both, one person as both, an inactive
    official, no one; a project with no recorded activity; a name with % and a backslash; a long name; a line
    already in an inbox."""
    chain, other_chain = ChainFactory(), ChainFactory()
    chief = UserFactory(username="chief")
    ChainLeadershipFactory(chain=chain, leader=LeaderFactory(user=chief), start_date=days(-30))
    ChainLeadershipFactory(chain=other_chain, leader=LeaderFactory(user=official), start_date=days(-30))
    gone = UserFactory(username="gone-official", is_active=False)
    project_moved(official, ProjectStage.LEAD, 60, chain=chain, name="演示%项目\\一")
    project_moved(official, ProjectStage.NEGOTIATING, 120, chain=other_chain)  # the official is its chief too
    project_moved(None, ProjectStage.SIGNED, 200, chain=chain, signed_date=days(-200), name="长" * 200)
    project_moved(gone, ProjectStage.LEAD, 75, chain=other_chain)
    project_moved(gone, ProjectStage.LEAD, 90, chain=ChainFactory())  # no one to tell
    never = project_moved(official, ProjectStage.LEAD, None, chain=chain, first_contact_date=None)
    project_moved(official, ProjectStage.LEAD, 59, chain=chain)  # not stalled
    Notification.objects.create(
        recipient=chief, kind=RuleKind.PROJECT_STALLED, title="已写", key=f"project:{never.pk}:stalled:1900-01-01"
    )


def rows(since: int) -> list[tuple]:
    return list(Notification.objects.filter(pk__gt=since).order_by("pk").values_list(*COLUMNS))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="set-based on PostgreSQL only (SQLite: Python path)")
def test_the_set_based_scan_writes_the_rows_of_the_python_path(official):
    world(official)
    last = Notification.objects.order_by("pk").last().pk
    with transaction.atomic():
        python = run_scan(TODAY)
        python_rows = rows(last)
        transaction.set_rollback(True)
    set_based = run_scan(TODAY, set_based=True)
    assert set_based == python
    assert python[RuleKind.PROJECT_STALLED] == {"found": 6, "written": 6}
    assert rows(last) == python_rows
    assert any(title.startswith("项目「长") and len(title) == 200 for _r, _k, title, *_rest in python_rows)
    assert run_scan(TODAY, set_based=True)[RuleKind.PROJECT_STALLED] == {"found": 6, "written": 0}


def test_sql_format_fills_the_placeholders_in_order():
    sql, params = sql_format("a%(x)sb%%c%(n)d", {"x": ("x.col", []), "n": ("%s - y", [3])})
    assert sql == "CONCAT(%s, (x.col)::text, %s, (%s - y)::text)"
    assert params == ["a", "b%c", 3]
