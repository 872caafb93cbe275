"""The list pages' filter forms in plain words (pinghu.filter_ui): labels, pickers, the firm search box, pages."""

import pytest
from django.utils import translation

from pinghu.permissions import Role
from projects.filters import InvestmentVisitFilterSet, ProjectFilterSet
from tests.factories import ChainFactory, EnterpriseFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(client):
    user = UserFactory(username="official", roles=[Role.OFFICIAL])
    client.force_login(user)
    return user


def labels(page: str) -> str:
    form = page[page.index('id="filter-form"') : page.index("</form>", page.index('id="filter-form"'))]
    return form


def test_the_project_filters_speak_plain_words_with_pickers(client, official):
    chain = ChainFactory(code="nev", name="新能源汽车")
    form = labels(client.get("/projects/").content.decode())
    for api_words in ("（代码）", "（id）", "可重复", "(code)", "(id)", "ISO 8601"):
        assert api_words not in form
    assert '<label class="form-label small" for="id_chain">产业链</label>' in form
    assert f'<option value="{chain.code}">新能源汽车</option>' in form  # chosen by name, sent as its code
    assert '<label class="form-label small" for="id_investor">投资方</label>' in form
    assert 'list="investor-options" data-suggest="/enterprises/suggest/"' in form  # a search box, not a select
    assert '<legend class="form-label small fs-6 mb-1">阶段</legend>' in form
    assert 'type="checkbox" name="stage" value="signed"' in form
    assert 'type="date" name="signed_from"' in form


def test_the_visit_filters_speak_plain_words(client, official):
    form = labels(client.get("/visits/").content.decode())
    assert "（id）" not in form and "（代码）" not in form
    assert '<label class="form-label small" for="id_leader">领导</label>' in form
    assert '<label class="form-label small" for="id_enterprise">企业</label>' in form


def test_the_api_keeps_its_parameter_descriptions():
    with translation.override("en"):
        assert str(ProjectFilterSet.base_filters["investor"].label) == "investor (id)"
        assert str(ProjectFilterSet.base_filters["chain"].label) == "chain (code)"
        assert str(ProjectFilterSet.base_filters["stage"].label) == "stage (repeat for several)"
        assert str(InvestmentVisitFilterSet.base_filters["leader"].label) == "leader (id)"


def test_a_firm_is_found_by_its_name_or_its_id_and_shown_by_name(client, official):
    wanted = EnterpriseFactory(name="长城汽车股份有限公司")
    ProjectFactory(name="整车项目", investor=wanted)
    ProjectFactory(name="别的项目")
    by_name = client.get("/projects/", {"investor": "长城汽车股份有限公司"})
    assert [project.name for project in by_name.context["page"]] == ["整车项目"]
    by_id = client.get("/projects/", {"investor": wanted.pk})
    assert [project.name for project in by_id.context["page"]] == ["整车项目"]
    assert 'value="长城汽车股份有限公司"' in labels(by_id.content.decode())  # a drill-down's id shown as the name
    unknown = client.get("/projects/", {"investor": "没有这家公司"})
    assert list(unknown.context["page"]) == []
    assert "没有名为“没有这家公司”的记录：请从提示列表中选择名称。" in unknown.content.decode()


def test_selected_filters_survive_pagination(client, official):
    chain = ChainFactory(code="nev")
    ProjectFactory.create_batch(51, chain=chain)
    ProjectFactory()  # another chain's
    page = client.get("/projects/", {"chain": "nev", "stage": ["lead", "negotiating"]}).content.decode()
    assert 'href="?chain=nev&amp;stage=lead&amp;stage=negotiating&page=2"' in page
    second = client.get("/projects/", {"chain": "nev", "stage": ["lead", "negotiating"], "page": 2})
    assert second.context["count"] == 51 and len(second.context["page"]) == 1
    form = labels(second.content.decode())
    assert 'value="lead" id="id_stage_0" checked' in form
    assert '<option value="nev" selected>' in form


def test_firm_suggestions_for_the_search_box(client, official, django_assert_max_num_queries):
    EnterpriseFactory(name="长城汽车股份有限公司")
    EnterpriseFactory(name="长城精工有限公司")
    EnterpriseFactory(name="尼得科机床有限公司")
    with django_assert_max_num_queries(5):
        answer = client.get("/enterprises/suggest/", {"q": "长城"}).json()
    assert [firm["name"] for firm in answer] == ["长城汽车股份有限公司", "长城精工有限公司"]
    assert client.get("/enterprises/suggest/", {"q": ""}).json() == []
    for number in range(25):
        EnterpriseFactory(name=f"长城配套{number:02d}有限公司")
    with django_assert_max_num_queries(5):
        many = client.get("/enterprises/suggest/", {"q": "长城"}).json()
    assert len(many) == 20  # at most twenty, whatever matches


@pytest.mark.parametrize("role", Role.ALL)
def test_firm_suggestions_need_a_login_and_the_right_to_read_firms(client, role):
    assert client.get("/enterprises/suggest/", {"q": "长城"}).status_code == 302
    user = UserFactory(roles=[role])
    client.force_login(user)
    expected = 200 if user.has_perm("chains.view_enterprise") else 403
    assert client.get("/enterprises/suggest/", {"q": "长城"}).status_code == expected
