from django.urls import path

from careassure.common import views

app_name = "common"

urlpatterns = [
    path("", views.start, name="start"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("privacy/", views.privacy, name="privacy"),
]
