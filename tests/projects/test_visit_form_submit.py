"""The phone visit form: one visit per form however often it is sent; each error said once, on its field."""

import datetime

import pytest
from django.utils import timezone

from chains.models import Enterprise
from pinghu.models import IdempotencyKey
from pinghu.permissions import Role
from projects.models import InvestmentVisit, Project
from tests.factories import ChainFactory, LeaderFactory, UserFactory, unit_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(client):
    user = UserFactory(username="official", roles=[Role.OFFICIAL])
    client.force_login(user)
    return user


def _body(**values) -> dict:
    return {
        "date": timezone.localdate().isoformat(),
        "leaders": [LeaderFactory().pk],
        "enterprise_name": Enterprise.objects.get_or_create(name="已有企业")[0].name,
        "purpose": "洽谈",
        "host_unit": unit_named("经信局").pk,
    } | values


def _with_lead(**values) -> dict:
    chain = ChainFactory()
    return _body(new_lead_name="新线索", new_lead_chain=chain.pk, new_lead_investment="300") | values


# --- double submit ------------------------------------------------------------------------------


def test_the_empty_form_carries_a_fresh_key_each_time(client, official):
    first = client.get("/visits/new/")
    second = client.get("/visits/new/")
    keys = [response.context["form"]["idempotency_key"].value() for response in (first, second)]
    assert all(len(key) == 32 for key in keys) and keys[0] != keys[1]
    assert 'name="idempotency_key"' in first.content.decode()
    assert "data-submit-once" in first.content.decode() and "pinghu/submit_once.js" in first.content.decode()


def test_the_same_form_sent_twice_makes_one_visit_and_one_lead(client, official):
    body = _with_lead(idempotency_key="form-1")
    first = client.post("/visits/new/", body)
    second = client.post("/visits/new/", body)
    assert first.status_code == second.status_code == 302
    visit = InvestmentVisit.objects.get()
    assert second.url == first.url == f"/visits/{visit.pk}/"  # both land on the one visit's page
    assert Project.objects.count() == 1
    assert IdempotencyKey.objects.get(key="form-1").scope == "page:visit-new"
    page = client.get(second.url)
    assert "已提交并保存过" in page.content.decode()


def test_a_second_send_replays_even_when_the_form_would_now_be_refused(client, official):
    body = _body(enterprise_name="新企业", create_enterprise="on", idempotency_key="form-2")
    assert client.post("/visits/new/", body).status_code == 302
    # The firm exists now; the same form again must neither fail on it nor make a second visit.
    assert client.post("/visits/new/", body).status_code == 302
    assert InvestmentVisit.objects.count() == 1 and Enterprise.objects.filter(name="新企业").count() == 1


def test_a_refused_form_keeps_its_key_free_for_the_corrected_one(client, official):
    body = _body(leaders=[], idempotency_key="form-3")
    assert client.post("/visits/new/", body).status_code == 200
    assert not IdempotencyKey.objects.exists()
    assert client.post("/visits/new/", body | {"leaders": [LeaderFactory().pk]}).status_code == 302
    assert InvestmentVisit.objects.count() == 1


def test_keys_are_per_user(client, official):
    body = _body(idempotency_key="same")
    assert client.post("/visits/new/", body).status_code == 302
    client.force_login(UserFactory(roles=[Role.OFFICIAL]))
    assert client.post("/visits/new/", body).status_code == 302
    assert InvestmentVisit.objects.count() == 2


# --- each error once, on its field, in Chinese -------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("abc", "新线索总投资：请输入数字（万元）。"),
        ("-5", "新线索总投资不能为负数。"),
        ("1e400", "新线索总投资：总共最多 14 位数字。"),
        ("1.234", "新线索总投资：最多 2 位小数。"),
        ("1234567890123.4", "新线索总投资：整数部分最多 12 位。"),
    ],
)
def test_a_bad_amount_is_one_error_on_the_amount(client, official, amount, message):
    response = client.post("/visits/new/", _with_lead(new_lead_investment=amount))
    errors = response.context["form"].errors
    assert errors == {"new_lead_investment": [message]}, errors
    assert "新线索需要填写名称、产业链和总投资" not in response.content.decode()


def test_a_missing_lead_field_is_still_reported(client, official):
    response = client.post("/visits/new/", _with_lead(new_lead_investment=""))
    assert response.context["form"].errors["new_lead_name"] == ["新线索需要填写名称、产业链和总投资。"]


def test_a_follow_up_before_the_visit_is_one_error_shown_once(client, official):
    today = timezone.localdate()
    body = _body(follow_up_date=(today - datetime.timedelta(days=3)).isoformat())
    response = client.post("/visits/new/", body)
    form = response.context["form"]
    assert form.errors == {"follow_up_date": ["跟进截止日期不能早于走访日期。"]}, form.errors
    assert response.content.decode().count("跟进截止日期不能早于走访日期。") == 1
    assert not InvestmentVisit.objects.exists()
