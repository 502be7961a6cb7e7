from django.urls import path, re_path

from careassure.casetracking import views

app_name = "casetracking"

urlpatterns = [
    path("case-tracking/", views.list_detail, name="list-detail"),
    path("case-tracking/import/", views.list_import, name="list-import"),
    path("case-tracking/people/<int:entry_id>/", views.entry_edit, name="entry-edit"),
    re_path(r"^case-tracking/download\.(?P<fmt>csv|xlsx)$", views.list_export, name="list-export"),
    path("case-tracking/re-identify/", views.reidentify, name="reidentify"),
]
