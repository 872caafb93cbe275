"""Importing projects and visits from Excel or CSV (see ``pinghu.imports``), through the services.

A project row is matched by its ID (as the export writes it), else by name and investor; a visit
by its ID, else by date, visited enterprise and host unit (``matching``); a month's funds record by its ID,
else by project (ID or name) and month (``funds``). New projects go through
``project_create``, stage changes through transitions, visits through ``visit_create`` and
``visit_update``: the same rules as the pages, the API and the admin. ``IMPORT_KINDS`` lists every
kind the command line and the admin offer, the enterprise kinds from ``chains`` included; an app above
this one adds its kinds with ``register_import_kind`` (in its ``AppConfig.ready``).
"""

from chains.imports import EnterpriseMetricResource, EnterpriseResource
from pinghu.imports import ImportResource

from .funds import ProjectFundsResource
from .parcels import ParcelResource
from .projects import ProjectResource
from .visits import VisitResource

IMPORT_KINDS: dict[str, type[ImportResource]] = {
    "enterprises": EnterpriseResource,
    "projects": ProjectResource,
    "visits": VisitResource,
    "metrics": EnterpriseMetricResource,
    "funds": ProjectFundsResource,
    "parcels": ParcelResource,
}


def register_import_kind(kind: str, resource: type[ImportResource]) -> None:
    """Offer ``resource`` as ``--kind KIND`` of ``import_data``: how the apps above ``projects`` add theirs."""
    IMPORT_KINDS[kind] = resource


__all__ = [
    "IMPORT_KINDS",
    "register_import_kind",
    "ParcelResource",
    "ProjectFundsResource",
    "ProjectResource",
    "VisitResource",
]
