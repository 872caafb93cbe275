"""The corrections of the seeded facts reach a database an earlier release seeded, only where the bureau left them.

A database at chains 0006 / projects 0011 holding what the earlier seed wrote (some of it edited
by the bureau) is migrated to head and back.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("chains", "0006_enterprise_name_key"),
    ("projects", "0011_move_enterprise_services_to_aftercare"),
    ("aftercare", "0001_moved_from_projects"),  # its later migrations need later projects ones
    ("targets", None),  # the apps above aftercare: not yet there (their first migrations need later chains ones)
    ("reports", None),
]
OLD_DESCRIPTION = (
    "重点发展产业链，见《平湖市“强链壮群”加快构建现代产业体系的实施方案》（2023年3月）。"
    "所属集群为系统默认对应关系（原文未说明），可由经信局调整。"
    "产业链图谱为系统预置的常见环节（非原文内容），可由经信局增删调整。"
)
OLD_NIDEC_NOTES = (
    "落地平湖24年，成立16家子公司，主要零部件近50%在平湖当地采购；"
    "新能源汽车驱动电机产能120万台，到2025年将突破300万台。尼得科机床为高档数控机床龙头项目。"
)
TSUGAMI = "津上精密机床（浙江）有限公司"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    apps = {app for app, _name in executor.loader.graph.leaf_nodes()}
    targets = [(app, name) for app, name in targets if app in apps]  # "reports" only once it exists
    named = {app for app, _name in targets}
    targets = [*targets, *((app, name) for app, name in executor.loader.graph.leaf_nodes() if app not in named)]
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([(app, name) for app, name in targets if name is not None]).apps


def _head():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_apps(transactional_db):
    apps = _migrate(BEFORE)
    yield apps
    _migrate(_head())


def _old_seed(apps) -> None:
    """What the earlier seed wrote, in part; 长城汽车's notes and the CNC description were edited by the bureau."""
    get = apps.get_model
    cluster = get("chains", "Cluster").objects.create(code="equipment", name="高端装备", sort_order=2)
    nev = get("chains", "Chain").objects.create(
        cluster=cluster, code="nev", name="新能源汽车", kind="key", sort_order=2, description=OLD_DESCRIPTION
    )
    cnc = get("chains", "Chain").objects.create(
        cluster=cluster, code="cnc", name="高档数控机床", kind="key", sort_order=3, description="经信局改写的说明"
    )
    node = get("chains", "ChainNode").objects.create
    motors = node(chain=nev, name="驱动电机", segment="midstream")
    node(chain=nev, name="传统汽车零部件", segment="midstream")
    machines = node(chain=cnc, name="数控机床整机", segment="midstream")
    firm = get("chains", "Enterprise").objects.create
    nidec = firm(name="尼得科集团", ownership="foreign", country="日本", notes=OLD_NIDEC_NOTES)
    firm(name=TSUGAMI, ownership="foreign", country="日本", notes="旧的说明")
    firm(name="长城汽车", notes="经信局核实后改写", fortune500=True)
    firm(name="局里自己录入的企业")
    role = get("chains", "EnterpriseChainRole").objects.create
    role(enterprise=nidec, chain=nev, node=motors)
    role(enterprise=nidec, chain=cnc, node=machines)
    get("projects", "SigningEvent").objects.create(
        name="2023年平湖市产业链高质量发展签约大会", date=datetime.date(2023, 5, 9)
    )


def test_corrections_reach_an_old_database_where_unchanged_and_go_back(old_apps):
    _old_seed(old_apps)

    apps = _migrate(_head())
    Enterprise = apps.get_model("chains", "Enterprise")
    nidec = Enterprise.objects.get(name="尼得科集团")
    assert (nidec.country, nidec.fortune500, nidec.srdi_level, nidec.above_size) == ("", None, None, None)
    assert "120万台" not in nidec.notes and "落地平湖24年" in nidec.notes
    tsugami = Enterprise.objects.get(name=TSUGAMI)
    assert (tsugami.country, tsugami.above_size) == ("", True) and "推定" in tsugami.facts_source
    assert tsugami.notes == "旧的说明"  # not what the earlier seed wrote: the bureau's, kept
    great_wall = Enterprise.objects.get(name="长城汽车")
    assert (great_wall.notes, great_wall.fortune500) == ("经信局核实后改写", True)
    assert Enterprise.objects.get(name="局里自己录入的企业").fortune500 is False  # not seeded: not touched
    roles = apps.get_model("chains", "EnterpriseChainRole").objects.filter(enterprise=nidec)
    assert [(r.chain.code, r.node) for r in roles] == [("nev", None)]
    Chain = apps.get_model("chains", "Chain")
    assert "120万台产能" in Chain.objects.get(code="nev").description
    assert Chain.objects.get(code="cnc").description == "经信局改写的说明"
    ChainNode = apps.get_model("chains", "ChainNode")
    assert ChainNode.objects.get(name="传统汽车零部件").gap is False
    event = apps.get_model("projects", "SigningEvent").objects.get()
    assert (event.announced_project_count, event.announced_investment) == (28, Decimal("1220000.00"))
    keys = set(apps.get_model("chains", "SeededRow").objects.values_list("key", flat=True))
    assert {"chain:nev", "enterprise:长城汽车", "role:尼得科集团:cnc", "node:c3:丙烯"} <= keys
    assert "signing-event:2023-05-09:2023年平湖市产业链高质量发展签约大会" in keys

    apps = _migrate(BEFORE)
    Enterprise = apps.get_model("chains", "Enterprise")
    nidec = Enterprise.objects.get(name="尼得科集团")
    assert (nidec.country, nidec.notes, nidec.fortune500, nidec.srdi_level) == ("日本", OLD_NIDEC_NOTES, False, "none")
    assert Enterprise.objects.get(name=TSUGAMI).above_size is False
    roles = apps.get_model("chains", "EnterpriseChainRole").objects.filter(enterprise=nidec).order_by("chain__code")
    assert [(r.chain.code, r.node.name) for r in roles] == [("cnc", "数控机床整机"), ("nev", "驱动电机")]
    assert apps.get_model("chains", "Chain").objects.get(code="nev").description == OLD_DESCRIPTION


def test_a_new_database_is_left_to_the_seed(old_apps):
    apps = _migrate(_head())
    assert not apps.get_model("chains", "SeededRow").objects.exists()
