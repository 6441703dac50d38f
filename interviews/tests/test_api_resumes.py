"""The resumes endpoints: upload checked by content, ownership, download, parsing updates."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from interviews.documents import RESUME_TYPES
from interviews.models import MAX_RESUME_BYTES, Candidate, Resume
from interviews.tests.factories import CandidateFactory, ResumeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.pgbouncer]

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    """Return a minimal but structurally real DOCX (an OOXML zip)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Ada Lovelace</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a word document")
    return buffer.getvalue()


def upload(client, candidate: Candidate, name: str, content: bytes, content_type: str = PDF):
    return client.post(
        reverse("resume-list"),
        {"candidate": str(candidate.pk), "file": SimpleUploadedFile(name, content, content_type)},
        format="multipart",
    )


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()]


def download_bytes(response) -> bytes:
    # Consuming the stream closes the response (and the file) through the test client's wrapper.
    return b"".join(response.streaming_content)


# --- upload -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "declared", "detected"),
    [
        pytest.param("cv.pdf", PDF_BYTES, PDF, PDF, id="pdf"),
        pytest.param("cv.docx", docx_bytes(), DOCX, DOCX, id="docx"),
        pytest.param(
            "cv.txt", "Ada Lovelace\nEngines\tsince 1843, café\n".encode(), TEXT, TEXT, id="text"
        ),
        # The name and the declared type do not matter: the bytes do.
        pytest.param("cv.pdf", b"Plain text named cv.pdf\n", PDF, TEXT, id="text-named-pdf"),
        pytest.param("resume", docx_bytes(), "application/octet-stream", DOCX, id="docx-no-ext"),
    ],
)
@pytest.mark.parametrize("role_api", ["recruiter_api", "engine_api"])
def test_upload_recognises_resume_by_content(
    request, role_api, media_root, name, content, declared, detected
):
    client = request.getfixturevalue(role_api)
    candidate = CandidateFactory()
    response = upload(client, candidate, name, content, declared)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["file_name"] == name
    assert body["file_size"] == len(content)
    assert body["content_type"] == detected
    assert body["parsing_status"] == "pending"
    assert "file" not in body
    download_path = reverse("resume-download", args=[body["id"]])
    assert body["file_url"] == f"http://testserver{download_path}"
    resume = Resume.objects.get(pk=body["id"])
    assert resume.candidate == candidate
    with resume.file.open("rb") as stored:
        assert stored.read() == content
    # The stored name is the server's, inside the media root, never the uploader's.
    (path,) = stored_files(media_root)
    assert path.name.startswith(str(resume.pk))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 8, id="windows-exe"),
        pytest.param("cv.pdf", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56, id="elf"),
        pytest.param("cv.docx", plain_zip_bytes(), id="zip-not-docx"),
        pytest.param("cv.docx", b"PK\x03\x04 truncated zip", id="broken-zip"),
        pytest.param("cv.txt", b"\xff\xfe\x00garbage \xe9\xe8", id="not-utf8"),
        pytest.param("cv.txt", b"text with a NUL\x00 byte", id="binary-text"),
        pytest.param("cv.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="png"),
    ],
)
def test_upload_of_something_else_is_400_and_stores_nothing(
    recruiter_api, media_root, name, content
):
    candidate = CandidateFactory()
    response = upload(recruiter_api, candidate, name, content)
    assert response.status_code == 400
    assert "file" in response.json()
    assert Resume.objects.count() == 0
    assert stored_files(media_root) == []


def test_upload_of_empty_file_is_400(recruiter_api, media_root):
    response = upload(recruiter_api, CandidateFactory(), "cv.txt", b"", TEXT)
    assert response.status_code == 400
    assert "file" in response.json()
    assert Resume.objects.count() == 0


def test_upload_over_10_mib_is_400(recruiter_api, media_root):
    response = upload(recruiter_api, CandidateFactory(), "cv.txt", b"a" * (MAX_RESUME_BYTES + 1))
    assert response.status_code == 400
    assert "10 MiB" in response.json()["file"][0]
    assert Resume.objects.count() == 0
    assert stored_files(media_root) == []


def test_upload_of_exactly_10_mib_is_accepted(recruiter_api):
    response = upload(recruiter_api, CandidateFactory(), "cv.txt", b"a" * MAX_RESUME_BYTES)
    assert response.status_code == 201
    assert response.json()["file_size"] == MAX_RESUME_BYTES


def test_upload_without_file_or_candidate_is_400(recruiter_api):
    candidate = CandidateFactory()
    no_file = recruiter_api.post(
        reverse("resume-list"), {"candidate": str(candidate.pk)}, format="multipart"
    )
    assert no_file.status_code == 400
    assert "file" in no_file.json()
    no_candidate = recruiter_api.post(
        reverse("resume-list"),
        {"file": SimpleUploadedFile("cv.pdf", PDF_BYTES, PDF)},
        format="multipart",
    )
    assert no_candidate.status_code == 400
    assert "candidate" in no_candidate.json()
    assert Resume.objects.count() == 0


