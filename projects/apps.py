from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Investment activity over the chain structure: visits, projects, signing events."""

    name = "projects"
    verbose_name = _("Investment activity")

    def ready(self) -> None:
        # Registers the object rules (which visits and projects a role may change) with django-rules.
        from . import rules  # noqa: F401
