"""Serializers of the reports API: a report with its versions, each version's stored figures as JSON."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..choices import PeriodKind
from ..models import Report, ReportTemplate, ReportVersion


class ReportVersionSerializer(serializers.ModelSerializer):
    """A closed version as stored: never recomputed."""

    closed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reopened_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ReportVersion
        fields = [
            "number",
            "closed_by",
            "closed_at",
            "reopened_by",
            "reopened_at",
            "reopen_reason",
            "briefing",
            "figures",
            "rows",
        ]
        read_only_fields = fields


class ReportVersionSummarySerializer(ReportVersionSerializer):
    """A version in a list of reports: its figures, not the rows behind them (read one report for those)."""

    class Meta(ReportVersionSerializer.Meta):
        fields = [name for name in ReportVersionSerializer.Meta.fields if name != "rows"]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    """A report, its state and every version (figures and the rows behind the counts)."""

    template = serializers.SlugRelatedField(slug_field="code", queryset=ReportTemplate.objects.all())
    template_name = serializers.CharField(source="template.name", read_only=True)
    period_label = serializers.CharField(read_only=True)
    versions = ReportVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "template",
            "template_name",
            "period_kind",
            "period_start",
            "period_end",
            "period_label",
            "status",
            "briefing",
            "sent_to",
            "sent_at",
            "reference_number",
            "reopened_at",
            "reopen_reason",
            "versions",
        ]
        read_only_fields = [
            "period_end",
            "status",
            "briefing",
            "sent_to",
            "sent_at",
            "reference_number",
            "reopened_at",
            "reopen_reason",
        ]


class ReportCreateSerializer(serializers.Serializer):
    template = serializers.SlugRelatedField(slug_field="code", queryset=ReportTemplate.objects.all())
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
    period_start = serializers.DateField(help_text=_("The first day of the month, quarter or year."))


class SendSerializer(serializers.Serializer):
    sent_to = serializers.CharField(max_length=200, help_text=_("To whom the report was sent."))
    reference_number = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why the report is reopened (required)."))


class BriefingSerializer(serializers.Serializer):
    briefing = serializers.CharField(allow_blank=True)


class ReportListSerializer(ReportSerializer):
    """A report in a list: each version's figures, without the rows behind the counts."""

    versions = ReportVersionSummarySerializer(many=True, read_only=True)
