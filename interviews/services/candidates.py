"""Candidates and their resumes: the candidate email rule, signup (a candidate account with its
profile), soft delete and restore, the resume upload check and storage, parsing progress."""

from datetime import datetime
from typing import TypedDict, Unpack
from uuid import UUID

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.emails import normalize_email, validate_email_address
from accounts.models import Organization, User
from core.errors import ConflictError, InvalidInput
from core.rows import save_fields, update_locked
from core.softdelete import restore, soft_delete
from interviews.documents import detect_resume_type
from interviews.models import MAX_RESUME_BYTES, Candidate, ParsingStatus, Resume


class InvalidResume(InvalidInput):
    """The upload is not a resume, or the resume is not the interview's candidate's (400)."""


class CandidateProfile(TypedDict, total=False):
    """The fields of a candidate besides its email (`id` only when the caller chose it)."""

    id: UUID
    full_name: str
    phone: str
    target_role: str
    experience_level: str
    status: str
    user: User | None


class CandidateChanges(CandidateProfile, total=False):
    """The fields candidate_update sets."""

    email: str


class ParsingProgress(TypedDict, total=False):
    """The engine's parsing progress on a resume."""

    parsing_status: str
    parsed_at: datetime | None
    parsed_data: dict


class CandidateEmailTaken(ConflictError):
    """Raised when a live candidate other than the one at hand has the email."""

    code = "email_taken"


# --- candidates and resumes -------------------------------------------------------------------


def candidate_check_email(*, email: str, organization_id, exclude: Candidate | None = None) -> str:
    """Validate and normalise an email; return its stored form, or raise CandidateEmailTaken
    when a live candidate of the organization other than `exclude` has it. The one home of the
    rule: the API, the admin's forms and the services call it. An invalid email raises Django's
    ValidationError."""
    validate_email_address(email)
    email = normalize_email(email)
    if _candidate_email_taken(email, organization_id=organization_id, exclude=exclude):
        raise CandidateEmailTaken("A candidate with this email already exists.")
    return email


def _candidate_email_taken(email: str, *, organization_id, exclude: Candidate | None) -> bool:
    """Whether a live candidate of the organization other than `exclude` has the email."""
    taken = Candidate.objects.filter(organization_id=organization_id, email=email)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return taken.exists()


@transaction.atomic
def candidate_create(
    *, organization: Organization, email: str, **fields: Unpack[CandidateProfile]
) -> Candidate:
    """Create a candidate of the organization; raise CandidateEmailTaken when a live candidate
    of that organization has the email."""
    email = candidate_check_email(email=email, organization_id=organization.pk)
    return Candidate.objects.create(organization=organization, email=email, **fields)


def registration_organization() -> Organization | None:
    """The organization self-registered candidates get a profile in (None: invitation only).

    A slug that names no organization (a deployment error) also means the account alone.
    """
    slug = settings.REGISTRATION_ORGANIZATION
    if not slug:
        return None
    if slug == Organization.DEFAULT_SLUG:
        return Organization.objects.default()
    return Organization.objects.filter(slug=slug).first()


@transaction.atomic
def candidate_register(
    *,
    email: str,
    password: str,
    full_name: str,
    target_role: str | None = None,
    experience_level: str | None = None,
) -> User:
    """Create an active candidate account, with a Candidate profile in the organization named
    by REGISTRATION_ORGANIZATION if that organization has none with its email.

    A live Candidate with the same email (created by a recruiter before the person signed up,
    or the profile of a deleted login) is never linked to the new account: typing an email
    proves nothing about owning it. The account is then created alone; linking that profile
    takes an invitation (SPEC section 9). With REGISTRATION_ORGANIZATION empty (invitation only)
    the account is always created alone. Raise EmailTaken when a live user has the email.
    """
    user = account_services.user_create(
        email=email,
        password=password,
        full_name=full_name,
        role=User.Role.CANDIDATE,
        account_status=User.AccountStatus.ACTIVE,
    )
    organization = registration_organization()
    if organization is not None and not _candidate_email_taken(
        user.email, organization_id=organization.pk, exclude=None
    ):
        profile = {"target_role": target_role, "experience_level": experience_level}
        candidate_create(
            organization=organization,
            email=user.email,
            full_name=full_name,
            user=user,
            **{name: value for name, value in profile.items() if value is not None},
        )
    return user


