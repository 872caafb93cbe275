"""The chains admin: every page renders, bad input is refused with the field named, nothing half-saved."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from chains.choices import LeadershipRole
from chains.models import Chain, ChainLeadership, ChainNode, Enterprise, EnterpriseChainRole, PerMuGradeScheme
from tests.factories import (
    ChainFactory,
    ChainLeadershipFactory,
    ChainNodeFactory,
    ClusterFactory,
    EnterpriseAnnualMetricFactory,
    EnterpriseChainRoleFactory,
    EnterpriseFactory,
    LeaderFactory,
    PerMuGradeSchemeFactory,
    make_credit_code,
)

pytestmark = pytest.mark.django_db

CHAINS_MODELS = [model for model in admin.site._registry if model._meta.app_label == "chains"]


def populate(rows: int) -> None:
    """``rows`` of every chains model, linked the way real data is."""
    for _ in range(rows):
        chain = ChainFactory()
        node = ChainNodeFactory(chain=chain)
        ChainNodeFactory(chain=chain, parent=node)
        ChainLeadershipFactory(chain=chain)
        role = EnterpriseChainRoleFactory(chain=chain, node=node, is_lead=True)
        EnterpriseAnnualMetricFactory(enterprise=role.enterprise)
        # One grade scheme per year: a year not used yet.
        PerMuGradeSchemeFactory(year=2000 + PerMuGradeScheme.objects.count())


def instance_of(model):
    return model.objects.order_by("pk").first()


def test_every_chains_model_is_registered():
    assert {model.__name__ for model in CHAINS_MODELS} == {
        "Cluster",
        "Chain",
        "ChainNode",
        "Leader",
        "ChainLeadership",
        "Enterprise",
        "EnterpriseChainRole",
        "EnterpriseAnnualMetric",
        "PerMuGradeScheme",
    }


@pytest.mark.parametrize("model", CHAINS_MODELS, ids=lambda model: model.__name__)
def test_changelist_add_and_change_pages_render(admin_client, model):
    populate(2)
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == 200
    change = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance_of(model).pk]))
    assert change.status_code == 200


@pytest.mark.parametrize("model", CHAINS_MODELS, ids=lambda model: model.__name__)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model, django_assert_max_num_queries):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    populate(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    populate(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(url)


def test_pages_are_in_chinese(admin_client):
    response = admin_client.get(reverse("admin:chains_chain_changelist"))
    content = response.content.decode()
    assert "产业链" in content and "平湖" in content


def test_search_and_filters_work(admin_client):
    EnterpriseFactory(name="长城汽车", short_name="长城")
    EnterpriseFactory(name="别的企业")
    response = admin_client.get(reverse("admin:chains_enterprise_changelist"), {"q": "长城"})
    assert response.status_code == 200
    assert list(response.context["cl"].queryset.values_list("name", flat=True)) == ["长城汽车"]
    response = admin_client.get(reverse("admin:chains_chainleadership_changelist"), {"current": "yes"})
    assert response.status_code == 200


def test_unknown_facts_show_filter_and_save_as_unknown(admin_client):
    EnterpriseFactory(name="不详企业", credit_code=None)
    EnterpriseFactory(name="非五百强", fortune500=False, srdi_level="none", above_size=False)
    changelist = reverse("admin:chains_enterprise_changelist")
    response = admin_client.get(changelist, {"fortune500__isnull": "True"})
    assert list(response.context["cl"].queryset.values_list("name", flat=True)) == ["不详企业"]
    response = admin_client.get(changelist, {"fortune500__exact": "0"})
    assert list(response.context["cl"].queryset.values_list("name", flat=True)) == ["非五百强"]
    row = response.content.decode()
    page = admin_client.get(changelist).content.decode()
    assert page.count("未知") >= 4 and "否" in row  # the unknown firm's Fortune 500, SRDI, size and code
    response = admin_client.post(
        reverse("admin:chains_enterprise_add"),
        {
            "name": "新录入企业",
            "fortune500": "unknown",
            "srdi_level": "",
            "above_size": "unknown",
            "in_pinghu": "on",
            "chain_roles-TOTAL_FORMS": "0",
            "chain_roles-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    firm = Enterprise.objects.get(name="新录入企业")
    assert (firm.fortune500, firm.srdi_level, firm.above_size) == (None, None, None)


class TestBadInput:
    def test_invalid_credit_code_is_refused_on_the_field(self, admin_client):
        response = admin_client.post(
            reverse("admin:chains_enterprise_add"),
            {
                "name": "新企业",
                "credit_code": "91330100799655058A",
                "srdi_level": "none",
                "in_pinghu": "on",
                "chain_roles-TOTAL_FORMS": "0",
                "chain_roles-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert list(errors) == ["credit_code"] and "校验码" in errors["credit_code"][0]
        assert not Enterprise.objects.exists()

    def test_valid_enterprise_with_role_is_saved(self, admin_client):
        chain = ChainFactory()
        node = ChainNodeFactory(chain=chain)
        response = admin_client.post(
            reverse("admin:chains_enterprise_add"),
            {
                "name": "新企业",
                "credit_code": make_credit_code(42).lower(),
                "srdi_level": "none",
                "in_pinghu": "on",
                "town": "乍浦镇",
                "chain_roles-TOTAL_FORMS": "1",
                "chain_roles-INITIAL_FORMS": "0",
                "chain_roles-0-chain": chain.pk,
                "chain_roles-0-node": node.pk,
                "chain_roles-0-is_lead": "on",
            },
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        enterprise = Enterprise.objects.get(name="新企业")
        assert enterprise.credit_code == make_credit_code(42)
        assert enterprise.chain_roles.get().is_lead

    def test_role_with_node_of_other_chain_saves_nothing(self, admin_client):
        chain = ChainFactory()
        foreign_node = ChainNodeFactory()
        response = admin_client.post(
            reverse("admin:chains_enterprise_add"),
            {
                "name": "新企业",
                "srdi_level": "none",
                "in_pinghu": "on",
                "chain_roles-TOTAL_FORMS": "1",
                "chain_roles-INITIAL_FORMS": "0",
                "chain_roles-0-chain": chain.pk,
                "chain_roles-0-node": foreign_node.pk,
            },
        )
        assert response.status_code == 200
        inline_errors = response.context["inline_admin_formsets"][0].formset.errors
        assert "node" in inline_errors[0]
        assert not Enterprise.objects.exists() and not EnterpriseChainRole.objects.exists()

    def test_second_current_chief_is_refused(self, admin_client):
        current = ChainLeadershipFactory()
        response = admin_client.post(
            reverse("admin:chains_chainleadership_add"),
            {
                "leader": LeaderFactory().pk,
                "chain": current.chain.pk,
                "role": LeadershipRole.CHIEF,
                "start_date": "2024-01-01",
            },
        )
        assert response.status_code == 200
        assert "已有现任链长" in str(response.context["adminform"].form.non_field_errors())
        assert ChainLeadership.objects.count() == 1

    def test_two_current_chiefs_in_one_chain_form_are_refused(self, admin_client):
        chain = ChainFactory()
        data = chain_change_data(chain)
        data.update(
            {
                "leaderships-TOTAL_FORMS": "2",
                "leaderships-0-leader": LeaderFactory().pk,
                "leaderships-0-role": LeadershipRole.CHIEF,
                "leaderships-0-start_date": "2024-01-01",
                "leaderships-1-leader": LeaderFactory().pk,
                "leaderships-1-role": LeadershipRole.CHIEF,
                "leaderships-1-start_date": "2024-01-01",
            }
        )
        response = admin_client.post(reverse("admin:chains_chain_change", args=[chain.pk]), data)
        assert response.status_code == 200
        assert "只能有一位现任链长" in str(response.context["inline_admin_formsets"][0].formset.non_form_errors())
        assert not ChainLeadership.objects.exists()

    def test_end_date_before_start_date_is_refused(self, admin_client):
        response = admin_client.post(
            reverse("admin:chains_chainleadership_add"),
            {
                "leader": LeaderFactory().pk,
                "chain": ChainFactory().pk,
                "role": LeadershipRole.DEPUTY,
                "start_date": "2024-01-01",
                "end_date": "2023-12-31",
            },
        )
        assert response.status_code == 200
        assert "结束日期不能早于开始日期" in str(response.context["adminform"].form.errors)
        assert not ChainLeadership.objects.exists()

    def test_node_under_other_chains_parent_is_refused(self, admin_client):
        parent = ChainNodeFactory()
        chain = ChainFactory()
        response = admin_client.post(
            reverse("admin:chains_chainnode_add"),
            {"chain": chain.pk, "parent": parent.pk, "name": "电池", "segment": "upstream", "sort_order": "0"},
        )
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert list(errors) == ["parent"] and parent.chain.name in errors["parent"][0]
        assert ChainNode.objects.count() == 1

    def test_chain_inline_offers_only_its_own_nodes_as_parents(self, admin_client):
        chain = ChainFactory()
        own = ChainNodeFactory(chain=chain)
        other = ChainNodeFactory()
        response = admin_client.get(reverse("admin:chains_chain_change", args=[chain.pk]))
        node_formset = next(
            inline.formset for inline in response.context["inline_admin_formsets"] if inline.formset.model is ChainNode
        )
        choices = set(node_formset.forms[0].fields["parent"].queryset)
        assert own in choices and other not in choices


def chain_change_data(chain: Chain) -> dict:
    """The POST body of an unchanged chain change form with empty inlines."""
    data = {
        "cluster": chain.cluster_id or ClusterFactory().pk,
        "code": chain.code,
        "name": chain.name,
        "name_en": chain.name_en,
        "kind": chain.kind,
        "policy": chain.policy,
        "description": chain.description,
        "sort_order": chain.sort_order,
    }
    for prefix in ("leaderships", "nodes", "enterprise_roles"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def test_ending_a_chief_then_appointing_a_new_one(admin_client):
    current = ChainLeadershipFactory()
    chain = current.chain
    url = reverse("admin:chains_chain_change", args=[chain.pk])
    existing_row = {
        "leaderships-0-id": current.pk,
        "leaderships-0-chain": chain.pk,
        "leaderships-0-leader": current.leader_id,
        "leaderships-0-role": LeadershipRole.CHIEF,
        "leaderships-0-start_date": "2023-03-01",
        "leaderships-0-end_date": "2024-06-30",
    }
    data = chain_change_data(chain) | existing_row | {"leaderships-TOTAL_FORMS": "1", "leaderships-INITIAL_FORMS": "1"}
    assert admin_client.post(url, data).status_code == 302
    data = chain_change_data(chain) | existing_row
    data |= {
        "leaderships-TOTAL_FORMS": "2",
        "leaderships-INITIAL_FORMS": "1",
        "leaderships-1-leader": LeaderFactory().pk,
        "leaderships-1-role": LeadershipRole.CHIEF,
        "leaderships-1-start_date": "2024-07-01",
    }
    assert admin_client.post(url, data).status_code == 302
    current.refresh_from_db()
    assert current.end_date == datetime.date(2024, 6, 30)
    assert chain.leaderships.current().get().start_date == datetime.date(2024, 7, 1)
