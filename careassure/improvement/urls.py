from django.urls import path

from careassure.improvement import views

app_name = "improvement"

urlpatterns = [
    path("improvement/", views.plan_list, name="plan-list"),
    path("improvement/plans/<int:plan_id>/", views.plan_detail, name="plan-detail"),
    path("improvement/plans/<int:plan_id>/dashboard/", views.plan_dashboard, name="plan-dashboard"),
    path("improvement/plans/<int:plan_id>/rules/", views.plan_rules, name="plan-rules"),
    path("improvement/plans/<int:plan_id>/scores/", views.plan_scores, name="plan-scores"),
    path("improvement/plans/<int:plan_id>/export.<str:fmt>", views.plan_export, name="plan-export"),
    path("improvement/plans/<int:plan_id>/actions/new/", views.action_create, name="action-create"),
    path(
        "improvement/plans/<int:plan_id>/request-updates/",
        views.plan_request_updates,
        name="plan-request-updates",
    ),
    path("improvement/plans/<int:plan_id>/close/", views.plan_close, name="plan-close"),
    path("improvement/plans/<int:plan_id>/import/", views.plan_import, name="plan-import"),
    path("improvement/imports/<int:import_id>/", views.plan_import_map, name="plan-import-map"),
    path("improvement/plans/<int:plan_id>/snapshots/", views.snapshot_list, name="snapshot-list"),
    path(
        "improvement/plans/<int:plan_id>/changes/", views.snapshot_compare, name="snapshot-compare"
    ),
    path("improvement/snapshots/<int:snapshot_id>/", views.snapshot_detail, name="snapshot-detail"),
    path("improvement/actions/<int:action_id>/", views.action_detail, name="action-detail"),
    path("improvement/actions/<int:action_id>/edit/", views.action_edit, name="action-edit"),
    path("improvement/actions/<int:action_id>/status/", views.action_status, name="action-status"),
    path("improvement/actions/<int:action_id>/rag/", views.action_rag, name="action-rag"),
    path("improvement/actions/<int:action_id>/update/", views.action_update, name="action-update"),
    path(
        "improvement/actions/<int:action_id>/dependencies/",
        views.dependency_add,
        name="dependency-add",
    ),
    path(
        "improvement/dependencies/<int:dependency_id>/remove/",
        views.dependency_remove,
        name="dependency-remove",
    ),
    path(
        "improvement/actions/<int:action_id>/milestones/", views.milestone_add, name="milestone-add"
    ),
    path(
        "improvement/milestones/<int:milestone_id>/edit/",
        views.milestone_edit,
        name="milestone-edit",
    ),
    path(
        "improvement/milestones/<int:milestone_id>/remove/",
        views.milestone_remove,
        name="milestone-remove",
    ),
    path("improvement/actions/<int:action_id>/risks/", views.risk_add, name="risk-add"),
    path("improvement/risks/<int:risk_id>/edit/", views.risk_edit, name="risk-edit"),
    path("improvement/risks/<int:risk_id>/remove/", views.risk_remove, name="risk-remove"),
    path("improvement/actions/<int:action_id>/kpis/", views.kpi_add, name="kpi-add"),
    path("improvement/kpis/<int:kpi_id>/edit/", views.kpi_edit, name="kpi-edit"),
    path("improvement/kpis/<int:kpi_id>/remove/", views.kpi_remove, name="kpi-remove"),
    path("improvement/kpis/<int:kpi_id>/values/", views.kpi_value_add, name="kpi-value-add"),
]
