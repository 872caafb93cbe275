"""The pipeline board's reads (项目看板): a column per stage, its count and sum, and its first cards.

Two queries whatever the number of cards: the counts and sums per stage, and the cards of every column at
once (a window numbering each stage's projects, cut at ``CARDS_PER_COLUMN``), each with the date it entered
its stage (its last stage change to that stage).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .choices import PIPELINE, ProjectStage
from .models import Project, ProjectStageChange

BOARD_STAGES = [*PIPELINE, ProjectStage.ON_HOLD, ProjectStage.DROPPED]
CARDS_PER_COLUMN = 25


@dataclass
class BoardColumn:
    stage: str
    label: str
    count: int = 0
    investment: object = None
    cards: list = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


def board_queryset() -> QuerySet:
    """The projects the board's FilterSet (the list's ``ProjectFilterSet``) narrows."""
    return Project.objects.with_major()


def board_columns(
    projects: QuerySet, *, per_column: int = CARDS_PER_COLUMN, today: datetime.date | None = None
) -> list[BoardColumn]:
    """The board's columns for ``projects`` (already filtered): counts, sums and the largest projects first."""
    today = today or timezone.localdate()
    columns = {stage: BoardColumn(stage=stage, label=ProjectStage(stage).label) for stage in BOARD_STAGES}
    totals = projects.order_by().values("stage").annotate(count=Count("pk"), investment=Sum("total_investment"))
    for row in totals:
        column = columns.get(row["stage"])
        if column is not None:
            column.count, column.investment = row["count"], row["investment"]
    entered = ProjectStageChange.objects.filter(project=OuterRef("pk"), to_stage=OuterRef("stage"))
    cards = (
        projects.select_related("investor", "chain")
        .annotate(
            stage_since=Subquery(entered.order_by("-at", "-pk").values("at")[:1]),
            board_rank=Window(
                RowNumber(),
                partition_by=[F("stage")],
                order_by=[F("total_investment").desc(nulls_last=True), F("pk").asc()],
            ),
        )
        .filter(board_rank__lte=per_column)
        .order_by("stage", "board_rank")
    )
    for card in cards:
        column = columns.get(card.stage)
        if column is None:
            continue
        card.days_in_stage = (today - card.stage_since).days if card.stage_since else None
        column.cards.append(card)
    return list(columns.values())
