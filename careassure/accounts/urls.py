from django.urls import path

from careassure.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("dashboard/", views.home, name="home"),
    path("choose-council/", views.choose_organisation, name="choose-organisation"),
]
