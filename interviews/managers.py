"""Querysets of candidate-owned rows: who sees what (`visible_to`), and live candidates."""

from django.db import models
from django.db.models import Q

from accounts.models import Role
from accounts.tenancy import TenantQuerySet
from core.softdelete import LiveManagerMixin, SoftDeleteQuerySet


class CandidateOwnedQuerySet(TenantQuerySet):
    """Rows that belong to a candidate, reached through `model.candidate_path`.

    `visible_to(user)` is the one place that decides who sees what: the API, the admin and the
    services that look a row up all use it. An admin sees every organization's rows; owners,
    recruiters and engines their organization's (the row's own `organization` column, no join);
    a candidate the rows of its own Candidate profiles, in every organization. Rows of
    soft-deleted candidates are hidden from everyone, unless `deleted=True` asks for exactly
    those (a restore looks them up).
    """

    def _path(self, lookup: str) -> str:
        prefix = self.model.candidate_path
        return f"{prefix}__{lookup}" if prefix else lookup

    def of_live_candidates(self, *, organization_id=None):
        """Rows whose candidate is not soft-deleted.

        Written as `NOT IN (ids under deleted candidates)` rather than a join to the candidates:
        PostgreSQL computes the (small) set of deleted ids once, from a partial index, and the
        main scan, counts included, never joins candidates or interviews for visibility. Given
        an organization, that set is the organization's only (one shard, once sharded).
        """
        prefix = self.model.candidate_path
        if not prefix:
            return self.filter(deleted_at__isnull=True)
        candidates = self.model._meta.apps.get_model("interviews", "Candidate")
        deleted = candidates.all_objects.filter(deleted_at__isnull=False)
        if organization_id is not None:
            deleted = deleted.filter(organization_id=organization_id)
        deleted = deleted.values("pk")
        if prefix == "candidate":
            return self.exclude(candidate_id__in=deleted)
        interviews = self.model._meta.apps.get_model("interviews", "Interview")
        under_deleted = interviews.objects.filter(candidate_id__in=deleted)
        if organization_id is not None:
            under_deleted = under_deleted.filter(organization_id=organization_id)
        under_deleted = under_deleted.values("pk")
        return self.exclude(interview_id__in=under_deleted)

    def of_deleted_candidates(self):
        """Rows of soft-deleted candidates (Candidate rows only)."""
        return self.filter(deleted_at__isnull=False)

    def visible_to(self, user, *, deleted: bool = False):
        authenticated = user is not None and user.is_authenticated
        member_of = user.organization_id if authenticated and user.organization_id else None
        if deleted:
            rows = self.of_deleted_candidates()
        else:
            rows = self.of_live_candidates(organization_id=member_of)
        if authenticated and user.role == Role.CANDIDATE:
            return rows.filter(**{self._path("user"): user})
        return TenantQuerySet.visible_to(rows, user)


class CandidateQuerySet(SoftDeleteQuerySet, CandidateOwnedQuerySet):
    def search(self, term: str):
        return self.filter(Q(full_name__icontains=term) | Q(email__icontains=term))


class LiveCandidateManager(LiveManagerMixin, models.Manager.from_queryset(CandidateQuerySet)):
    """The default manager: live (not soft-deleted) candidates only."""
