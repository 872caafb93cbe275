"""With English chosen, the pages' own words and punctuation are English: no Chinese outside the data.

The data here has Latin names; what Chinese is left in the database (units and role groups from the
migrations, say) is data too and is taken out of the page before it is read. The language switch
names Chinese in Chinese (``lang="zh-hans"``): taken out as well.
"""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from aftercare.models import EnterpriseIssue
from chains.choices import Town
from chains.models import Chain, ChainNode, Cluster, Enterprise, Leader
from projects.choices import ProjectStage
from projects.models import Project, SigningEvent
from reports.models import ReportTemplate
from tests.factories import (
    ChainFactory,
    ChainNodeFactory,
    ClusterFactory,
    EnterpriseAnnualMetricFactory,
    EnterpriseFactory,
    EnterpriseIssueFactory,
    FollowUpFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    ProjectFactory,
    SigningEventFactory,
)
from units.models import Unit

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
LANGUAGE_SWITCH = re.compile(r'<(strong|button)[^>]*lang="zh-hans"[^>]*>.*?</\1>', re.S)


@pytest.fixture
def latin_data(db):
    cluster = ClusterFactory(name="High-end equipment")
    chain = ChainFactory(cluster=cluster, name="New-energy vehicles", code="nev-test")
    ChainNodeFactory(chain=chain, name="Drive motors")
    leader = LeaderFactory(name="Wang Wei", title="Vice mayor")
    investor = EnterpriseFactory(name="Acme Motors Ltd")
    event = SigningEventFactory(name="Spring signing conference", date=datetime.date(2024, 5, 9))
    project = ProjectFactory(
        name="Motor plant",
        chain=chain,
        investor=investor,
        total_investment=Decimal("1234567.00"),
        stage=ProjectStage.SIGNED,
        first_contact_date=datetime.date(2024, 3, 1),
        signed_date=datetime.date(2024, 5, 9),
        signing_event=event,
    )
    FollowUpFactory(project=project, note="Called the investor")
    InvestmentVisitFactory(enterprise=investor, purpose="Talks", leaders=[leader], chains=[chain], projects=[project])
    EnterpriseIssueFactory(enterprise=investor, description="Not enough land")
    EnterpriseAnnualMetricFactory(enterprise=investor)
    return {"chain": chain, "project": project, "event": event, "investor": investor}


def data_words() -> list[str]:
    """The Chinese the database holds (names of units, role groups, seeded rows) and the towns' official names: data."""
    words = [str(town.value) for town in Town]  # the option values of the town pickers: official names
    for model, fields in [
        (Unit, ["name"]),
        (ReportTemplate, ["name"]),
        (Group, ["name"]),
        (Chain, ["name"]),
        (Cluster, ["name"]),
        (ChainNode, ["name"]),
        (Enterprise, ["name", "short_name"]),
        (Leader, ["name", "title"]),
        (SigningEvent, ["name"]),
        (Project, ["name"]),
        (EnterpriseIssue, ["description"]),
    ]:
        for row in model.objects.values_list(*fields):
            words.extend(str(value) for value in row if value)
    return sorted(set(words), key=len, reverse=True)


def chinese_in(html: str, words: list[str]) -> list[str]:
    html = LANGUAGE_SWITCH.sub("", html)
    for word in words:
        html = html.replace(word, "")
    return sorted({match.group(0) for match in CHINESE.finditer(html)})


@pytest.mark.django_db
def test_the_main_pages_have_no_chinese_chrome_in_english(admin_client, latin_data):
    pages = [
        reverse("projects:dashboard"),
        reverse("projects:chain-detail", args=[latin_data["chain"].code]),
        reverse("projects:visit-list"),
        reverse("projects:visit-new"),
        reverse("projects:overdue"),
        reverse("projects:project-list"),
        reverse("projects:project-detail", args=[latin_data["project"].pk]),
        reverse("projects:signing-event-list"),
        reverse("projects:signing-event-detail", args=[latin_data["event"].pk]),
        reverse("projects:data-quality"),
        reverse("aftercare:issue-list"),
        reverse("aftercare:my-firms"),
        reverse("chains:per-mu") + "?year=2024",
        reverse("targets:target-list"),
        reverse("targets:ranking"),
        reverse("reports:report-list"),
        reverse("units:unit-list"),
        reverse("reminders:rule-list"),
    ]
    words = data_words()
    found = {}
    for url in pages:
        response = admin_client.get(url, headers={"accept-language": "en"})
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en">' in html, url
        chinese = chinese_in(html, words)
        if chinese:
            found[url] = chinese
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


@pytest.mark.django_db
def test_export_headers_follow_the_language_and_numbers_stay_raw(admin_client, latin_data):
    def csv_rows(language):
        response = admin_client.get("/api/v1/projects/?format=csv", headers={"accept-language": language})
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return content.decode("utf-8-sig").splitlines()

    english = csv_rows("en")
    assert not CHINESE.search(english[0]) and CHINESE.search(csv_rows("zh-hans")[0])
    assert "1234567.00" in english[1]  # raw: machines read it
