"""The inbox page and the navbar's unread count: one's own notifications only, unread first, read marks by POST."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(person, fake_clock):
    """zhang: 一 (read), 二, 三 (unread, 三 newest); li: 别人的."""
    for title in ["一", "二", "三"]:
        notify(users=[person], kind="test", title=title, link="/projects/")
        fake_clock.advance(minutes=1)
    Notification.objects.filter(title="一").update(read_at=fake_clock.moment)
    notify(users=[UserFactory(username="li")], kind="test", title="别人的")
    return person


def titles(response) -> list[str]:
    return re.findall(r'<button type="submit" class="btn btn-link p-0 text-start[^"]*">([^<]+)</button>', response.text)


def test_the_inbox_lists_ones_own_unread_first_then_newest(client, inbox, django_assert_num_queries):
    client.force_login(inbox)
    # session, user, count, unread, the menu's permission read (one query: pinghu.auth_backends), the page
    with django_assert_num_queries(6):
        response = client.get(reverse("notifications:inbox"))
    assert titles(response) == ["三", "二", "一"]
    assert "别人的" not in response.text


def test_the_inbox_filters_read_and_unread(client, inbox):
    client.force_login(inbox)
    assert titles(client.get(reverse("notifications:inbox"), {"state": "unread"})) == ["三", "二"]
    assert titles(client.get(reverse("notifications:inbox"), {"state": "read"})) == ["一"]


def test_the_inbox_pages_by_fifty(client, person, fake_clock):
    for n in range(53):
        notify(users=[person], kind="test", title=f"第{n:02d}条")
        fake_clock.advance(seconds=1)
    client.force_login(person)
    assert len(titles(client.get(reverse("notifications:inbox")))) == 50
    assert titles(client.get(reverse("notifications:inbox"), {"page": 2})) == ["第02条", "第01条", "第00条"]


def test_the_navbar_links_the_inbox_and_its_script_fetches_the_unread_count(client, inbox, django_assert_num_queries):
    client.force_login(inbox)
    html = client.get(reverse("projects:dashboard")).text
    link = re.search(r"<a [^>]*data-inbox[^>]*>", html).group(0)
    assert f'href="{reverse("notifications:inbox")}"' in link
    assert f'data-unread-url="{reverse("notifications:unread")}"' in link
    assert "notifications/inbox_badge.js" in html
    with django_assert_num_queries(3):  # session, user, the count
        assert client.get(reverse("notifications:unread")).json() == {"unread": 2}


def test_the_navbar_costs_a_page_no_query(client, inbox, django_assert_num_queries):
    from pinghu.panels import panels_of

    client.force_login(inbox)
    [panel] = panels_of("navbar")
    with django_assert_num_queries(0):
        assert panel.context(type("Request", (), {"user": inbox})()) == {}


def test_marking_one_read_and_opening_it(client, inbox):
    client.force_login(inbox)
    two = Notification.objects.get(title="二")
    assert client.post(reverse("notifications:read", args=[two.pk])).status_code == 302
    two.refresh_from_db()
    assert two.read_at is not None
    three = Notification.objects.get(title="三")
    response = client.post(reverse("notifications:open", args=[three.pk]))
    assert response.status_code == 302 and response["Location"] == "/projects/"
    assert Notification.objects.filter(recipient=inbox, read_at__isnull=True).count() == 0


def test_an_outside_link_is_not_followed(client, person):
    notify(users=[person], kind="test", title="外链", link="https://evil.example/")
    client.force_login(person)
    response = client.post(reverse("notifications:open", args=[Notification.objects.get().pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_mark_all_read(client, inbox):
    client.force_login(inbox)
    client.post(reverse("notifications:read-all"))
    assert not Notification.objects.filter(recipient=inbox, read_at__isnull=True).exists()
    assert Notification.objects.filter(title="别人的", read_at__isnull=True).exists()


def test_another_persons_notification_cannot_be_touched(client, inbox):
    client.force_login(inbox)
    theirs = Notification.objects.get(title="别人的")
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marks_need_a_post_with_a_csrf_token(inbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(inbox)
    two = Notification.objects.get(title="二")
    assert client.get(reverse("notifications:read", args=[two.pk])).status_code == 405
    assert client.post(reverse("notifications:read", args=[two.pk])).status_code == 403
    assert client.post(reverse("notifications:read-all")).status_code == 403


def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
