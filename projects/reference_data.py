"""Reference events loaded by ``manage.py seed_pinghu`` (facts from DOMAIN.md).

The 2023 conference signed 28 projects worth 122亿元, but the source names none of them, so
only the event is loaded: its derived totals stay at what is actually recorded against it.
"""

import datetime

SIGNING_EVENTS = [
    {
        "name": "2023年平湖市产业链高质量发展签约大会",
        "date": datetime.date(2023, 5, 9),
        "location": "平湖市",
        "description": (
            "据报道，集中签约项目28个，总投资122亿元，涵盖新能源汽车、光电通信、生命健康、新材料等重点发展产业链。"
            "签约项目原文未列出名称，系统中未录入。"
        ),
    },
]
