"""Reminders (督办): rule records, the daily scan, and the immediate message when a problem is handed on."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Above ``notifications`` in the layers: it reads every app below and writes through ``notify``."""

    name = "reminders"
    verbose_name = _("Reminders (督办)")

    def ready(self) -> None:
        from pinghu.events import domain_event
        from pinghu.navigation import add_menu_item
        from projects.demo_apps import register_demo_generator

        from .demo import DEMO_REMINDERS
        from .receivers import on_domain_event

        domain_event.connect(on_domain_event, dispatch_uid="reminders.on_domain_event")
        # In the settings dropdown (units), after the units (96): the rules page, for those who read the rules.
        rule_perm = "reminders.view_reminderrule"
        add_menu_item(_("Reminder rules"), "reminders:rule-list", permission=rule_perm, order=97, group="settings")
        # Last of the demo: the scan as of the demo's end date, so the inboxes hold some reminders.
        register_demo_generator(DEMO_REMINDERS)
