"""The platform app: Chinese admin site, role groups kept in step after every migrate."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PinghuConfig(AppConfig):
    """Cross-cutting pieces every app uses: the timestamped base model, demo set-up."""

    name = "pinghu"
    verbose_name = _("Pinghu platform")

    def ready(self) -> None:
        # Registers the bearer-token scheme with drf-spectacular.
        from .api import schema  # noqa: F401
        from .permissions import sync_role_groups_after_migrate

        # The role groups get the permissions of models added later, and exist again after a test flush.
        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="pinghu.sync_role_groups")

        from simple_history.signals import pre_create_historical_record

        from .history import tag_deletion_batch

        pre_create_historical_record.connect(tag_deletion_batch, dispatch_uid="pinghu.tag_deletion_batch")

        # A changed password revokes the user's API tokens (pinghu.signals).
        from django.conf import settings
        from django.db.models.signals import post_save, pre_save

        from .signals import note_password_change, revoke_tokens_on_password_change

        pre_save.connect(note_password_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="pinghu.password_change")
        post_save.connect(
            revoke_tokens_on_password_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="pinghu.revoke_tokens"
        )


class PinghuAdminConfig(admin_apps.AdminConfig):
    """The admin, with a site that lets every role but the API consumer in (see ``pinghu.admin_site``)."""

    default = False

    default_site = "pinghu.admin_site.PinghuAdminSite"
