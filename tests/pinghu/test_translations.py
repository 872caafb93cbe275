"""Chinese is the first language: every label is translated and the compiled catalogue is current."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django"
CJK = re.compile(r"[\u4e00-\u9fff]")
OUR_APPS = ["pinghu", "chains", "projects", "aftercare", "reports"]


def test_every_message_has_a_chinese_translation():
    catalogue = polib.pofile(f"{CATALOGUE}.po")
    assert not catalogue.untranslated_entries(), [entry.msgid for entry in catalogue.untranslated_entries()]
    assert not catalogue.fuzzy_entries(), [entry.msgid for entry in catalogue.fuzzy_entries()]


def test_compiled_catalogue_matches_the_source():
    catalogue = polib.pofile(f"{CATALOGUE}.po")
    with open(f"{CATALOGUE}.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert compiled._catalog.get(key) == entry.msgstr, f"{entry.msgid!r}: run `make messages`"


@pytest.mark.parametrize("app_label", OUR_APPS)
def test_model_and_field_labels_are_chinese(app_label):
    with translation.override("zh-hans"):
        for model in apps.get_app_config(app_label).get_models():
            if any(field.name == "m2m_history_id" for field in model._meta.fields):
                continue  # a history record's snapshot of links: an internal table, shown nowhere
            assert CJK.search(str(model._meta.verbose_name)), model
            assert CJK.search(str(model._meta.verbose_name_plural)), model
            for field in model._meta.get_fields():
                if field.auto_created or not hasattr(field, "verbose_name"):
                    continue
                # The audit trail's own columns (history_id, history_date, …) are named by
                # django-simple-history, in English; the tracked fields keep our labels.
                if field.name.startswith("history_") or field.name == "history_relation":
                    continue
                assert CJK.search(str(field.verbose_name)), f"{model.__name__}.{field.name}"
                for _value, label in getattr(field, "flatchoices", []):
                    assert CJK.search(str(label)), f"{model.__name__}.{field.name}: {label}"


def test_english_is_available():
    with translation.override("en"):
        from chains.models import Chain

        assert str(Chain._meta.verbose_name) == "industrial chain"
