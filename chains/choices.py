"""Choice lists of the chains app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChainKind(models.TextChoices):
    """重点发展产业链 (key) or 孵化型产业链 (incubating)."""

    KEY = "key", _("key chain")
    INCUBATING = "incubating", _("incubating chain")


class Segment(models.TextChoices):
    """Position of a chain-map node (产业链环节)."""

    UPSTREAM = "upstream", _("upstream")
    MIDSTREAM = "midstream", _("midstream")
    DOWNSTREAM = "downstream", _("downstream")


class LeadershipRole(models.TextChoices):
    """链长 or 副链长."""

    CHIEF = "chief", _("chain chief")
    DEPUTY = "deputy", _("deputy chain chief")


class Ownership(models.TextChoices):
    """Where an enterprise's capital comes from."""

    DOMESTIC = "domestic", _("domestic")
    FOREIGN = "foreign", _("foreign")
    HMT = "hmt", _("Hong Kong, Macao or Taiwan")


class SrdiLevel(models.TextChoices):
    """专精特新 level."""

    NONE = "none", _("none")
    PROVINCIAL = "provincial", _("provincial SRDI")
    NATIONAL = "national", _("national SRDI (little giant)")


class Town(models.TextChoices):
    """The towns, streets and the development zone of Pinghu (values are the official names)."""

    DANGHU = "当湖街道", _("Danghu Subdistrict")
    ZHONGDAI = "钟埭街道", _("Zhongdai Subdistrict")
    CAOQIAO = "曹桥街道", _("Caoqiao Subdistrict")
    XINDAI = "新埭镇", _("Xindai Town")
    XINCANG = "新仓镇", _("Xincang Town")
    GUANGCHEN = "广陈镇", _("Guangchen Town")
    LINDAI = "林埭镇", _("Lindai Town")
    DUSHANGANG = "独山港镇", _("Dushangang Town")
    ZHAPU = "乍浦镇", _("Zhapu Town")
    ETDZ = "平湖经济技术开发区", _("Pinghu Economic and Technological Development Zone")


class Grade(models.TextChoices):
    """Per-mu grade of a firm in a year (亩均评价等级)."""

    A = "A", _("grade A")
    B = "B", _("grade B")
    C = "C", _("grade C")
    D = "D", _("grade D")


# Grades whose land may be taken over by a replacement project (腾笼换鸟).
RENEWAL_GRADES = (Grade.C, Grade.D)
