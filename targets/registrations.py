"""What the targets app adds to the pages and commands of the apps below it, called from ``TargetsConfig.ready``:
the main menu's entries (``pinghu.navigation``), the dashboard's and chain page's panels (``pinghu.panels``)
and the demo's targets (``projects.demo_apps``)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def register_pages() -> None:
    from pinghu.navigation import add_menu_group, add_menu_item
    from pinghu.panels import add_panel
    from projects.demo_apps import register_demo_generator

    from .demo import DEMO_TARGETS
    from .panels import READ, chain_panel, dashboard_panel

    # The main menu: the assessment dropdown after the firms' (60), which the reports app fills too;
    # everyone signed in reads the targets.
    add_menu_group("assessment", pgettext_lazy("menu group", "Assessment"), order=65)
    add_menu_item(_("Targets"), "targets:target-list", permission=READ, order=65, group="assessment")
    add_menu_item(_("Assessment ranking"), "targets:ranking", permission=READ, order=66, group="assessment")
    add_panel("dashboard", "targets", template="targets/includes/panel.html", context=dashboard_panel, permission=READ)
    add_panel("chain", "targets", template="targets/includes/panel.html", context=chain_panel, permission=READ)
    register_demo_generator(DEMO_TARGETS)
