from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("careassure.common.urls")),
    path("", include("careassure.accounts.urls")),
    path("", include("careassure.benchmarking.urls")),
    path("", include("careassure.charging.urls")),
    path("", include("careassure.assessments.urls")),
    path("", include("careassure.improvement.urls")),
    path("", include("careassure.reports.urls")),
    path("", include("careassure.evidence.urls")),
    path("", include("careassure.casetracking.urls")),
    path("", include("careassure.metrics.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

handler404 = "careassure.common.views.not_found"
handler500 = "careassure.common.views.server_error"
handler403 = "careassure.common.views.forbidden"
