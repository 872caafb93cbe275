"""Fill locale/en/LC_MESSAGES/django.po: English for the msgids carrying a Chinese term, so English pages read English.

Run after ``makemessages -l en`` (``make messages`` does): an entry that already has its English is kept;
a new one gets the msgid with its Chinese glossary in parentheses dropped and the units spelled the
site's way (10k CNY, 10k USD, 100M CNY, mu), then the terms below. What is left with Chinese is
listed: write its English by hand, or mark it with the translator comment "keeps Chinese: …" when
the Chinese is a value people type (import columns, examples of names).
"""

import re
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
KEEPS_CHINESE = "keeps Chinese"

# Longest first: a term inside a longer one is replaced after it.
TERMS = {
    "有限公司/有限责任公司": 'company form ("Co., Ltd." or "LLC")',
    "10亿元以上": "1 billion CNY and above",
    "亿元以上": "100M CNY and above",
    "总投资超亿美元": "over US$100 million",
    "商务局外资统计": "the commerce bureau's foreign-investment statistics",
    "企业银行流水": "the firm's bank statements",
    "国际行业龙头": "International industry leader",
    "到位项目数": "Projects with funds in place",
    "周六对接项目": "Saturday projects engaged",
    "一把手人次": "Top-official person-times",
    "签约项目数": "Signed projects",
    "千名干部助千企": "Cadres paired with firms",
    "招商局工作群": "the investment bureau's work group",
    "腾笼换鸟": "land renewal",
    "内资到位": "Domestic funds in place",
    "实际外资": "Actual foreign investment",
    "合同外资": "Contracted foreign investment",
    "副市长": "vice mayor",
    "浙政钉": "Zhezhengding",
    "落地率": "Registration rate",
    "开工率": "Start rate",
    "投产率": "Production rate",
    "达产率": "Capacity rate",
    "到位率": "Funds in place rate",
    "补链": '"Gap to recruit for"',
    "已供": "supplied",
    "万美元": "10k USD",
    "万元": "10k CNY",
    "亿元": "100M CNY",
}
UNITS = {"万元", "万美元", "亿元", "亩"}
GLOSS = re.compile(r"\s*\((?:[^()]*?)[\u3400-\u9fff][^()]*\)")


def english(msgid: str) -> str:
    def drop_gloss(match: re.Match) -> str:
        latin = CHINESE.sub("", match.group(0))
        unit_only = match.group(0).strip(" ()") in UNITS
        return match.group(0) if unit_only or re.search(r"[A-Za-z]{3,}", latin) else ""

    text = GLOSS.sub(drop_gloss, msgid)
    for term, word in TERMS.items():
        text = text.replace(term, word)
    text = re.sub(r"(?<![A-Za-z])亩", "mu", text)
    return text.replace("E.g. vice mayor (vice mayor).", "E.g. vice mayor.")


def main() -> int:
    catalogue = polib.pofile(str(CATALOGUE))
    left = []
    for entry in catalogue:
        if entry.obsolete or not CHINESE.search(entry.msgid):
            continue
        if not entry.msgstr and not entry.msgstr_plural:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: english(entry.msgid), 1: english(entry.msgid_plural)}
            else:
                entry.msgstr = english(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        if any(CHINESE.search(text) for text in texts) and KEEPS_CHINESE not in (entry.tcomment or ""):
            left.append(entry.msgid)
    catalogue.save()
    for msgid in left:
        print("still Chinese:", msgid)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
