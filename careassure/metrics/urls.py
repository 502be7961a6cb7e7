from django.urls import path

from careassure.metrics import views

app_name = "metrics"

urlpatterns = [
    path("metrics/", views.dashboard, name="dashboard"),
    path("metrics/kpis/<str:kpi_id>/", views.kpi_detail, name="kpi-detail"),
    path(
        "metrics/kpis/<str:kpi_id>/file-as-evidence/",
        views.kpi_file_evidence,
        name="kpi-file-evidence",
    ),
    path("metrics/kpis/<str:kpi_id>/thresholds/", views.kpi_thresholds, name="kpi-thresholds"),
    path("metrics/ascof/", views.ascof, name="ascof"),
    path(
        "metrics/ascof/<str:measure>/file-as-evidence/",
        views.ascof_file_evidence,
        name="ascof-file-evidence",
    ),
    path("metrics/data-quality/", views.data_quality, name="data-quality"),
    path("metrics/export/<slug:name>.<slug:fmt>", views.export, name="export"),
    path("metrics/runs/", views.run_list, name="run-list"),
    path("metrics/runs/<uuid:run_id>/", views.run_detail, name="run-detail"),
    path("metrics/upload/", views.upload, name="upload"),
    path("metrics/settings/", views.settings_edit, name="settings"),
]
