"""Dump what the site's search finds, to compare two versions of it on the same database copy.

For each pattern and each type of ``/search/``: the ids of ``search_first(…, 51)`` in order, and the count and a
hash of all the ids ``search`` finds. Run it on copies of one database with each version and ``diff`` the outputs
(used for the patterns of one or two characters, ``pinghu.search_short``: docs/benchmarks.md).

    PINGHU_BENCH_DB=<copy> .venv/bin/python bench/search_rows.py > rows.txt
"""

import hashlib

from _setup import setup_django

PATTERNS = """
汽车 企 qy 鑫淼 鑫 zx 演 演示 项目 零部件 新能源 （ （C C3 c3 c C Q q y 0 01 12 123 9 91 9133
91330482 企业0 ysqy yanshi xm XM Xm ys yx gs ab 有限 公司 司 据 数据 合作 访： ： 长城 商务 局 办
zzzqqq 项目012345 xiangmu012345 xm012345 qiye000777 电子 膜 ） 材料 a v nv ü
""".split()  # none holds a space


def main() -> None:
    setup_django()
    from pinghu.search import search, search_first
    from search.selectors import KINDS

    for q in PATTERNS:
        for kind in KINDS:
            queryset = kind.queryset()
            first = [row.pk for row in search_first(queryset, q, 51)]
            ids = sorted(search(queryset.model._default_manager.all(), q).values_list("pk", flat=True))
            digest = hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()[:12]
            print(f"{q}\t{kind.key}\t{len(ids)}\t{digest}\t{first}")


if __name__ == "__main__":
    main()
