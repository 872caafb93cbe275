"""A small world to search: 长城汽车 and its project, visit and problem, a leader, a unit, and others."""

import pytest

from tests.factories import (
    EnterpriseFactory,
    EnterpriseIssueFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    ProjectFactory,
    UnitFactory,
    make_credit_code,
)


@pytest.fixture
def world(db):
    great_wall = EnterpriseFactory(
        name="长城汽车股份有限公司", short_name="长城汽车", credit_code=make_credit_code(7001)
    )
    other = EnterpriseFactory(name="平湖光电科技有限公司", credit_code=make_credit_code(8002))
    return {
        "great_wall": great_wall,
        "other": other,
        "project": ProjectFactory(name="新能源整车项目", investor=great_wall),
        "other_project": ProjectFactory(name="光伏组件项目", investor=other),
        "visit": InvestmentVisitFactory(enterprise=great_wall, purpose="洽谈电池工厂", outcome="同意考察"),
        "other_visit": InvestmentVisitFactory(enterprise=other, purpose="回访"),
        "issue": EnterpriseIssueFactory(enterprise=great_wall, description="用电增容审批慢"),
        "leader": LeaderFactory(name="张长城", title="副市长"),
        "unit": UnitFactory(name="平湖市商务局"),
    }
