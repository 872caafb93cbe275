"""``manage.py seed_pinghu``: load Pinghu's reference data that is missing; never change an existing row."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from chains.services import reference_data_seed, reference_row_ensure
from pinghu.imports import normalise
from projects.models import SigningEvent
from projects.reference_data import SIGNING_EVENTS
from units.models import Unit
from units.reference import REFERENCE_UNITS


class Command(BaseCommand):
    help = (
        "Load the 4 clusters, 8 chains, starter chain maps, the enterprises the source names and the "
        "2023 signing conference, Pinghu's units (towns, the development zone, the main departments), where "
        "missing. Rows already there are left as they are (a changed "
        "fact reaches an existing database through a data migration); a second run changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        tally = reference_data_seed()
        for item in SIGNING_EVENTS:
            lookup = {"name": item["name"], "date": item["date"]}
            values = {key: value for key, value in item.items() if key not in lookup and key != "sources"}
            reference_row_ensure(
                model=SigningEvent,
                key=f"signing-event:{item['date']:%Y-%m-%d}:{item['name']}",
                lookup=lookup,
                values=values,
                tally=tally,
            )
        for name, kind in REFERENCE_UNITS:
            reference_row_ensure(
                model=Unit,
                key=f"unit:{name}",
                lookup={"key": normalise(name)},
                values={"name": name, "kind": kind},
                tally=tally,
            )
        labels = sorted({label for _status, label in tally}, key=str)
        for label in labels:
            self.stdout.write(
                _("%(model)s: %(created)d created, %(kept)d already there, left as they are")
                % {"model": label, "created": tally[("created", label)], "kept": tally[("kept", label)]}
            )
        created = sum(count for (status, _label), count in tally.items() if status == "created")
        if created:
            self.stdout.write(
                self.style.SUCCESS(_("Reference data loaded: %(count)d rows created.") % {"count": created})
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Reference data already loaded: nothing changed.")))
