"""A chain has one chain chief at a time: chief terms of one chain never overlap (issue 15).

Model validation refuses an overlap on both databases; on PostgreSQL the exclusion constraint
refuses it too, even for a write that skips validation.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from chains.choices import LeadershipRole
from chains.models import ChainLeadership
from tests.factories import ChainFactory, ChainLeadershipFactory, LeaderFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def term(chain, start, end=None, role=LeadershipRole.CHIEF) -> ChainLeadership:
    return ChainLeadership(leader=LeaderFactory(), chain=chain, role=role, start_date=start, end_date=end)


def assert_overlap_refused(leadership: ChainLeadership) -> None:
    with pytest.raises(ValidationError) as caught:
        leadership.full_clean()
    assert "同一时间只有一位链长" in str(caught.value)


class TestModelValidation:
    def test_closed_term_overlapping_an_open_term_refused(self):
        chain = ChainFactory()
        ChainLeadershipFactory(chain=chain, start_date=D(2023, 3, 1))
        assert_overlap_refused(term(chain, D(2022, 1, 1), D(2023, 3, 1)))
        assert_overlap_refused(term(chain, D(2024, 1, 1), D(2024, 6, 30)))

    def test_open_term_starting_inside_a_closed_term_refused(self):
        chain = ChainFactory()
        ChainLeadershipFactory(chain=chain, start_date=D(2022, 1, 1), end_date=D(2023, 12, 31))
        assert_overlap_refused(term(chain, D(2023, 6, 1)))

    def test_open_term_beside_an_open_term_refused(self):
        chain = ChainFactory()
        ChainLeadershipFactory(chain=chain, start_date=D(2023, 3, 1))
        with pytest.raises(ValidationError):
            term(chain, D(2024, 1, 1)).full_clean()

    def test_closed_terms_overlapping_refused(self):
        chain = ChainFactory()
        ChainLeadershipFactory(chain=chain, start_date=D(2021, 1, 1), end_date=D(2022, 12, 31))
        assert_overlap_refused(term(chain, D(2022, 12, 31), D(2023, 5, 1)))

    def test_adjacent_terms_deputies_and_other_chains_allowed(self):
        chain = ChainFactory()
        ChainLeadershipFactory(chain=chain, start_date=D(2021, 1, 1), end_date=D(2022, 12, 31))
        term(chain, D(2023, 1, 1)).full_clean()
        term(chain, D(2022, 6, 1), role=LeadershipRole.DEPUTY).full_clean()
        term(ChainFactory(), D(2022, 6, 1), D(2022, 7, 1)).full_clean()

    def test_editing_a_term_does_not_clash_with_itself(self):
        chief = ChainLeadershipFactory(start_date=D(2023, 3, 1))
        chief.end_date = D(2024, 3, 1)
        chief.full_clean()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
class TestDatabaseConstraint:
    """Writes that skip validation: PostgreSQL itself refuses the overlap."""

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ((D(2023, 3, 1), None), (D(2022, 1, 1), D(2023, 3, 1))),  # closed against open
            ((D(2021, 1, 1), D(2022, 12, 31)), (D(2022, 12, 31), D(2023, 5, 1))),  # closed against closed
            ((D(2021, 1, 1), D(2022, 12, 31)), (D(2022, 6, 1), None)),  # open starting inside a closed one
        ],
    )
    def test_overlap_refused(self, first, second):
        chain = ChainFactory()
        ChainLeadershipFactory(chain=chain, start_date=first[0], end_date=first[1])
        with pytest.raises(IntegrityError, match="chief_terms_do_not_overlap"), transaction.atomic():
            term(chain, *second).save()

    def test_raw_insert_refused(self):
        chain = ChainFactory()
        ChainLeadershipFactory(chain=chain, start_date=D(2023, 3, 1))
        leader = LeaderFactory()
        with pytest.raises(IntegrityError, match="chief_terms_do_not_overlap"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO chains_chainleadership (leader_id, chain_id, role, start_date, end_date, "
                    "created_at, updated_at) VALUES (%s, %s, 'chief', '2022-01-01', '2023-06-30', now(), now())",
                    [leader.pk, chain.pk],
                )

    def test_adjacent_terms_and_deputies_accepted(self):
        chain = ChainFactory()
        ChainLeadershipFactory(chain=chain, start_date=D(2021, 1, 1), end_date=D(2022, 12, 31))
        term(chain, D(2023, 1, 1)).save()
        term(chain, D(2022, 6, 1), role=LeadershipRole.DEPUTY).save()
        assert ChainLeadership.objects.filter(chain=chain).count() == 3


class TestAdminForm:
    def test_two_overlapping_chiefs_in_one_submission_refused(self, admin_client):
        chain = ChainFactory()
        first, second = LeaderFactory(), LeaderFactory()
        prefix = "leaderships"
        response = admin_client.get(f"/admin/chains/chain/{chain.pk}/change/")
        form = response.context["adminform"].form
        data = {name: form.initial.get(name, "") for name in form.fields}
        data.update({"cluster": chain.cluster_id, "kind": chain.kind, "_save": "1"})
        data = {key: value for key, value in data.items() if value is not None}
        for formset in response.context["inline_admin_formsets"]:
            management = formset.formset.management_form
            for name in management.fields:
                data[f"{formset.formset.prefix}-{name}"] = management.initial.get(name, 0)
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": 2,
                f"{prefix}-0-leader": first.pk,
                f"{prefix}-0-role": "chief",
                f"{prefix}-0-start_date": "2021-01-01",
                f"{prefix}-0-end_date": "2023-01-31",
                f"{prefix}-1-leader": second.pk,
                f"{prefix}-1-role": "chief",
                f"{prefix}-1-start_date": "2023-01-01",
                f"{prefix}-1-end_date": "",
            }
        )
        response = admin_client.post(f"/admin/chains/chain/{chain.pk}/change/", data)
        assert response.status_code == 200
        assert not ChainLeadership.objects.filter(chain=chain).exists()
        assert "同一时间只有一位链长" in response.content.decode()
