"""The chain structure: clusters, chains, their segments (chain map), leaders and who leads which chain."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.constraints import NoOverlappingPeriods
from pinghu.models import TimeStampedModel
from pinghu.search import SearchKeyMixin, SearchKeyQuerySet, SearchSpec, search_key_field
from pinghu.text import with_note
from units.fields import unit_text_field

from ..choices import ChainKind, LeadershipRole, Segment


class Cluster(TimeStampedModel):
    """An industry cluster (产业集群), one of the four groups of related chains."""

    code = models.SlugField(_("code"), max_length=32, unique=True, help_text=_("Short URL-safe identifier, e.g. it."))
    name = models.CharField(_("name"), max_length=64, unique=True)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()
    search_spec = SearchSpec(text=("name", "name_en", "code", "description"))

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
    search_spec = SearchSpec(text=("name", "name_en", "code", "description"))

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
    # The bureau's assessment, never derived from the firms on record: None means not yet assessed.
    gap = models.BooleanField(
        _("gap to recruit for (补链)"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Yes: a gap to recruit for; no: the segment is covered locally; empty: not yet assessed."),
    )
    gap_basis = models.TextField(
        _("basis of the gap assessment"),
        blank=True,
        help_text=_("Why the segment is or is not a gap: the source quoted, or the bureau's own assessment."),
    )

    history = HistoricalRecords()
    search_spec = SearchSpec(text=("name", "gap_basis"), related=("chain",))

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


class Leader(SearchKeyMixin, TimeStampedModel):
    """A city leader or unit head who may head a chain or take part in visits."""

    name = models.CharField(_("name"), max_length=32)
    search_key = search_key_field()
    title = models.CharField(_("title"), max_length=64, blank=True, help_text=_("E.g. 副市长 (vice mayor)."))
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="leaders", verbose_name=_("unit")
    )
    unit_text = unit_text_field(_("unit as written"))
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
    is_top_official = models.BooleanField(
        _("unit's top official"),
        default=False,
        help_text=_("The top official (一把手) of the unit: counted in the top-official person-times."),
    )

    objects = SearchKeyQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_key"])
    search_spec = SearchSpec(text=("name", "title"), key="search_key", key_sources=("name",))

    class Meta:
        ordering = ["name", "unit_id"]
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "unit"],
                condition=Q(unit__isnull=False),
                name="chains_leader_unique_name_unit",
                violation_error_message=_("A leader with this name already exists in this unit."),
            ),
            # Without a unit record: one leader of a name per unit name still to map (or none).
            models.UniqueConstraint(
                fields=["name", "unit_text"],
                condition=Q(unit__isnull=True),
                name="chains_leader_unique_name_unit_text",
                violation_error_message=_("A leader with this name already exists in this unit."),
            ),
        ]

    def __str__(self) -> str:
        return with_note(self.name, self.title) if self.title else self.name


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
        # An appointment gives the leader's login edit rights over the chain's projects
        # (projects.rules): appointing is its own permission (chains.services checks it), held by admins.
        permissions = [("manage_leadership", _("Can appoint chain leaders and link leaders to login accounts"))]
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
            # A term runs from its start date to its end date, both included; an empty end date means
            # still in office. PostgreSQL holds this as an exclusion constraint; on SQLite full_clean does.
            NoOverlappingPeriods(
                name="chains_chainleadership_chief_terms_do_not_overlap",
                fields=["chain"],
                start="start_date",
                end="end_date",
                condition=Q(role=LeadershipRole.CHIEF),
                violation_error_code="chief_terms_overlap",
                violation_error_message=_(
                    "A chain has one chain chief at a time: this chief's term overlaps another chief's term of "
                    "the same chain (an end date is the last day of a term; an empty end date means still in "
                    "office). End the other term the day before this one starts."
                ),
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
