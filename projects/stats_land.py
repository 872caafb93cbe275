"""Land statistics (地块): land supplied and land recycled from low-efficiency firms, per period, town and chain.

Definitions (docs/statistics.md):
- land supplied (供地, 亩): the sum of the areas of parcels supplied (status 已供) whose supplied
  date falls in the period; parcels supplied counts them.
- land recycled from low-efficiency firms (腾笼换鸟, 亩): the same sum over those of them that name
  the firm they were recycled from (``origin``): recycled land counts when it is supplied again,
  on its supplied date; a parcel recycled but not yet supplied is not counted.
- per town: the parcel's town; per chain: the chain of the project it was supplied to.

Each function is one aggregate query in the database.
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from chains.models import Chain, Cluster

from .choices import ParcelStatus
from .models import LandParcel
from .periods import Period

AREA = DecimalField(max_digits=20, decimal_places=2)
RECYCLED = Q(origin__isnull=False)


def parcels_supplied_in(
    period: Period, *, town: str | None = None, chain: Chain | None = None, cluster: Cluster | None = None
) -> QuerySet:
    """Parcels supplied in ``period`` (in ``town``, to projects of ``chain`` or of ``cluster``)."""
    parcels = LandParcel.objects.filter(status=ParcelStatus.SUPPLIED, supplied_date__range=(period.start, period.end))
    if town:
        parcels = parcels.filter(town=town)
    if chain is not None:
        parcels = parcels.filter(project__chain=chain)
    if cluster is not None:
        parcels = parcels.filter(project__chain__cluster=cluster)
    return parcels


def _land_figures() -> dict:
    return {
        "parcels_supplied": Count("pk"),
        "land_supplied": Coalesce(Sum("land_area"), Decimal(0), output_field=AREA),
        "parcels_recycled": Count("pk", filter=RECYCLED),
        "land_recycled": Coalesce(Sum("land_area", filter=RECYCLED), Decimal(0), output_field=AREA),
    }


def land_summary(
    period: Period, *, town: str | None = None, chain: Chain | None = None, cluster: Cluster | None = None
) -> dict:
    """Parcels and land (亩) supplied in ``period``, and those of them recycled from low-efficiency firms."""
    return parcels_supplied_in(period, town=town, chain=chain, cluster=cluster).aggregate(**_land_figures())


def land_by_town(
    period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None, town: str | None = None
) -> list[dict]:
    """The land figures per town (towns with a parcel supplied in ``period`` only), in one query."""
    rows = (
        parcels_supplied_in(period, town=town, chain=chain, cluster=cluster)
        .values("town")
        .annotate(**_land_figures())
        .order_by("town")
    )
    return list(rows)


def land_by_chain(
    period: Period, *, town: str | None = None, chain: Chain | None = None, cluster: Cluster | None = None
) -> list[dict]:
    """The land figures per chain (code) of the projects supplied, in one query."""
    rows = (
        parcels_supplied_in(period, town=town, chain=chain, cluster=cluster)
        .values(chain=F("project__chain__code"))
        .annotate(**_land_figures())
        .order_by("chain")
    )
    return list(rows)
