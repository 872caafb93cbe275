"""Approval milestones (issue 16): the project code, the order of the steps, the rates as of a day, every surface."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pinghu.concurrency import etag_of, version_of
from pinghu.imports import run_import
from pinghu.permissions import Role
from projects.choices import ProjectStage
from projects.imports import ProjectResource
from projects.milestone_stats import milestone_rates
from projects.models import Project
from projects.periods import Period
from projects.services import project_create, project_update
from projects.validators import validate_project_code
from tests.factories import ChainFactory, EnterpriseFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


# ---------------------------------------------------------------- the project code


@pytest.mark.parametrize(
    "code",
    [
        "2104-330482-04-01-123456",  # GB/T 40058-2021: April 2021, Pinghu
        "2011-330482-07-02-000001",  # the first month of the new codes in Zhejiang (November 2020)
        "2512-330400-04-01-654321",  # Jiaxing's area code
        "2017-330482-26-03-012345",  # the older codes: the year first
        "2015-330000-34-03-000002",  # the older codes, the province's area code
    ],
)
def test_valid_project_codes(code):
    validate_project_code(code)


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("2104330482040112345", "24"),  # no hyphens
        ("2104-330482-04-01-12345", "24"),  # one digit short
        ("2104-330482-04-01-12345A", "24"),  # a letter
        ("2013-330482-04-01-123456", "2013"),  # neither a year 2015-2020 nor a month
        ("2010-330482-04-01-123456", "2010"),  # October 2020: before the new codes, after... not an old year
        ("2014-330482-04-01-123456", "2014"),  # before the online platform's codes
        ("2104-110105-04-01-123456", "110105"),  # Beijing: not a Zhejiang area code
    ],
)
def test_invalid_project_codes_name_the_rule_in_chinese(code, rule):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_project_code(code)
    message = caught.value.messages[0]
    assert "项目代码" in message and rule in message and message.endswith("。")


def test_a_code_typed_with_spaces_and_full_width_hyphens_is_stored_plain():
    project = ProjectFactory.build(
        chain=ChainFactory(), investor=EnterpriseFactory(), project_code=" 2104－330482－04－01－123456 "
    )
    project.full_clean()
    assert project.project_code == "2104-330482-04-01-123456"


# ---------------------------------------------------------------- the order of the steps


def _signed(**values) -> Project:
    return ProjectFactory(stage=ProjectStage.SIGNED, signed_date=D(2024, 1, 10), **values)


def _in_production(**values) -> Project:
    return ProjectFactory(
        stage=ProjectStage.PRODUCTION,
        signed_date=D(2024, 1, 10),
        registered_date=D(2024, 2, 1),
        construction_date=D(2024, 4, 1),
        production_date=D(2024, 9, 1),
        **values,
    )


CODE = {"project_code": "2401-330482-04-01-000001"}
FILED = {"approval_kind": "filing"}


@pytest.mark.parametrize(
    ("make", "values"),
    [
        (_signed, {**CODE, **FILED, "code_date": D(2024, 3, 1), "approval_date": D(2024, 2, 1)}),
        (_signed, {**FILED, "approval_date": D(2024, 3, 1), "land_supplied_date": D(2024, 2, 1)}),
        (_signed, {"land_supplied_date": D(2024, 3, 1), "construction_permit_date": D(2024, 2, 1)}),
        (_signed, {**CODE, "code_date": D(2024, 3, 1), "construction_permit_date": D(2024, 2, 1)}),
        (_in_production, {"construction_permit_date": D(2024, 4, 2)}),  # permit after the start
        (_in_production, {"land_supplied_date": D(2024, 10, 1)}),  # land after production
        (_in_production, {"capacity_date": D(2024, 8, 31)}),  # capacity before production
        (_signed, {"capacity_date": D(2024, 8, 31)}),  # capacity without production
        (_signed, {"code_date": D(2024, 2, 1)}),  # a code date without the code
        (_signed, {"approval_date": D(2024, 2, 1)}),  # a filing or approval date without its kind
        (_signed, {"approval_kind": "permit"}),
        (_signed, {"land_supplied_date": D(1999, 12, 31)}),
    ],
)
def test_the_database_refuses_milestones_out_of_order(make, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(**values)


def test_milestones_in_order_are_accepted_and_may_precede_signing():
    # The chain starts at the project code: a firm may hold its code and filing before the contract is signed.
    project = _in_production(
        **CODE,
        code_date=D(2023, 12, 1),
        approval_kind="approval",
        approval_date=D(2023, 12, 20),
        land_supplied_date=D(2024, 2, 1),
        construction_permit_date=D(2024, 4, 1),
        capacity_date=D(2025, 3, 1),
    )
    project.full_clean()


@pytest.mark.parametrize(
    ("make", "values", "field", "names"),
    [
        (
            _in_production,
            {"construction_permit_date": D(2024, 4, 2)},
            "construction_date",
            ["开工日期", "施工许可日期"],
        ),
        (
            _signed,
            {**CODE, **FILED, "code_date": D(2024, 3, 1), "approval_date": D(2024, 2, 1)},
            "approval_date",
            ["备案/核准日期", "赋码日期"],
        ),
        (_in_production, {"capacity_date": D(2024, 8, 31)}, "capacity_date", ["达产日期", "投产日期"]),
        (_signed, {"capacity_date": D(2024, 8, 31)}, "capacity_date", ["达产日期", "投产日期"]),
        (_signed, {"code_date": D(2024, 2, 1)}, "project_code", ["赋码日期"]),
        (_signed, {"approval_date": D(2024, 2, 1)}, "approval_kind", ["备案/核准日期", "备案", "核准"]),
    ],
)
def test_clean_names_both_fields_in_chinese(make, values, field, names):
    project = make()
    for name, value in values.items():
        setattr(project, name, value)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        project.full_clean()
    message = " ".join(caught.value.message_dict[field])
    assert all(name in message for name in names), message
    assert message.endswith("。")


def test_a_future_milestone_is_refused():
    project = _signed(construction_permit_date=None)
    project.construction_permit_date = datetime.date.today() + 2 * DAY
    with pytest.raises(ValidationError) as caught:
        project.full_clean()
    assert "construction_permit_date" in caught.value.message_dict


def test_project_update_saves_milestones_and_never_moves_the_stage():
    project = _signed()
    project_update(
        project=project,
        data={**CODE, "code_date": D(2024, 2, 1), **FILED, "approval_date": D(2024, 2, 10)},
        expected_version=version_of(project),
    )
    project.refresh_from_db()
    assert project.stage == ProjectStage.SIGNED
    assert (project.code_date, project.approval_kind) == (D(2024, 2, 1), "filing")
    assert project.history.first().approval_date == D(2024, 2, 10)  # the edit has its history


def test_project_update_refuses_a_stale_version_and_an_out_of_order_milestone():
    project = _in_production()
    with pytest.raises(ValidationError):
        project_update(project=project, data={"land_supplied_date": D(2024, 1, 1)}, expected_version="stale")
    with pytest.raises(ValidationError) as caught:
        project_update(
            project=project, data={"construction_permit_date": D(2024, 5, 1)}, expected_version=version_of(project)
        )
    assert "construction_date" in caught.value.message_dict


# ---------------------------------------------------------------- rates and average days, by hand


@pytest.fixture
def signed_projects():
    """Four projects signed in 2024 on two chains, one signed in 2023, one lead (the figures below by hand)."""
    nev, optics = ChainFactory(code="nev"), ChainFactory(code="optics")
    p1_signed = D(2024, 1, 10)
    ProjectFactory(  # registered +30, started +90, production +180, capacity +360 (2025-01-04)
        chain=nev,
        stage=ProjectStage.PRODUCTION,
        signed_date=p1_signed,
        registered_date=p1_signed + 30 * DAY,
        construction_date=p1_signed + 90 * DAY,
        production_date=p1_signed + 180 * DAY,
        capacity_date=p1_signed + 360 * DAY,
    )
    ProjectFactory(  # registered +10 (2024-03-11), started +365 (2025-03-01)
        chain=nev,
        stage=ProjectStage.CONSTRUCTION,
        signed_date=D(2024, 3, 1),
        registered_date=D(2024, 3, 11),
        construction_date=D(2025, 3, 1),
    )
    ProjectFactory(chain=nev, stage=ProjectStage.SIGNED, signed_date=D(2024, 6, 1))
    ProjectFactory(  # registered +30 (2025-01-19), another chain
        chain=optics, stage=ProjectStage.REGISTERED, signed_date=D(2024, 12, 20), registered_date=D(2025, 1, 19)
    )
    ProjectFactory(  # signed before the period
        chain=nev,
        stage=ProjectStage.REGISTERED,
        signed_date=D(2023, 12, 31),
        registered_date=D(2024, 1, 5),
    )
    ProjectFactory(chain=nev)  # a lead
    return {"nev": nev, "optics": optics}


YEAR_2024 = Period(D(2024, 1, 1), D(2024, 12, 31))


def _figures(result: dict, name: str) -> tuple:
    return result[f"{name}_projects"], result[f"{name}_rate"], result[f"signed_to_{name}_days"]


def test_rates_as_of_the_periods_end(signed_projects):
    result = milestone_rates(YEAR_2024, as_of=D(2024, 12, 31))
    assert result["signed_projects"] == 4
    assert _figures(result, "registered") == (2, Decimal("0.5000"), Decimal("20.0"))  # (30 + 10) / 2
    assert _figures(result, "started") == (1, Decimal("0.2500"), Decimal("90.0"))
    assert _figures(result, "in_production") == (1, Decimal("0.2500"), Decimal("180.0"))
    assert _figures(result, "at_capacity") == (0, Decimal("0.0000"), None)


def test_rates_as_of_a_later_day(signed_projects):
    result = milestone_rates(YEAR_2024, as_of=D(2025, 6, 30))
    assert result["signed_projects"] == 4
    assert _figures(result, "registered") == (3, Decimal("0.7500"), Decimal("23.3"))  # (30 + 10 + 30) / 3
    assert _figures(result, "started") == (2, Decimal("0.5000"), Decimal("227.5"))  # (90 + 365) / 2
    assert _figures(result, "in_production") == (1, Decimal("0.2500"), Decimal("180.0"))
    assert _figures(result, "at_capacity") == (1, Decimal("0.2500"), Decimal("360.0"))


def test_rates_as_of_a_day_inside_the_period_count_only_projects_signed_by_then(signed_projects):
    result = milestone_rates(YEAR_2024, as_of=D(2024, 5, 31))
    assert result["signed_projects"] == 2  # signed 2024-06-01 and 2024-12-20 are not yet signed then
    assert _figures(result, "registered") == (2, Decimal("1.0000"), Decimal("20.0"))
    assert _figures(result, "started") == (1, Decimal("0.5000"), Decimal("90.0"))
    assert _figures(result, "in_production") == (0, Decimal("0.0000"), None)


def test_rates_of_a_chain_and_of_nothing(signed_projects):
    result = milestone_rates(YEAR_2024, as_of=D(2025, 6, 30), chain=signed_projects["nev"])
    assert result["signed_projects"] == 3
    assert _figures(result, "registered") == (2, Decimal("0.6667"), Decimal("20.0"))
    empty = milestone_rates(Period(D(2022, 1, 1), D(2022, 12, 31)), as_of=D(2025, 6, 30))
    assert (
        empty["signed_projects"] == 0 and empty["registered_rate"] is None and empty["signed_to_started_days"] is None
    )


def test_the_start_rate_agrees_with_the_summary_as_of_today(signed_projects):
    from projects import stats

    assert (
        milestone_rates(YEAR_2024, as_of=datetime.date.today())["started_rate"]
        == stats.signed_summary(YEAR_2024)["start_rate"]
    )


@pytest.mark.parametrize("as_of", [D(2024, 5, 31), D(2024, 12, 31), D(2025, 6, 30)])
def test_the_dashboards_shared_query_gives_the_same_figures(signed_projects, as_of):
    from projects import stats
    from projects.milestone_stats import stage_durations_and_milestone_rates

    with CaptureQueriesContext(connection) as queries:
        durations, rates = stage_durations_and_milestone_rates(YEAR_2024, as_of=as_of)
    assert len(queries.captured_queries) == 1
    assert durations == stats.stage_durations(YEAR_2024)
    assert rates == milestone_rates(YEAR_2024, as_of=as_of)


@pytest.mark.parametrize(
    ("period", "as_of"),
    [
        (YEAR_2024, D(2024, 5, 31)),  # the period ends after the day: its later signings are not counted as of it
        (YEAR_2024, D(2024, 12, 31)),
        (YEAR_2024, D(2025, 6, 30)),
        (Period(D(2022, 1, 1), D(2022, 12, 31)), D(2025, 6, 30)),  # nothing signed
    ],
)
def test_the_dashboards_scan_with_the_signings_per_day_gives_the_same_figures(signed_projects, period, as_of):
    """One grouped scan gives the shared query's figures and the monthly chart's signings (stats_monthly)."""
    from projects import stats_monthly
    from projects.milestone_stats import (
        stage_durations_and_milestone_rates,
        stage_durations_milestone_rates_and_signings,
    )

    with CaptureQueriesContext(connection) as queries:
        durations, rates, signed_days = stage_durations_milestone_rates_and_signings(period, as_of=as_of)
    assert len(queries.captured_queries) == 1
    assert (durations, rates) == stage_durations_and_milestone_rates(period, as_of=as_of)
    with CaptureQueriesContext(connection) as queries:
        monthly = stats_monthly.monthly(period, signed_days=signed_days)
    assert len(queries.captured_queries) == 1  # the visits alone
    assert monthly == stats_monthly.monthly(period)
    with pytest.raises(ValueError):
        stats_monthly.monthly(period, chain=signed_projects["nev"], signed_days=signed_days)


def test_rates_take_one_query_whatever_the_rows(signed_projects):
    with CaptureQueriesContext(connection) as few:
        milestone_rates(YEAR_2024, as_of=D(2025, 6, 30))
    for n in range(30):
        ProjectFactory(stage=ProjectStage.SIGNED, signed_date=D(2024, 1, 1) + n * DAY)
    with CaptureQueriesContext(connection) as many:
        milestone_rates(YEAR_2024, as_of=D(2025, 6, 30))
    assert len(few.captured_queries) == len(many.captured_queries) == 1


# ---------------------------------------------------------------- API


def test_stats_milestones_endpoint(read_client, signed_projects):
    response = read_client.get(
        "/api/v1/stats/milestones/", {"start": "2024-01-01", "end": "2024-12-31", "as_of": "2025-06-30"}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["as_of"] == "2025-06-30" and data["signed_projects"] == 4
    assert (data["started_projects"], data["started_rate"], data["signed_to_started_days"]) == (2, "0.5000", "227.5")
    assert data["at_capacity_rate"] == "0.2500"
    chain = read_client.get(
        "/api/v1/stats/milestones/", {"start": "2024-01-01", "end": "2024-12-31", "as_of": "2025-06-30", "chain": "nev"}
    ).json()
    assert chain["signed_projects"] == 3
    assert read_client.get("/api/v1/stats/milestones/", {"as_of": "1989-12-31"}).status_code == 400
    assert read_client.get("/api/v1/stats/milestones/", {"asof": "2025-01-01"}).status_code == 400


def test_schema_documents_the_endpoint_and_fields(read_client):
    schema = read_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/stats/milestones/"]["get"]
    assert "as_of" in [parameter["name"] for parameter in operation["parameters"]]
    properties = schema["components"]["schemas"]["MilestoneStats"]["properties"]
    assert "达产率" in properties["at_capacity_rate"]["description"]
    project = schema["components"]["schemas"]["Project"]["properties"]
    assert {"project_code", "code_date", "approval_kind", "capacity_date"} <= set(project)


def test_api_patch_writes_milestones_and_refuses_bad_ones(write_client):
    project = _signed()
    body = {"project_code": "2104-330482-04-01-123456", "code_date": "2024-02-01", "land_supplied_date": "2024-05-01"}
    response = write_client.patch(
        f"/api/v1/projects/{project.pk}/", body, format="json", HTTP_IF_MATCH=etag_of(project)
    )
    assert response.status_code == 200, response.content
    assert response.json()["project_code"] == "2104-330482-04-01-123456"
    project.refresh_from_db()
    assert project.land_supplied_date == D(2024, 5, 1) and project.stage == ProjectStage.SIGNED
    bad = write_client.patch(
        f"/api/v1/projects/{project.pk}/",
        {"construction_permit_date": "2024-04-01"},
        format="json",
        HTTP_IF_MATCH=etag_of(project),
    )
    assert bad.status_code == 400 and "construction_permit_date" in str(bad.json())
    code = write_client.patch(
        f"/api/v1/projects/{project.pk}/", {"project_code": "12345"}, format="json", HTTP_IF_MATCH=etag_of(project)
    )
    assert code.status_code == 400 and "project_code" in str(code.json())
    typed = write_client.patch(
        f"/api/v1/projects/{project.pk}/",
        {"project_code": "2104－330482－04－01－654321"},
        format="json",
        HTTP_IF_MATCH=etag_of(project),
    )
    assert typed.status_code == 200 and typed.json()["project_code"] == "2104-330482-04-01-654321"
    listed = write_client.get("/api/v1/projects/").json()["results"][0]  # the plain-rows list
    assert (listed["project_code"], listed["code_date"], listed["capacity_date"]) == (
        "2104-330482-04-01-654321",
        "2024-02-01",
        None,
    )


# ---------------------------------------------------------------- the project page


@pytest.fixture
def responsible(client):
    """The responsible official of the projects made with it: they may edit them (projects.rules)."""
    client.user = UserFactory(username="responsible", roles=[Role.OFFICIAL])
    client.force_login(client.user)
    return client


def test_the_page_shows_and_edits_milestones(responsible):
    bureau = responsible
    project = _signed(**CODE, code_date=D(2024, 1, 20), responsible_official=responsible.user)
    page = bureau.get(f"/projects/{project.pk}/")
    content = page.content.decode()
    assert page.status_code == 200 and "审批节点" in content and "2401-330482-04-01-000001" in content
    assert 'id="milestones-form"' in content
    response = bureau.post(
        f"/projects/{project.pk}/milestones/",
        {
            "version": version_of(project),
            "project_code": "2401-330482-04-01-000001",
            "code_date": "2024-01-20",
            "approval_kind": "approval",
            "approval_date": "2024-02-01",
            "land_supplied_date": "",
            "construction_permit_date": "",
            "capacity_date": "",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.approval_kind, project.approval_date, project.stage) == ("approval", D(2024, 2, 1), "signed")


def test_a_refused_milestone_shows_the_form_again_with_the_rule(responsible):
    bureau = responsible
    project = _signed(**CODE, code_date=D(2024, 3, 1), responsible_official=responsible.user)
    response = bureau.post(
        f"/projects/{project.pk}/milestones/",
        {
            "version": version_of(project),
            "project_code": "2401-330482-04-01-000001",
            "code_date": "2024-03-01",
            "approval_kind": "filing",
            "approval_date": "2024-02-01",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "备案/核准日期" in content and "不能早于" in content and "赋码日期" in content
    project.refresh_from_db()
    assert project.approval_date is None


def test_an_official_not_answering_for_the_project_sees_no_form_and_cannot_post(client):
    client.force_login(UserFactory(username="reader", roles=[Role.OFFICIAL]))
    project = _signed()
    assert 'id="milestones-form"' not in client.get(f"/projects/{project.pk}/").content.decode()
    response = client.post(f"/projects/{project.pk}/milestones/", {"version": version_of(project)})
    assert response.status_code == 403


# ---------------------------------------------------------------- export and import


def test_export_and_import_round_trip_the_milestones(admin_client, superuser, import_uploads):
    chain, investor = ChainFactory(code="nev"), EnterpriseFactory(name="嘉兴甲科技有限公司")
    project = project_create(
        project=Project(
            name="已签约项目",
            chain=chain,
            investor=investor,
            total_investment=Decimal("5000"),
            stage="signed",
            signed_date=D(2024, 2, 1),
        ),
        by=superuser,
    )
    project_update(
        project=project,
        data={**CODE, "code_date": D(2024, 2, 5), "approval_kind": "approval", "approval_date": D(2024, 3, 1)},
        expected_version=None,
    )
    for export_format in ("csv", "xlsx"):
        response = admin_client.get("/api/v1/projects/", {"format": export_format})
        data = b"".join(response.streaming_content) if response.streaming else response.getvalue()
        if export_format == "csv":
            text = data.decode("utf-8-sig")
            assert "项目代码" in text and "2401-330482-04-01-000001" in text and "核准" in text
        report = run_import(ProjectResource(), data, f"export.{export_format}", user=superuser, dry_run=False)
        assert report.ok, report.problems
        assert report.totals == {"skip": 1}
    # An edited file sets a milestone through the import.
    response = admin_client.get("/api/v1/projects/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    edited = text.replace("2024-03-01,,", "2024-03-01,2024-04-01,", 1)
    header = text.splitlines()[0].split(",")
    assert header.index("供地日期") == header.index("备案/核准日期") + 1
    report = run_import(ProjectResource(), edited.encode("utf-8-sig"), "edited.csv", user=superuser, dry_run=False)
    assert report.ok, report.problems
    project.refresh_from_db()
    assert project.land_supplied_date == D(2024, 4, 1) and project.stage == ProjectStage.SIGNED


# ---------------------------------------------------------------- admin, stage moves, dashboard


def test_the_admin_edits_milestones_through_the_service(admin_client):
    from tests.adminforms import change_form_data, change_url

    project = _signed()
    url = change_url(project)
    data = change_form_data(
        admin_client, url, project_code="2104-330482-04-01-123456", code_date="2024-02-01", capacity_date="2024-03-01"
    )
    refused = admin_client.post(url, data)
    assert refused.status_code == 200 and "投产日期" in refused.content.decode()  # capacity needs production
    data["capacity_date"] = ""
    assert admin_client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert (project.project_code, project.code_date, project.stage) == (
        "2104-330482-04-01-123456",
        D(2024, 2, 1),
        "signed",
    )


def test_a_stage_move_before_a_recorded_permit_is_refused_naming_both_fields():
    from projects.services import project_transition

    project = ProjectFactory(
        stage=ProjectStage.REGISTERED,
        signed_date=D(2024, 1, 10),
        registered_date=D(2024, 2, 1),
        construction_permit_date=D(2024, 5, 1),
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        project_transition(project, ProjectStage.CONSTRUCTION, by=None, on_date=D(2024, 4, 1))
    assert "施工许可日期" in " ".join(caught.value.messages)
    project_transition(project, ProjectStage.CONSTRUCTION, by=None, on_date=D(2024, 5, 2))
    project.refresh_from_db()
    assert project.construction_date == D(2024, 5, 2)


def test_the_dashboard_shows_the_milestone_rates(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_pinghu", stdout=StringIO())
    client.force_login(UserFactory(username="viewer", roles=[Role.OFFICIAL]))
    today = datetime.date.today()
    ProjectFactory(
        stage=ProjectStage.REGISTERED,
        signed_date=today.replace(month=1, day=1),
        registered_date=today.replace(month=1, day=1),
    )
    ProjectFactory(stage=ProjectStage.SIGNED, signed_date=today.replace(month=1, day=1))
    content = client.get("/", {"period": "year"}).content.decode()
    panel = content[content.index('id="milestone-rates"') :]
    panel = panel[: panel.index("</table>")]
    assert "落地率" in panel and "达产率" in panel and "50.00%" in panel and "0.0" in panel
