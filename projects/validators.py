"""Validators of project identifiers: the national fixed-asset investment project code (项目代码).

The code is issued by the online approval and supervision platform (全国投资项目在线审批监管平台) and
printed with hyphens in five groups of 4-6-2-2-6 digits (24 characters). Two generations are in use:

- GB/T 40058-2021 (the 2020 project code rules, in Zhejiang from November 2020): time code (赋码年月,
  YYMM), area code (6-digit administrative division), central department code (中央业务指导部门代码,
  2 digits), project type code (2 digits), then a random code and a check character (6 characters).
  The check character's algorithm is the standard's section 4.7, which we could not read in full: it is
  not verified here (docs/data-model.md says so).
- the older codes (2017 rules) that existing projects carry: the year (YYYY, 2015-2020), area code,
  industry code (2 digits), project type code (2 digits), serial number (6 digits).

A project in Pinghu is coded by Zhejiang's platform: its area code must be a Zhejiang one (33xxxx),
normally Pinghu's 330482, or Jiaxing's or the province's when the project was filed at that level.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PROJECT_CODE_PATTERN = re.compile(r"^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})$")
PROJECT_CODE_LENGTH = 24
PINGHU_AREA_CODE = "330482"
# Zhejiang's area codes begin with 33 (GB/T 2260).
PROJECT_CODE_PROVINCE = "33"
# The older codes began with the year; the online platform issued them from 2015 to the switch in 2020.
OLD_CODE_YEARS = range(2015, 2021)
# GB/T 40058-2021 codes begin with YYMM; Zhejiang switched in November 2020.
NEW_CODE_SINCE = datetime.date(2020, 11, 1)


def normalize_project_code(value: str | None) -> str:
    """Strip spaces, turn full-width hyphens and dashes into "-"; an empty value becomes ""."""
    if not value:
        return ""
    value = "".join(str(value).split())
    for dash in ("－", "—", "–", "‐"):
        value = value.replace(dash, "-")
    return value


def _time_code_valid(time_code: str) -> bool:
    """The first group: a year of the older codes, or the YYMM of a GB/T 40058-2021 code."""
    if int(time_code) in OLD_CODE_YEARS:
        return True
    year, month = int(time_code[:2]), int(time_code[2:])
    return 1 <= month <= 12 and datetime.date(2000 + year, month, 1) >= NEW_CODE_SINCE


def validate_project_code(value: str) -> None:
    """Reject anything but a well-formed Zhejiang project code of either generation."""
    match = PROJECT_CODE_PATTERN.match(value)
    if not match:
        raise ValidationError(
            _(
                "A project code has 24 characters, five groups of 4-6-2-2-6 digits joined by hyphens "
                "(e.g. 2104-330482-04-01-123456); this one is %(value)s."
            ),
            code="project_code_format",
            params={"value": value},
        )
    time_code, area = match.group(1), match.group(2)
    if not _time_code_valid(time_code):
        raise ValidationError(
            _(
                "The first group of a project code is the year (2015-2020, older codes) or the year and month "
                "(YYMM, from 2011, i.e. November 2020) it was issued; %(time_code)s is neither."
            ),
            code="project_code_time",
            params={"time_code": time_code},
        )
    if not area.startswith(PROJECT_CODE_PROVINCE):
        raise ValidationError(
            _(
                "The second group of a project code is the area code; a project in Pinghu carries a Zhejiang "
                "one (33xxxx, normally 330482), not %(area)s."
            ),
            code="project_code_area",
            params={"area": area},
        )
