"""URL routes of the assessments API."""

from rest_framework.routers import DefaultRouter

from assessments.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("assessments", views.AssessmentViewSet, basename="assessment")

urlpatterns = router.urls
