"""``pinghu.events``: what a receiver of a domain event is given."""

import pytest
from django.contrib.auth import get_user_model

from pinghu.events import PROJECT_CREATED, VISIT_DELETED, domain_event, emit


@pytest.fixture
def received():
    events = []

    def receiver(sender, event, **kwargs):
        events.append((sender, event))

    domain_event.connect(receiver, weak=False, dispatch_uid="test-events")
    yield events
    domain_event.disconnect(dispatch_uid="test-events")


@pytest.mark.django_db
def test_a_receiver_gets_the_object_the_actor_and_the_details(received):
    user = get_user_model().objects.create_user("official")
    event = emit(PROJECT_CREATED, user, actor=user, source="api")
    [(sender, got)] = received
    assert got is event and sender is type(user)
    assert (got.type, got.object_id, got.instance, got.actor, got.data) == (
        PROJECT_CREATED,
        user.pk,
        user,
        user,
        {"source": "api"},
    )


@pytest.mark.django_db
def test_a_deletion_keeps_the_class_and_id_and_each_event_has_its_own_id(received):
    user = get_user_model().objects.create_user("official")
    first = emit(VISIT_DELETED, user, deleted=True)
    second = emit(VISIT_DELETED, user, deleted=True)
    assert first.instance is None and first.object_id == user.pk and first.model is type(user)
    assert first.id != second.id


def test_an_unknown_event_type_is_refused():
    with pytest.raises(ValueError, match="unknown event type"):
        emit("project.exploded", object())
