"""Each service announces its event; the webhooks' receiver writes deliveries and tasks in the same transaction."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aftercare.models import EnterpriseIssue
from aftercare.services import issue_advance, issue_create
from pinghu.concurrency import version_of
from pinghu.events import domain_event
from pinghu.permissions import Role
from projects.models import InvestmentVisit, Project
from projects.services import (
    project_create,
    project_transition,
    project_update,
    visit_create,
    visit_delete,
    visit_update,
)
from targets.services import target_create, target_update
from tests.factories import ChainFactory, EnterpriseFactory, LeaderFactory, UserFactory, unit_named
from webhooks.models import Delivery
from webhooks.services import subscription_create

D = datetime.date
EVERY_EVENT = [
    "project.created",
    "project.updated",
    "project.stage_changed",
    "visit.created",
    "visit.updated",
    "visit.deleted",
    "issue.status_changed",
    "report.sent",
    "target.updated",
]


@pytest.fixture
def announced():
    seen = []

    def receiver(sender, event, **kwargs):
        seen.append((event.type, event.object_id, event.actor, event.data))

    domain_event.connect(receiver, weak=False, dispatch_uid="tests.webhooks.announced")
    yield seen
    domain_event.disconnect(dispatch_uid="tests.webhooks.announced")


def _visit(by, **fields):
    visit = InvestmentVisit(
        date=D(2024, 3, 2), host_unit=unit_named("平湖市经信局"), enterprise=EnterpriseFactory(), purpose="洽谈"
    )
    return visit_create(visit=visit, leaders=[LeaderFactory()], by=by, **fields)


@pytest.mark.django_db
def test_every_service_announces_its_event_with_the_actor(announced):
    user = UserFactory(username="official", is_superuser=True)
    visit = _visit(user)
    visit_update(visit=visit, leaders=visit.leaders.all(), chains=[], projects=[], by=user)
    visit_id = visit.pk
    visit_delete(visit, by=user)
    project = project_create(
        project=Project(name="电机项目", chain=ChainFactory(), investor=EnterpriseFactory(), total_investment=1000),
        by=user,
    )
    project_update(project=project, data={"name": "驱动电机项目"}, expected_version=None, by=user)
    project_transition(project, "negotiating", by=user, on_date=timezone.localdate())
    issue = issue_create(
        issue=EnterpriseIssue(
            enterprise=EnterpriseFactory(),
            channel="hotline",
            category="land",
            description="用地",
            received_on=D(2024, 3, 1),
        ),
        by=user,
    )
    issue_advance(issue, "resolved", on=D(2024, 3, 3), by=user, note="已协调")
    target = target_create(data={"year": 2025, "scope_kind": "city", "metric": "visits", "value": 9}, by=user)
    target_update(target=target, data={"value": 10}, expected_version=version_of(target), by=user)
    assert [(kind, object_id, actor) for kind, object_id, actor, _data in announced] == [
        ("visit.created", visit_id, user),
        ("visit.updated", visit_id, user),
        ("visit.deleted", visit_id, user),
        ("project.created", project.pk, user),
        ("project.updated", project.pk, user),
        ("project.stage_changed", project.pk, user),
        ("issue.status_changed", issue.pk, user),
        ("target.updated", target.pk, user),
        ("target.updated", target.pk, user),
    ]
    assert announced[5][3] == {"from": "lead", "to": "negotiating"}
    assert announced[6][3] == {"from": "received", "to": "resolved"}


@pytest.mark.django_db
def test_an_event_writes_a_delivery_and_its_task_with_the_object_as_the_api_shows_it(consumer, consumer_client):
    subscription, _secret = subscription_create(owner=consumer, url="http://127.0.0.1:9/hook", events=["visit.created"])
    official = UserFactory(username="official", is_superuser=True)
    visit = _visit(official)
    delivery = Delivery.objects.get()
    assert (delivery.subscription, delivery.event_type, delivery.resource, delivery.object_id) == (
        subscription,
        "visit.created",
        "visits",
        str(visit.pk),
    )
    assert delivery.payload == consumer_client.get(f"/api/v1/visits/{visit.pk}/").json()
    assert delivery.status == "pending" and delivery.attempts == 0
    assert delivery.give_up_at - delivery.occurred_at == datetime.timedelta(hours=24)
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "webhooks.tasks.deliver" and queued.args_kwargs["args"] == [delivery.pk]


@pytest.mark.django_db
def test_a_change_rolled_back_leaves_neither_delivery_nor_task(consumer):
    subscription_create(owner=consumer, url="http://127.0.0.1:9/hook", events=EVERY_EVENT)
    official = UserFactory(username="official", is_superuser=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        _visit(official)
        assert Delivery.objects.count() == 1 and DBTaskResult.objects.count() == 1
        raise RuntimeError("the request failed after the write")
    assert not InvestmentVisit.objects.exists()
    assert Delivery.objects.count() == 0 and DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_only_active_subscriptions_to_the_type_whose_owner_may_read_it(consumer):
    wanted, _ = subscription_create(owner=consumer, url="http://127.0.0.1:9/a", events=["visit.created"])
    subscription_create(owner=consumer, url="http://127.0.0.1:9/b", events=["visit.updated"])
    subscription_create(owner=consumer, url="http://127.0.0.1:9/c", events=["visit.created"], is_active=False)
    no_role = UserFactory(username="nobody")
    subscription_create(owner=no_role, url="http://127.0.0.1:9/d", events=["visit.created"])
    _visit(UserFactory(username="official", is_superuser=True))
    assert list(Delivery.objects.values_list("subscription", flat=True)) == [wanted.pk]


@pytest.mark.django_db
def test_one_event_to_two_subscriptions_shares_its_id(consumer):
    subscription_create(owner=consumer, url="http://127.0.0.1:9/a", events=["project.created"])
    subscription_create(
        owner=UserFactory(username="bureau", roles=[Role.BUREAU_STAFF]),
        url="http://127.0.0.1:9/b",
        events=["project.created"],
    )
    project_create(
        project=Project(name="电机项目", chain=ChainFactory(), investor=EnterpriseFactory(), total_investment=1000),
        by=None,
    )
    first, second = Delivery.objects.order_by("pk")
    assert first.event_id == second.event_id and first.subscription_id != second.subscription_id
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_a_deleted_visit_is_delivered_as_its_id(consumer):
    subscription_create(owner=consumer, url="http://127.0.0.1:9/a", events=["visit.deleted"])
    visit = _visit(UserFactory(username="official", is_superuser=True))
    visit_id = visit.pk
    visit_delete(visit)
    delivery = Delivery.objects.get()
    assert (delivery.event_type, delivery.payload, delivery.object_id) == (
        "visit.deleted",
        {"id": visit_id},
        str(visit_id),
    )
