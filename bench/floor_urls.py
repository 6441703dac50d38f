"""Bench-only floor views, mounted at `/bench/floor/` when `BENCH_FLOOR_VIEWS` is set."""

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
