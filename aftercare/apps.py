"""The service of established firms (亲商服务): salons, problems, cadre assignments, land renewal."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    """Serving the firms already in Pinghu, above investment activity (``projects``) in the layers."""

    name = "aftercare"
    verbose_name = _("Enterprise services")
