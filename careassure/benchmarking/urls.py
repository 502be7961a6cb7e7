from django.urls import path

from careassure.benchmarking import apis, views

app_name = "benchmarking"

urlpatterns = [
    path("rating-calculator/", views.calculator, name="calculator"),
    path("national-picture/", views.national, name="national"),
    path("api/score/", apis.ScoreApi.as_view(), name="api-score"),
    path("api/published-results/", apis.PublishedResultListApi.as_view(), name="api-results"),
]
