"""How many rows of each kind ``generate_demo_data`` wrote (printed by the command)."""

from dataclasses import dataclass, field


@dataclass
class DemoCounts:
    """How many rows of each kind were written."""

    enterprises: int = 0
    leaders: int = 0
    signing_events: int = 0
    projects: int = 0
    stage_changes: int = 0
    visits: int = 0
    person_times: int = 0
    visit_projects: int = 0
    photos: int = 0  # generated pictures on the latest demo visits (projects.demo_photos)
    funds_records: int = 0
    parcels: int = 0
    per_mu_roles: int = 0  # chain roles and yearly figures of demo firms (projects.demo_per_mu)
    per_mu_figures: int = 0
    chain_leaderships: int = 0  # chiefs and deputies, with terms (chains.demo)
    responsible: int = 0  # open projects given a responsible official (projects.demo_people)
    official_visits: int = 0  # demo visits recorded by a demo official, through their leader (projects.demo_people)
    # Rows the apps above wrote (projects.demo_apps): generator name → rows.
    extra: dict = field(default_factory=dict)
