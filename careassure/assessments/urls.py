from django.urls import path

from careassure.assessments import views

app_name = "assessments"

urlpatterns = [
    path("assessment/", views.assessment_home, name="home"),
    path("assessment/cycles/new/", views.cycle_create, name="cycle-create"),
    path("assessment/cycles/<int:cycle_id>/", views.cycle_timeline, name="timeline"),
    path("assessment/cycles/<int:cycle_id>/edit/", views.cycle_update, name="cycle-update"),
    path(
        "assessment/cycles/<int:cycle_id>/milestones/<slug:key>/",
        views.milestone_update,
        name="milestone-update",
    ),
    path(
        "assessment/cycles/<int:cycle_id>/information-requests/new/",
        views.request_create,
        name="request-create",
    ),
    path(
        "assessment/cycles/<int:cycle_id>/information-requests/<int:request_id>/",
        views.request_update,
        name="request-update",
    ),
    path(
        "assessment/cycles/<int:cycle_id>/self-assessment/",
        views.self_assessment_list,
        name="self-assessment-list",
    ),
    path(
        "assessment/cycles/<int:cycle_id>/self-assessment/<slug:qs_id>/",
        views.self_assessment_detail,
        name="self-assessment-detail",
    ),
    path(
        "assessment/cycles/<int:cycle_id>/self-assessment/<slug:qs_id>/edit/",
        views.self_assessment_update,
        name="self-assessment-update",
    ),
    path(
        "assessment/cycles/<int:cycle_id>/self-assessment/<slug:qs_id>/status/",
        views.self_assessment_status,
        name="self-assessment-status",
    ),
    path(
        "assessment/cycles/<int:cycle_id>/self-assessment/<slug:qs_id>/owner/",
        views.self_assessment_owner,
        name="self-assessment-owner",
    ),
    path(
        "assessment/cycles/<int:cycle_id>/self-assessment/<slug:qs_id>/compare/",
        views.self_assessment_compare,
        name="self-assessment-compare",
    ),
    path("assessment/cycles/<int:cycle_id>/readiness/", views.readiness, name="readiness"),
    path(
        "assessment/cycles/<int:cycle_id>/scores/<slug:source>/",
        views.scores_update,
        name="scores-update",
    ),
    path(
        "assessment/cycles/<int:cycle_id>/findings/", views.findings_update, name="findings-update"
    ),
    path("assessment/cycles/<int:cycle_id>/comparison/", views.comparison, name="comparison"),
]
