"""The search key builder (``pinghu.search.pinyin_key``) and the query's forms."""

import pytest

from pinghu.search import Query, pinyin_key


@pytest.mark.parametrize(
    ("texts", "key"),
    [
        (["长城汽车"], "changchengqiche ccqc"),
        (["长城汽车股份有限公司"], "changchengqichegufenyouxiangongsi ccqcgfyxgs"),
        # Polyphonic characters read as the phrase dictionary says: 重庆 chongqing, 银行 yinhang, 长沙 changsha.
        (["重庆银行"], "chongqingyinhang cqyh"),
        (["长沙"], "changsha cs"),
        # Latin letters and digits stand for themselves; punctuation and spaces go.
        (["Tesla（上海）有限公司"], "teslashanghaiyouxiangongsi teslashyxgs"),
        (["演示企业000001有限公司"], "yanshiqiye000001youxiangongsi ysqy000001yxgs"),
        # Several texts (and lines): words of their own, so a match never spans two names.
        (["长城", "", "平湖\n嘉兴"], "changcheng cc pinghu ph jiaxing jx"),
        ([""], ""),
        (["（）！"], ""),
    ],
)
def test_pinyin_key(texts, key):
    assert pinyin_key(*texts) == key


def test_query_forms():
    query = Query.parse("  Chang   Cheng ")
    assert (query.raw, query.pinyin, query.code) == ("Chang Cheng", "changcheng", "")
    assert Query.parse("9133 0482").code == "91330482"
    assert Query.parse("长城").pinyin == ""
    assert not Query.parse("   ")
    assert len(Query.parse("长" * 500).raw) == 64
