"""Demo data of the apps above ``projects``: each registers a generator in its ``AppConfig.ready``, and
``generate_demo_data`` runs them after the demo's own rows (on the same seed and end date), while
``delete_demo_data`` (``--replace``) removes their rows first, in the reverse order of registration.

A generator's ``generate(seed=..., end=..., user=...)`` returns how many rows it wrote; ``label`` names
them in the command's output ("%(count)d targets"). ``projects`` names no app above it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class DemoGenerator:
    """An upper app's demo rows: how to write them (after the demo's own) and to remove them (before)."""

    name: str
    label: object  # a lazy translation with %(count)d
    generate: Callable[..., int]
    delete: Callable[..., None]


DEMO_GENERATORS: dict[str, DemoGenerator] = {}


def register_demo_generator(generator: DemoGenerator) -> None:
    """Add (or replace, by name) an app's demo generator."""
    DEMO_GENERATORS[generator.name] = generator


def generate_registered(*, seed: int, end: datetime.date, user=None) -> dict[str, int]:
    """Run every registered generator, each in one transaction; its name → the rows it wrote.

    One transaction each, not one per row: the services they call commit on their own otherwise (some
    280 commits, each waiting for the disk), and a generator's rows appear all at once or not at all.
    """
    written = {}
    for name, generator in DEMO_GENERATORS.items():
        with transaction.atomic():
            written[name] = generator.generate(seed=seed, end=end, user=user)
    return written


def delete_registered(*, user=None) -> None:
    """Remove every registered generator's rows, the last registered first."""
    for generator in reversed(list(DEMO_GENERATORS.values())):
        generator.delete(user=user)
