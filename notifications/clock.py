"""The time notifications read (creation, digests, retries, pauses, quiet hours): one place, so tests move it.

Tests replace ``_source`` (a fake clock); ``now`` looks it up on each call, so model defaults that name
``now`` follow too.
"""

import datetime

from django.utils import timezone

_source = timezone.now


def now() -> datetime.datetime:
    return _source()
