"""How the API shows one object, for whoever needs it outside a request (a webhook's payload).

``pinghu`` names no model of the apps: each app registers, in its ``AppConfig.ready()``, the viewset
that reads its model (``register_representation(Model, resource="<resource>",
viewset="<app>.api.views.<ViewSet>")``), and ``represent`` reads an object exactly as
``GET /api/v1/<resource>/<id>/`` answers it for a given user: the viewset's own queryset (with its
annotations and visibility rules), its detail serializer, and the read permission the API checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.test import RequestFactory
from django.utils.module_loading import import_string
from rest_framework.request import Request
from rest_framework.utils.encoders import JSONEncoder

from .permissions import ApiAccess


@dataclass(frozen=True)
class Representation:
    """A model's place in the API: its resource name (``visits``) and the dotted path of its viewset."""

    resource: str
    viewset: str


_REGISTRY: dict[str, Representation] = {}


def register_representation(model, *, resource: str, viewset: str) -> None:
    """Declare that ``model`` is read through ``viewset`` at ``/api/v1/<resource>/<id>/``."""
    _REGISTRY[model._meta.label_lower] = Representation(resource=resource, viewset=viewset)


def representation_of(model) -> Representation | None:
    return _REGISTRY.get(model._meta.label_lower)


def represent(model, pk, *, user) -> dict | None:
    """The object as ``GET /api/v1/<resource>/<pk>/`` shows it to ``user``, as plain JSON values.

    ``None`` when the model is not registered, ``user`` may not read it through the API, or it is
    not (or no longer) among the rows the viewset shows ``user``.
    """
    registered = representation_of(model)
    if registered is None:
        return None
    view_class = import_string(registered.viewset)
    request = Request(RequestFactory().get(f"/api/v1/{registered.resource}/{pk}/"))
    request.user = user
    request.auth = None
    view = view_class(action="retrieve", request=request, args=(), kwargs={"pk": pk}, format_kwarg=None)
    if not ApiAccess().has_permission(request, view):
        return None
    instance = view.get_queryset().filter(pk=pk).first()
    if instance is None:
        return None
    data = view.get_serializer(instance).data
    return json.loads(json.dumps(data, cls=JSONEncoder))
