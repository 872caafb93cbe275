"""generate_demo_data: deterministic, clearly synthetic, consistent, covering every chain, town and stage."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max, OuterRef, Subquery

from chains.choices import Town
from chains.demo import CHIEF_TITLES
from chains.models import Chain, Enterprise, Leader
from chains.selectors import likely_duplicate_enterprises
from notifications.models import Notification
from projects.choices import ProjectStage
from projects.demo import DEMO_LARGE_INVESTMENT, delete_demo_data, generate_demo_data
from projects.models import InvestmentVisit, Project, ProjectStageChange, SigningEvent
from projects.selectors import projects_with_large_amounts

pytestmark = pytest.mark.django_db
END = datetime.date(2026, 6, 30)


@pytest.fixture
def seeded():
    call_command("seed_pinghu", stdout=StringIO())


def rows() -> dict:
    """Everything the generator wrote, without ids and timestamps (which differ between runs)."""
    return {
        "projects": list(
            Project.objects.order_by("name").values_list(
                "name",
                "chain__code",
                "investor__name",
                "stage",
                "total_investment",
                "foreign_investment",
                "first_contact_date",
                "signed_date",
                "registered_date",
                "construction_date",
                "production_date",
                "signing_event__name",
                "town",
            )
        ),
        "changes": list(
            ProjectStageChange.objects.order_by("project__name", "at", "pk").values_list(
                "project__name", "from_stage", "to_stage", "at"
            )
        ),
        "visits": list(
            InvestmentVisit.objects.order_by("date", "enterprise__name", "pk").values_list(
                "date", "enterprise__name", "host_unit__name", "is_saturday"
            )
        ),
        "leaders_per_visit": sorted(
            InvestmentVisit.objects.values_list("date", "enterprise__name", "leader_links__leader__name")
        ),
    }


def test_same_seed_same_rows(seeded):
    generate_demo_data(projects=120, visits=200, seed=5, end_date=END)
    first = rows()
    delete_demo_data()
    assert not Project.objects.exists()
    generate_demo_data(projects=120, visits=200, seed=5, end_date=END)
    assert rows() == first
    delete_demo_data()
    generate_demo_data(projects=120, visits=200, seed=6, end_date=END)
    assert rows() != first


def test_everything_is_marked_and_covers_the_domain(seeded):
    counts = generate_demo_data(projects=600, visits=400, seed=1, end_date=END)
    assert counts.projects == 600 and counts.visits == 400
    assert not Project.objects.exclude(name__startswith="演示").exists()
    assert not Enterprise.objects.filter(projects__isnull=False).exclude(name__startswith="演示").exists()
    assert not Leader.objects.exclude(name__startswith="演示").exists()
    assert set(Project.objects.values_list("chain", flat=True)) == set(Chain.objects.values_list("pk", flat=True))
    assert set(Project.objects.values_list("town", flat=True)) == set(Town.values)
    assert set(Project.objects.values_list("stage", flat=True)) == set(ProjectStage.values)
    dates = Project.objects.values_list("first_contact_date", flat=True)
    assert min(dates) >= END - datetime.timedelta(days=730) and max(dates) <= END
    assert InvestmentVisit.objects.filter(is_saturday=True).exists()
    assert InvestmentVisit.objects.filter(is_saturday=False).exists()
    assert Project.objects.filter(signing_event__name__startswith="演示").exists()
    assert not SigningEvent.objects.filter(name__startswith="演示", date__gt=END).exists()


def test_demo_firms_have_per_mu_figures_and_chain_roles(seeded, client):
    """A share of the demo firms in Pinghu: a chain role and figures for the three complete years before the end."""
    from chains.models import EnterpriseAnnualMetric, EnterpriseChainRole
    from pinghu.permissions import Role
    from tests.factories import UserFactory

    counts = generate_demo_data(projects=120, visits=100, seed=1, end_date=END)
    metrics = EnterpriseAnnualMetric.objects.all()
    assert counts.per_mu_figures == metrics.count() == 3 * counts.per_mu_roles > 0
    assert set(metrics.values_list("year", flat=True)) == {END.year - 3, END.year - 2, END.year - 1}
    assert not metrics.exclude(enterprise__name__startswith="演示").exclude(enterprise__in_pinghu=True).exists()
    firms = set(metrics.values_list("enterprise", flat=True))
    assert firms == set(
        EnterpriseChainRole.objects.filter(enterprise__name__startswith="演示").values_list("enterprise", flat=True)
    )
    client.force_login(UserFactory(roles=[Role.BUREAU_STAFF]))
    html = client.get("/per-mu/", {"year": END.year - 1}).content.decode()
    assert html.count("演示企业") >= min(10, len(firms))
    delete_demo_data()
    assert (
        not EnterpriseAnnualMetric.objects.exists()
        and not EnterpriseChainRole.objects.filter(enterprise__name__startswith="演示").exists()
    )


def test_the_data_quality_page_has_a_large_amount_and_a_likely_duplicate_to_show(seeded):
    generate_demo_data(projects=30, visits=5, seed=1, end_date=END)
    large = list(projects_with_large_amounts())
    assert [project.total_investment for project in large] == [DEMO_LARGE_INVESTMENT]
    assert large[0].name.startswith("演示")
    groups = likely_duplicate_enterprises()
    assert len(groups) == 1
    names = sorted(firm.name for firm in groups[0]["firms"])
    assert names == ["演示企业000001有限公司", "演示企业000001有限责任公司"]


def test_stage_histories_end_at_the_current_stage(seeded):
    generate_demo_data(projects=300, visits=50, seed=3, end_date=END)
    last_change = ProjectStageChange.objects.filter(project=OuterRef("pk")).order_by("-at", "-pk").values("to_stage")
    mismatched = Project.objects.annotate(last=Subquery(last_change[:1])).exclude(last=models_f("stage"))
    assert not mismatched.exists()
    firsts = ProjectStageChange.objects.filter(from_stage="").count()
    assert firsts == Project.objects.count()
    latest = ProjectStageChange.objects.aggregate(latest=Max("at"))["latest"]
    assert latest <= END
    for project in Project.objects.filter(stage=ProjectStage.PRODUCTION)[:20]:
        project.full_clean()


def models_f(name):
    from django.db.models import F

    return F(name)


def test_command_is_idempotent_and_replace_regenerates(seeded):
    out = StringIO()
    call_command("generate_demo_data", "--projects", "30", "--visits", "20", "--seed", "2", stdout=out)
    assert Project.objects.count() == 30
    out = StringIO()
    call_command("generate_demo_data", "--projects", "30", "--visits", "20", stdout=out)
    assert "未作任何更改" in out.getvalue() and Project.objects.count() == 30
    call_command("generate_demo_data", "--projects", "10", "--visits", "5", "--replace", stdout=StringIO())
    assert Project.objects.count() == 10 and InvestmentVisit.objects.count() == 5


def test_refuses_without_chains():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("generate_demo_data", "--projects", "3", stdout=StringIO())


def test_the_latest_demo_visits_have_a_few_marked_photos(seeded, tmp_path):
    from projects.models import VisitPhoto

    counts = generate_demo_data(projects=40, visits=60, seed=5, end_date=END)
    photos = list(VisitPhoto.objects.select_related("visit").order_by("pk"))
    assert counts.photos == len(photos) and 15 <= len(photos) <= 45
    assert all(photo.caption.startswith("演示") and photo.width == 1200 for photo in photos)
    assert all(photo.image.storage.exists(photo.image.name) for photo in photos)
    first = [(p.visit.date, p.caption, p.byte_size) for p in photos]
    delete_demo_data()
    assert not VisitPhoto.objects.exists() and not any(path.is_file() for path in tmp_path.rglob("*"))
    generate_demo_data(projects=40, visits=60, seed=5, end_date=END)
    assert [
        (p.visit.date, p.caption, p.byte_size) for p in VisitPhoto.objects.select_related("visit").order_by("pk")
    ] == first


def test_each_demo_official_is_a_leader_and_records_that_leaders_visits(seeded):
    """The phone's home and the form's prefills need the official's own leader, unit and visits."""
    generate_demo_data(projects=60, visits=200, seed=5, end_date=END)
    officials = Leader.objects.filter(user__username__startswith="demo-official").select_related("user", "unit")
    assert officials.count() == 3
    for leader in officials:
        assert leader.unit is not None and leader.title not in CHIEF_TITLES  # never a chain chief
        recorded = InvestmentVisit.objects.filter(recorded_by=leader.user)
        assert recorded.exists()
        # Only visits that leader went on, and none of them left without a recorder.
        assert not recorded.exclude(leader_links__leader=leader).exists()
        assert not InvestmentVisit.objects.filter(leader_links__leader=leader, recorded_by__isnull=True).exists()
    delete_demo_data()
    assert not Leader.objects.filter(user__username__startswith="demo-official").exists()


