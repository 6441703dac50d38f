"""URLs of accounts under /api/v1/: auth/ (signup is interviews.api.urls), users/ and
organizations/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import organizations, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("users", views.UserViewSet, basename="user")
router.register("organizations", organizations.OrganizationViewSet, basename="organization")

urlpatterns = [
    path("auth/login/", views.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/me/", views.MeView.as_view(), name="auth-me"),
    path("auth/password/", views.PasswordChangeView.as_view(), name="auth-password"),
    *router.urls,
]
