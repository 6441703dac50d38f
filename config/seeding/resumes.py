"""The demo resumes: a one-page PDF or a plain-text file per candidate, and its parsed data."""

import random
from datetime import timedelta

from django.utils.text import slugify

from config.seeding.questions import WARMUP_QUESTIONS
from config.seeding.texts import LEVEL_YEARS, RESUME_EXTRA_SKILLS, SKILLS, ascii_only
from interviews import documents
from interviews.models import Resume
from interviews.seeding import CandidatePlan, ResumePlan

ParsingStatus = Resume.ParsingStatus


def _pdf_bytes(lines: list[str]) -> bytes:
    """Return a minimal valid one-page PDF (correct xref offsets) showing the lines."""
    text = ["BT", "/F1 11 Tf", "72 770 Td", "16 TL"]
    for line in lines:
        escaped = ascii_only(line).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({escaped}) '")
    text.append("ET")
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        pdf += b"%010d 00000 n \n" % offset
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(pdf)


def plan_resume(rng: random.Random, plan: CandidatePlan, parsing_status: str) -> ResumePlan:
    low, high = LEVEL_YEARS[plan.experience_level]
    years = rng.randint(low, high)
    skills = [*SKILLS[plan.role_type], *rng.sample(RESUME_EXTRA_SKILLS, 3)]
    lines = [
        plan.full_name,
        plan.target_role,
        f"{plan.email}  {plan.phone}".strip(),
        "",
        f"Experience: {years} years",
        "Skills: " + ", ".join(skills),
        "",
        "Recent work: " + rng.choice(WARMUP_QUESTIONS)[3],
    ]
    stem = slugify(ascii_only(plan.full_name))
    if rng.random() < 0.6:
        file_name, content, content_type = f"{stem}-cv.pdf", _pdf_bytes(lines), documents.PDF
    else:
        file_name = f"{stem}-resume.txt"
        content, content_type = ("\n".join(lines) + "\n").encode(), documents.TEXT
    parsed_data = {}
    if parsing_status == ParsingStatus.COMPLETED:
        parsed_data = {
            "skills": skills,
            "years_experience": years,
            "current_title": plan.target_role,
        }
    elif parsing_status == ParsingStatus.FAILED:
        parsed_data = {"error": "No text could be extracted from the document."}
    return ResumePlan(
        file_name=file_name,
        content=content,
        content_type=content_type,
        parsing_status=parsing_status,
        parsed_data=parsed_data,
        uploaded_after=timedelta(minutes=rng.randint(5, 90)),
        parsing_took=timedelta(seconds=rng.randint(5, 90)),
    )
