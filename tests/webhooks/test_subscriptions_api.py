"""``/api/v1/webhooks/``: a token's owner manages only their own subscriptions; the secret is shown once."""

import pytest

from pinghu.services import api_token_issue
from tests.factories import UserFactory
from webhooks.choices import DeliveryStatus
from webhooks.models import Delivery, Subscription
from webhooks.services import subscription_create

URL = "/api/v1/webhooks/subscriptions/"
DELIVERIES = "/api/v1/webhooks/deliveries/"


def _delivery(subscription, **fields):
    import uuid

    from django.utils import timezone

    now = timezone.now()
    values = {
        "subscription": subscription,
        "event_id": uuid.uuid4(),
        "event_type": "visit.created",
        "occurred_at": now,
        "resource": "visits",
        "object_id": "1",
        "payload": {"id": 1},
        "next_attempt_at": now,
        "give_up_at": now,
    }
    return Delivery.objects.create(**{**values, **fields})


@pytest.mark.django_db
def test_creating_answers_the_secret_once_and_a_read_never_shows_it(consumer_client, consumer):
    response = consumer_client.post(
        URL, {"url": "https://bi.example.gov.cn/hook", "events": ["visit.created", "project.created"]}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 30
    assert body["events"] == ["project.created", "visit.created"]  # in the vocabulary's order
    subscription = Subscription.objects.get()
    assert subscription.owner == consumer and subscription.secret == body["secret"]
    read = consumer_client.get(f"{URL}{subscription.pk}/").json()
    assert "secret" not in read and read["url"] == "https://bi.example.gov.cn/hook"
    assert "secret" not in consumer_client.get(URL).json()["results"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.com/hook", "events": ["visit.created"]}, "url"),
        ({"url": "javascript:alert(1)", "events": ["visit.created"]}, "url"),
        ({"url": "https://example.com/hook", "events": []}, "events"),
        ({"url": "https://example.com/hook", "events": ["visit.exploded"]}, "events"),
        ({"url": "https://example.com/hook", "events": ["visit.created"], "secret": "mine"}, "secret"),
    ],
)
def test_a_bad_url_or_event_list_is_refused_naming_the_field(consumer_client, body, field):
    response = consumer_client.post(URL, body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Subscription.objects.exists()


@pytest.mark.django_db
def test_an_owner_sees_changes_and_deletes_only_their_own(consumer_client, consumer):
    mine, _secret = subscription_create(owner=consumer, url="https://a.example/hook", events=["visit.created"])
    other, _secret = subscription_create(
        owner=UserFactory(username="other"), url="https://b.example/hook", events=["visit.created"]
    )
    listed = consumer_client.get(URL).json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert consumer_client.get(f"{URL}{other.pk}/").status_code == 404
    assert (
        consumer_client.patch(f"{URL}{other.pk}/", {"is_active": False}, format="json", HTTP_IF_MATCH="*").status_code
        == 404
    )
    assert consumer_client.delete(f"{URL}{other.pk}/").status_code == 404
    assert Subscription.objects.filter(pk=other.pk, is_active=True).exists()

    etag = consumer_client.get(f"{URL}{mine.pk}/")["ETag"]
    changed = consumer_client.patch(
        f"{URL}{mine.pk}/", {"events": ["visit.deleted"]}, format="json", HTTP_IF_MATCH=etag
    )
    assert changed.status_code == 200 and changed.json()["events"] == ["visit.deleted"]
    assert consumer_client.delete(f"{URL}{mine.pk}/").status_code == 204
    assert list(Subscription.objects.values_list("pk", flat=True)) == [other.pk]


@pytest.mark.django_db
def test_anonymous_callers_are_refused(api_client):
    assert api_client.get(URL).status_code == 401
    assert (
        api_client.post(URL, {"url": "https://a.example/", "events": ["visit.created"]}, format="json").status_code
        == 401
    )


@pytest.mark.django_db
def test_activating_again_clears_the_failure_record(consumer_client, consumer):
    from django.utils import timezone

    subscription, _secret = subscription_create(owner=consumer, url="https://a.example/hook", events=["visit.created"])
    Subscription.objects.filter(pk=subscription.pk).update(
        is_active=False, failing_since=timezone.now(), disabled_at=timezone.now()
    )
    etag = consumer_client.get(f"{URL}{subscription.pk}/")["ETag"]
    body = consumer_client.patch(f"{URL}{subscription.pk}/", {"is_active": True}, format="json", HTTP_IF_MATCH=etag)
    assert body.status_code == 200
    assert (body.json()["is_active"], body.json()["failing_since"], body.json()["disabled_at"]) == (True, None, None)


@pytest.mark.django_db
def test_the_delivery_log_lists_only_ones_own_filtered_in_few_queries(
    consumer_client, consumer, django_assert_max_num_queries
):
    mine, _secret = subscription_create(owner=consumer, url="https://a.example/hook", events=["visit.created"])
    second, _secret = subscription_create(owner=consumer, url="https://c.example/hook", events=["visit.created"])
    other, _secret = subscription_create(
        owner=UserFactory(username="other"), url="https://b.example/", events=["visit.created"]
    )
    failed = _delivery(mine, status=DeliveryStatus.FAILED, attempts=1, response_code=410)
    _delivery(mine)
    _delivery(second)
    foreign = _delivery(other)
    with django_assert_max_num_queries(6):
        listed = consumer_client.get(DELIVERIES).json()
    assert listed["count"] == 3
    assert {row["id"] for row in consumer_client.get(DELIVERIES, {"status": "failed"}).json()["results"]} == {failed.pk}
    assert consumer_client.get(DELIVERIES, {"subscription": second.pk}).json()["count"] == 1
    assert consumer_client.get(DELIVERIES, {"subscription": other.pk}).json()["count"] == 0
    assert consumer_client.get(f"{DELIVERIES}{foreign.pk}/").status_code == 404
    detail = consumer_client.get(f"{DELIVERIES}{failed.pk}/").json()
    assert (detail["status"], detail["attempts"], detail["response_code"], detail["payload"]) == (
        "failed",
        1,
        410,
        {"id": 1},
    )
    assert consumer_client.post(f"{DELIVERIES}{foreign.pk}/redeliver/").status_code == 404


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_rows(consumer_client, consumer, django_assert_max_num_queries):
    subscription, _secret = subscription_create(owner=consumer, url="https://a.example/hook", events=["visit.created"])
    for _ in range(20):
        _delivery(subscription)
    with django_assert_max_num_queries(6):
        assert consumer_client.get(DELIVERIES).json()["count"] == 20
    with django_assert_max_num_queries(6):
        assert consumer_client.get(URL).json()["count"] == 1


@pytest.mark.django_db
def test_a_write_token_and_a_session_work_the_same(api_client, client):
    user = UserFactory(username="bi")
    _token, key = api_token_issue(user=user, scope="write")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert (
        api_client.post(URL, {"url": "http://10.0.0.5/hook", "events": ["report.sent"]}, format="json").status_code
        == 201
    )
    client.force_login(user)
    assert client.get(URL).json()["count"] == 1
