"""``manage.py seed_pinghu``: load Pinghu's reference data (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from chains.services import seed_reference_data, upsert_reference_row
from projects.models import SigningEvent
from projects.reference_data import SIGNING_EVENTS


class Command(BaseCommand):
    help = (
        "Load the 4 clusters, 8 chains, starter chain maps, the enterprises the source names and the "
        "2023 signing conference. Safe to re-run: a second run changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        tally = seed_reference_data()
        for item in SIGNING_EVENTS:
            lookup = {"name": item["name"], "date": item["date"]}
            values = {key: value for key, value in item.items() if key not in lookup}
            upsert_reference_row(SigningEvent, lookup, values, tally)
        labels = sorted({label for _status, label in tally}, key=str)
        for label in labels:
            self.stdout.write(
                _("%(model)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {
                    "model": label,
                    "created": tally[("created", label)],
                    "updated": tally[("updated", label)],
                    "unchanged": tally[("unchanged", label)],
                }
            )
        written = sum(count for (status, _label), count in tally.items() if status != "unchanged")
        if written:
            self.stdout.write(
                self.style.SUCCESS(_("Reference data loaded: %(count)d rows written.") % {"count": written})
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Reference data already up to date: nothing changed.")))
