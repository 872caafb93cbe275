"""The industry structure of Pinghu: 四群八链 and who leads and anchors each chain."""

from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.models import TimeStampedModel

from .choices import ChainKind, LeadershipRole, Ownership, Segment, SrdiLevel, Town
from .validators import CREDIT_CODE_LENGTH, normalize_credit_code, validate_credit_code


class Cluster(TimeStampedModel):
    """An industry cluster (产业集群), one of the four groups of related chains."""

    code = models.SlugField(_("code"), max_length=32, unique=True, help_text=_("Short URL-safe identifier, e.g. it."))
    name = models.CharField(_("name"), max_length=64, unique=True)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("industry cluster")
        verbose_name_plural = _("industry clusters")

    def __str__(self) -> str:
        return self.name


class Chain(TimeStampedModel):
    """One of the eight industrial chains (产业链), with its own policy (一链一策)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="chains", verbose_name=_("cluster"))
    code = models.SlugField(
        _("code"), max_length=32, unique=True, help_text=_("Short URL-safe identifier used in links, e.g. nev.")
    )
    name = models.CharField(_("name"), max_length=64, unique=True)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ChainKind.choices)
    policy = models.TextField(_("policy (one chain, one policy)"), blank=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("industrial chain")
        verbose_name_plural = _("industrial chains")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChainKind.values),
                name="chains_chain_kind_valid",
                violation_error_message=_("Kind must be key chain or incubating chain."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ChainNode(TimeStampedModel):
    """A segment of a chain's map (产业链环节); nodes nest under a parent of the same chain."""

    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="nodes", verbose_name=_("chain"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent node"),
        help_text=_("Leave empty for a top-level segment. Must belong to the same chain."),
    )
    name = models.CharField(_("name"), max_length=64)
    segment = models.CharField(_("segment"), max_length=16, choices=Segment.choices)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["chain", "sort_order", "name"]
        verbose_name = _("chain node")
        verbose_name_plural = _("chain nodes")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "name"],
                name="chains_chainnode_unique_name_per_chain",
                violation_error_message=_("This chain already has a node with this name."),
            ),
            models.CheckConstraint(
                condition=Q(segment__in=Segment.values),
                name="chains_chainnode_segment_valid",
                violation_error_message=_("Segment must be upstream, midstream or downstream."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="chains_chainnode_not_own_parent",
                violation_error_message=_("A node cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chain} / {self.name}" if self.chain_id else self.name

    def clean(self) -> None:
        """The parent must be in the same chain, and the tree must not loop."""
        super().clean()
        if self.parent_id is None or self.chain_id is None:
            return
        if self.parent.chain_id != self.chain_id:
            raise ValidationError(
                {
                    "parent": ValidationError(
                        _("The parent node belongs to chain %(other)s, not to %(chain)s."),
                        code="parent_other_chain",
                        params={"other": self.parent.chain, "chain": self.chain},
                    )
                }
            )
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A node cannot be placed under itself or one of its descendants.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Leader(TimeStampedModel):
    """A city leader or unit head who may head a chain or take part in visits."""

    name = models.CharField(_("name"), max_length=32)
    title = models.CharField(_("title"), max_length=64, blank=True, help_text=_("E.g. 副市长 (vice mayor)."))
    unit = models.CharField(_("unit"), max_length=128, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leader",
        verbose_name=_("login user"),
        help_text=_("The account this leader signs in with, if any."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "unit"]
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "unit"],
                name="chains_leader_unique_name_unit",
                violation_error_message=_("A leader with this name already exists in this unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name


class ChainLeadershipQuerySet(models.QuerySet):
    def current(self) -> "ChainLeadershipQuerySet":
        """Appointments that have not ended (no end date)."""
        return self.filter(end_date__isnull=True)


class ChainLeadership(TimeStampedModel):
    """A leader's appointment as 链长 or 副链长 of a chain; an empty end date means current."""

    leader = models.ForeignKey(Leader, on_delete=models.PROTECT, related_name="leaderships", verbose_name=_("leader"))
    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="leaderships", verbose_name=_("chain"))
    role = models.CharField(_("role"), max_length=16, choices=LeadershipRole.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Leave empty while current."))

    objects = ChainLeadershipQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["chain", "role", "-start_date"]
        verbose_name = _("chain leadership")
        verbose_name_plural = _("chain leaderships")
        constraints = [
            models.UniqueConstraint(
                fields=["chain"],
                condition=Q(role=LeadershipRole.CHIEF, end_date__isnull=True),
                name="chains_chainleadership_one_current_chief",
                violation_error_message=_(
                    "This chain already has a current chain chief (role chain chief with no end date); "
                    "give that appointment an end date first."
                ),
            ),
            models.UniqueConstraint(
                fields=["leader", "chain"],
                condition=Q(end_date__isnull=True),
                name="chains_chainleadership_one_current_role_per_leader",
                violation_error_message=_("This leader already holds a current role in this chain."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="chains_chainleadership_end_after_start",
                violation_error_message=_("End date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=LeadershipRole.values),
                name="chains_chainleadership_role_valid",
                violation_error_message=_("Role must be chain chief or deputy chain chief."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chain} · {self.get_role_display()} · {self.leader}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Enterprise(TimeStampedModel):
    """A firm in or outside Pinghu: a chain member, a lead firm or an investment target."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=CREDIT_CODE_LENGTH,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 characters (GB 32100-2015). Leave empty for firms registered outside mainland China."),
    )
    ownership = models.CharField(
        _("ownership"), max_length=16, choices=Ownership.choices, blank=True, help_text=_("Leave empty if unknown.")
    )
    country = models.CharField(_("country or region"), max_length=64, blank=True)
    fortune500 = models.BooleanField(_("Fortune Global 500"), default=False)
    srdi_level = models.CharField(
        _("SRDI (专精特新) level"), max_length=16, choices=SrdiLevel.choices, default=SrdiLevel.NONE
    )
    above_size = models.BooleanField(
        _("above designated size"),
        default=False,
        help_text=_("Industrial firm with annual revenue of 20 million yuan or more."),
    )
    in_pinghu = models.BooleanField(_("located in Pinghu"), default=True)
    town = models.CharField(
        _("town"), max_length=16, choices=Town.choices, blank=True, help_text=_("Only for firms located in Pinghu.")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["updated_at"], name="chains_enterprise_updated_idx")]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_code__isnull=True)
                | (Q(Exact(Length("credit_code"), CREDIT_CODE_LENGTH)) & Q(credit_code=Upper("credit_code"))),
                name="chains_enterprise_credit_code_shape",
                violation_error_message=_("The unified social credit code must be 18 upper-case characters."),
            ),
            models.CheckConstraint(
                condition=Q(ownership__in=[*Ownership.values, ""]),
                name="chains_enterprise_ownership_valid",
                violation_error_message=_("Ownership must be domestic, foreign or Hong Kong/Macao/Taiwan."),
            ),
            models.CheckConstraint(
                condition=Q(srdi_level__in=SrdiLevel.values),
                name="chains_enterprise_srdi_level_valid",
                violation_error_message=_("SRDI level must be none, provincial or national."),
            ),
            models.CheckConstraint(
                condition=Q(town__in=[*Town.values, ""]),
                name="chains_enterprise_town_valid",
                violation_error_message=_("Town must be one of the towns of Pinghu."),
            ),
            models.CheckConstraint(
                condition=Q(in_pinghu=True) | Q(town=""),
                name="chains_enterprise_town_only_in_pinghu",
                violation_error_message=_("Town can only be set for a firm located in Pinghu."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Store credit codes in one form (upper case, no spaces; empty means none)."""
        super().clean()
        self.credit_code = normalize_credit_code(self.credit_code)
        if not self.in_pinghu and self.town:
            raise ValidationError({"town": _("Town can only be set for a firm located in Pinghu.")})

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the field validators run, so "9133 0100…" typed with spaces or in
        # lower case is checked (and stored) as the canonical code.
        self.credit_code = normalize_credit_code(self.credit_code)
        super().clean_fields(exclude=exclude)


class EnterpriseChainRole(TimeStampedModel):
    """An enterprise's place in a chain: which node, and whether it is the 链主 (lead firm)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="chain_roles", verbose_name=_("enterprise")
    )
    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="enterprise_roles", verbose_name=_("chain"))
    node = models.ForeignKey(
        ChainNode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprise_roles",
        verbose_name=_("chain node"),
        help_text=_("Optional; must be a node of the same chain."),
    )
    is_lead = models.BooleanField(_("lead enterprise (链主)"), default=False)
    since = models.DateField(_("since"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["chain", "-is_lead", "enterprise__name"]
        verbose_name = _("enterprise chain role")
        verbose_name_plural = _("enterprise chain roles")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "chain"],
                name="chains_enterprisechainrole_unique_enterprise_chain",
                violation_error_message=_("This enterprise already has a role in this chain."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.chain}"

    def clean(self) -> None:
        """The node, when given, must belong to the role's chain."""
        super().clean()
        if self.node_id is not None and self.chain_id is not None and self.node.chain_id != self.chain_id:
            raise ValidationError(
                {
                    "node": ValidationError(
                        _("The node belongs to chain %(other)s, not to %(chain)s."),
                        code="node_other_chain",
                        params={"other": self.node.chain, "chain": self.chain},
                    )
                }
            )


# ---------------------------------------------------------------- per-mu evaluation (亩均论英雄)

# Years a per-mu evaluation may cover: Zhejiang's evaluations began in the 2000s; the upper bound
# only keeps typing errors out.
METRIC_YEAR_MIN = 2000
METRIC_YEAR_MAX = 2100


def _metric_amount(verbose_name, *, null: bool = False, help_text="") -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=null,
        blank=null,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=help_text,
    )


def _year_field(help_text) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(METRIC_YEAR_MIN), MaxValueValidator(METRIC_YEAR_MAX)],
        help_text=help_text,
    )


class EnterpriseAnnualMetric(TimeStampedModel):
    """One enterprise's figures for one year, the input of the per-mu evaluation (亩均论英雄).

    Amounts in 万元, land in 亩, energy in tonnes of standard coal (吨标准煤). Tax per mu, output per
    mu, energy per output, the grade and the rank are derived in the database (``chains.stats``).
    """

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="annual_metrics", verbose_name=_("enterprise")
    )
    year = _year_field(_("The evaluation year the figures cover."))
    land_area = models.DecimalField(
        _("land (mu)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Land used, in 亩 (1 mu ≈ 666.7 m²); must be more than zero."),
    )
    tax_paid = _metric_amount(_("tax paid (10k CNY)"), help_text=_("Taxes actually paid in the year, in 万元."))
    industrial_output = _metric_amount(_("industrial output (10k CNY)"))
    revenue = _metric_amount(_("revenue (10k CNY)"))
    energy_use = _metric_amount(
        _("energy use (tonnes of standard coal)"), null=True, help_text=_("Leave empty if not reported.")
    )
    employees = models.IntegerField(_("employees"), validators=[MinValueValidator(0)])
    rd_spending = _metric_amount(_("R&D spending (10k CNY)"), null=True, help_text=_("Leave empty if not reported."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "enterprise__name"]
        indexes = [models.Index(fields=["year"], name="chains_metric_year_idx")]
        verbose_name = _("enterprise annual metric")
        verbose_name_plural = _("enterprise annual metrics")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="chains_enterpriseannualmetric_unique_enterprise_year",
                violation_error_message=_("This enterprise already has figures for this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=METRIC_YEAR_MIN, year__lte=METRIC_YEAR_MAX),
                name="chains_enterpriseannualmetric_year_range",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(land_area__gt=0),
                name="chains_enterpriseannualmetric_land_positive",
                violation_error_message=_("Land must be more than zero mu."),
            ),
            models.CheckConstraint(
                condition=Q(tax_paid__gte=0, industrial_output__gte=0, revenue__gte=0),
                name="chains_enterpriseannualmetric_amounts_not_negative",
                violation_error_message=_("Tax, output and revenue cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(Q(energy_use__isnull=True) | Q(energy_use__gte=0))
                & (Q(rd_spending__isnull=True) | Q(rd_spending__gte=0)),
                name="chains_enterpriseannualmetric_optional_amounts_not_negative",
                violation_error_message=_("Energy use and R&D spending cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(employees__gte=0),
                name="chains_enterpriseannualmetric_employees_not_negative",
                violation_error_message=_("Employees cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.year}" if self.enterprise_id else str(self.year)

    def clean(self) -> None:
        """Figures are for a year that has begun (in Asia/Shanghai); the database holds the wider range."""
        super().clean()
        if self.year is not None and self.year > timezone.localdate().year:
            raise ValidationError({"year": _("The year cannot be in the future.")})


class GradeThresholds(NamedTuple):
    """Tax per mu (万元/亩) a firm needs at least for grade A, B and C; below C is grade D."""

    a: Decimal
    b: Decimal
    c: Decimal


# The scheme used for a year without a PerMuGradeScheme row. A product choice, not a figure from the
# article or an official document: round steps of tax per mu for a county-level industrial city, to
# be replaced by the bureau's own thresholds for each year (admin, "per-mu grade schemes").
DEFAULT_GRADE_THRESHOLDS = GradeThresholds(a=Decimal("30.00"), b=Decimal("15.00"), c=Decimal("5.00"))


class PerMuGradeScheme(TimeStampedModel):
    """The per-mu grade thresholds of one evaluation year, kept by the bureau.

    A firm's grade is A when its tax per mu is at least ``tax_per_mu_a``, else B when at least
    ``tax_per_mu_b``, else C when at least ``tax_per_mu_c``, else D. A year without a row is
    graded by ``DEFAULT_GRADE_THRESHOLDS``.
    """

    year = _year_field(_("The evaluation year these thresholds grade."))
    tax_per_mu_a = models.DecimalField(
        _("grade A from tax per mu (10k CNY/mu)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    tax_per_mu_b = models.DecimalField(
        _("grade B from tax per mu (10k CNY/mu)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    tax_per_mu_c = models.DecimalField(
        _("grade C from tax per mu (10k CNY/mu)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Below this, grade D."),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("E.g. the document the thresholds come from."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("per-mu grade scheme")
        verbose_name_plural = _("per-mu grade schemes")
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                name="chains_permugradescheme_unique_year",
                violation_error_message=_("This year already has a grade scheme."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=METRIC_YEAR_MIN, year__lte=METRIC_YEAR_MAX),
                name="chains_permugradescheme_year_range",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(tax_per_mu_a__gte=F("tax_per_mu_b"))
                & Q(tax_per_mu_b__gte=F("tax_per_mu_c"))
                & Q(tax_per_mu_c__gte=0),
                name="chains_permugradescheme_thresholds_ordered",
                violation_error_message=_("Thresholds must satisfy A ≥ B ≥ C ≥ 0."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def thresholds(self) -> GradeThresholds:
        return GradeThresholds(self.tax_per_mu_a, self.tax_per_mu_b, self.tax_per_mu_c)
