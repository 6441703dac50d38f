"""The bench's URLconf (ROOT_URLCONF of bench.settings): the project's URLs and the floor views."""

from django.urls import include, path

# The error handlers are looked up on the root URLconf: the project's, unchanged.
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401

urlpatterns = [
    path("", include("config.urls")),
    path("bench/floor/", include("bench.floor_urls")),
]