@transaction.atomic
def candidate_update(*, candidate: Candidate, **fields: Unpack[CandidateChanges]) -> Candidate:
    """Change the given fields only, on the row re-read under a lock (no lost updates)."""
    if fields.get("email") is not None:
        fields["email"] = candidate_check_email(
            email=fields["email"], organization_id=candidate.organization_id, exclude=candidate
        )
    return update_locked(candidate, **fields)


@transaction.atomic
def candidate_soft_delete(*, candidate: Candidate) -> Candidate:
    """Hide the candidate and, through it, its resumes, interviews and assessments."""
    soft_delete(candidate)
    return candidate


@transaction.atomic
def candidate_restore(*, candidate: Candidate) -> Candidate:
    """Bring a soft-deleted candidate back; conflict if a live candidate has its email."""
    if _candidate_email_taken(
        candidate.email, organization_id=candidate.organization_id, exclude=candidate
    ):
        raise CandidateEmailTaken("A live candidate has this email now.")
    restore(candidate)
    return candidate


def resume_check_upload(*, file: UploadedFile) -> str:
    """Return the content type recognised from the upload's bytes (PDF, DOCX or UTF-8 text);
    raise InvalidResume when it is over 10 MiB or none of those. The one home of the upload
    rule: the API (through resume_upload) and the admin's form call it."""
    if file.size > MAX_RESUME_BYTES:
        raise InvalidResume("A resume is at most 10 MiB.", field="file")
    content_type = detect_resume_type(file)
    if content_type is None:
        raise InvalidResume(
            "Upload a PDF, a DOCX document or a plain UTF-8 text file.", field="file"
        )
    return content_type


def resume_upload(*, candidate: Candidate, file: UploadedFile) -> Resume:
    """Check an upload (resume_check_upload) and store it as the candidate's resume."""
    content_type = resume_check_upload(file=file)
    return resume_create(candidate=candidate, file=file, content_type=content_type)


def resume_create(*, candidate: Candidate, file: UploadedFile, content_type: str) -> Resume:
    """Store an uploaded resume whose content type was recognised from its bytes.

    The file is written, then the row in its own transaction. If that transaction fails (a
    constraint, the candidate purged meanwhile: a deferred foreign key fails at the commit), the
    file is removed again once the error is back here. Django has no rollback hook; undoing after
    the failed block is what its documentation advises. When the caller's own, enclosing
    transaction rolls back later (the admin's, the seed's), the file stays until
    `manage.py orphaned_files --delete`.
    """
    resume = Resume(
        organization_id=candidate.organization_id,
        candidate=candidate,
        file_name=(file.name or "resume")[-255:],
        file_size=file.size,
        content_type=content_type,
    )
    resume.file.save(file.name or "resume", file, save=False)
    try:
        with transaction.atomic():
            resume.save()
    except BaseException:
        resume.file.delete(save=False)
        raise
    return resume


@transaction.atomic
def resume_update_parsing(*, resume: Resume, **fields: Unpack[ParsingProgress]) -> Resume:
    """Record the engine's parsing progress; completing sets parsed_at unless given."""
    locked = Resume.objects.select_for_update().get(pk=resume.pk)
    completed = fields.get("parsing_status", locked.parsing_status) == ParsingStatus.COMPLETED
    if completed and fields.get("parsed_at", locked.parsed_at) is None:
        fields["parsed_at"] = timezone.now()
    return save_fields(locked, **fields)
