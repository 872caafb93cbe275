"""Demo land parcels (地块) for ``generate_demo_data``: idle, low-efficiency, being supplied and supplied ones,
some recycled from demo firms; every number carries 演示. Apps above ``projects`` (``aftercare``'s land
renewals) add their rows on the demo parcels through ``projects.demo_apps`` (``demo_parcels_queryset``).

Drawn from a random generator of their own (seeded from the demo's seed), so the rows generated before
them are the same as without parcels; written in bulk (COPY on PostgreSQL).
"""

import datetime
import random
from decimal import Decimal

from chains.choices import Town
from chains.models import Enterprise
from pinghu.history import delete_with_history, record_history

from .bulk_load import InstanceMaker, insert_objects
from .choices import ParcelStatus, ParcelUse
from .models import LandParcel, Project

DEMO_MARK = "演示"
DEMO_REASON = "演示数据"


def demo_parcels_queryset():
    return LandParcel.objects.filter(number__startswith=DEMO_MARK)


def generate_demo_parcels(
    *, seed: int, end: datetime.date, enterprises: list[Enterprise], projects: list[Project], user=None
) -> int:
    """One parcel per ten projects (at least ten); returns how many."""
    rng = random.Random(f"parcels-{seed}")
    landed = [project for project in projects if project.registered_date is not None]
    parcels = []
    make = InstanceMaker(LandParcel)
    for n in range(1, max(10, len(projects) // 10) + 1):
        origin = rng.choice(enterprises) if enterprises and rng.random() < 0.4 else None
        status = rng.choice(
            [ParcelStatus.IDLE, ParcelStatus.LOW_EFFICIENCY, ParcelStatus.SUPPLYING] + [ParcelStatus.SUPPLIED] * 3
        )
        if origin is not None and status == ParcelStatus.IDLE:
            status = ParcelStatus.LOW_EFFICIENCY  # land of a low-efficiency firm, not yet taken back
        project = supplied = None
        if status == ParcelStatus.SUPPLIED:
            if not landed:
                status = ParcelStatus.IDLE
            else:
                project = rng.choice(landed)
                span = max((min(project.registered_date, end) - project.signed_date).days, 0)
                supplied = project.signed_date + datetime.timedelta(days=rng.randint(0, span))
                # The project's 供地 milestone is the earliest supply of its parcels (parcel_supply's rule).
                supplied = project.land_supplied_date or supplied
        parcels.append(
            make(
                number=f"{DEMO_MARK}地块-{n:04d}",
                town=origin.town if origin is not None and origin.town else rng.choice(Town.values),
                land_area=Decimal(rng.randint(500, 30000)) / 100,
                use=ParcelUse.INDUSTRIAL if rng.random() < 0.85 else ParcelUse.OTHER,
                status=status,
                origin=origin,
                project=project,
                supplied_date=supplied,
                notes=DEMO_REASON,
            )
        )
    insert_objects(parcels, batch_size=10_000)  # COPY on PostgreSQL (projects.bulk_load)
    record_history(demo_parcels_queryset(), history_type="+", reason=DEMO_REASON, user=user)
    return len(parcels)


def delete_demo_parcels(*, user=None) -> None:
    """Remove the demo parcels (before the demo projects and firms they name; the apps' rows on them are gone)."""
    delete_with_history(demo_parcels_queryset(), reason=DEMO_REASON, user=user)
