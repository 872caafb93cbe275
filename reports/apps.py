"""Period reports (月报 / 季报 / 年报): the app's triggers after every migrate, its menu entry, its demo reports."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports sent upward, their frozen versions and drift, above ``targets`` in the layers."""

    name = "reports"
    verbose_name = _("Period reports")

    def ready(self) -> None:
        from pinghu.api.representations import register_representation
        from pinghu.navigation import add_menu_item
        from projects.demo_apps import register_demo_generator

        from .demo import DEMO_REPORTS
        from .models import Report

        # How webhooks show a report (as the API does).
        register_representation(Report, resource="reports", viewset="reports.api.views.ReportViewSet")
        from .triggers import install_after_migrate

        # generate_demo_data: last month's report closed and sent, this month's a draft (reports.demo).
        register_demo_generator(DEMO_REPORTS)

        # A closed version's figures cannot change by any path: triggers, again after every migrate.
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="reports.install_triggers")
        # The main menu: in the assessment dropdown (targets), after the ranking.
        add_menu_item(
            _("Reports"), "reports:report-list", permission="reports.view_report", order=75, group="assessment"
        )
