from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("careassure.common.urls")),
    path("", include("careassure.accounts.urls")),
    path("", include("careassure.benchmarking.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

handler404 = "careassure.common.views.not_found"
handler500 = "careassure.common.views.server_error"
handler403 = "careassure.common.views.forbidden"
