"""Views of the interview domain: signup, candidates, resumes, interviews and their workflow,
transcripts and the live session."""

from django.db.models import F
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts import services as account_services
from accounts.api.serializers import MeSerializer
from accounts.api.views import ERROR_BODY, LoginRateThrottle
from accounts.models import STAFF_ROLES, Role
from accounts.permissions import ALL_ROLES, STAFF_AND_ENGINE, ActionRoles
from core.api.pagination import CursorPagination
from core.api.parsers import JSONParser
from interviews import services
from interviews.api.filters import CandidateFilter, InterviewFilter, ResumeFilter
from interviews.api.serializers import (
    AbandonSerializer,
    CandidateSelfSerializer,
    CandidateSerializer,
    InterviewMessageSerializer,
    InterviewSerializer,
    InterviewSessionSerializer,
    InterviewStatusChangeSerializer,
    RegisterSerializer,
    ResumeParsingSerializer,
    ResumeSerializer,
)
from interviews.documents import RESUME_TYPES
from interviews.models import Candidate, Interview, InterviewMessage, InterviewSession, Resume

CONFLICT = OpenApiResponse(description="Conflict with the current state")


class RegisterView(generics.GenericAPIView):
    """Create an active candidate account (and its Candidate profile)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LoginRateThrottle]
    serializer_class = RegisterSerializer

    @extend_schema(
        responses={
            201: MeSerializer,
            400: OpenApiResponse(description="Field errors"),
            409: ERROR_BODY,
        }
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # 409 `email_taken` when a live user has the email.
        user = services.candidate_register(**serializer.validated_data)
        return Response(MeSerializer(user).data, status=status.HTTP_201_CREATED)


class CandidateViewSet(viewsets.ModelViewSet):
    """Candidates. DELETE is a soft delete; staff restore with `restore/`."""

    queryset = Candidate.objects.all()
    permission_classes = [IsAuthenticated, ActionRoles]
    action_roles = {
        "read": ALL_ROLES,
        "write": STAFF_ROLES,
        "update": (*STAFF_ROLES, Role.CANDIDATE),
        "partial_update": (*STAFF_ROLES, Role.CANDIDATE),
    }
    filterset_class = CandidateFilter
    search_fields = ["full_name", "email"]
    ordering_fields = ["created_at", "updated_at", "full_name", "email"]
    ordering = ["-created_at"]

    def get_queryset(self):
        if self.action == "restore":
            return Candidate.all_objects.visible_to(self.request.user, deleted=True)
        return Candidate.objects.visible_to(self.request.user)

    def get_serializer_class(self):
        if getattr(self.request.user, "role", None) == Role.CANDIDATE:
            return CandidateSelfSerializer
        return CandidateSerializer

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        organization = account_services.organization_for_write(
            by=self.request.user, requested=fields.pop("organization", None)
        )
        serializer.instance = services.candidate_create(organization=organization, **fields)

    def perform_update(self, serializer):
        serializer.instance = services.candidate_update(
            candidate=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.candidate_soft_delete(candidate=instance)

    @extend_schema(request=None, responses={200: CandidateSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        candidate = services.candidate_restore(candidate=self.get_object())
        return Response(CandidateSerializer(candidate, context={"request": request}).data)


class ResumeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Resumes: multipart upload (PDF, DOCX or text, at most 10 MiB), parsing updates by the
    engine, and an authenticated download."""

    queryset = Resume.objects.select_related("candidate")
    permission_classes = [IsAuthenticated, ActionRoles]
    action_roles = {
        "read": ALL_ROLES,
        "create": ALL_ROLES,
        "download": ALL_ROLES,
        "write": STAFF_AND_ENGINE,
        "destroy": STAFF_ROLES,
    }
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, JSONParser]
    filterset_class = ResumeFilter
    ordering_fields = ["uploaded_at", "file_size"]
    ordering = ["-uploaded_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_serializer_class(self):
        if self.action in {"update", "partial_update"}:
            return ResumeParsingSerializer
        return ResumeSerializer

    @extend_schema(request={"multipart/form-data": ResumeSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        # A file that is not a resume is a 400 on `file` (InvalidResume).
        serializer.instance = services.resume_upload(**serializer.validated_data)

    @extend_schema(responses={200: ResumeSerializer})
    def partial_update(self, request, *args, **kwargs):
        resume = self.get_object()
        serializer = ResumeParsingSerializer(resume, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        resume = services.resume_update_parsing(resume=resume, **serializer.validated_data)
        return Response(ResumeSerializer(resume, context=self.get_serializer_context()).data)

    @extend_schema(
        description="The stored file, as an attachment, with the type recognised at upload.",
        responses={(200, content_type): OpenApiTypes.BINARY for content_type in RESUME_TYPES},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        resume = self.get_object()
        return FileResponse(
            resume.file.open("rb"),
            as_attachment=True,
            filename=resume.file_name,
            content_type=resume.content_type,
        )


def _annotated_interviews():
    return Interview.objects.select_related("candidate").annotate(
        overall_score=F("assessment__overall_score")
    )


class InterviewViewSet(viewsets.ModelViewSet):
    """Interviews and their workflow: start, complete, abandon; status history."""

    serializer_class = InterviewSerializer
    permission_classes = [IsAuthenticated, ActionRoles]
    action_roles = {"read": ALL_ROLES, "write": STAFF_AND_ENGINE, "history": STAFF_AND_ENGINE}
    filterset_class = InterviewFilter
    search_fields = ["candidate__full_name", "candidate__email"]
    ordering_fields = [
        "created_at",
        "scheduled_for",
        "started_at",
        "completed_at",
        "overall_score",
    ]
    ordering = ["-created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return _annotated_interviews().visible_to(self.request.user)

    def _respond(self, interview: Interview, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=interview.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        interview = services.interview_create(by=request.user, **serializer.validated_data)
        return self._respond(interview, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        interview = services.interview_update(
            interview=serializer.instance, **serializer.validated_data
        )
        return self._respond(interview)

    @extend_schema(
        description="Delete a scheduled interview; any other is kept (409 "
        "`interview_not_deletable`): abandon it to stop it.",
        responses={204: None, 409: CONFLICT},
    )
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services.interview_delete(interview=instance)

    @extend_schema(request=None, responses={200: InterviewSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._respond(services.interview_start(interview=self.get_object(), by=request.user))

    @extend_schema(request=None, responses={200: InterviewSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        interview = services.interview_complete(interview=self.get_object(), by=request.user)
        return self._respond(interview)

    @extend_schema(request=AbandonSerializer, responses={200: InterviewSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def abandon(self, request, pk=None):
        interview = self.get_object()
        serializer = AbandonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        interview = services.interview_abandon(
            interview=interview, by=request.user, reason=serializer.validated_data["reason"]
        )
        return self._respond(interview)

    @extend_schema(responses={200: InterviewStatusChangeSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        changes = (
            self.get_object()
            .status_changes.select_related("changed_by")
            .order_by("created_at", "id")
        )
        return Response(InterviewStatusChangeSerializer(changes, many=True).data)


class TranscriptPagination(CursorPagination):
    """Keyset pagination by sequence number: every page costs the same."""

    ordering = "sequence_number"
    page_size = 50


class InterviewChildMixin:
    """Views under `interviews/{interview_pk}/`: the interview must be visible to the caller."""

    def get_interview(self) -> Interview:
        if not hasattr(self, "_interview"):
            visible = Interview.objects.visible_to(self.request.user)
            self._interview = get_object_or_404(visible, pk=self.kwargs["interview_pk"])
        return self._interview


INTERVIEW_PK = OpenApiParameter("interview_pk", OpenApiTypes.UUID, OpenApiParameter.PATH)


@extend_schema(parameters=[INTERVIEW_PK])
class InterviewMessageViewSet(
    InterviewChildMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The transcript: ordered by sequence number; appends only while in progress."""

    serializer_class = InterviewMessageSerializer
    pagination_class = TranscriptPagination
    filter_backends = []
    permission_classes = [IsAuthenticated, ActionRoles]
    action_roles = {"read": ALL_ROLES, "write": STAFF_AND_ENGINE}

    def get_queryset(self):
        # The organization leads the transcript's unique index (organization, interview, seq).
        interview = self.get_interview()
        return InterviewMessage.objects.filter(
            organization_id=interview.organization_id, interview=interview
        )

    @extend_schema(responses={201: InterviewMessageSerializer, 409: CONFLICT})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.message_append(
            interview=self.get_interview(), **serializer.validated_data
        )
        return Response(self.get_serializer(message).data, status=status.HTTP_201_CREATED)


class InterviewSessionView(InterviewChildMixin, generics.RetrieveUpdateAPIView):
    """The live AI session of a started interview."""

    serializer_class = InterviewSessionSerializer
    permission_classes = [IsAuthenticated, ActionRoles]
    action_roles = {"read": STAFF_AND_ENGINE, "write": STAFF_AND_ENGINE}
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> InterviewSession:
        return get_object_or_404(InterviewSession, interview=self.get_interview())

    @extend_schema(responses={200: InterviewSessionSerializer, 409: CONFLICT})
    def patch(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        session = services.session_update(
            interview=self.get_interview(), **serializer.validated_data
        )
        return Response(self.get_serializer(session).data)
