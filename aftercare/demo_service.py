"""The demo's service of established firms (``generate_demo_data``): salons, problems through every step, cadres.

Registered with ``projects.demo_apps`` in ``AppConfig.ready``, so it runs after the demo's own rows (its
firms, leaders, units, visits and official accounts) and before the reminders' scan, which then finds the
problems near or past their due date. Everything goes through the services the pages call
(``salon_save``, ``issue_create``, ``issue_advance``, ``cadre_assign``), so the steps, the history and the
events are what real use would leave. Each problem's text starts with 演示 ("demo").

What the pages then show, over the last year and a half up to the demo's end date (never after today):

- evening salons (亲清夜沙龙) hosted by demo leaders, each with four to eight demo firms in Pinghu;
- problems from every channel and category, ending in every status: only received, assigned with time
  left, assigned and overdue, assigned and due within days, resolved on the spot, resolved, closed with
  the firm's satisfaction, rejected with a reason;
- cadres (千名干部助千企): a demo leader or a demo official for many firms, some replacing an earlier cadre.

A random generator of its own (seeded from the demo's seed) keeps the rest of the demo the same.
"""

import datetime
import random

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chains.models import Enterprise, Leader
from pinghu.history import delete_with_history, raw_delete
from projects.demo import DEMO_MARK, DEMO_REASON
from projects.demo_apps import DemoGenerator
from projects.demo_people import demo_officials
from projects.models import InvestmentVisit
from units.demo import DEMO_UNITS
from units.models import Unit

from .choices import IssueCategory, IssueChannel, IssueStatus
from .models import CadreAssignment, EnterpriseIssue, IssueStep, SalonEvent
from .services import cadre_assign, issue_advance, issue_create, salon_save

DAYS_COVERED = 540
SALONS = 10
PROBLEMS = 48
CADRE_FIRMS = 30
PLACES = ["演示开发区会议中心", "演示镇政府会议室", "演示企业服务中心", "演示科创园路演厅"]
DESCRIPTIONS = {
    IssueCategory.POLICY: "演示：技改补助政策的申报条件和兑现进度不清楚，希望有专人解读。",
    IssueCategory.LAND: "演示：扩产项目缺少用地指标，希望协调新增工业用地。",
    IssueCategory.FINANCE: "演示：订单增加后流动资金紧张，希望对接银行信贷产品。",
    IssueCategory.TALENT: "演示：高技能人才招引困难，希望落实人才公寓和子女入学。",
    IssueCategory.PERMITS: "演示：新建厂房施工许可办理周期长，希望提前介入指导。",
    IssueCategory.INFRASTRUCTURE: "演示：厂区周边道路和污水管网尚未接通，影响投产。",
    IssueCategory.OTHER: "演示：员工通勤公交班次少，希望增开线路。",
}
# The end each problem reaches, in turn: every status, open ones early and late, overdue and due soon.
ENDINGS = [
    "received",
    "assigned_in_time",
    "closed",
    "assigned_overdue",
    "resolved",
    "rejected",
    "assigned_due_soon",
    "resolved_on_the_spot",
    "closed",
]
SATISFACTION_WEIGHTS = {5: 5, 4: 4, 3: 2, 2: 1}


def generate_demo_service(*, seed: int, end: datetime.date, user=None) -> int:
    """Write the salons, problems and cadre assignments; returns how many rows of the three kinds."""
    firms = list(Enterprise.objects.filter(name__startswith=DEMO_MARK, in_pinghu=True).order_by("pk"))
    leaders = list(Leader.objects.filter(name__startswith=DEMO_MARK).order_by("pk"))
    units = list(Unit.objects.filter(name__in=[name for name, _kind in DEMO_UNITS]).order_by("name"))
    if len(firms) < 8 or not leaders or not units:
        return 0
    rng = random.Random(f"aftercare-{seed}")
    today = min(end, timezone.localdate())  # a step is never dated after today
    salons = _salons(rng, today, firms, leaders)
    visits = list(
        InvestmentVisit.objects.filter(purpose__startswith=DEMO_MARK, enterprise__in_pinghu=True, date__lte=today)
        .select_related("enterprise")  # the problem is the visited firm's
        .order_by("pk")[:200]
    )
    problems = sum(_problem(rng, n, today, firms, salons, visits, units) for n in range(PROBLEMS))
    return len(salons) + problems + _cadres(rng, today, firms, leaders)


