"""Targets and assessment (目标考核): the app's triggers installed after every migrate."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    """Targets handed down to the city, clusters, chains, towns and units, above ``aftercare`` in the layers."""

    name = "targets"
    verbose_name = _("Targets and assessment")

    def ready(self) -> None:
        from pinghu.api.representations import register_representation
        from projects.imports import register_import_kind
        from units.registry import register_unit_field

        from .imports import TargetResource
        from .models import Target
        from .registrations import register_pages
        from .triggers import install_after_migrate

        # How webhooks show a target (as the API does).
        register_representation(Target, resource="targets", viewset="targets.api.views.TargetViewSet")
        # The sheet the city hands down: ``manage.py import_data FILE --kind targets``.
        register_import_kind("targets", TargetResource)

        # A unit target's unit: a name left unmatched by the units migration is mapped by the bureau (units).
        register_unit_field("targets.Target", "unit", _("Targets · responsible unit"))

        # Target edits move the data version that cached pages are keyed on (pinghu.dataversion).
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="targets.install_triggers")

        # Menu entries, the panels on the dashboard and chain pages, the demo's targets (targets.registrations).
        register_pages()
