"""``manage.py webhooks_recover``: queue again the webhook deliveries whose task a dead worker took with it.

Run it every few minutes (a systemd timer; see docs/deploy.md and docs/webhooks.md).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from webhooks.services import deliveries_recover


class Command(BaseCommand):
    help = "Queue again pending webhook deliveries whose task was lost (a worker died); run every few minutes."

    def handle(self, *args, **options) -> None:
        count = deliveries_recover()
        self.stdout.write(_("%(count)d webhook deliveries queued again.") % {"count": count})
