"""Pages of investment activity: dashboard, chains, visits, projects, signing conferences, data quality."""

from django.urls import path

from . import board_moves, board_views, bulk_views, funds_views, photo_views, views, views_edit, visit_views

app_name = "projects"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("chains/<slug:code>/", views.chain_detail, name="chain-detail"),
    path("visits/", views.visit_list, name="visit-list"),
    path("visits/new/", views.visit_form, name="visit-new"),
    path("visits/overdue/", views.overdue, name="overdue"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/edit/", views.visit_form, name="visit-edit"),
    path("visits/photos/<int:pk>/", photo_views.visit_photo, name="visit-photo"),
    path("visits/photos/<int:pk>/<slug:variant>/", photo_views.visit_photo, name="visit-photo-variant"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/selection/", bulk_views.project_selection, name="project-selection"),
    path("board/", board_views.board, name="board"),
    path("board/<int:pk>/move/", board_moves.board_move_choices, name="board-move-choices"),
    path("board/<int:pk>/move/<slug:stage>/", board_moves.board_move, name="board-move"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/stage/", views.project_change_stage, name="project-change-stage"),
    path("projects/<int:pk>/edit/", views_edit.project_edit, name="project-edit"),
    path("projects/<int:pk>/move/<slug:stage>/", views_edit.project_move_page, name="project-move"),
    path("projects/<int:pk>/milestones/", views.project_edit_milestones, name="project-edit-milestones"),
    path("projects/<int:pk>/follow-ups/", views.project_add_follow_up, name="project-add-follow-up"),
    path("projects/<int:pk>/funds/", funds_views.project_funds_save, name="project-funds-save"),
    path("signing-events/", views.signing_event_list, name="signing-event-list"),
    path("signing-events/<int:pk>/", views.signing_event_detail, name="signing-event-detail"),
    path("data-quality/", views.data_quality, name="data-quality"),
    path("data-quality/merge/", views.enterprise_merge_view, name="enterprise-merge"),
]
