"""The field lists declared once (projects.fields) are what export, import and restore use."""

from projects.api.views import PROJECT_EXPORT, VISIT_EXPORT
from projects.choices import TRANSITION_FIELDS
from projects.fields import PROJECT_RESTORED_FIELDS, VISIT_RESTORED_FIELDS
from projects.imports import ProjectResource, VisitResource


def _headers(columns) -> list[str]:
    return [str(column.header) for column in columns]


def test_an_export_has_exactly_the_columns_the_import_reads_plus_the_export_only_ones():
    for export, resource in ((PROJECT_EXPORT, ProjectResource()), (VISIT_EXPORT, VisitResource())):
        read = [
            str(field.column_name)
            for field in resource.get_import_fields()
            if field.attribute not in resource.import_only
        ]
        ignored = [str(header) for header in resource.export_only]
        assert [header for header in _headers(export) if header not in ignored] == read
        assert set(ignored) <= set(_headers(export))
        assert not {str(resource.fields[name].column_name) for name in resource.import_only} & set(_headers(export))


def test_restore_never_puts_back_what_only_a_transition_moves():
    restored = {name.removesuffix("_id") for name in PROJECT_RESTORED_FIELDS}
    assert not restored & {*TRANSITION_FIELDS, "signing_event"}
    assert "leader_count" not in VISIT_RESTORED_FIELDS and "is_saturday" not in VISIT_RESTORED_FIELDS
