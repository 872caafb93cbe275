"""Enterprises and their roles on the chains (链主, key firm, …), matched by credit code or normalised name."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.models import TimeStampedModel
from pinghu.search import SearchKeyMixin, SearchKeyQuerySet, SearchSpec, search_key_field

from ..choices import Ownership, SrdiLevel, Town
from ..names import firm_name_key, firm_name_variant_key, near_name_hint, same_credit_code_hint, same_key_hint
from ..validators import CREDIT_CODE_LENGTH, normalize_credit_code, validate_credit_code
from .structure import Chain, ChainNode


class Enterprise(SearchKeyMixin, TimeStampedModel):
    """A firm in or outside Pinghu: a chain member, a lead firm or an investment target."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    name_key = models.CharField(
        _("name for matching"),
        max_length=128,
        # A database default, so that a writer that does not know the column (an older release
        # during a rolling upgrade, a raw INSERT) is not refused; save() sets the real key.
        db_default="",
        editable=False,
        db_index=True,
        help_text=_("The name normalised (full-width folded, spaces removed, case folded): how typed names find it."),
    )
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    former_names = models.TextField(
        _("former names"),
        blank=True,
        help_text=_("One a line; a renamed firm's earlier name is added when the new one is saved. Found by search."),
    )
    search_key = search_key_field()
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
    country = models.CharField(
        _("country or region"),
        max_length=64,
        blank=True,
        help_text=_("Of the investor, for a foreign-funded firm. Leave empty if unknown."),
    )
    # Unknown is not "no": None means the register does not know (shown as 未知/unknown, counted apart).
    fortune500 = models.BooleanField(
        _("Fortune Global 500"), null=True, blank=True, default=None, help_text=_("Leave empty if unknown.")
    )
    # Bands and levels (issue 16): an international industry leader (国际行业龙头) counts like a Fortune 500
    # firm in the major-project rule (projects.bands); unknown (None) never makes a project major.
    industry_leader = models.BooleanField(
        _("international industry leader"),
        null=True,
        blank=True,
        default=None,
        help_text=_("国际行业龙头. Leave empty if unknown."),
    )
    # NULL, as for the yes/no facts, is unknown (the API's null); "" is not a level.
    srdi_level = models.CharField(  # noqa: DJ001
        _("SRDI (专精特新) level"),
        max_length=16,
        choices=SrdiLevel.choices,
        null=True,
        blank=True,
        default=None,
        help_text=_("Leave empty if unknown; “none” means known not to be an SRDI firm."),
    )
    above_size = models.BooleanField(
        _("above designated size"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Industrial firm with annual revenue of 20 million yuan or more. Leave empty if unknown."),
    )
    in_pinghu = models.BooleanField(_("located in Pinghu"), default=True)
    town = models.CharField(
        _("town"), max_length=16, choices=Town.choices, blank=True, help_text=_("Only for firms located in Pinghu.")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    facts_source = models.TextField(
        _("source of the facts"),
        blank=True,
        help_text=_(
            "Where the profile's facts come from, and which values were derived by a rule or taken from "
            "outside knowledge rather than stated by the source."
        ),
    )

    objects = SearchKeyQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_key"])

    # Set by a caller (the admin's tick) when a name whose other company form (有限公司/有限责任公司)
    # is recorded really is another firm; clean() refuses such a name otherwise.
    near_name_confirmed = False
    search_spec = SearchSpec(
        text=("name", "short_name", "former_names"),
        chars=True,
        key="search_key",
        key_sources=("name", "short_name", "former_names"),
        prefix=("credit_code",),
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["updated_at"], name="chains_enterprise_updated_idx"),
            # The major-project rule (projects.bands) asks "investor in the firms flagged Fortune 500 or
            # industry leader" in every signed-figure query: a few per cent of the firms. Without this the
            # planner scans the whole firm table once per query and per parallel worker (issue 22).
            models.Index(
                fields=["id"],
                condition=Q(fortune500=True) | Q(industry_leader=True),
                name="chains_enterprise_major_idx",
            ),
        ]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        permissions = [("merge_enterprise", _("Can merge duplicate enterprises"))]
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
                condition=Q(srdi_level__isnull=True) | Q(srdi_level__in=SrdiLevel.values),
                name="chains_enterprise_srdi_level_valid",
                violation_error_message=_("SRDI level must be none, provincial or national, or empty when unknown."),
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

    @classmethod
    def from_db(cls, db, field_names, values):
        enterprise = super().from_db(db, field_names, values)
        enterprise._loaded_name = enterprise.__dict__.get("name")
        return enterprise

    def save(self, *args, **kwargs) -> None:
        # The key follows the name on every save; bulk writers set it themselves (firm_name_key).
        self.name_key = firm_name_key(self.name)
        update_fields = kwargs.get("update_fields")
        extra = {"name_key"}
        loaded = getattr(self, "_loaded_name", None)
        if loaded and loaded != self.name and loaded not in self.former_names.splitlines():
            self.former_names = "\n".join(filter(None, [*self.former_names.splitlines(), loaded]))
            extra.add("former_names")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)
        self._loaded_name = self.name

    def clean(self) -> None:
        """Store credit codes in one form (upper case, no spaces; empty means none)."""
        super().clean()
        self.credit_code = normalize_credit_code(self.credit_code)
        errors = self.duplicate_errors()
        if not self.in_pinghu and self.town:
            errors["town"] = ValidationError(_("Town can only be set for a firm located in Pinghu."))
        if errors:
            raise ValidationError(errors)

    def duplicate_errors(self) -> dict[str, ValidationError]:
        """The recorded firm this one would duplicate, offered instead of a second row.

        A new or renamed firm whose name matches a recorded one once spaces and full-width forms are
        ignored, or differs only by 有限公司/有限责任公司 (unless ``near_name_confirmed``), and a
        credit code another firm has, are refused with a message naming the recorded firm.
        """
        errors: dict[str, ValidationError] = {}
        others = Enterprise.objects.exclude(pk=self.pk) if self.pk is not None else Enterprise.objects.all()
        key = firm_name_key(self.name or "")
        if key and (self._state.adding or key != self.name_key):
            same = others.filter(name_key=key).first()
            variant = firm_name_variant_key(self.name)
            near = others.filter(name_key=variant).first() if variant and not self.near_name_confirmed else None
            if same is not None:
                errors["name"] = ValidationError(same_key_hint(same.name), code="same_name_key")
            elif near is not None:
                errors["name"] = ValidationError(near_name_hint(near.name), code="near_name")
        if self.credit_code:
            holder = others.filter(credit_code=self.credit_code).first()
            if holder is not None:
                errors["credit_code"] = ValidationError(
                    same_credit_code_hint(self.credit_code, holder.name), code="same_credit_code"
                )
        return errors

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
