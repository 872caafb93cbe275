from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Investment activity over the chain structure: visits, projects, signing events."""

    name = "projects"
    verbose_name = _("Investment activity")

    def ready(self) -> None:
        # Registers the object rules (which visits and projects a role may change) with django-rules.
        from . import rules  # noqa: F401
        from .triggers import install_after_migrate

        # On SQLite, a migration that alters a table copies it without its triggers: they are
        # installed again after every migrate (and after a test database's flush).
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="projects.install_triggers")
