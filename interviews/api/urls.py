"""URLs of the interview domain under /api/v1/: signup, candidates, resumes, interviews."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from interviews.api import invitations, positions, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("candidates", views.CandidateViewSet, basename="candidate")
router.register("resumes", views.ResumeViewSet, basename="resume")
router.register("interviews", views.InterviewViewSet, basename="interview")
router.register("invitations", invitations.InvitationViewSet, basename="invitation")
router.register("positions", positions.PositionViewSet, basename="position")
router.register(
    r"interviews/(?P<interview_pk>[^/.]+)/messages",
    views.InterviewMessageViewSet,
    basename="interview-message",
)

urlpatterns = [
    # Signup makes a candidate account and its profile, so it lives here, under auth/.
    path("auth/register/", views.RegisterView.as_view(), name="auth-register"),
    path(
        "auth/invitation/",
        invitations.InvitationPreviewView.as_view(),
        name="auth-invitation",
    ),
    path(
        "auth/invitation/accept/",
        invitations.InvitationAcceptView.as_view(),
        name="auth-invitation-accept",
    ),
    path(
        "interviews/<uuid:interview_pk>/session/",
        views.InterviewSessionView.as_view(),
        name="interview-session",
    ),
    *router.urls,
]
