"""A deterministic, clearly synthetic data set for demos and load tests (``manage.py generate_demo_data``).

Every name carries 演示 ("demo"), so no row can be mistaken for a real firm, leader or project.
The same seed and end date give the same rows. Rows are written with ``bulk_create`` in
batches (services would cost one round trip per row); the generator therefore builds each
project's dates and stage history itself, in the order the pipeline allows, and the database
constraints check the result.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from chains.choices import Ownership, Town
from chains.demo import delete_demo_chain_leadership, demo_chain_leadership
from chains.models import Chain, Enterprise, Leader
from chains.names import firm_name_key
from pinghu.history import delete_with_history, raw_delete
from units.demo import DEMO_UNITS, delete_demo_units, demo_units

from .bulk_load import InstanceMaker, insert_objects, insert_rows
from .choices import PIPELINE, STAGE_DATE_FIELDS, ProjectSource, ProjectStage
from .demo_analyze import analyze_demo_tables
from .demo_apps import delete_registered, generate_registered
from .demo_counts import DemoCounts
from .demo_facts import fortune500_from, industry_leader_of, level_of
from .demo_funds import demo_funds
from .demo_history import record_demo_history
from .demo_land import delete_demo_parcels, generate_demo_parcels
from .demo_milestones import demo_milestones
from .demo_people import (
    assign_demo_officials,
    delete_demo_officials,
    demo_recorders,
    link_demo_officials,
    visit_recorder,
)
from .demo_per_mu import delete_demo_per_mu, demo_per_mu
from .demo_photos import delete_demo_photos, demo_photos
from .demo_visits import count_leaders_here, insert_visits
from .models import (
    FollowUp,
    InvestmentVisit,
    Project,
    ProjectFunds,
    ProjectStageChange,
    SigningEvent,
    VisitDayLeader,
    VisitLeader,
    VisitProject,
)
from .rollups import rollups_deferred

DEMO_MARK = "演示"
BATCH_SIZE = 10_000
DAYS_COVERED = 730  # the last two years

# Final stage weights: most projects are early in the pipeline, as in real life.
STAGE_WEIGHTS = {
    ProjectStage.LEAD: 24,
    ProjectStage.NEGOTIATING: 20,
    ProjectStage.SIGNED: 14,
    ProjectStage.REGISTERED: 10,
    ProjectStage.CONSTRUCTION: 10,
    ProjectStage.PRODUCTION: 10,
    ProjectStage.ON_HOLD: 6,
    ProjectStage.DROPPED: 6,
}
# Days from one pipeline date to the next (lower, upper bound).
STEP_DAYS = {
    ProjectStage.NEGOTIATING: (3, 60),
    ProjectStage.SIGNED: (15, 180),
    ProjectStage.REGISTERED: (10, 90),
    ProjectStage.CONSTRUCTION: (15, 150),
    ProjectStage.PRODUCTION: (90, 400),
}
# 万元 (120亿元): one demo project above the warning line, so the data-quality page has a row to review.
DEMO_LARGE_INVESTMENT = Decimal("1200000")
# The demo's host and responsible units (units.demo: records with members, written first).
HOST_UNITS = [name for name, _kind in DEMO_UNITS]
TOP_OFFICIAL_TITLES = {"市委书记", "市长", "镇党委书记", "局长", "管委会主任"}
CITIES = ["上海", "苏州", "深圳", "杭州", "东京", "首尔", "法兰克福", "新加坡"]


def demo_data_exists() -> bool:
    return Project.objects.filter(name__startswith=DEMO_MARK).exists()


DEMO_REASON = "演示数据"
# The demo's own rows, whose creation is written to their history after the bulk inserts.
HISTORY_KEYS = ["leaders", "enterprises", "events", "projects", "visits", "visit_leaders", "visit_projects", "funds"]


def _demo_rows() -> dict:
    visits = InvestmentVisit.objects.filter(purpose__startswith=DEMO_MARK)
    projects = Project.objects.filter(name__startswith=DEMO_MARK)
    return {
        "visits": visits,
        "projects": projects,
        "visit_leaders": VisitLeader.objects.filter(visit__in=visits),
        "visit_projects": VisitProject.objects.filter(visit__in=visits),
        # Separate from the above: an OR of the two subqueries would defeat PostgreSQL's semi-joins.
        "project_links": VisitProject.objects.filter(project__in=projects),
        "events": SigningEvent.objects.filter(name__startswith=DEMO_MARK),
        "enterprises": Enterprise.objects.filter(name__startswith=DEMO_MARK),
        "leaders": Leader.objects.filter(name__startswith=DEMO_MARK),
        "funds": ProjectFunds.objects.filter(project__in=projects),
    }


def delete_demo_data(*, user=None) -> None:
    """Remove every demo row (identified by the 演示 mark), children first, in one transaction.

    Set-based: each table is one DELETE, preceded by one INSERT … SELECT into its history.
    """
    rows = _demo_rows()
    with rollups_deferred():
        delete_registered(user=user)  # the apps above (projects.demo_apps) may name demo rows
        delete_demo_parcels(user=user)  # they name demo projects and firms
        delete_demo_photos(rows["visits"])
        delete_with_history(rows["visit_leaders"], reason=DEMO_REASON, user=user)
        delete_with_history(rows["visit_projects"], reason=DEMO_REASON, user=user)
        delete_with_history(rows["project_links"], reason=DEMO_REASON, user=user)
        raw_delete(InvestmentVisit.chains.through.objects.filter(investmentvisit__in=rows["visits"]))
        delete_with_history(rows["visits"], reason=DEMO_REASON, user=user)
        delete_with_history(FollowUp.objects.filter(project__in=rows["projects"]), reason=DEMO_REASON, user=user)
        raw_delete(ProjectStageChange.objects.filter(project__in=rows["projects"]))
        delete_with_history(rows["funds"], reason=DEMO_REASON, user=user)
        delete_with_history(rows["projects"], reason=DEMO_REASON, user=user)
        delete_with_history(rows["events"], reason=DEMO_REASON, user=user)
        delete_demo_per_mu(rows["enterprises"], reason=DEMO_REASON, user=user)
        delete_with_history(rows["enterprises"], reason=DEMO_REASON, user=user)
        delete_demo_chain_leadership(rows["leaders"], reason=DEMO_REASON, user=user)
        delete_demo_officials()
        # The leader-day rollup keeps a demo leader's emptied rows (count 0): they go with the leader.
        raw_delete(VisitDayLeader.objects.filter(leader__in=rows["leaders"]))
        delete_with_history(rows["leaders"], reason=DEMO_REASON, user=user)
        delete_demo_units(reason=DEMO_REASON, user=user)


class _Generator:
    def __init__(self, *, seed: int, end_date: datetime.date) -> None:
        self.rng = random.Random(seed)
        self.end = end_date
        self.start = end_date - datetime.timedelta(days=DAYS_COVERED)
        self.chains = list(Chain.objects.order_by("sort_order", "code"))
        if not self.chains:
            raise ValueError("No chains: run `manage.py seed_pinghu` before generating demo data.")
        self.counts = DemoCounts()

    def day(self, low: datetime.date, high: datetime.date) -> datetime.date:
        return low + datetime.timedelta(days=self.rng.randint(0, max((high - low).days, 0)))

    def amount(self, low: float, high: float) -> Decimal:
        # Log-uniform: many small projects, a few very large ones.
        value = low * (high / low) ** self.rng.random()
        return Decimal(value).quantize(Decimal("0.01"))

    def leaders(self) -> list[Leader]:
        titles = ["市委书记", "市长", "副市长", "镇党委书记", "局长", "管委会主任"]
        leaders = []
        for n in range(1, 31):
            title, unit = self.rng.choice(titles), self.rng.choice(self.units)
            # The unit's top official (一把手): every title but the vice mayor's, so the figures differ.
            top = title in TOP_OFFICIAL_TITLES
            leaders.append(Leader(name=f"{DEMO_MARK}领导{n:02d}", title=title, unit=unit, is_top_official=top))
        Leader.objects.bulk_create(leaders)
        self.counts.leaders = len(leaders)
        return leaders

    def enterprises(self, count: int) -> list[Enterprise]:
        """Synthetic firms; their SRDI level and size are left unknown, as a register would start."""
        towns, ownerships = Town.values, Ownership.values  # each ``.values`` builds a new list
        make = InstanceMaker(Enterprise)
        enterprises = []
        for n in range(1, count + 1):
            in_pinghu = self.rng.random() < 0.6
            ownership = self.rng.choices(ownerships, weights=[70, 22, 8])[0]
            enterprises.append(
                make(
                    name=f"{DEMO_MARK}企业{n:06d}有限公司",
                    short_name=f"{DEMO_MARK}企业{n:06d}",
                    ownership=ownership,
                    country="中国"
                    if ownership != Ownership.FOREIGN
                    else self.rng.choice(["日本", "德国", "韩国", "美国"]),
                    # One draw, as before (the data stays the same for a seed): about a fifth unknown.
                    fortune500=fortune500_from(self.rng.random()),
                    industry_leader=industry_leader_of(n),
                    in_pinghu=in_pinghu,
                    town=self.rng.choice(towns) if in_pinghu else "",
                    notes="演示数据，非真实企业。",
                )
            )
        for enterprise in enterprises:
            enterprise.name_key = firm_name_key(enterprise.name)  # bulk_create skips save(), which sets it
        insert_objects(enterprises, batch_size=BATCH_SIZE)
        self.counts.enterprises = len(enterprises)
        return enterprises

    def signing_events(self) -> list[SigningEvent]:
        events = []
        for n in range(1, 5):
            date = self.start + datetime.timedelta(days=n * DAYS_COVERED // 5)
            events.append(SigningEvent(name=f"{DEMO_MARK}签约大会第{n}场", date=date, location="演示会场"))
        SigningEvent.objects.bulk_create(events)
        self.counts.signing_events = len(events)
        return events

    def project_dates(self, project: Project, final: str) -> list[tuple[str, str, datetime.date]]:
        """Fill the project's pipeline dates up to ``final`` and return its stage history (from, to, date)."""
        contact = project.first_contact_date
        history = [("", ProjectStage.LEAD, contact)]
        reached, last_date = ProjectStage.LEAD, contact
        target = final if final in PIPELINE else self.rng.choice(PIPELINE[:4])
        for stage in PIPELINE[1 : PIPELINE.index(target) + 1]:
            low, high = STEP_DAYS[stage]
            date = last_date + datetime.timedelta(days=self.rng.randint(low, high))
            if date > self.end:
                break
            if stage in STAGE_DATE_FIELDS:
                setattr(project, STAGE_DATE_FIELDS[stage], date)
            history.append((reached, stage, date))
            reached, last_date = stage, date
        if final in (ProjectStage.ON_HOLD, ProjectStage.DROPPED):
            history.append((reached, final, self.day(last_date, self.end)))
            reached = final
        project.stage = reached
        return history

    def projects(self, count: int, enterprises: list[Enterprise], events: list[SigningEvent]) -> list[Project]:
        stages, weights = list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values())
        sources, towns = ProjectSource.values, Town.values  # each ``.values`` builds a new list
        make = InstanceMaker(Project)
        projects, histories = [], []
        for n in range(1, count + 1):
            chain = self.rng.choice(self.chains)
            investor = self.rng.choice(enterprises)
            foreign = investor.ownership == Ownership.FOREIGN
            project = make(
                name=f"{DEMO_MARK}项目{n:06d}（{chain.name}）",
                chain=chain,
                investor=investor,
                source=self.rng.choice(sources),
                total_investment=self.amount(500, 300000),
                foreign_investment=self.amount(100, 20000) if foreign else None,
                land_area=self.amount(5, 300) if self.rng.random() < 0.7 else None,
                expected_output=self.amount(1000, 500000) if self.rng.random() < 0.6 else None,
                expected_tax=self.amount(50, 30000) if self.rng.random() < 0.6 else None,
                is_capital_increase=self.rng.random() < 0.15,
                town=self.rng.choice(towns),
                responsible_unit=self.rng.choice(self.units),
                first_contact_date=self.day(self.start, self.end),
            )
            history = self.project_dates(project, self.rng.choices(stages, weights=weights)[0])
            self.attach_to_event(project, history, events)
            demo_milestones(project, n, self.end)
            project.level, project.level_year = level_of(n, project)
            projects.append(project)
            histories.append(history)
        self.counts.responsible = assign_demo_officials(projects)
        insert_objects(projects, batch_size=BATCH_SIZE)
        # Plain tuples, not instances: 300,000 of them at 100,000 projects.
        changes = insert_rows(
            ProjectStageChange,
            ["project_id", "from_stage", "to_stage", "at", "note"],
            [
                (project.pk, old, new, date, DEMO_MARK)
                for project, history in zip(projects, histories, strict=True)
                for old, new, date in history
            ],
            batch_size=BATCH_SIZE,
        )
        self.counts.projects, self.counts.stage_changes = len(projects), changes
        return projects

    def data_quality_examples(self, enterprises: list[Enterprise], projects: list[Project]) -> None:
        """Give the bureau's data-quality page something to review: a large amount and a likely duplicate.

        No random draw is used, so the rest of the data stays the same for a seed.
        """
        if projects:
            # Above the warning line (PINGHU_WARNING_TOTAL_INVESTMENT), below the ceiling: listed for review.
            Project.objects.filter(pk=projects[0].pk).update(total_investment=DEMO_LARGE_INVESTMENT)
        if enterprises:
            first = enterprises[0]
            twin = Enterprise(
                name=first.name.replace("有限公司", "有限责任公司"),
                short_name=first.short_name,
                ownership=first.ownership,
                country=first.country,
                in_pinghu=first.in_pinghu,
                town=first.town,
                notes=f"演示数据：与{first.name}疑似为同一家企业，可在数据质量页合并。",
            )
            twin.name_key = firm_name_key(twin.name)
            Enterprise.objects.bulk_create([twin])
            self.counts.enterprises += 1

    def attach_to_event(self, project: Project, history: list, events: list[SigningEvent]) -> None:
        """About one signed project in four signed at a conference held between its contact and signing dates."""
        if project.signed_date is None or self.rng.random() > 0.25:
            return
        # The signing moves back to a conference held after the negotiations began, so every
        # date stays in pipeline order.
        negotiating = next(date for _old, new, date in history if new == ProjectStage.NEGOTIATING)
        fitting = [event for event in events if negotiating <= event.date <= project.signed_date]
        if not fitting:
            return
        event = self.rng.choice(fitting)
        project.signed_date = event.date
        project.signing_event = event
        for position, (old, new, _date) in enumerate(history):
            if new == ProjectStage.SIGNED:
                history[position] = (old, new, event.date)

    def visits(
        self, count: int, leaders: list[Leader], enterprises: list[Enterprise], projects: list[Project], recorders: list
    ):
        """The visits and their links; a visit of a demo official's leader is written with its recorder
        (``projects.demo_people.visit_recorder``: no draw from the random generator)."""
        visits, leader_links, project_links, chain_links = [], [], [], []
        make = InstanceMaker(InvestmentVisit)
        counted = count_leaders_here()  # projects.demo_visits
        for _n in range(count):
            project = self.rng.choice(projects) if projects and self.rng.random() < 0.6 else None
            earliest = project.first_contact_date if project else self.start
            date = self.day(earliest, self.end)
            if self.rng.random() < 0.45:  # the Saturday investment day: move to the Saturday before
                saturday = date - datetime.timedelta(days=(date.weekday() - 5) % 7)
                date = saturday if saturday >= earliest else date
            visit = make(
                date=date,
                host_unit=self.rng.choice(self.units),
                enterprise=project.investor if project else self.rng.choice(enterprises),
                destination_city=self.rng.choice(CITIES),
                purpose=f"{DEMO_MARK}走访：洽谈投资合作",
                outcome="演示数据",
            )
            visits.append(visit)
            chosen_leaders = self.rng.sample(leaders, k=self.rng.choice([1, 1, 2, 2, 3, 4]))
            if counted:
                visit.leader_count = len(chosen_leaders)
            visit.recorded_by_id = visit_recorder(recorders, chosen_leaders)
            leader_links.append(chosen_leaders)
            chain_links.append([project.chain] if project else self.rng.sample(self.chains, k=self.rng.randint(1, 2)))
            project_links.append([project] if project else [])
        insert_visits(visits, leader_links, project_links, chain_links, batch_size=BATCH_SIZE)
        self.counts.visits = len(visits)
        self.counts.person_times = sum(len(chosen) for chosen in leader_links)
        self.counts.visit_projects = sum(len(chosen) for chosen in project_links)
        self.counts.official_visits = sum(visit.recorded_by_id is not None for visit in visits)


