"""Fixtures shared by the whole suite."""

import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Hashing with PBKDF2 for every test user costs seconds; the hasher is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    # LocaleMiddleware leaves the last request's language active in the thread; each test starts
    # from the site's default (Chinese), as a fresh server process would.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Uploaded files (visit photos, the demo's too) go to the test's own folder, never the project's media/.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Pages cache figures per data version; each test starts from an empty cache all the same.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def write_client(api_client, superuser):
    """An API client authenticated with a write token of a superuser."""
    from pinghu.services import api_token_issue

    _token, key = api_token_issue(user=superuser, scope="write")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api_client


@pytest.fixture
def read_client(api_client, superuser):
    """An API client authenticated with a read-only token (of a superuser: the scope alone must stop writes)."""
    from pinghu.services import api_token_issue

    _token, key = api_token_issue(user=superuser, scope="read")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api_client


@pytest.fixture
def import_uploads(settings, tmp_path):
    """The admin keeps uploads between preview and confirmation in a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "import_export": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    return tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _report_versions_flushable(request, _django_db_helper):
    # SQLite's flush after a transactional test empties the tables with DELETE, in no fixed order, and
    # the triggers of reports refuse to delete a closed report version whose report still exists
    # (reports.triggers). Dropped here just before that flush; post_migrate installs them again after it.
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if transactional:
        from django.db import connection

        if connection.vendor == "sqlite":
            from reports import triggers

            triggers.drop(connection)
