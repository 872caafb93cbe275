from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Investment activity over the chain structure: visits, projects, signing events."""

    name = "projects"
    verbose_name = _("Investment activity")
