from django.urls import path

from careassure.evidence import return_views, views

app_name = "evidence"

urlpatterns = [
    path("evidence/", views.item_list, name="item-list"),
    path("evidence/upload/", views.item_upload, name="item-upload"),
    path("evidence/add-link/", views.item_link, name="item-link"),
    path("evidence/<uuid:item_id>/", views.item_detail, name="item-detail"),
    path("evidence/<uuid:item_id>/edit/", views.item_edit, name="item-edit"),
    path("evidence/<uuid:item_id>/delete/", views.item_delete, name="item-delete"),
    path("evidence/<uuid:item_id>/download/", views.item_download, name="item-download"),
]

urlpatterns += [
    path("information-return/", return_views.return_detail, name="return-detail"),
    path("information-return/export/", return_views.return_export, name="return-export"),
    path("information-return/sections/add/", return_views.section_add, name="return-section-add"),
    path(
        "information-return/sections/<int:section_id>/edit/",
        return_views.section_edit,
        name="return-section-edit",
    ),
    path(
        "information-return/sections/<int:section_id>/delete/",
        return_views.section_delete,
        name="return-section-delete",
    ),
    path(
        "information-return/sections/<int:section_id>/move/",
        return_views.section_move,
        name="return-section-move",
    ),
    path(
        "information-return/sections/<int:section_id>/evidence/",
        return_views.section_items,
        name="return-section-items",
    ),
]
