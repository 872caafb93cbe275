"""Every database constraint of the chains app refuses what it should (run on PostgreSQL and SQLite).

Each case writes straight to the database, past model validation, to prove that the rule is
held by the database itself; the model-validation tests check the friendly message.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from chains.choices import LeadershipRole, Segment
from chains.models import ChainLeadership, ChainNode, Enterprise, EnterpriseChainRole, Leader
from tests.factories import (
    ChainFactory,
    ChainLeadershipFactory,
    ChainNodeFactory,
    EnterpriseChainRoleFactory,
    EnterpriseFactory,
    LeaderFactory,
    make_credit_code,
    unit_named,
)

pytestmark = pytest.mark.django_db


def assert_refused(write) -> None:
    """``write`` fails with IntegrityError and leaves the surrounding transaction usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


class TestChain:
    def test_unknown_kind_refused(self):
        assert_refused(lambda: ChainFactory(kind="hobby"))

    def test_duplicate_code_refused(self):
        ChainFactory(code="nev")
        assert_refused(lambda: ChainFactory(code="nev"))


class TestChainNode:
    def test_unknown_segment_refused(self):
        assert_refused(lambda: ChainNodeFactory(segment="sideways"))

    def test_duplicate_name_in_chain_refused_but_allowed_in_another(self):
        node = ChainNodeFactory(name="驱动电机")
        assert_refused(lambda: ChainNodeFactory(chain=node.chain, name="驱动电机"))
        ChainNodeFactory(name="驱动电机")  # another chain

    def test_own_parent_refused(self):
        node = ChainNodeFactory()
        node.parent_id = node.pk
        assert_refused(lambda: node.save(update_fields=["parent"]))

    def test_parent_in_other_chain_refused_by_database(self):
        parent = ChainNodeFactory()
        assert_refused(lambda: ChainNodeFactory(parent=parent))  # new node in a new chain

    def test_parent_changed_to_other_chain_refused_by_database(self):
        node = ChainNodeFactory()
        elsewhere = ChainNodeFactory()
        assert_refused(lambda: ChainNode.objects.filter(pk=node.pk).update(parent=elsewhere))

    def test_moving_a_node_with_children_to_another_chain_refused(self):
        parent = ChainNodeFactory()
        ChainNodeFactory(chain=parent.chain, parent=parent)
        other_chain = ChainFactory()
        assert_refused(lambda: ChainNode.objects.filter(pk=parent.pk).update(chain=other_chain))

    def test_child_in_same_chain_accepted(self):
        parent = ChainNodeFactory(segment=Segment.UPSTREAM)
        child = ChainNodeFactory(chain=parent.chain, parent=parent)
        assert list(parent.children.all()) == [child]


class TestChainLeadership:
    def test_second_current_chief_refused(self):
        first = ChainLeadershipFactory()
        assert_refused(lambda: ChainLeadershipFactory(chain=first.chain))

    def test_new_chief_accepted_once_the_old_one_ended(self):
        first = ChainLeadershipFactory()
        first.end_date = datetime.date(2024, 1, 31)
        first.save()
        ChainLeadershipFactory(chain=first.chain, start_date=datetime.date(2024, 2, 1))
        assert ChainLeadership.objects.current().filter(chain=first.chain).count() == 1

    def test_several_current_deputies_accepted(self):
        chief = ChainLeadershipFactory()
        ChainLeadershipFactory(chain=chief.chain, role=LeadershipRole.DEPUTY)
        ChainLeadershipFactory(chain=chief.chain, role=LeadershipRole.DEPUTY)
        assert chief.chain.leaderships.current().count() == 3

    def test_same_leader_twice_current_in_one_chain_refused(self):
        deputy = ChainLeadershipFactory(role=LeadershipRole.DEPUTY)
        assert_refused(
            lambda: ChainLeadershipFactory(chain=deputy.chain, leader=deputy.leader, role=LeadershipRole.DEPUTY)
        )

    def test_end_before_start_refused(self):
        assert_refused(
            lambda: ChainLeadershipFactory(start_date=datetime.date(2023, 5, 1), end_date=datetime.date(2023, 4, 30))
        )

    def test_unknown_role_refused(self):
        assert_refused(lambda: ChainLeadershipFactory(role="mascot"))


class TestLeader:
    def test_same_name_in_same_unit_refused(self):
        LeaderFactory(name="张三", unit=unit_named("经信局"))
        assert_refused(lambda: LeaderFactory(name="张三", unit=unit_named("经信局")))
        LeaderFactory(name="张三", unit=unit_named("商务局"))


