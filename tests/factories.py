"""factory_boy factories for the whole suite (one module, imported by every test folder)."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from chains.choices import ChainKind, LeadershipRole, Segment
from chains.models import Chain, ChainLeadership, ChainNode, Cluster, Enterprise, EnterpriseChainRole, Leader
from chains.validators import credit_code_check_character
from pinghu.imports import normalise
from projects.models import FollowUp, InvestmentVisit, Project, SigningEvent
from units.models import Unit


def make_credit_code(n: int) -> str:
    """A valid credit code for Pinghu (division 330482) with a serial-numbered organisation code."""
    first17 = f"91330482{n:09d}"
    return first17 + credit_code_check_character(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-1")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``UserFactory(roles=[Role.OFFICIAL])``: put the user in those role groups (made by the migration)."""
        if create and extracted:
            from django.contrib.auth.models import Group

            self.groups.add(*Group.objects.filter(name__in=extracted))


def unit_named(name: str) -> Unit:
    """The unit of that name (as compared: spaces and width ignored), created if missing."""
    unit = Unit.objects.filter(key=normalise(name)).first()
    return unit if unit is not None else Unit.objects.create(name=name)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试单位{n}")


class NamedUnitsMixin:
    """A factory whose unit fields (``_UNIT_FIELDS``) also take a unit's name, as the fields were text before."""

    _UNIT_FIELDS: tuple[str, ...] = ()

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        for name in cls._UNIT_FIELDS:
            if isinstance(kwargs.get(name), str):
                kwargs[name] = unit_named(kwargs[name]) if kwargs[name] else None
        return kwargs


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    code = factory.Sequence(lambda n: f"cluster-{n}")
    name = factory.Sequence(lambda n: f"测试集群{n}")


class ChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chain

    cluster = factory.SubFactory(ClusterFactory)
    code = factory.Sequence(lambda n: f"chain-{n}")
    name = factory.Sequence(lambda n: f"测试产业链{n}")
    kind = ChainKind.KEY


class ChainNodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChainNode

    chain = factory.SubFactory(ChainFactory)
    name = factory.Sequence(lambda n: f"环节{n}")
    segment = Segment.MIDSTREAM


class LeaderFactory(NamedUnitsMixin, factory.django.DjangoModelFactory):
    _UNIT_FIELDS = ("unit",)

    class Meta:
        model = Leader

    name = factory.Sequence(lambda n: f"领导{n}")
    title = "副市长"
    unit = "平湖市人民政府"


class ChainLeadershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChainLeadership

    leader = factory.SubFactory(LeaderFactory)
    chain = factory.SubFactory(ChainFactory)
    role = LeadershipRole.CHIEF
    start_date = datetime.date(2023, 3, 1)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(make_credit_code)


class EnterpriseChainRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseChainRole

    enterprise = factory.SubFactory(EnterpriseFactory)
    chain = factory.SubFactory(ChainFactory)


class SigningEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SigningEvent

    name = factory.Sequence(lambda n: f"测试签约大会{n}")
    date = datetime.date(2024, 5, 9)


class ProjectFactory(NamedUnitsMixin, factory.django.DjangoModelFactory):
    """A project row written directly (no stage history): for constraint and query tests."""

    _UNIT_FIELDS = ("responsible_unit",)

    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"测试项目{n}")
    chain = factory.SubFactory(ChainFactory)
    investor = factory.SubFactory(EnterpriseFactory)
    total_investment = Decimal("1000.00")


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2024, 3, 1)
    note = "电话沟通"


class InvestmentVisitFactory(NamedUnitsMixin, factory.django.DjangoModelFactory):
    """A visit row; pass ``leaders=[...]``, ``chains=[...]``, ``projects=[...]`` to link them."""

    _UNIT_FIELDS = ("host_unit",)

    class Meta:
        model = InvestmentVisit
        skip_postgeneration_save = True

    date = datetime.date(2024, 3, 5)
    host_unit = "平湖市经信局"
    enterprise = factory.SubFactory(EnterpriseFactory)
    purpose = "洽谈投资"

    @factory.post_generation
    def leaders(self, create, extracted, **kwargs):
        if create and extracted:
            self.leaders.set(extracted)

    @factory.post_generation
    def chains(self, create, extracted, **kwargs):
        if create and extracted:
            self.chains.set(extracted)

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        if create and extracted:
            self.projects.set(extracted)


class EnterpriseAnnualMetricFactory(factory.django.DjangoModelFactory):
    """One enterprise's per-mu figures for a year (tax per mu 10 万元/亩 by default: grade C by the default scheme)."""

    class Meta:
        model = "chains.EnterpriseAnnualMetric"

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2024
    land_area = Decimal("100.00")
    tax_paid = Decimal("1000.00")
    industrial_output = Decimal("20000.00")
    revenue = Decimal("21000.00")
    employees = 100


class PerMuGradeSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "chains.PerMuGradeScheme"

    year = 2024
    tax_per_mu_a = Decimal("30.00")
    tax_per_mu_b = Decimal("15.00")
    tax_per_mu_c = Decimal("5.00")


class SalonEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "aftercare.SalonEvent"

    date = datetime.date(2023, 6, 1)
    host = factory.SubFactory(LeaderFactory)
    place = "平湖经济技术开发区"


class EnterpriseIssueFactory(NamedUnitsMixin, factory.django.DjangoModelFactory):
    """A problem row as received (written directly: use ``issue_create`` for the first step)."""

    _UNIT_FIELDS = ("assigned_unit",)

    class Meta:
        model = "aftercare.EnterpriseIssue"

    enterprise = factory.SubFactory(EnterpriseFactory)
    channel = "hotline"
    category = "land"
    description = "用地指标不足"
    received_on = datetime.date(2023, 6, 1)


class CadreAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "aftercare.CadreAssignment"

    cadre_leader = factory.SubFactory(LeaderFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    start_date = datetime.date(2023, 1, 1)


class LandRenewalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "aftercare.LandRenewal"

    enterprise = factory.SubFactory(EnterpriseFactory)
    project = factory.SubFactory(ProjectFactory)
    land_area = Decimal("80.00")


class LandParcelFactory(factory.django.DjangoModelFactory):
    """An idle industrial parcel of 50 亩 in 当湖街道."""

    class Meta:
        model = "projects.LandParcel"

    number = factory.Sequence(lambda n: f"平湖地块-{n:04d}")
    town = "当湖街道"
    land_area = Decimal("50.00")
