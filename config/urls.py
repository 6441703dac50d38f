"""The project's URLconf: the API, its schema and docs, health, the admin, error handlers."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config import health

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("interviews.api.urls")),
    path("", include("assessments.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]

handler400 = "core.api.exceptions.bad_request"
handler403 = "core.api.exceptions.permission_denied"
handler404 = "core.api.exceptions.page_not_found"
handler500 = "core.api.exceptions.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("health", health.liveness, name="health"),
    path("health/database", health.database, name="health-database"),
    path("health/detailed", health.DetailedHealthView.as_view(), name="health-detailed"),
]

# Media files (resumes) are private: they are served only through the authenticated
# `resumes/{id}/download/` endpoint, never from MEDIA_URL.
