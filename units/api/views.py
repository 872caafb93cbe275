"""``/api/v1/units/``: every signed-in role reads; bureau staff (and admins) create and change units."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from pinghu.api.concurrency import CONDITIONAL_ERRORS, IF_MATCH
from pinghu.api.export import Column, ExportMixin, labels
from pinghu.api.viewsets import ERRORS, WriteViewSet

from ..choices import UnitKind
from ..filters import UnitFilterSet
from ..models import Unit
from .serializers import UnitSerializer


@extend_schema_view(
    list=extend_schema(
        summary=_("List units (单位)"),
        description=_("Departments, towns and streets, development zones; ?q= searches the name."),
    ),
    retrieve=extend_schema(summary=_("One unit")),
    create=extend_schema(summary=_("Add a unit (bureau staff)"), responses={201: UnitSerializer, **ERRORS}),
    update=extend_schema(
        summary=_("Replace a unit"),
        parameters=[IF_MATCH],
        responses={200: UnitSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Change some of a unit's fields"),
        parameters=[IF_MATCH],
        responses={200: UnitSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
)
class UnitViewSet(ExportMixin, WriteViewSet):
    queryset = (
        Unit.objects.select_related("parent")
        .annotate(member_count=Count("members", distinct=True))
        .prefetch_related(Prefetch("members", queryset=get_user_model().objects.only("username")))
    )
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    search_fields = ["name"]
    ordering_fields = ["name", "kind", "updated_at"]
    ordering = ["kind", "name", "id"]
    export_name = "units"
    export_columns = [
        Column("id", "ID"),
        Column("name", _("name")),
        Column("kind", _("kind"), labels(UnitKind.choices)),
        Column("parent__name", _("parent unit")),
        Column("member_count", _("members")),
    ]