def every_written_row() -> dict:
    """The rows of the tables the generator writes in bulk, every column, related rows named (ids differ per run)."""
    from chains.models import Enterprise as Firm
    from chains.models import EnterpriseAnnualMetric, EnterpriseChainRole
    from projects.models import LandParcel, ProjectFunds, VisitLeader, VisitProject

    def skip(model, *extra):
        return [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in {"id", "created_at", "updated_at", *extra} and not f.is_relation
        ]

    project_fields = skip(Project)
    visit_fields = skip(InvestmentVisit)
    return {
        # In id order: both paths number the rows as they were built.
        "projects": list(
            Project.objects.order_by("pk").values_list(
                *project_fields,
                "chain__code",
                "investor__name",
                "responsible_unit__name",
                "signing_event__name",
                "responsible_official__username",
            )
        ),
        "firms": list(Firm.objects.order_by("pk").values_list(*skip(Firm))),
        "visits": list(
            InvestmentVisit.objects.order_by("pk").values_list(
                *visit_fields, "host_unit__name", "enterprise__name", "recorded_by__username"
            )
        ),
        "changes": list(
            ProjectStageChange.objects.order_by("pk").values_list("project__name", *skip(ProjectStageChange))
        ),
        "visit_leaders": list(VisitLeader.objects.order_by("pk").values_list("visit__date", "leader__name")),
        "visit_projects": list(
            VisitProject.objects.order_by("pk").values_list(
                "visit__date",
                "project__name",
                "visit_date",
                "previous_date",
                "previous_saturday_date",
                "project_chain__code",
            )
        ),
        "visit_chains": list(
            InvestmentVisit.chains.through.objects.order_by("pk").values_list("investmentvisit__date", "chain__code")
        ),
        "funds": list(ProjectFunds.objects.order_by("pk").values_list("project__name", *skip(ProjectFunds))),
        "parcels": list(
            LandParcel.objects.order_by("pk").values_list("origin__name", "project__name", *skip(LandParcel))
        ),
        "chain_roles": list(
            EnterpriseChainRole.objects.order_by("pk").values_list(
                "enterprise__name", "chain__code", "node_id", *skip(EnterpriseChainRole)
            )
        ),
        "per_mu_figures": list(
            EnterpriseAnnualMetric.objects.order_by("pk").values_list("enterprise__name", *skip(EnterpriseAnnualMetric))
        ),
        # The reminders' scan writes its notifications through the same path (notifications.writing); the
        # link, the object and the key name ids, which differ per run.
        "notifications": list(
            Notification.objects.order_by("pk").values_list(
                "recipient__username", *skip(Notification, "link", "object_id", "key"), "content_type"
            )
        ),
    }


