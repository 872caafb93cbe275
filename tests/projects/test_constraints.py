"""Database constraints of the projects app (PostgreSQL and SQLite), and the messages model validation gives."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from projects.choices import ProjectStage
from projects.models import PROJECT_AMOUNT_FIELDS, InvestmentVisit, ProjectStageChange
from tests.factories import (
    ChainFactory,
    EnterpriseFactory,
    FollowUpFactory,
    InvestmentVisitFactory,
    ProjectFactory,
    SigningEventFactory,
    unit_named,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def assert_refused(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


@pytest.mark.parametrize("field", PROJECT_AMOUNT_FIELDS)
def test_negative_amounts_refused(field):
    assert_refused(lambda: ProjectFactory(**{field: Decimal("-0.01")}))
    ProjectFactory(**{field: Decimal("0")})


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("first_contact_date", "signed_date"),
        ("signed_date", "registered_date"),
        ("registered_date", "construction_date"),
        ("construction_date", "production_date"),
        ("first_contact_date", "production_date"),  # a gap in between does not hide the order
    ],
)
def test_stage_dates_out_of_order_refused(earlier, later):
    # On hold: a stage that keeps whatever dates it had, so only the order rule is at work.
    hold = ProjectStage.ON_HOLD
    assert_refused(lambda: ProjectFactory(stage=hold, **{earlier: D(2024, 5, 2), later: D(2024, 5, 1)}))
    ProjectFactory(stage=hold, **{earlier: D(2024, 5, 1), later: D(2024, 5, 1)})


@pytest.mark.parametrize(
    ("stage", "field"),
    [
        (ProjectStage.LEAD, "signed_date"),
        (ProjectStage.NEGOTIATING, "signed_date"),
        (ProjectStage.SIGNED, "registered_date"),
        (ProjectStage.REGISTERED, "construction_date"),
        (ProjectStage.CONSTRUCTION, "production_date"),
    ],
)
def test_date_of_a_stage_not_reached_refused(stage, field):
    dates = {"signed_date": D(2024, 1, 1), "registered_date": D(2024, 2, 1), "construction_date": D(2024, 3, 1)}
    needed = {key: value for key, value in dates.items() if key != field}
    assert_refused(lambda: ProjectFactory(stage=stage, **needed, **{field: D(2024, 4, 1)}))
    project = ProjectFactory.build(
        chain=ChainFactory(), investor=EnterpriseFactory(), stage=stage, **{field: D(2024, 4, 1)}
    )
    with pytest.raises(ValidationError) as caught:
        project.full_clean()
    assert field in caught.value.message_dict


@pytest.mark.parametrize(
    ("stage", "missing"),
    [
        (ProjectStage.SIGNED, "signed_date"),
        (ProjectStage.REGISTERED, "signed_date"),
        (ProjectStage.PRODUCTION, "signed_date"),
        (ProjectStage.REGISTERED, "registered_date"),
        (ProjectStage.CONSTRUCTION, "construction_date"),
        (ProjectStage.PRODUCTION, "production_date"),
    ],
)
def test_stage_without_its_dates_refused(stage, missing):
    dates = {
        "signed_date": D(2024, 1, 1),
        "registered_date": D(2024, 2, 1),
        "construction_date": D(2024, 3, 1),
        "production_date": D(2024, 4, 1),
    }
    dates[missing] = None
    assert_refused(lambda: ProjectFactory(stage=stage, **dates))


def test_lead_on_hold_and_dropped_need_no_dates():
    for stage in (ProjectStage.LEAD, ProjectStage.NEGOTIATING, ProjectStage.ON_HOLD, ProjectStage.DROPPED):
        ProjectFactory(stage=stage)


def test_signing_event_without_signed_date_refused():
    assert_refused(lambda: ProjectFactory(signing_event=SigningEventFactory()))


def test_unknown_stage_and_source_refused():
    assert_refused(lambda: ProjectFactory(stage="celebrating"))
    assert_refused(lambda: ProjectFactory(source="rumour"))


def test_stage_change_must_change_the_stage():
    project = ProjectFactory()
    assert_refused(
        lambda: ProjectStageChange.objects.create(
            project=project, from_stage=ProjectStage.LEAD, to_stage=ProjectStage.LEAD, at=D(2024, 1, 1)
        )
    )


def test_follow_up_due_before_its_date_refused():
    assert_refused(lambda: FollowUpFactory(date=D(2024, 3, 2), due_date=D(2024, 3, 1)))


class TestVisit:
    def test_saturday_is_derived_from_the_date(self):
        saturday = InvestmentVisitFactory(date=D(2024, 3, 2))
        tuesday = InvestmentVisitFactory(date=D(2024, 3, 5))
        sunday = InvestmentVisitFactory(date=D(2024, 3, 3))
        flags = dict(InvestmentVisit.objects.values_list("pk", "is_saturday"))
        assert flags == {saturday.pk: True, tuesday.pk: False, sunday.pk: False}
        InvestmentVisit.objects.filter(pk=tuesday.pk).update(date=D(2024, 3, 9))
        assert InvestmentVisit.objects.get(pk=tuesday.pk).is_saturday is True
        assert list(InvestmentVisit.objects.filter(is_saturday=True).order_by("date").values_list("pk", flat=True)) == [
            saturday.pk,
            tuesday.pk,
        ]

    def test_far_future_date_refused_by_the_database(self):
        assert_refused(lambda: InvestmentVisitFactory(date=timezone.localdate() + datetime.timedelta(days=3)))

    def test_today_accepted(self):
        InvestmentVisitFactory(date=timezone.localdate())

    def test_tomorrow_refused_by_validation_with_the_field_named(self):
        visit = InvestmentVisit(
            date=timezone.localdate() + datetime.timedelta(days=1),
            host_unit=unit_named("经信局"),
            enterprise=EnterpriseFactory(),
            purpose="洽谈",
        )
        with pytest.raises(ValidationError) as caught:
            visit.full_clean()
        assert "date" in caught.value.message_dict
        assert "未来" in caught.value.message_dict["date"][0]

    def test_follow_up_before_visit_refused(self):
        assert_refused(lambda: InvestmentVisitFactory(date=D(2024, 3, 5), follow_up_date=D(2024, 3, 4)))


class TestProjectValidation:
    def test_date_order_names_the_later_field(self):
        project = ProjectFactory.build(
            chain=ChainFactory(),
            investor=EnterpriseFactory(),
            first_contact_date=D(2024, 3, 1),
            signed_date=D(2024, 2, 1),
        )
        with pytest.raises(ValidationError) as caught:
            project.full_clean()
        assert "signed_date" in caught.value.message_dict
        assert "不能早于" in caught.value.message_dict["signed_date"][0]

    def test_negative_amount_names_the_field(self):
        project = ProjectFactory.build(
            chain=ChainFactory(), investor=EnterpriseFactory(), total_investment=Decimal("-5")
        )
        with pytest.raises(ValidationError) as caught:
            project.full_clean()
        assert "total_investment" in caught.value.message_dict

    def test_too_many_digits_is_a_validation_error_not_a_crash(self):
        project = ProjectFactory.build(
            chain=ChainFactory(), investor=EnterpriseFactory(), total_investment=Decimal("1e15")
        )
        with pytest.raises(ValidationError) as caught:
            project.full_clean()
        assert "total_investment" in caught.value.message_dict

    def test_signed_date_must_be_the_conference_date(self):
        event = SigningEventFactory(date=D(2024, 5, 9))
        project = ProjectFactory.build(
            chain=ChainFactory(),
            investor=EnterpriseFactory(),
            stage=ProjectStage.SIGNED,
            signed_date=D(2024, 5, 10),
            signing_event=event,
        )
        with pytest.raises(ValidationError) as caught:
            project.full_clean()
        assert "signed_date" in caught.value.message_dict


class TestLeaderCount:
    """``leader_count`` is kept by database triggers from the visit's leader rows, whatever writes them."""

    def counts(self):
        return dict(InvestmentVisit.objects.values_list("pk", "leader_count"))

    def test_follows_every_kind_of_write(self):
        from projects.models import VisitLeader
        from tests.factories import LeaderFactory

        one, two, three = LeaderFactory(), LeaderFactory(), LeaderFactory()
        visit = InvestmentVisitFactory(leaders=[one, two])
        other = InvestmentVisitFactory(leaders=[three])
        assert self.counts() == {visit.pk: 2, other.pk: 1}
        visit.leaders.add(three)
        assert self.counts()[visit.pk] == 3
        visit.leaders.remove(one)
        assert self.counts()[visit.pk] == 2
        visit.leaders.set([one])
        assert self.counts()[visit.pk] == 1
        VisitLeader.objects.bulk_create([VisitLeader(visit=other, leader=one), VisitLeader(visit=other, leader=two)])
        assert self.counts()[other.pk] == 3
        VisitLeader.objects.filter(visit=other, leader=two).update(visit=visit)
        assert self.counts() == {visit.pk: 2, other.pk: 2}
        VisitLeader.objects.filter(visit=visit).delete()
        assert self.counts()[visit.pk] == 0
        assert self.counts()[other.pk] == other.leader_links.count()
        stale = InvestmentVisit.objects.get(pk=other.pk)
        stale.leader_count = 99  # a number read earlier is never written back
        stale.save()
        assert self.counts()[other.pk] == 2

    def test_cannot_be_set_by_hand_below_zero(self):
        visit = InvestmentVisitFactory()
        assert_refused(lambda: InvestmentVisit.objects.filter(pk=visit.pk).update(leader_count=-1))
