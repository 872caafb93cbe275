"""Follow-ups: one rule, in ``follow_up_save``: only on a project the writer may change, from page or admin."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from pinghu.permissions import Role
from projects.models import FollowUp
from projects.services import follow_up_save
from tests.adminforms import change_form_data, change_url
from tests.factories import FollowUpFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    class World:
        official = UserFactory(username="official", roles=[Role.OFFICIAL])
        colleague = UserFactory(username="colleague", roles=[Role.OFFICIAL])
        own = ProjectFactory(name="自己的项目", responsible_official=official)
        other = ProjectFactory(name="别人的项目", responsible_official=colleague)

    world = World()
    world.client = Client()
    world.client.force_login(world.official)
    return world


def _add(client, project, note="新跟进"):
    return client.post(
        "/admin/projects/followup/add/", {"project": project.pk, "date": "2026-11-02", "note": note, "next_step": ""}
    )


def test_the_admin_adds_a_follow_up_to_ones_own_project_only(setup):
    assert _add(setup.client, setup.own).status_code == 302
    response = _add(setup.client, setup.other, note="越权跟进")
    assert response.status_code == 200
    assert "别人的项目" in str(response.context["adminform"].form.errors["project"])
    assert not FollowUp.objects.filter(note="越权跟进").exists()
    assert FollowUp.objects.get().author == setup.official


def test_the_admin_cannot_move_ones_follow_up_to_another_officials_project(setup):
    follow_up = FollowUpFactory(project=setup.own, author=setup.official)
    url = change_url(follow_up)
    response = setup.client.post(url, change_form_data(setup.client, url, project=setup.other.pk))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["project"]
    follow_up.refresh_from_db()
    assert follow_up.project == setup.own


def test_the_project_pages_inline_goes_through_the_same_rule(setup):
    with pytest.raises(ValidationError) as refused:
        follow_up_save(follow_up=FollowUp(project=setup.other, date="2026-11-02", note="x"), by=setup.official)
    assert "项目：您无权" in refused.value.message_dict["project"][0]
    saved = follow_up_save(follow_up=FollowUp(project=setup.own, date="2026-11-02", note="x"), by=setup.official)
    assert saved.author == setup.official


def test_the_page_refuses_too(setup):
    response = setup.client.post(f"/projects/{setup.other.pk}/follow-ups/", {"date": "2026-11-02", "note": "x"})
    assert response.status_code == 403
    assert not FollowUp.objects.exists()
