"""Reference events loaded by ``manage.py seed_pinghu`` (facts from the article, quoted in ``sources``).

The 2023 conference signed 28 projects worth 122亿元, but the source names none of them: the
event is loaded with those announced totals (公布), and its derived totals stay at what is
actually recorded against it (系统内已登记).
"""

import datetime
from decimal import Decimal

Q_CONFERENCE = (
    "5月9日，平湖市举行2023年产业链高质量发展签约大会，集中签约项目28个，总投资122亿元，"
    "涵盖了新能源汽车、光电通信、生命健康、新材料等多个重点发展产业链。"
)

SIGNING_EVENTS = [
    {
        "name": "2023年平湖市产业链高质量发展签约大会",
        "date": datetime.date(2023, 5, 9),
        "location": "平湖市",
        "description": (
            "据报道，集中签约项目28个，总投资122亿元，涵盖新能源汽车、光电通信、生命健康、新材料等重点发展产业链。"
            "签约项目原文未列出名称，系统中未录入。"
        ),
        "announced_project_count": 28,
        "announced_investment": Decimal("1220000.00"),  # 122亿元 in 万元
        "sources": Q_CONFERENCE,
    },
]
