"""Pages of period reports: the list, a new report, a report (its versions, drift, print, XLSX) and its actions."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_list, name="report-list"),
    path("reports/new/", views.report_new, name="report-new"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/xlsx/", views.report_xlsx, name="report-xlsx"),
    path("reports/<int:pk>/<str:step>/", views.report_step, name="report-step"),
]
