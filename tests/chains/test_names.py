"""One lookup of a firm by name: the phone's visit form, the problem form and the import find the same firm."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from aftercare.models import EnterpriseIssue
from chains.imports import EnterpriseIndex
from chains.models import Enterprise
from chains.names import firm_name_key
from chains.selectors import enterprise_by_name, enterprise_near_name
from pinghu.permissions import Role
from projects.models import InvestmentVisit
from tests.factories import LeaderFactory, UserFactory, unit_named

pytestmark = pytest.mark.django_db

TYPED = " 平湖 ＡＢＣ精密有限公司\u3000"  # extra spaces, full-width letters, an ideographic space


@pytest.fixture
def firm():
    return Enterprise.objects.create(name="平湖ABC精密有限公司")


@pytest.fixture
def official():
    client = Client()
    client.force_login(UserFactory(username="official", roles=[Role.OFFICIAL]))
    return client


def test_every_save_keeps_the_name_key_in_step(firm):
    assert firm.name_key == "平湖abc精密有限公司" == firm_name_key(TYPED)
    firm.name = "平湖ABC精密机械有限公司"
    firm.save(update_fields=["name"])
    firm.refresh_from_db()
    assert firm.name_key == "平湖abc精密机械有限公司"


def test_a_typed_name_finds_its_firm_the_legal_form_does_not(firm):
    assert enterprise_by_name(TYPED) == firm
    assert enterprise_by_name("平湖ABC精密有限责任公司") is None  # a different legal name
    assert enterprise_near_name("平湖ABC精密有限责任公司") == firm
    assert enterprise_by_name("") is None


def test_a_name_matching_two_firms_is_refused_not_guessed(firm):
    Enterprise.objects.create(name="平湖abc精密有限公司")
    with pytest.raises(ValidationError) as refused:
        enterprise_by_name(TYPED)
    assert refused.value.code == "ambiguous"


def test_the_import_matches_the_same_way(firm):
    index = EnterpriseIndex()
    assert index.by_name[firm_name_key(TYPED)] == firm.pk
    assert index.near_name("平湖ABC精密有限责任公司") == firm.name


def test_the_phone_form_finds_the_firm_by_the_typed_name(firm, official):
    body = {
        "date": timezone.localdate().isoformat(),
        "leaders": [LeaderFactory().pk],
        "enterprise_name": TYPED,
        "purpose": "洽谈",
        "host_unit": unit_named("经信局").pk,
    }
    assert official.post("/visits/new/", body).status_code == 302
    assert InvestmentVisit.objects.get().enterprise == firm
    refused = official.post("/visits/new/", body | {"enterprise_name": "平湖ABC精密有限责任公司"})
    assert refused.status_code == 200
    assert "有限公司/有限责任公司" in str(refused.context["form"].errors["enterprise_name"])


def test_the_problem_form_finds_the_firm_by_the_typed_name(firm, official):
    body = {
        "channel": "hotline",
        "category": "finance",
        "description": "融资难",
        "received_on": timezone.localdate().isoformat(),
    }
    assert official.post("/issues/new/", body | {"enterprise_name": TYPED}).status_code == 302
    assert EnterpriseIssue.objects.get().enterprise == firm
    refused = official.post("/issues/new/", body | {"enterprise_name": "平湖ABC精密有限责任公司"})
    assert "有限公司/有限责任公司" in str(refused.context["form"].errors["enterprise_name"])


def test_the_migration_fills_the_key_of_firms_made_before_it_and_of_their_history(firm):
    Enterprise.objects.filter(pk=firm.pk).update(name_key="")
    firm.history.update(name_key="")
    migration = importlib.import_module("chains.migrations.0006_enterprise_name_key")
    migration.fill_name_keys(apps, None)
    firm.refresh_from_db()
    assert firm.name_key == "平湖abc精密有限公司"
    assert list(firm.history.values_list("name_key", flat=True)) == ["平湖abc精密有限公司"]
