from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Investment activity over the chain structure: visits, projects, signing events."""

    name = "projects"
    verbose_name = _("Investment activity")

    def ready(self) -> None:
        from pinghu.navigation import add_menu_item

        # Registers the object rules (which visits and projects a role may change) with django-rules.
        from . import rules  # noqa: F401

        # The main menu's entries (pinghu.navigation); chains' per-mu ranking sits between problems and firms.
        add_menu_item(_("Dashboard"), "projects:dashboard", order=10)
        add_menu_item(_("Log a visit"), "projects:visit-new", permission="projects.add_investmentvisit", order=20)
        add_menu_item(_("Visits"), "projects:visit-list", order=30)
        add_menu_item(_("Projects"), "projects:project-list", order=40)
        add_menu_item(_("Signing conferences"), "projects:signing-event-list", order=50)
        add_menu_item(
            _("Enterprise problems"), "projects:issue-list", permission="projects.view_enterpriseissue", order=60
        )
        add_menu_item(_("My firms"), "projects:my-firms", permission="chains.view_enterprise", order=80)
        add_menu_item(_("My overdue follow-ups"), "projects:overdue", order=90)