def test_upload_for_soft_deleted_candidate_is_400(recruiter_api):
    candidate = CandidateFactory(deleted_at=timezone.now())
    response = upload(recruiter_api, candidate, "cv.pdf", PDF_BYTES)
    assert response.status_code == 400
    assert "candidate" in response.json()
    assert Resume.objects.count() == 0


def test_candidate_uploads_for_itself_but_not_for_another(candidate_api, own_candidate):
    mine = upload(candidate_api, own_candidate, "me.pdf", PDF_BYTES)
    assert mine.status_code == 201
    other = CandidateFactory()
    theirs = upload(candidate_api, other, "them.pdf", PDF_BYTES)
    assert theirs.status_code == 400
    assert "candidate" in theirs.json()
    assert list(Resume.objects.values_list("candidate", flat=True)) == [own_candidate.pk]


# --- read and download ------------------------------------------------------------------------


def test_download_returns_the_bytes_to_the_owner_and_404_to_another_candidate(
    candidate_api, own_candidate, recruiter_api, engine_api
):
    body = upload(candidate_api, own_candidate, "Ada CV.pdf", PDF_BYTES).json()
    url = reverse("resume-download", args=[body["id"]])
    for client in (candidate_api, recruiter_api, engine_api):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == PDF
        assert "attachment" in response["Content-Disposition"]
        assert "Ada CV.pdf" in response["Content-Disposition"]
        assert download_bytes(response) == PDF_BYTES

    theirs = ResumeFactory()
    response = candidate_api.get(reverse("resume-download", args=[theirs.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("cv.pdf", PDF_BYTES, "application/pdf"),
        (
            "cv.docx",
            None,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("cv.txt", b"Ada Lovelace\nAnalyst\n", "text/plain"),
    ],
)
def test_download_answers_with_a_documented_content_type(recruiter_api, name, content, expected):
    body = upload(recruiter_api, CandidateFactory(), name, content or docx_bytes()).json()
    response = recruiter_api.get(reverse("resume-download", args=[body["id"]]))
    assert response["Content-Type"] == expected
    assert expected in RESUME_TYPES  # the types the schema documents for the download
    download_bytes(response)


def test_resumes_of_soft_deleted_candidate_are_hidden(recruiter_api):
    resume = ResumeFactory(candidate=CandidateFactory(deleted_at=timezone.now()))
    assert recruiter_api.get(reverse("resume-list")).json()["count"] == 0
    assert recruiter_api.get(reverse("resume-detail", args=[resume.pk])).status_code == 404
    assert recruiter_api.get(reverse("resume-download", args=[resume.pk])).status_code == 404


def test_resume_list_filters_by_candidate_and_parsing_status(recruiter_api):
    candidate = CandidateFactory()
    pending = ResumeFactory(candidate=candidate)
    ResumeFactory(candidate=candidate, parsing_status="failed")
    ResumeFactory()
    by_candidate = recruiter_api.get(reverse("resume-list"), {"candidate": str(candidate.pk)})
    assert by_candidate.json()["count"] == 2
    both = recruiter_api.get(
        reverse("resume-list"), {"candidate": str(candidate.pk), "parsing_status": "pending"}
    )
    assert [row["id"] for row in both.json()["results"]] == [str(pending.pk)]


# --- parsing updates --------------------------------------------------------------------------


def test_engine_marks_parsing_completed_and_parsed_at_is_set(engine_api):
    resume = ResumeFactory()
    response = engine_api.patch(
        reverse("resume-detail", args=[resume.pk]),
        {"parsing_status": "completed", "parsed_data": {"skills": ["python", "sql"]}},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["parsing_status"] == "completed"
    assert body["parsed_at"] is not None
    assert body["parsed_data"] == {"skills": ["python", "sql"]}
    resume.refresh_from_db()
    assert resume.parsed_at is not None
    assert resume.parsed_data == {"skills": ["python", "sql"]}


def test_processing_status_leaves_parsed_at_empty(engine_api):
    resume = ResumeFactory()
    response = engine_api.patch(
        reverse("resume-detail", args=[resume.pk]), {"parsing_status": "processing"}
    )
    assert response.status_code == 200
    assert response.json()["parsed_at"] is None


@pytest.mark.parametrize(
    "changes",
    [
        {"parsed_data": ["python", "sql"]},
        {"parsed_data": "python"},
        {"parsing_status": "done"},
    ],
)
def test_bad_parsing_update_is_400_and_changes_nothing(engine_api, changes):
    resume = ResumeFactory()
    response = engine_api.patch(reverse("resume-detail", args=[resume.pk]), changes)
    assert response.status_code == 400
    assert set(changes) <= set(response.json())
    resume.refresh_from_db()
    assert resume.parsing_status == Resume.ParsingStatus.PENDING
    assert resume.parsed_data == {}
