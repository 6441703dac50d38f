"""Resume parsing: real PDF, DOCX and text resumes give their fields; hostile files fail fast
with a clear message, in a child process, without growing this one, and the next file parses."""

import os
import resource
import time

import pytest

from interviews import resume_parsing
from interviews.resume_parsing import ResumeParsingFailed, parse_resume_file
from interviews.tests import resume_samples as samples

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
# Generous: the machine is a loaded 2-core box; the limits themselves are 15-20 s.
BOUND_SECONDS = 30
# The parent's peak memory may grow by this much over a hostile parse (it holds a few MiB).
PARENT_GROWTH_BYTES = 64 * 1024 * 1024

TEXT_RESUME = (
    "\ufeffAnna Łukasiewicz\nanna@example.pl\n+48 600 700 800\n\nSKILLS\n"
    "Python, FastAPI, PostgreSQL, Redis, Docker\n\nPROJECTS\n"
    "https://gitlab.com/anna/parser — a resume parser.\n"
)


def write(tmp_path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def parent_peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def parse_timed(path: str, content_type: str) -> tuple[float, dict | ResumeParsingFailed]:
    started = time.monotonic()
    try:
        outcome = parse_resume_file(path, content_type)
    except ResumeParsingFailed as failure:
        outcome = failure
    return time.monotonic() - started, outcome


def assert_fails_fast(path: str, content_type: str, message: str, within=BOUND_SECONDS) -> float:
    peak_before = parent_peak_bytes()
    elapsed, outcome = parse_timed(path, content_type)
    assert isinstance(outcome, ResumeParsingFailed), outcome
    assert str(outcome) == message
    assert elapsed < within
    assert parent_peak_bytes() - peak_before < PARENT_GROWTH_BYTES
    return elapsed


def assert_next_file_parses(tmp_path):
    parsed = parse_resume_file(write(tmp_path, "next.txt", TEXT_RESUME.encode()), TEXT)
    assert parsed["skills"] == ["docker", "fastapi", "postgresql", "python", "redis"]


# --- real resumes ---------------------------------------------------------------------------


def test_pdf_resume_gives_text_pages_contacts_links_skills_and_sections(tmp_path):
    content = samples.text_pdf(
        [
            [
                "Jane Doe",
                "Senior Backend Engineer",
                "jane.doe@example.com | +1 (415) 555-0100 | github.com/janedoe",
                "https://www.linkedin.com/in/jane-doe.",
                "Summary",
                "Backend engineer who likes JS and Postgres.",
                "Experience",
                "Acme Corp, 2019 - 2023: built services in Python, Django and k8s.",
            ],
            [
                "Education",
                "BSc Computer Science, 2015 - 2019",
                "Skills: Go, C++, React Native, CI/CD, Docker",
                "Phone (UK): 0044 20 7946 0018",
            ],
        ],
        link_targets=("https://janedoe.dev", "mailto:jobs@janedoe.dev"),
    )

    parsed = parse_resume_file(write(tmp_path, "cv.pdf", content), PDF)

    assert parsed["text"].startswith("Jane Doe\nSenior Backend Engineer\njane.doe@example.com")
    assert "BSc Computer Science, 2015 - 2019" in parsed["text"]
    assert parsed["text_truncated"] is False
    assert parsed["pages"] == 2
    assert parsed["word_count"] == len(parsed["text"].split()) > 40
    assert parsed["emails"] == ["jane.doe@example.com", "jobs@janedoe.dev"]
    assert parsed["phones"] == ["+14155550100", "+442079460018"]
    assert parsed["links"] == [
        "https://github.com/janedoe",
        "https://www.linkedin.com/in/jane-doe",
        "https://janedoe.dev",
    ]
    assert parsed["skills"] == [
        "c++",
        "ci/cd",
        "django",
        "docker",
        "go",
        "javascript",
        "kubernetes",
        "postgresql",
        "python",
        "react native",
    ]
    assert [(section["name"], section["heading"]) for section in parsed["sections"]] == [
        ("summary", "Summary"),
        ("experience", "Experience"),
        ("education", "Education"),
        ("skills", "Skills"),
    ]
    assert parsed["sections"][1]["text"] == (
        "Acme Corp, 2019 - 2023: built services in Python, Django and k8s."
    )
    assert parsed["sections"][3]["text"] == (
        "Go, C++, React Native, CI/CD, Docker\nPhone (UK): 0044 20 7946 0018"
    )
    assert parsed["parser"] == {
        "name": "interviews.resume_parsing",
        "version": 1,
        "library": "pypdf 7.1.1",
    }


def test_docx_resume_gives_header_paragraphs_tables_text_boxes_hyperlinks_and_sections(tmp_path):
    path = tmp_path / "cv.docx"
    samples.docx_resume(
        path,
        header="jose@example.org · 415-555-0199",
        name="José Martínez",
        contact=["https://github.com/jmartinez"],
        hyperlink="https://jose.example.org/portfolio",
        text_box="Languages: English, Spanish",
        sections={
            "Professional Summary": ["Full-stack developer: TypeScript, Vue and Node.js."],
            "Work Experience": [("Globex", "2020 - 2024", "Kotlin and Spring Boot on AWS")],
            "Education": ["MSc Software Engineering, 2018"],
            "Certifications": ["AWS Certified Solutions Architect"],
        },
    )

    parsed = parse_resume_file(str(path), DOCX)

    assert parsed["text"].startswith(
        "jose@example.org · 415-555-0199\nJosé Martínez\nhttps://github.com/jmartinez\n"
        "Portfolio: my portfolio\n\nLanguages: English, Spanish\nProfessional Summary\n"
    )
    assert parsed["text"].count("English, Spanish") == 1  # the VML copy of the box is skipped
    assert parsed["pages"] is None
    assert parsed["emails"] == ["jose@example.org"]
    assert parsed["phones"] == ["415-555-0199"]
    assert parsed["links"] == ["https://github.com/jmartinez", "https://jose.example.org/portfolio"]
    assert parsed["skills"] == ["aws", "kotlin", "node.js", "spring boot", "typescript", "vue.js"]
    assert parsed["sections"] == [
        {"name": "languages", "heading": "Languages", "text": "English, Spanish"},
        {
            "name": "summary",
            "heading": "Professional Summary",
            "text": "Full-stack developer: TypeScript, Vue and Node.js.",
        },
        {
            "name": "experience",
            "heading": "Work Experience",
            "text": "Globex\n2020 - 2024\nKotlin and Spring Boot on AWS",
        },
        {"name": "education", "heading": "Education", "text": "MSc Software Engineering, 2018"},
        {
            "name": "certifications",
            "heading": "Certifications",
            "text": "AWS Certified Solutions Architect",
        },
    ]
    assert parsed["parser"]["library"] == "python-docx 1.2.0"


def test_utf8_text_resume_parses_without_its_byte_order_mark(tmp_path):
    parsed = parse_resume_file(write(tmp_path, "cv.txt", TEXT_RESUME.encode()), TEXT)

    assert parsed["text"].startswith("Anna Łukasiewicz\n")
    assert parsed["pages"] is None
    assert parsed["word_count"] == 19
    assert parsed["emails"] == ["anna@example.pl"]
    assert parsed["phones"] == ["+48600700800"]
    assert parsed["links"] == ["https://gitlab.com/anna/parser"]
    assert [section["name"] for section in parsed["sections"]] == ["skills", "projects"]
    assert parsed["sections"][0]["text"] == "Python, FastAPI, PostgreSQL, Redis, Docker"
    assert parsed["parser"]["library"] is None


def test_text_is_capped_at_100000_characters(tmp_path):
    parsed = parse_resume_file(write(tmp_path, "long.txt", b"word " * 30_000), TEXT)

    assert len(parsed["text"]) == 100_000
    assert parsed["text_truncated"] is True
    assert parsed["word_count"] == 20_000


def test_pdf_encrypted_with_only_an_owner_password_parses(tmp_path):
    content = samples.encrypted_pdf(["Jane Doe", "Python"], user_password="")

    parsed = parse_resume_file(write(tmp_path, "cv.pdf", content), PDF)

    assert parsed["text"] == "Jane Doe\nPython"
    assert parsed["skills"] == ["python"]


# --- hostile files --------------------------------------------------------------------------

HOSTILE = {
    "pdf_with_10000_pages": (
        lambda: samples.pdf_with_pages(10_000),
        PDF,
        "The PDF has too many pages (10000; the limit is 200).",
    ),
    "pdf_with_10000_pages_and_a_lying_count": (
        lambda: samples.pdf_with_pages(10_000, declared=1),
        PDF,
        "The PDF has too many pages (more than 200).",
    ),
    "pdf_with_an_array_over_pypdfs_limit": (
        lambda: samples.pdf_with_pages(100_001),
        PDF,
        "The PDF is too complex to parse.",
    ),
    "pdf_with_circular_page_tree": (
        samples.pdf_with_circular_page_tree,
        PDF,
        "The PDF's page tree is circular.",
    ),
    "pdf_with_a_password": (
        lambda: samples.encrypted_pdf(["Jane Doe"], user_password="secret"),
        PDF,
        "The PDF is password-protected.",
    ),
    "garbage_pdf": (samples.garbage_pdf, PDF, "The file is not a readable PDF."),
    "truncated_pdf": (
        lambda: samples.text_pdf([["Jane Doe", "Python"]])[:300],
        PDF,
        "The file is not a readable PDF.",
    ),
    "docx_zip_bomb_of_1_gib": (
        lambda: samples.docx_bomb(1024 * samples.MiB),
        DOCX,
        "The Word document uncompresses to more than 50 MiB.",
    ),
    # The directory claims 10 kB; zipfile inflates no more than that, then checks the CRC.
    "docx_zip_bomb_with_a_lying_directory": (
        lambda: samples.docx_bomb(1024 * samples.MiB, declared=10_000, crc_of_declared=False),
        DOCX,
        "The Word document is damaged.",
    ),
    "docx_zip_bomb_with_a_lying_directory_and_a_matching_crc": (
        lambda: samples.docx_bomb(1024 * samples.MiB, declared=10_000),
        DOCX,
        "The file is not a readable Word document.",  # 10 kB of zeros are not XML
    ),
    "docx_compressed_1000_times": (
        lambda: samples.zip_of(
            {"[Content_Types].xml": samples.CONTENT_TYPES, "word/document.xml": bytes(5 * 2**20)}
        ),
        DOCX,
        "The Word document is compressed more than 100 times (a zip bomb).",
    ),
    "docx_with_2000_parts": (
        lambda: samples.zip_of({f"word/media/{number}.xml": b"<a/>" for number in range(2000)}),
        DOCX,
        "The Word document has too many parts (2000; the limit is 1000).",
    ),
    "zip_that_is_not_a_document": (
        lambda: samples.zip_of({"hello.txt": b"hello"}),
        DOCX,
        "The file is a zip archive but not a Word document.",
    ),
    "docx_with_garbage_xml": (
        lambda: samples.zip_of(
            {"[Content_Types].xml": samples.CONTENT_TYPES, "word/document.xml": b"<w:document"}
        ),
        DOCX,
        "The file is not a readable Word document.",
    ),
    "text_that_is_not_utf8": (
        lambda: "José Pérez\nPython developer\n".encode("latin-1"),
        TEXT,
        "The text file is not UTF-8 encoded.",
    ),
    "pdf_without_text": (
        lambda: samples.pdf_with_pages(1),
        PDF,
        "No text could be extracted from the document.",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_file_fails_fast_with_a_clear_message_and_the_next_file_parses(case, tmp_path):
    build, content_type, message = HOSTILE[case]

    assert_fails_fast(write(tmp_path, "hostile", build()), content_type, message)
    assert_next_file_parses(tmp_path)


@pytest.mark.parametrize(
    ("build", "text"),
    [(samples.pdf_with_self_drawing_form, "loop"), (samples.pdf_with_looping_xref, "Jane\nSQL")],
    ids=["form_xobject_that_draws_itself", "xref_chain_that_loops"],
)
def test_pdf_that_loops_on_itself_parses_once_without_hanging(build, text, tmp_path):
    content = build() if build is samples.pdf_with_self_drawing_form else build(["Jane", "SQL"])

    elapsed, outcome = parse_timed(write(tmp_path, "loop.pdf", content), PDF)

    assert not isinstance(outcome, ResumeParsingFailed), outcome
    assert outcome["text"] == text
    assert elapsed < BOUND_SECONDS


def busy_pdf() -> bytes:
    # 200 pages share one content stream of 100,000 empty strings: a few KiB that keep pypdf
    # busy for minutes (2 s a page here), under its own per-stream budget, with no text to cap.
    return samples.pdf_that_spins(100_000, pages=200, shown=b"")


def test_pdf_that_keeps_pypdf_busy_is_stopped_by_the_default_limits(tmp_path):
    path = write(tmp_path, "spin.pdf", busy_pdf())

    elapsed, outcome = parse_timed(path, PDF)

    assert str(outcome) in (
        "Parsing the file used too much CPU time (the limit is 15 s).",
        "Parsing the file took too long (the limit is 20 s).",
    )
    assert elapsed < BOUND_SECONDS
    assert_next_file_parses(tmp_path)


def test_cpu_limit_stops_the_child(settings, tmp_path):
    settings.RESUME_PARSE_CPU_SECONDS = 1
    path = write(tmp_path, "spin.pdf", busy_pdf())

    assert_fails_fast(path, PDF, "Parsing the file used too much CPU time (the limit is 1 s).")
    assert_next_file_parses(tmp_path)


def test_wall_clock_limit_kills_the_child(settings, tmp_path):
    settings.RESUME_PARSE_TIMEOUT_SECONDS = 1.5
    path = write(tmp_path, "spin.pdf", busy_pdf())

    elapsed = assert_fails_fast(
        path, PDF, "Parsing the file took too long (the limit is 1.5 s).", within=10
    )
    assert elapsed >= 1.5
    assert_next_file_parses(tmp_path)


def test_memory_limit_stops_the_child(settings, tmp_path):
    # The content stream inflates to 70 MiB (under pypdf's own 75 MB cap), which pypdf copies.
    settings.RESUME_PARSE_MEMORY_BYTES = 128 * 2**20
    path = write(tmp_path, "big.pdf", samples.pdf_with_stream_of(70 * 2**20))

    assert_fails_fast(path, PDF, "Parsing the file needs too much memory (the limit is 128 MiB).")
    assert_next_file_parses(tmp_path)


def test_file_over_10_mib_is_refused_before_any_parsing(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as sparse:
        sparse.truncate(10 * 2**20 + 1)

    elapsed = assert_fails_fast(str(path), PDF, "The file is larger than 10 MiB.", within=1)
    assert elapsed < 1


def test_page_limit_comes_from_settings(settings, tmp_path):
    settings.RESUME_PARSE_MAX_PAGES = 1
    path = write(tmp_path, "two.pdf", samples.text_pdf([["Jane"], ["Doe"]]))

    assert_fails_fast(path, PDF, "The PDF has too many pages (2; the limit is 1).")


def test_an_oversized_reply_is_not_read_into_the_parent(monkeypatch, tmp_path):
    monkeypatch.setattr(resume_parsing, "MAX_REPLY_BYTES", 1000)
    path = write(tmp_path, "long.txt", b"word " * 30_000)

    assert_fails_fast(path, TEXT, "The resume parser's reply was too large.")


def test_unknown_content_type_fails_and_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(ResumeParsingFailed, match=r"^Files of type image/png cannot be parsed\.$"):
        parse_resume_file(write(tmp_path, "cv.png", b"\x89PNG"), "image/png")
    with pytest.raises(FileNotFoundError):
        parse_resume_file(str(tmp_path / "gone.pdf"), PDF)


def test_the_child_gets_no_secrets_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "not-for-the-child")
    environment = resume_parsing.child_environment()
    assert "DJANGO_SECRET_KEY" not in environment
    assert environment.get("PATH") == os.environ.get("PATH")
