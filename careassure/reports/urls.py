from django.urls import path

from careassure.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/plans/<int:plan_id>/", views.report_list, name="report-list"),
    path(
        "reports/snapshots/<int:snapshot_id>/<str:kind>.<str:fmt>",
        views.report_generate,
        name="report-generate",
    ),
    path("reports/templates/", views.template_list, name="template-list"),
    path("reports/templates/<str:kind>/", views.template_edit, name="template-edit"),
    path("reports/templates/<str:kind>/reset/", views.template_reset, name="template-reset"),
]
