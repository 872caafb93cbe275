"""Demo land renewals (腾笼换鸟) for ``generate_demo_data``: one per demo parcel recycled from a demo firm and
supplied to a demo project, pointing at the parcel. Registered with ``projects.demo_apps`` in ``AppConfig.ready``:
written after the demo's own rows (its parcels among them), removed before them."""

from django.utils.translation import gettext_lazy as _

from pinghu.history import delete_with_history, record_history
from projects.choices import ParcelStatus
from projects.demo_apps import DemoGenerator
from projects.demo_land import DEMO_MARK, DEMO_REASON, demo_parcels_queryset

from .models import LandRenewal


def _demo_renewals():
    return LandRenewal.objects.filter(parcel__number__startswith=DEMO_MARK)


def generate_demo_renewals(*, seed: int, end, user=None) -> int:
    """One renewal per demo parcel supplied after being recycled from a firm (one per firm and project)."""
    seen, renewals = set(), []
    for parcel in demo_parcels_queryset().order_by("pk"):
        if parcel.status != ParcelStatus.SUPPLIED or parcel.origin_id is None:
            continue
        if (parcel.origin_id, parcel.project_id) in seen:  # one renewal per firm and project
            continue
        seen.add((parcel.origin_id, parcel.project_id))
        renewals.append(
            LandRenewal(
                enterprise_id=parcel.origin_id,
                project_id=parcel.project_id,
                parcel=parcel,
                land_area=parcel.land_area,
                note=DEMO_REASON,
            )
        )
    LandRenewal.objects.bulk_create(renewals)
    record_history(_demo_renewals(), history_type="+", reason=DEMO_REASON, user=user)
    return len(renewals)


def delete_demo_renewals(*, user=None) -> None:
    delete_with_history(_demo_renewals(), reason=DEMO_REASON, user=user)


DEMO_RENEWALS = DemoGenerator(
    name="land_renewals",
    label=_("%(count)d land renewals (腾笼换鸟) on the demo parcels."),
    generate=generate_demo_renewals,
    delete=delete_demo_renewals,
)