def generate_demo_data(
    *, projects: int, visits: int, seed: int, end_date: datetime.date | None = None, user=None
) -> DemoCounts:
    """Write a synthetic data set over every chain, town and stage of the last two years up to ``end_date``.

    One transaction; a bulk load, so the rollups are rebuilt once at its end. The apps above write their demo
    rows after it (``projects.demo_apps``), each in a transaction of its own.
    """
    with rollups_deferred():
        generator = _Generator(seed=seed, end_date=end_date or timezone.localdate())
        generator.units = demo_units(reason=DEMO_REASON, user=user)
        leaders = generator.leaders()
        enterprises = generator.enterprises(max(20, projects // 3))
        events = generator.signing_events()
        created_projects = generator.projects(projects, enterprises, events)
        generator.data_quality_examples(enterprises, created_projects)
        # The officials' leaders (given at the end, after the chiefs' logins) are known now: their visits are
        # written with their recorders.
        recorders = demo_recorders(leaders, generator.chains)
        generator.visits(visits, leaders, enterprises, created_projects, recorders)
        # Funds in place, from a generator of their own (projects.demo_funds): no other row changes.
        generator.counts.funds_records = demo_funds(
            created_projects, seed=seed, end_date=generator.end, batch_size=BATCH_SIZE
        )
        # bulk_create sends no signals: write the audit trail of every new row, set-based.
        rows = _demo_rows()
        counts = generator.counts
        written = counts.projects + counts.visits + counts.person_times + counts.visit_projects
        record_demo_history([rows[key] for key in HISTORY_KEYS], rows=written, reason=DEMO_REASON, user=user)
        generator.counts.photos = demo_photos(rows["visits"], seed=seed)
        generator.counts.chain_leaderships = demo_chain_leadership(leaders, seed=seed, end=generator.end)
        # The demo officials' own leader records and visits, for the phone's home page and the form's prefills.
        link_demo_officials(recorders)
        generator.counts.per_mu_roles, generator.counts.per_mu_figures = demo_per_mu(
            enterprises, seed=seed, end_date=generator.end, reason=DEMO_REASON, user=user
        )
        generator.counts.parcels = generate_demo_parcels(
            seed=seed, end=generator.end, enterprises=enterprises, projects=created_projects, user=user
        )
    analyze_demo_tables()
    # After the rollups are rebuilt: the apps above may read figures (the demo's targets are set from them).
    generator.counts.extra = generate_registered(seed=seed, end=generator.end, user=user)
    return generator.counts
