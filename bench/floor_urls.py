"""The floor views' URL patterns, mounted at `/bench/floor/` by the bench's URLconf."""

from django.urls import path

from bench import floor_views

urlpatterns = [
    path("interviews/", floor_views.interviews_page, name="bench-floor-interviews"),
    path(
        "interviews/<uuid:interview_pk>/messages/",
        floor_views.transcript_page,
        name="bench-floor-transcript",
    ),
    path(
        "interviews/<uuid:interview_pk>/messages-offset/",
        floor_views.transcript_offset_page,
        name="bench-floor-transcript-offset",
    ),
]
