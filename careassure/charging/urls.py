from django.urls import path

from careassure.charging import apis, views

app_name = "charging"

urlpatterns = [
    path("care-cost-calculator/", views.start, name="start"),
    path("care-cost-calculator/questions/", views.questions, name="questions"),
    path("care-cost-calculator/estimate/", views.result, name="result"),
    path("care-cost-calculator/estimate.pdf", views.result_pdf, name="result-pdf"),
    path("api/charging/estimate", apis.estimate_view(), name="api-estimate"),
    path("api/charging/schema/input", apis.InputSchemaApi.as_view(), name="api-schema-input"),
    path("api/charging/schema/output", apis.OutputSchemaApi.as_view(), name="api-schema-output"),
    path("healthz", views.healthz, name="healthz"),
]
