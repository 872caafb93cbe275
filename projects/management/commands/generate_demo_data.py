"""``manage.py generate_demo_data``: a deterministic synthetic data set, every name marked 演示."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from projects.demo import delete_demo_data, demo_data_exists, generate_demo_data
from projects.demo_apps import DEMO_GENERATORS


class Command(BaseCommand):
    help = (
        "Generate clearly synthetic (演示) enterprises, leaders, projects with stage histories, visits and "
        "signing conferences over the last two years. Same --seed and --end-date, same rows."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--projects", type=int, default=300)
        parser.add_argument("--visits", type=int, default=600)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--end-date", type=datetime.date.fromisoformat, default=None, help="Last day covered (default: today)."
        )
        parser.add_argument("--replace", action="store_true", help="Delete earlier demo data first.")

    def handle(self, *args, projects: int, visits: int, seed: int, end_date, replace: bool, **options) -> None:
        if projects < 0 or visits < 0:
            raise CommandError(_("--projects and --visits cannot be negative."))
        if demo_data_exists():
            if not replace:
                self.stdout.write(_("Demo data is already loaded; nothing changed (use --replace to regenerate)."))
                return
            delete_demo_data()
        started = time.monotonic()
        try:
            counts = generate_demo_data(projects=projects, visits=visits, seed=seed, end_date=end_date)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo data written in %(seconds).1f s: %(projects)d projects (%(changes)d stage changes), "
                    "%(visits)d visits (%(person_times)d person-times), %(enterprises)d enterprises, "
                    "%(leaders)d leaders, %(events)d signing conferences."
                )
                % {
                    "seconds": time.monotonic() - started,
                    "projects": counts.projects,
                    "changes": counts.stage_changes,
                    "visits": counts.visits,
                    "person_times": counts.person_times,
                    "enterprises": counts.enterprises,
                    "leaders": counts.leaders,
                    "events": counts.signing_events,
                }
            )
        )
        self.stdout.write(_("Funds in place: %(count)d monthly records.") % {"count": counts.funds_records})
        self.stdout.write(_("Photos: %(count)d on the latest visits.") % {"count": counts.photos})
        self.stdout.write(_("%(count)d land parcels.") % {"count": counts.parcels})
        self.stdout.write(
            _("Per-mu figures: %(roles)d demo firms with a chain role, %(figures)d yearly figures.")
            % {"roles": counts.per_mu_roles, "figures": counts.per_mu_figures}
        )
        self.stdout.write(
            _(
                "Chain leadership: %(count)d appointments of chiefs and deputies; "
                "%(responsible)d open projects with a responsible official."
            )
            % {"count": counts.chain_leaderships, "responsible": counts.responsible}
        )
        for name, count in counts.extra.items():
            self.stdout.write(str(DEMO_GENERATORS[name].label) % {"count": count})
