"""The investment-activity app: object rules, triggers installed after every migrate, menu entries."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectsConfig(AppConfig):
    """Investment activity over the chain structure: visits, projects, signing events."""

    name = "projects"
    verbose_name = _("Investment activity")

    def ready(self) -> None:
        from pinghu.api.representations import register_representation
        from pinghu.links import register_page
        from pinghu.navigation import add_menu_group, add_menu_item
        from pinghu.tombstones import track_deletions
        from units.registry import register_unit_field

        # Registers the object rules (which visits and projects a role may change) with django-rules.
        from . import rules  # noqa: F401
        from .models import InvestmentVisit, Project
        from .triggers import install_after_migrate

        # How webhooks show a visit or a project (as the API does), and deletions for ?deleted_since=.
        register_representation(InvestmentVisit, resource="visits", viewset="projects.api.views.InvestmentVisitViewSet")
        register_representation(Project, resource="projects", viewset="projects.api.views.ProjectViewSet")
        track_deletions(InvestmentVisit)
        track_deletions(Project)
        register_page("projects.InvestmentVisit", "projects:visit-detail")  # one visit's page (issue 21)

        # On SQLite, a migration that alters a table copies it without its triggers: they are
        # installed again after every migrate (and after a test database's flush).
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="projects.install_triggers")

        # The unit fields whose names left unmatched by the units migration the bureau maps (units).
        register_unit_field("projects.InvestmentVisit", "host_unit", _("Visits · host unit"))
        register_unit_field("projects.Project", "responsible_unit", _("Projects · responsible unit"))

        # The main menu (pinghu.navigation): the dashboard on the bar, then the visits and projects dropdowns;
        # other apps' groups fall between by their order, and other apps may add entries to these groups.
        add_menu_item(_("Dashboard"), "projects:dashboard", order=10)
        add_menu_group("visits", pgettext_lazy("menu group", "Visits"), order=20)
        add_menu_group("projects", pgettext_lazy("menu group", "Projects"), order=40)
        visit_new = "projects:visit-new"
        add_menu_item(_("Log a visit"), visit_new, permission="projects.add_investmentvisit", order=20, group="visits")
        add_menu_item(_("Visits"), "projects:visit-list", order=30, group="visits")
        add_menu_item(_("My overdue follow-ups"), "projects:overdue", order=90, group="visits")
        add_menu_item(_("Projects"), "projects:project-list", order=40, group="projects")
        add_menu_item(_("Project board"), "projects:board", order=45, group="projects")
        add_menu_item(_("Signing conferences"), "projects:signing-event-list", order=50, group="projects")
        # For bureau staff: amounts to review and likely duplicate firms (the firms' keepers may open it).
        quality_perm = "chains.change_enterprise"
        add_menu_item(_("Data quality"), "projects:data-quality", permission=quality_perm, order=95, group="settings")
