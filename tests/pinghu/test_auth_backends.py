"""``PermissionReadBackend``: ModelBackend's permission answers, read in one query, never kept across requests."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from pinghu.auth_backends import PermissionReadBackend
from pinghu.permissions import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request reads them (no permissions kept on the object)."""
    return get_user_model().objects.get(pk=user.pk)


def both(user) -> tuple[set, set]:
    return PermissionReadBackend().get_all_permissions(fresh(user)), ModelBackend().get_all_permissions(fresh(user))


def perm(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_the_same_permissions_as_model_backend_in_one_query(django_assert_num_queries):
    user = UserFactory(roles=[Role.OFFICIAL, Role.CHAIN_LEADER])
    user.user_permissions.add(perm("projects.delete_project"))
    ours, django = both(user)
    assert ours == django and "projects.delete_project" in ours and "projects.add_investmentvisit" in ours
    user = fresh(user)
    with django_assert_num_queries(1):
        assert user.has_perm("projects.view_project") and not user.has_perm("auth.delete_user")
        # ModelBackend, asked after it for a permission the user lacks, answers from the same read.
        assert not user.has_perm("auth.add_user") and user.get_all_permissions() == ours


@pytest.mark.parametrize("kind", ["group membership", "group permission", "user permission", "active", "superuser"])
def test_every_change_applies_from_the_next_request(kind):
    user = UserFactory(roles=[Role.OFFICIAL])
    group = Group.objects.get(name=Role.OFFICIAL)
    before = fresh(user)
    assert before.has_perm("projects.add_investmentvisit") and not before.has_perm("auth.add_user")
    if kind == "group membership":
        user.groups.clear()
    elif kind == "group permission":
        group.permissions.remove(perm("projects.add_investmentvisit"))
    elif kind == "user permission":
        user.user_permissions.add(perm("auth.add_user"))
    elif kind == "active":
        user.is_active = False
        user.save()
    else:
        user.is_superuser = True
        user.save()
    after = fresh(user)
    expected = {
        "group membership": (False, False),
        "group permission": (False, False),
        "user permission": (True, True),
        "active": (False, False),
        "superuser": (True, True),
    }[kind]
    assert (after.has_perm("projects.add_investmentvisit"), after.has_perm("auth.add_user")) == expected
    ours, django = both(user)
    assert ours == django


def test_a_deleted_permission_or_group_is_gone_at_the_next_request():
    user = UserFactory(roles=[Role.OFFICIAL])
    Group.objects.get(name=Role.OFFICIAL).delete()
    assert not fresh(user).has_perm("projects.add_investmentvisit")
    user.user_permissions.add(perm("auth.add_user"))
    perm("auth.add_user").delete()
    assert not fresh(user).has_perm("auth.add_user")
    assert both(user)[0] == both(user)[1] == set()


def test_superusers_hold_every_permission_and_it_signs_nobody_in(rf):
    admin = UserFactory(is_superuser=True)
    ours, django = both(admin)
    assert ours == django == {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.all()}
    assert PermissionReadBackend().authenticate(rf.get("/"), username=admin.username, password="pw-for-tests-1") is None
    assert not hasattr(PermissionReadBackend(), "get_user")  # never a session's backend


def test_a_session_still_names_model_backend(client):
    user = UserFactory(roles=[Role.BUREAU_STAFF])
    client.force_login(user)
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"
    assert client.get("/api/v1/projects/").status_code == 200