def keys_indexes_and_triggers() -> set:
    """PostgreSQL's catalogue: every key, index and trigger (with whether it is enabled) of the public tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = 'public'::regnamespace "
            "UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "UNION ALL SELECT tgrelid::regclass::text, tgname, tgenabled::text FROM pg_trigger WHERE NOT tgisinternal"
        )
        return set(cursor.fetchall())


def test_copy_and_bulk_create_write_the_same_rows(seeded, monkeypatch):
    """PostgreSQL's COPY path (projects.bulk_load) writes what bulk_create writes, column for column."""
    from django.db import connection

    from projects import bulk_aside, bulk_load

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's; SQLite always uses bulk_create")
    schema = keys_indexes_and_triggers()
    # Every COPY large enough to set the tables' keys and indexes aside (projects.bulk_aside), as at 100,000.
    monkeypatch.setattr(bulk_aside, "MIN_ROWS", 0)
    generate_demo_data(projects=150, visits=300, seed=3, end_date=END)
    copied = every_written_row()
    call_command("rebuild_rollups", "--check", stdout=StringIO())
    assert keys_indexes_and_triggers() == schema  # all put back, the leader-count trigger enabled again
    delete_demo_data()
    monkeypatch.setattr(bulk_load, "_use_copy", lambda model: False)
    generate_demo_data(projects=150, visits=300, seed=3, end_date=END)
    created = every_written_row()
    assert created["projects"] and created["funds"] and created["visit_projects"]
    assert created["parcels"] and created["chain_roles"] and created["per_mu_figures"] and created["notifications"]
    assert any(row[-1] for row in created["projects"])  # responsible officials, set before the insert
    assert {key: len(value) for key, value in copied.items()} == {key: len(value) for key, value in created.items()}
    for key, value in created.items():
        assert copied[key] == value, key


def test_the_load_writes_the_kept_columns_the_rebuild_would_write(seeded, monkeypatch):
    """Links and funds records are written with their kept columns (projects.rollups.PREVIOUS_ROWS) right:
    on PostgreSQL the rebuild ending the bulk load finds no row to update (it rewrote them all after the COPY)."""
    from django.db import connection

    from projects import bulk_aside, rollups
    from projects.models import ProjectFunds, VisitProject

    monkeypatch.setattr(bulk_aside, "MIN_ROWS", 0)  # the keys and indexes set aside, as at 100,000
    write, updated = rollups.write_previous_rows, []
    monkeypatch.setattr(rollups, "write_previous_rows", lambda cursor: updated.append(write(cursor)))
    counts = generate_demo_data(projects=60, visits=400, seed=3, end_date=END)
    assert counts.visit_projects and counts.funds_records
    # Projects with several links, Saturday ones among them, and with several months of money in.
    assert VisitProject.objects.filter(previous_date__isnull=False).exists()
    assert VisitProject.objects.filter(previous_saturday_date__isnull=False).exists()
    assert ProjectFunds.objects.filter(previous_funded_month__isnull=False).exists()
    if connection.vendor == "postgresql":  # SQLite's row triggers keep the columns: no rebuild
        assert updated == [{"projects_visitproject": 0, "projects_projectfunds": 0}]
    assert not any(rollups.rollup_differences().values())
