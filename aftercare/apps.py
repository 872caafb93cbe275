"""The service of established firms (亲商服务): salons, problems, cadre assignments, land renewal."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    """Serving the firms already in Pinghu, above investment activity (``projects``) in the layers."""

    name = "aftercare"
    verbose_name = _("Enterprise services")

    def ready(self) -> None:
        from pinghu.api.representations import register_representation
        from pinghu.navigation import add_menu_item
        from pinghu.tombstones import track_deletions
        from projects.demo_apps import register_demo_generator
        from units.registry import register_unit_field

        from .demo import DEMO_RENEWALS
        from .demo_service import DEMO_SERVICE
        from .models import EnterpriseIssue
        from .triggers import install_after_migrate

        # How webhooks show a problem (as the API does), and its deletions for ?deleted_since=.
        register_representation(
            EnterpriseIssue, resource="enterprise-issues", viewset="aftercare.api.views.EnterpriseIssueViewSet"
        )
        track_deletions(EnterpriseIssue)

        # Writes to problems, salons, cadres and renewals move the data version (pinghu.dataversion).
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="aftercare.install_triggers")

        # The demo's salons, problems and cadres, and its land renewals, which point at its parcels
        # (projects.demo_apps: written after the demo's own rows, before the reminders' scan).
        register_demo_generator(DEMO_SERVICE)
        register_demo_generator(DEMO_RENEWALS)

        # A problem's unit: a name left unmatched by the units migration is mapped by the bureau (units).
        register_unit_field("aftercare.EnterpriseIssue", "assigned_unit", _("Problems · assigned unit"))

        # The main menu's entries (pinghu.navigation), between signing conferences and overdue follow-ups.
        add_menu_item(
            _("Enterprise problems"), "aftercare:issue-list", permission="aftercare.view_enterpriseissue", order=60
        )
        add_menu_item(_("My firms"), "aftercare:my-firms", permission="chains.view_enterprise", order=80)
