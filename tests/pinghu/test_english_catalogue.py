"""English reads English: a msgid with a Chinese term has its English in locale/en (scripts/english_catalogue.py)."""

import gettext
import re
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

from pinghu import figures, text

ROOT = Path(settings.BASE_DIR) / "locale"
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def test_every_msgid_with_chinese_has_english_in_the_english_catalogue():
    chinese_msgids = {
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(str(ROOT / "zh_Hans" / "LC_MESSAGES" / "django.po"))
        if CHINESE.search(entry.msgid)
    }
    english = {
        (entry.msgctxt, entry.msgid): entry for entry in polib.pofile(str(ROOT / "en" / "LC_MESSAGES" / "django.po"))
    }
    missing = []
    for key in sorted(chinese_msgids, key=str):
        entry = english.get(key)
        if entry is None or not entry.msgstr:
            missing.append(key[1])
        elif CHINESE.search(entry.msgstr) and "keeps Chinese" not in (entry.tcomment or ""):
            missing.append(key[1])
    assert not missing, "run `make messages` and write the English: " + repr(missing)


def test_the_english_catalogue_is_compiled():
    catalogue = polib.pofile(str(ROOT / "en" / "LC_MESSAGES" / "django.po"))
    with open(ROOT / "en" / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue.translated_entries():
        if not entry.msgid_plural:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            assert compiled._catalog.get(key) == entry.msgstr, f"{entry.msgid!r}: run `make messages`"


def test_punctuation_and_units_follow_the_language():
    with translation.override("en"):
        assert text.join_list(["A", "B"]) == "A, B"
        assert text.with_note("Wang", "vice mayor") == "Wang (vice mayor)"
        assert str(figures.UNITS["wan"]) == "10k CNY"
        assert translation.gettext("Start rate (开工率)") == "Start rate"
    with translation.override("zh-hans"):
        assert text.join_list(["甲", "乙"]) == "甲、乙"
        assert text.with_note("王伟", "副市长") == "王伟（副市长）"
        assert text.mark("colon") == "："
        assert str(figures.UNITS["usd"]) == "万美元"
