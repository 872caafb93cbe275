"""``pinghu.token_read``: the token, its user and their permissions in one statement, the same as the ORM reads them.

Nothing is kept between requests: a revocation, an expiry, a deactivation or a permission taken away applies
at the next request.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from rest_framework.test import APIClient

from pinghu.auth_backends import PermissionReadBackend
from pinghu.models import ApiToken
from pinghu.permissions import Role
from pinghu.services import _hash, api_token_authenticate, api_token_issue, api_token_revoke
from pinghu.token_read import usable_token_with_permissions
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def perm(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def orm_read(key: str):
    """The token as ``ApiToken.objects.usable()`` reads it, and its user's permissions as the backend reads them."""
    token = ApiToken.objects.usable().select_related("user").filter(key_hash=_hash(key)).first()
    if token is None:
        return None
    return token, PermissionReadBackend().get_all_permissions(get_user_model().objects.get(pk=token.user_id))


def fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.mark.parametrize("kind", ["one role", "two roles and one of their own", "their own only", "none", "superuser"])
def test_the_token_user_and_permissions_the_orm_reads(kind, django_assert_num_queries):
    roles = {"one role": [Role.API_CONSUMER], "two roles and one of their own": [Role.OFFICIAL, Role.CHAIN_LEADER]}
    user = UserFactory(roles=roles.get(kind, []), is_superuser=kind == "superuser", last_login=timezone.now())
    if kind in ("two roles and one of their own", "their own only"):
        user.user_permissions.add(perm("auth.add_user"))
    token, key = api_token_issue(user=user, scope="write", expires_in_days=3, name="for a test")
    orm_token, orm_permissions = orm_read(key)
    with django_assert_num_queries(1):
        read = usable_token_with_permissions(_hash(key), now=timezone.now())
        assert read.user.pk == user.pk  # loaded with the token
    assert fields(read) == fields(orm_token) and fields(read.user) == fields(orm_token.user)
    assert read.can_write and read.user.is_active and read._state.adding is False
    if kind == "superuser":
        assert not hasattr(read.user, "_perm_cache")  # Django answers has_perm for them; the backend reads the list
        assert read.user.get_all_permissions() == orm_permissions
    else:
        assert read.user._perm_cache == orm_permissions
        assert bool(orm_permissions) == (kind != "none")
        with django_assert_num_queries(0):
            assert read.user.get_all_permissions() == orm_permissions
            assert read.user.has_perm("projects.view_project") == ("projects.view_project" in orm_permissions)


def test_only_a_usable_token_is_read():
    user = UserFactory(roles=[Role.API_CONSUMER])
    now = timezone.now()
    keys = {name: api_token_issue(user=user, name=name)[1] for name in ("revoked", "expired", "future", "forever")}
    api_token_revoke(ApiToken.objects.get(name="revoked"))
    ApiToken.objects.filter(name="expired").update(expires_at=now)  # expired at this very instant
    ApiToken.objects.filter(name="future").update(expires_at=now + datetime.timedelta(microseconds=1))
    for name, usable in {"revoked": False, "expired": False, "future": True, "forever": True}.items():
        read = usable_token_with_permissions(_hash(keys[name]), now=now)
        assert (read is not None) == usable == (orm_read_at(keys[name], now) is not None), name
    assert usable_token_with_permissions(_hash("ph_unknown"), now=now) is None
    user.is_active = False
    user.save()
    assert usable_token_with_permissions(_hash(keys["forever"]), now=now) is None


def orm_read_at(key: str, now):
    """``usable()`` at ``now`` (its own clock reads later)."""
    return (
        ApiToken.objects.filter(revoked_at__isnull=True, user__is_active=True, key_hash=_hash(key))
        .exclude(expires_at__lte=now)
        .first()
    )


def test_another_users_permissions_are_never_read():
    mine = UserFactory(roles=[Role.API_CONSUMER])
    other = UserFactory(roles=[Role.BUREAU_STAFF])
    other.user_permissions.add(perm("auth.add_user"))
    _token, key = api_token_issue(user=mine)
    api_token_issue(user=other)
    read = api_token_authenticate(key)
    expected = PermissionReadBackend().get_all_permissions(get_user_model().objects.get(pk=mine.pk))
    assert read.user._perm_cache == expected
    assert "auth.add_user" not in read.user._perm_cache


def test_a_role_token_reads_a_list_page_in_one_query_fewer(django_assert_num_queries):
    """Token, user and permissions in one query; the page's own four (use recorded, rates, count, rows) as before."""
    ProjectFactory()
    user = UserFactory(roles=[Role.API_CONSUMER])
    _token, key = api_token_issue(user=user)
    with django_assert_num_queries(5):
        assert bearer(key).get("/api/v1/projects/").status_code == 200
    with django_assert_num_queries(4):  # its use already recorded this minute
        assert bearer(key).get("/api/v1/projects/").status_code == 200


@pytest.mark.parametrize("change", ["revoked", "expired", "deactivated", "left the role", "permission removed"])
def test_every_change_applies_at_the_next_request(change):
    user = UserFactory(roles=[Role.API_CONSUMER])
    token, key = api_token_issue(user=user)
    client = bearer(key)
    assert client.get("/api/v1/projects/").status_code == 200
    if change == "revoked":
        api_token_revoke(token)
    elif change == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    elif change == "deactivated":
        user.is_active = False
        user.save()
    elif change == "left the role":
        user.groups.clear()
    else:
        Group.objects.get(name=Role.API_CONSUMER).permissions.remove(perm("projects.view_project"))
    expected = 403 if change in ("left the role", "permission removed") else 401
    assert client.get("/api/v1/projects/").status_code == expected
    if change == "left the role":
        user.groups.add(Group.objects.get(name=Role.API_CONSUMER))
        assert client.get("/api/v1/projects/").status_code == 200
