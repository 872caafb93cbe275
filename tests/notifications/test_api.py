"""``/api/v1/notifications/``: a caller sees and marks only their own notifications."""

import pytest

from notifications.models import Notification
from notifications.services import notify
from pinghu.services import api_token_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/"


@pytest.fixture
def zhang(person, fake_clock):
    for title in ["一", "二"]:
        notify(users=[person], kind="test", title=title, link="/projects/1/")
        fake_clock.advance(minutes=1)
    notify(users=[UserFactory(username="li")], kind="test", title="别人的")
    return person


def authorised(api_client, user, scope="write"):
    _token, key = api_token_issue(user=user, scope=scope)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api_client


def test_a_user_lists_only_their_own(api_client, zhang, settings, django_assert_num_queries):
    settings.PINGHU_SITE_URL = "https://zs.example"
    client = authorised(api_client, zhang)
    with django_assert_num_queries(4):  # token, count, page, the user's groups for the permission check
        body = client.get(URL).json()
    assert [row["title"] for row in body["results"]] == ["二", "一"]
    assert body["results"][0]["link"] == "https://zs.example/projects/1/"
    assert body["results"][0]["read"] is False


def test_another_persons_notification_is_not_found(api_client, zhang):
    client = authorised(api_client, zhang)
    theirs = Notification.objects.get(title="别人的")
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.post(f"{URL}{theirs.pk}/read/").status_code == 404


def test_mark_one_and_all_read(api_client, zhang):
    client = authorised(api_client, zhang)
    one = Notification.objects.get(title="一")
    assert client.post(f"{URL}{one.pk}/read/").json()["read"] is True
    assert client.get(URL, {"state": "unread"}).json()["count"] == 1
    assert client.post(f"{URL}read-all/").json() == {"marked": 1}
    assert Notification.objects.get(title="别人的").read_at is None


def test_a_read_only_token_cannot_mark(api_client, zhang):
    client = authorised(api_client, zhang, scope="read")
    assert client.get(URL).status_code == 200
    assert client.post(f"{URL}read-all/").status_code == 403


def test_anonymous_is_refused(api_client, zhang):
    assert api_client.get(URL).status_code == 401
