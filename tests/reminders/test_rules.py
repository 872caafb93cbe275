"""The rule records: made by the migration with the defaults, read by every role, changed by bureau staff only
(the page and the admin, through ``rule_update``), validated with Chinese messages, kept in the history."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pinghu.concurrency import version_of
from pinghu.permissions import Role
from reminders.choices import DEFAULTS, RuleKind
from reminders.models import ReminderRule
from reminders.services import rule_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_migration_made_one_rule_per_kind_with_the_issues_defaults():
    rules = {rule.kind: rule for rule in ReminderRule.objects.all()}
    assert set(rules) == set(RuleKind.values)
    assert all(rule.enabled for rule in rules.values())
    stalled = rules[RuleKind.PROJECT_STALLED]
    assert (stalled.lead_days, stalled.negotiating_days, stalled.signed_days, stalled.registered_days) == (
        60,
        90,
        180,
        180,
    )
    assert rules[RuleKind.FIRM_NOT_CONTACTED].contact_days == 90
    assert rules[RuleKind.ISSUE_DUE].days_before == 2
    assert rules[RuleKind.FOLLOW_UP_DUE].days_before == 1
    for kind, values in DEFAULTS.items():
        assert {name: getattr(rules[kind], name) for name in values} == values


def test_every_role_reads_the_rules_page_and_only_bureau_staff_see_the_change_links(client):
    official = UserFactory(username="o", roles=[Role.OFFICIAL])
    client.force_login(official)
    page = client.get(reverse("reminders:rule-list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "停滞项目" in html and "线索：无进展天数：60" in html
    assert reverse("reminders:rule-edit", args=["project_stalled"]) not in html
    assert client.get(reverse("reminders:rule-edit", args=["project_stalled"])).status_code == 403
    assert client.post(reverse("reminders:rule-edit", args=["project_stalled"]), {"lead_days": 1}).status_code == 403
    assert ReminderRule.objects.get(kind=RuleKind.PROJECT_STALLED).lead_days == 60


def test_bureau_staff_change_a_rule_on_its_page_and_the_history_keeps_it(client):
    staff = UserFactory(username="s", roles=[Role.BUREAU_STAFF])
    client.force_login(staff)
    assert (
        reverse("reminders:rule-edit", args=["project_stalled"])
        in client.get(reverse("reminders:rule-list")).content.decode()
    )
    rule = ReminderRule.objects.get(kind=RuleKind.PROJECT_STALLED)
    url = reverse("reminders:rule-edit", args=[rule.kind])
    form = client.get(url)
    assert form.status_code == 200
    assert "contact_days" not in form.content.decode()  # another kind's threshold
    data = {
        "version": version_of(rule),
        "enabled": "",
        "lead_days": 45,
        "negotiating_days": 90,
        "signed_days": 180,
        "registered_days": 200,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.enabled, rule.lead_days, rule.registered_days) == (False, 45, 200)
    last = rule.history.first()
    assert last.history_type == "~" and last.history_user == staff
    assert "线索：无进展天数" in client.get(url).content.decode()  # the change in the page's history


def test_out_of_range_and_missing_thresholds_are_refused_in_chinese(client):
    client.force_login(UserFactory(username="s", roles=[Role.BUREAU_STAFF]))
    rule = ReminderRule.objects.get(kind=RuleKind.ISSUE_DUE)
    url = reverse("reminders:rule-edit", args=[rule.kind])
    response = client.post(url, {"version": version_of(rule), "enabled": "on", "days_before": 31})
    assert response.status_code == 200
    assert "请填写1到30之间的天数。" in response.content.decode()
    response = client.post(url, {"version": version_of(rule), "enabled": "on", "days_before": ""})
    assert "该规则需要填写此天数。" in response.content.decode()
    rule.refresh_from_db()
    assert rule.days_before == 2


def test_a_stale_version_is_refused():
    rule = ReminderRule.objects.get(kind=RuleKind.FIRM_NOT_CONTACTED)
    with pytest.raises(ValidationError):
        rule_update(rule=rule, data={"contact_days": 30}, expected_version="2000-01-01T00:00:00", by=None)


def test_the_service_refuses_other_roles_and_the_database_holds_the_bounds():
    rule = ReminderRule.objects.get(kind=RuleKind.FIRM_NOT_CONTACTED)
    official = UserFactory(username="o", roles=[Role.OFFICIAL])
    with pytest.raises(ValidationError, match="只有局工作人员和管理员"):
        rule_update(rule=rule, data={"contact_days": 30}, expected_version=None, by=official)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderRule.objects.filter(pk=rule.pk).update(contact_days=0)


def test_the_admin_changes_but_neither_adds_nor_deletes_rules(admin_client):
    rule = ReminderRule.objects.get(kind=RuleKind.FOLLOW_UP_DUE)
    change = reverse("admin:reminders_reminderrule_change", args=[rule.pk])
    page = admin_client.get(change)
    assert page.status_code == 200
    assert 'name="overdue_every"' in page.content.decode() and 'name="lead_days"' not in page.content.decode()
    data = {"version": version_of(rule), "enabled": "on", "days_before": 3, "on_due_date": "on", "overdue_every": ""}
    assert admin_client.post(change, data).status_code == 302
    rule.refresh_from_db()
    assert (rule.days_before, rule.overdue_every) == (3, None)
    assert admin_client.get(reverse("admin:reminders_reminderrule_add")).status_code == 403
    assert admin_client.get(reverse("admin:reminders_reminderrule_delete", args=[rule.pk])).status_code == 403


def test_the_rules_page_reads_the_rules_in_one_query(client):
    client.force_login(UserFactory(username="o", roles=[Role.OFFICIAL]))
    client.get(reverse("reminders:rule-list"))  # the session and the role's permissions, cached after
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reminders:rule-list")).status_code == 200
    reads = [query["sql"] for query in queries if "reminders_reminderrule" in query["sql"]]
    assert len(reads) == 1
