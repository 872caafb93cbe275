"""Writes of investment activity that span models: the one place each rule lives.

Admin, pages, API and the import call these functions; none of them writes a stage, a visit with
its links or a conference signing by other means. An update takes the version its caller read
(``expected_version``, checked on the locked row by ``pinghu.concurrency.lock_for_update``).
One module per subject: ``projects`` (new projects, edits, signing, deletion), ``transitions``
(stage moves), ``moves`` (a move as a page asks it, with its conference), ``visits``, ``follow_ups``,
``funds`` (monthly funds in place), ``land`` (parcels), ``bulk`` (the import's edits),
``selection`` (the project list's bulk actions), ``photos`` (a visit's photos).
"""

from .bulk import PROJECT_RECORDED_FIELDS, project_import_save, project_update_many
from .follow_ups import follow_up_save
from .funds import FUNDS_EDITABLE_FIELDS, project_funds_create, project_funds_delete, project_funds_update
from .land import PARCEL_STEP_FIELDS, parcel_create, parcel_supply, parcel_update
from .moves import project_move
from .photos import check_photo_count, photo_remove, photos_change
from .projects import (
    ASSIGN,
    ASSIGNMENT_FIELDS,
    PROJECT_BATCH_CLEAN,
    project_check_assignment,
    project_create,
    project_create_many,
    project_delete,
    project_initial_stage_date,
    project_prepare_new,
    project_update,
    signing_event_sign_project,
)
from .selection import SelectionRefused, project_bulk_assign, project_bulk_hold, project_bulk_sign
from .transitions import project_allowed_transitions, project_transition, stage_before_hold
from .visits import VISIT_BATCH_CLEAN, visit_create, visit_create_many, visit_delete, visit_prepare_new, visit_update

__all__ = [
    "ASSIGN",
    "ASSIGNMENT_FIELDS",
    "FUNDS_EDITABLE_FIELDS",
    "PROJECT_BATCH_CLEAN",
    "PROJECT_RECORDED_FIELDS",
    "VISIT_BATCH_CLEAN",
    "PARCEL_STEP_FIELDS",
    "check_photo_count",
    "follow_up_save",
    "photo_remove",
    "photos_change",
    "parcel_create",
    "parcel_supply",
    "parcel_update",
    "SelectionRefused",
    "project_allowed_transitions",
    "project_bulk_assign",
    "project_bulk_hold",
    "project_bulk_sign",
    "project_check_assignment",
    "project_create",
    "project_create_many",
    "project_delete",
    "project_funds_create",
    "project_funds_delete",
    "project_funds_update",
    "project_import_save",
    "project_initial_stage_date",
    "project_move",
    "project_prepare_new",
    "project_transition",
    "project_update",
    "project_update_many",
    "signing_event_sign_project",
    "stage_before_hold",
    "visit_create",
    "visit_create_many",
    "visit_delete",
    "visit_prepare_new",
    "visit_update",
]