def _salons(rng: random.Random, today: datetime.date, firms: list, leaders: list) -> list[SalonEvent]:
    salons = []
    for n in range(SALONS):
        date = today - datetime.timedelta(days=DAYS_COVERED * (SALONS - n) // (SALONS + 1) + rng.randint(0, 6))
        salon = SalonEvent(
            date=date,
            host=leaders[n % len(leaders)],
            place=rng.choice(PLACES),
            notes=f"{DEMO_MARK}：亲清夜沙龙，听取企业诉求",
        )
        salons.append(salon_save(salon=salon, enterprises=rng.sample(firms, k=rng.randint(4, min(8, len(firms))))))
    return salons


def _problem(rng: random.Random, n: int, today: datetime.date, firms, salons, visits, units) -> int:
    """One problem, taken from receipt to the ending its position gives it; returns 1."""
    ending = ENDINGS[n % len(ENDINGS)]
    # How far back it was received: recent for open problems, long enough ago for the others to be done.
    back = {"received": (0, 10), "assigned_in_time": (3, 12), "assigned_due_soon": (12, 20)}.get(ending, (45, 400))
    received = today - datetime.timedelta(days=rng.randint(*back))
    channel = [IssueChannel.SALON, IssueChannel.INVESTMENT_VISIT, *IssueChannel.values][n % (len(IssueChannel) + 2)]
    salon = visit = None
    firm = rng.choice(firms)
    if channel == IssueChannel.SALON:
        salon = rng.choice([salon for salon in salons if salon.date <= received] or salons)
        received, firm = salon.date, rng.choice(list(salon.enterprises.all()))
    elif channel == IssueChannel.INVESTMENT_VISIT:
        earlier = [visit for visit in visits if visit.date <= received]
        if earlier:
            visit = rng.choice(earlier)
            received, firm = visit.date, visit.enterprise
        else:
            channel = IssueChannel.OTHER
    if ending.startswith("assigned") and ending != "assigned_overdue":
        received = max(received, today - datetime.timedelta(days=back[1]))  # a salon's date may be long past
    category = list(IssueCategory)[n % len(IssueCategory)]
    issue = issue_create(
        issue=EnterpriseIssue(
            enterprise=firm,
            channel=channel,
            salon=salon,
            visit=visit,
            category=category,
            description=DESCRIPTIONS[category],
            received_on=received,
        ),
        by=None,
    )
    if ending == "received":
        return 1
    if ending == "rejected":
        reason = "演示：不属于政府职能范围，已向企业解释。"
        issue_advance(issue, IssueStatus.REJECTED, on=_after(rng, received, today, 3), by=None, note=reason)
        return 1
    if ending == "resolved_on_the_spot":
        issue_advance(issue, IssueStatus.RESOLVED, on=received, by=None, note="演示：现场答复，当场解决。")
        return 1
    assigned = _after(rng, received, today, 4)
    due = {
        "assigned_in_time": today + datetime.timedelta(days=rng.randint(8, 20)),
        "assigned_due_soon": today + datetime.timedelta(days=rng.randint(1, 3)),
        "assigned_overdue": assigned + datetime.timedelta(days=rng.randint(10, 20)),
    }.get(ending, assigned + datetime.timedelta(days=rng.randint(15, 30)))
    issue = issue_advance(issue, IssueStatus.ASSIGNED, on=assigned, by=None, unit=rng.choice(units), due_date=due)
    if ending.startswith("assigned"):
        return 1
    resolved = _after(rng, assigned, today, 25)
    issue = issue_advance(issue, IssueStatus.RESOLVED, on=resolved, by=None, note="演示：已协调相关部门办结。")
    if ending == "closed":
        score = rng.choices(list(SATISFACTION_WEIGHTS), weights=list(SATISFACTION_WEIGHTS.values()))[0]
        issue_advance(issue, IssueStatus.CLOSED, on=_after(rng, resolved, today, 7), by=None, satisfaction=score)
    return 1


def _after(rng: random.Random, day: datetime.date, today: datetime.date, most: int) -> datetime.date:
    """A day from ``day`` to ``most`` days later, never after today."""
    return min(day + datetime.timedelta(days=rng.randint(1, most)), today)


def _cadres(rng: random.Random, today: datetime.date, firms: list, leaders: list) -> int:
    """A cadre for the first ``CADRE_FIRMS`` firms: one in five a demo official's login, one in six replaced."""
    officials = demo_officials()
    written = 0
    for n, firm in enumerate(firms[:CADRE_FIRMS]):
        start = today - datetime.timedelta(days=rng.randint(100, 500))
        if n % 6 == 5:  # an earlier cadre, replaced (cadre_assign ends the earlier assignment)
            earlier = start - datetime.timedelta(days=200)
            cadre_assign(enterprise=firm, start_date=earlier, cadre_leader=rng.choice(leaders))
            written += 1
        if n % 5 == 0:
            cadre_assign(enterprise=firm, start_date=start, cadre_user=officials[n // 5 % len(officials)])
        else:
            cadre_assign(enterprise=firm, start_date=start, cadre_leader=leaders[n % len(leaders)])
        written += 1
    return written


def delete_demo_service(*, user=None) -> None:
    """Remove the demo's problems (with their steps), salons and cadre assignments."""
    issues = EnterpriseIssue.objects.filter(enterprise__name__startswith=DEMO_MARK)
    delete_with_history(IssueStep.objects.filter(issue__in=issues), reason=DEMO_REASON, user=user)
    delete_with_history(issues, reason=DEMO_REASON, user=user)
    salons = SalonEvent.objects.filter(notes__startswith=DEMO_MARK)
    raw_delete(SalonEvent.enterprises.through.objects.filter(salonevent__in=salons))
    delete_with_history(salons, reason=DEMO_REASON, user=user)
    cadres = CadreAssignment.objects.filter(enterprise__name__startswith=DEMO_MARK)
    delete_with_history(cadres, reason=DEMO_REASON, user=user)


DEMO_SERVICE = DemoGenerator(
    name="enterprise_service",
    label=_("%(count)d salons, problems and cadre assignments of the service of established firms."),
    generate=generate_demo_service,
    delete=delete_demo_service,
)