class TestEnterprise:
    def test_duplicate_name_refused(self):
        EnterpriseFactory(name="长城汽车")
        assert_refused(lambda: EnterpriseFactory(name="长城汽车"))

    def test_duplicate_credit_code_refused_but_many_without_code_accepted(self):
        EnterpriseFactory(credit_code=make_credit_code(1))
        assert_refused(lambda: EnterpriseFactory(credit_code=make_credit_code(1)))
        EnterpriseFactory(credit_code=None)
        EnterpriseFactory(credit_code=None)
        assert Enterprise.objects.filter(credit_code__isnull=True).count() == 2

    @pytest.mark.parametrize("code", ["91330482MA29F1A3", "91330100799655058b", ""])
    def test_malformed_credit_code_refused(self, code):
        assert_refused(lambda: EnterpriseFactory(credit_code=code))

    def test_unknown_ownership_srdi_and_town_refused(self):
        assert_refused(lambda: EnterpriseFactory(ownership="martian"))
        assert_refused(lambda: EnterpriseFactory(srdi_level="galactic"))
        assert_refused(lambda: EnterpriseFactory(town="上海市"))

    def test_town_for_firm_outside_pinghu_refused(self):
        assert_refused(lambda: EnterpriseFactory(in_pinghu=False, town="乍浦镇"))
        EnterpriseFactory(in_pinghu=False, town="")


class TestEnterpriseChainRole:
    def test_second_role_in_same_chain_refused(self):
        role = EnterpriseChainRoleFactory()
        assert_refused(lambda: EnterpriseChainRoleFactory(enterprise=role.enterprise, chain=role.chain))

    def test_node_of_other_chain_refused_by_database(self):
        node = ChainNodeFactory()
        assert_refused(lambda: EnterpriseChainRoleFactory(node=node))  # role in a new chain

    def test_node_of_same_chain_accepted(self):
        node = ChainNodeFactory()
        role = EnterpriseChainRoleFactory(chain=node.chain, node=node, is_lead=True)
        assert EnterpriseChainRole.objects.get(pk=role.pk).node == node


class TestModelValidation:
    """full_clean() names the field and the rule, before the database is asked."""

    def test_second_current_chief(self):
        first = ChainLeadershipFactory()
        second = ChainLeadership(
            leader=LeaderFactory(), chain=first.chain, role=LeadershipRole.CHIEF, start_date=datetime.date(2024, 1, 1)
        )
        with pytest.raises(ValidationError) as caught:
            second.full_clean()
        assert "已有现任链长" in str(caught.value)

    def test_parent_in_other_chain_names_the_parent_field(self):
        parent = ChainNodeFactory()
        node = ChainNode(chain=ChainFactory(), parent=parent, name="电池", segment=Segment.UPSTREAM)
        with pytest.raises(ValidationError) as caught:
            node.full_clean()
        assert list(caught.value.message_dict) == ["parent"]
        assert parent.chain.name in caught.value.message_dict["parent"][0]

    def test_node_under_its_own_descendant_refused(self):
        top = ChainNodeFactory()
        child = ChainNodeFactory(chain=top.chain, parent=top)
        top.parent = child
        with pytest.raises(ValidationError) as caught:
            top.full_clean()
        assert "parent" in caught.value.message_dict

    def test_role_node_in_other_chain_names_the_node_field(self):
        node = ChainNodeFactory()
        role = EnterpriseChainRole(enterprise=EnterpriseFactory(), chain=ChainFactory(), node=node)
        with pytest.raises(ValidationError) as caught:
            role.full_clean()
        assert list(caught.value.message_dict) == ["node"]

    def test_credit_code_is_normalised_before_validation(self):
        code = make_credit_code(7)
        enterprise = Enterprise(name="某企业", credit_code=f" {code[:6].lower()} {code[6:]} ")
        enterprise.full_clean()
        assert enterprise.credit_code == code

    def test_empty_credit_code_becomes_none(self):
        enterprise = Enterprise(name="境外企业", credit_code="", in_pinghu=False)
        enterprise.full_clean()
        assert enterprise.credit_code is None

    def test_bad_credit_code_names_the_field(self):
        enterprise = Enterprise(name="某企业", credit_code="91330100799655058A")
        with pytest.raises(ValidationError) as caught:
            enterprise.full_clean()
        assert list(caught.value.message_dict) == ["credit_code"]
        assert "校验码" in caught.value.message_dict["credit_code"][0]

    def test_town_outside_pinghu_names_the_town_field(self):
        enterprise = Enterprise(name="某企业", in_pinghu=False, town="乍浦镇")
        with pytest.raises(ValidationError) as caught:
            enterprise.full_clean()
        assert "town" in caught.value.message_dict

    def test_leader_unique_message(self):
        LeaderFactory(name="李四", unit=unit_named("经信局"))
        with pytest.raises(ValidationError) as caught:
            Leader(name="李四", unit=unit_named("经信局")).full_clean()
        assert "已存在" in str(caught.value)
