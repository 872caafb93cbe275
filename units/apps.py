"""Units (单位): departments, towns and streets, development zones, as records with members."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    """The units that host visits, answer for projects and take problems handed to them; above ``pinghu``."""

    name = "units"
    verbose_name = _("Units")

    def ready(self) -> None:
        from pinghu.navigation import add_menu_item

        # For bureau staff: the units, their members and the names still to map (pinghu.navigation).
        add_menu_item(_("Units"), "units:unit-list", permission="units.change_unit", order=96)
