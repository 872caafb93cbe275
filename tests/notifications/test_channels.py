"""Channels: the address encrypted at rest and shown masked, a test message, who manages which, history."""

import re

import pytest
from django.urls import reverse

from notifications import secrets
from notifications.models import Channel
from tests.factories import UserFactory
from tests.notifications.conftest import make_channel
from units.models import Unit

pytestmark = pytest.mark.django_db
ROBOT = "dingtalk://0123456789abcdefSECRET/"


def test_the_address_is_stored_encrypted_and_shown_masked(person):
    channel = make_channel(ROBOT, owner=person)
    channel.refresh_from_db()
    assert "SECRET" not in channel.url_encrypted and secrets.decrypt(channel.url_encrypted) == ROBOT
    assert channel.kind == "dingtalk"
    assert channel.url_masked == "dingtalk://0123…T/"


def test_the_key_may_be_set_apart_from_the_secret_key(person, settings):
    settings.PINGHU_CHANNEL_KEY = "a" * 43 + "="
    channel = make_channel(ROBOT, owner=person)
    assert secrets.decrypt(channel.url_encrypted) == ROBOT
    settings.PINGHU_CHANNEL_KEY = ""
    assert secrets.decrypt(channel.url_encrypted) == ""  # another key cannot read it


def test_pages_never_show_the_address_back(client, person):
    channel = make_channel(ROBOT, owner=person)
    client.force_login(person)
    for url in [reverse("notifications:channel-list"), reverse("notifications:channel-edit", args=[channel.pk])]:
        html = client.get(url).text
        assert "SECRET" not in html and "dingtalk://0123…T/" in html


def test_a_person_adds_a_channel_and_sends_a_test_message(client, person, receiver):
    client.force_login(person)
    response = client.post(reverse("notifications:channel-new"), {"name": "我的", "url": receiver.url, "enabled": "on"})
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.owner, channel.unit, channel.kind) == (person, None, "json")
    response = client.post(reverse("notifications:channel-action", args=[channel.pk, "test"]), follow=True)
    assert len(receiver.requests) == 1
    assert "alert-success" in response.text


def test_a_failing_test_message_says_why(client, person, receiver):
    channel = make_channel(receiver.url, owner=person)
    receiver.status = 500
    client.force_login(person)
    response = client.post(reverse("notifications:channel-action", args=[channel.pk, "test"]), follow=True)
    assert "alert-danger" in response.text


def test_an_unusable_address_is_refused(client, person):
    client.force_login(person)
    response = client.post(reverse("notifications:channel-new"), {"url": "ftp://nowhere/"})
    assert response.status_code == 200 and not Channel.objects.exists()


def test_editing_without_an_address_keeps_the_stored_one(client, person):
    channel = make_channel(ROBOT, owner=person)
    client.force_login(person)
    client.post(reverse("notifications:channel-edit", args=[channel.pk]), {"name": "改名"})
    channel.refresh_from_db()
    assert (channel.name, channel.enabled, secrets.decrypt(channel.url_encrypted)) == ("改名", False, ROBOT)
    assert channel.history.count() == 2


def test_a_person_manages_only_their_own_channels(client, person):
    theirs = make_channel(ROBOT, owner=UserFactory(username="li"))
    unit_channel = make_channel(ROBOT, unit=Unit.objects.create(name="商务局"))
    client.force_login(person)
    listed = client.get(reverse("notifications:channel-list")).text
    assert not re.search(r"data-channel=", listed)
    for channel in [theirs, unit_channel]:
        assert client.get(reverse("notifications:channel-edit", args=[channel.pk])).status_code == 403
        url = reverse("notifications:channel-action", args=[channel.pk, "delete"])
        assert client.post(url).status_code == 403
    assert Channel.objects.count() == 2


def test_bureau_staff_manage_units_channels(client, staff):
    unit = Unit.objects.create(name="商务局")
    client.force_login(staff)
    response = client.post(reverse("notifications:channel-new"), {"url": ROBOT, "unit": unit.pk, "enabled": "on"})
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.owner, channel.unit) == (None, unit)
    assert f'data-channel="{channel.pk}"' in client.get(reverse("notifications:channel-list")).text
    assert client.post(reverse("notifications:channel-action", args=[channel.pk, "delete"])).status_code == 302
    assert not Channel.objects.exists()


def test_a_person_cannot_address_a_channel_to_a_unit(client, person):
    unit = Unit.objects.create(name="商务局")
    client.force_login(person)
    client.post(reverse("notifications:channel-new"), {"url": ROBOT, "unit": unit.pk, "enabled": "on"})
    assert Channel.objects.get().owner == person and Channel.objects.get().unit is None


def test_quiet_hours_are_saved(client, person):
    client.force_login(person)
    client.post(reverse("notifications:channel-list"), {"quiet_start": "21:00", "quiet_end": "08:00"})
    preference = person.notification_preference
    assert (str(preference.quiet_start), str(preference.quiet_end)) == ("21:00:00", "08:00:00")
    response = client.post(reverse("notifications:channel-list"), {"quiet_start": "21:00"})
    assert response.status_code == 200  # one end only: refused


def test_the_admin_lists_channels_masked(admin_client, person):
    make_channel(ROBOT, owner=person)
    html = admin_client.get(reverse("admin:notifications_channel_changelist")).text
    assert "SECRET" not in html and "dingtalk://0123…T/" in html
    assert admin_client.get(reverse("admin:notifications_delivery_changelist")).status_code == 200


def test_bureau_staff_see_units_channels_in_the_admin_not_peoples(client, staff, person):
    make_channel(ROBOT, owner=person, name="个人的")
    make_channel(ROBOT, unit=Unit.objects.create(name="商务局"), name="单位的")
    client.force_login(staff)
    html = client.get(reverse("admin:notifications_channel_changelist")).text
    assert "单位的" in html and "个人的" not in html


def test_the_admin_adds_a_units_channel_and_refuses_a_missing_or_bad_address(client, staff):
    unit = Unit.objects.create(name="商务局")
    client.force_login(staff)
    url = reverse("admin:notifications_channel_add")
    assert "id_owner" not in client.get(url).text  # bureau staff set up units' channels only
    for address in ["", "ftp://nowhere/"]:
        response = client.post(url, {"unit": unit.pk, "url": address, "enabled": "on"})
        assert response.status_code == 200 and not Channel.objects.exists()
    response = client.post(url, {"unit": unit.pk, "url": ROBOT, "enabled": "on"})
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.unit, channel.owner, secrets.decrypt(channel.url_encrypted)) == (unit, None, ROBOT)


def test_the_admin_refuses_a_channel_of_both_a_person_and_a_unit(admin_client, person):
    unit = Unit.objects.create(name="商务局")
    response = admin_client.post(
        reverse("admin:notifications_channel_add"), {"owner": person.pk, "unit": unit.pk, "url": ROBOT}
    )
    assert response.status_code == 200 and not Channel.objects.exists()
