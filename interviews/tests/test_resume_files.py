"""A resume's file lives exactly as long as its row: deleted once the deletion commits (API,
cascade, purge), kept when the deletion rolls back, never left by a failed upload, and what is
left anyway (a cascade run in SQL) is found by `manage.py orphaned_files`."""

import os
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from interviews import services
from interviews.models import Candidate, Resume
from interviews.tests.factories import CandidateFactory, ResumeFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def files_on_disk(media_root) -> set[str]:
    return {str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file()}


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def upload(candidate: Candidate, name: str = "cv.pdf") -> Resume:
    return services.resume_create(
        candidate=candidate, file=ContentFile(PDF_BYTES, name=name), content_type="application/pdf"
    )


# --- deletion -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_deleting_a_resume_through_the_api_removes_its_file_on_commit(
    recruiter_api, media_root, django_capture_on_commit_callbacks
):
    resume = upload(CandidateFactory())
    kept = upload(CandidateFactory())
    assert files_on_disk(media_root) == {resume.file.name, kept.file.name}

    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_api.delete(reverse("resume-detail", args=[resume.pk]))
    assert response.status_code == 204
    assert files_on_disk(media_root) == {kept.file.name}


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_deletion_keeps_the_file(media_root):
    resume = upload(CandidateFactory())
    pk, name = resume.pk, resume.file.name
    with pytest.raises(RuntimeError), transaction.atomic():
        resume.delete()
        raise RuntimeError("changed my mind")
    assert Resume.objects.filter(pk=pk).exists()
    assert files_on_disk(media_root) == {name}


@pytest.mark.django_db(transaction=True)
def test_deleting_a_candidate_removes_its_resume_files_by_cascade(media_root):
    candidate = CandidateFactory()
    resumes = [upload(candidate, "one.pdf"), upload(candidate, "two.txt")]
    other = upload(CandidateFactory())
    assert len(files_on_disk(media_root)) == 3

    Candidate.all_objects.filter(pk=candidate.pk).delete()

    assert not Resume.objects.filter(pk__in=[resume.pk for resume in resumes]).exists()
    assert files_on_disk(media_root) == {other.file.name}


@pytest.mark.django_db(transaction=True)
def test_purge_deleted_removes_purged_candidates_files_and_reports_rows_and_files(media_root):
    purged = CandidateFactory()
    upload(purged, "one.pdf")
    upload(purged, "two.pdf")
    recent = CandidateFactory()
    recent_resume = upload(recent)
    services.candidate_soft_delete(candidate=purged)
    services.candidate_soft_delete(candidate=recent)
    Candidate.all_objects.filter(pk=purged.pk).update(
        deleted_at=timezone.now() - timedelta(days=40)
    )

    dry_run = run("purge_deleted", "--older-than", "30", "--dry-run")
    assert "interviews.Candidate: would delete 1 (with interviews.Resume 2)" in dry_run
    assert "files: would delete 2" in dry_run
    assert len(files_on_disk(media_root)) == 3
    assert Resume.objects.count() == 3

    output = run("purge_deleted", "--older-than", "30")
    assert "interviews.Candidate: deleted 1 (with interviews.Resume 2)" in output
    assert "accounts.User: deleted 0" in output
    assert "files: deleted 2 of 2" in output
    assert files_on_disk(media_root) == {recent_resume.file.name}


# --- uploads that fail ------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_upload_whose_row_is_refused_leaves_no_file(media_root):
    oversized = ContentFile(PDF_BYTES, name="cv.pdf")
    oversized.size = 11 * 1024 * 1024  # past the database's size check
    with pytest.raises(IntegrityError):
        services.resume_create(
            candidate=CandidateFactory(), file=oversized, content_type="application/pdf"
        )
    assert files_on_disk(media_root) == set()


@pytest.mark.django_db(transaction=True)
def test_an_upload_for_a_candidate_purged_meanwhile_leaves_no_file(media_root):
    candidate = CandidateFactory()
    Candidate.all_objects.filter(pk=candidate.pk).delete()
    # The foreign key is checked when the transaction commits, after the file was written.
    with pytest.raises(IntegrityError):
        upload(candidate)
    assert not Resume.objects.exists()
    assert files_on_disk(media_root) == set()


# --- orphaned files ---------------------------------------------------------------------------


def _age(name: str, minutes: int) -> None:
    moment = time.time() - minutes * 60
    os.utime(default_storage.path(name), (moment, moment))


@pytest.mark.django_db
def test_orphaned_files_lists_and_deletes_files_no_resume_names(media_root):
    resume = ResumeFactory()
    _age(resume.file.name, 120)
    left_by_sql = default_storage.save("resumes/gone-candidate/gone.pdf", ContentFile(b"%PDF"))
    _age(left_by_sql, 120)
    in_flight = default_storage.save("resumes/new-candidate/new.pdf", ContentFile(b"%PDF"))

    listed = run("orphaned_files")
    assert left_by_sql in listed
    assert "orphaned files: found 1" in listed
    assert "skipped 1 younger than 60 minutes" in listed
    assert resume.file.name not in listed
    assert len(files_on_disk(media_root)) == 3

    deleted = run("orphaned_files", "--delete")
    assert "orphaned files: deleted 1" in deleted
    assert files_on_disk(media_root) == {resume.file.name, in_flight}


@pytest.mark.django_db
def test_orphaned_files_finds_what_a_cascade_in_sql_leaves(media_root, on_postgres):
    if not on_postgres:
        pytest.skip("the database itself cascades only on PostgreSQL (SetDatabaseOnDelete)")
    candidate = CandidateFactory()
    resume = ResumeFactory(candidate=candidate)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM interviews_candidate WHERE id = %s", [candidate.pk])
    assert not Resume.objects.filter(pk=resume.pk).exists()

    output = run("orphaned_files", "--min-age", "0", "--delete")
    assert resume.file.name in output
    assert files_on_disk(media_root) == set()


@pytest.mark.django_db
def test_orphaned_files_reports_resumes_whose_file_is_missing(media_root):
    resume = ResumeFactory()
    default_storage.delete(resume.file.name)
    assert "resumes whose file is missing: 1" in run("orphaned_files")
