"""The unified social credit code validator (GB 32100-2015)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from chains.validators import credit_code_check_character, normalize_credit_code, validate_credit_code

# Codes of well-known firms, published on their own sites and in the national register.
REAL_CODES = [
    "914403001922038216",  # 华为技术有限公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "91110000100017643K",
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_accepted(code):
    validate_credit_code(code)
    assert credit_code_check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_wrong_check_character_is_refused(code):
    for wrong in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if wrong == code[17]:
            continue
        with pytest.raises(ValidationError) as caught:
            validate_credit_code(code[:17] + wrong)
        assert caught.value.code == "credit_code_check"


@pytest.mark.parametrize("code", ["", "9133010079965505", "91330100799655058", "91330100799655058BB"])
def test_wrong_lengths_are_refused(code):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert caught.value.code == "credit_code_length"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z", "a", "-", "中"])
def test_letters_outside_the_alphabet_are_refused(letter):
    code = "9133010079965505" + letter + "B"
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert caught.value.code == "credit_code_characters"
    assert letter in caught.value.messages[0]


def test_messages_are_chinese_by_default_and_english_on_request():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code("91330100799655058A")
    assert "校验码" in caught.value.messages[0] and "B" in caught.value.messages[0]
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            validate_credit_code("91330100799655058A")
        assert "check character" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(None, None), ("", None), ("   ", None), (" 91330100 799655058b ", "91330100799655058B")],
)
def test_normalisation(typed, stored):
    assert normalize_credit_code(typed) == stored
