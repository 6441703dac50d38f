"""Recognise resume files by their bytes, never by their name."""

import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
# Every type a stored resume has (its download answers with it).
RESUME_TYPES = (PDF, DOCX, TEXT)

# Control characters that never appear in a plain-text resume (tab, newlines, form feed do).
_BINARY_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])


def detect_resume_type(upload) -> str | None:
    """Return the content type of a PDF, DOCX or UTF-8 text upload, or None for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"PK\x03\x04"):
            return DOCX if _is_docx(upload) else None
        return TEXT if _is_text(upload) else None
    finally:
        upload.seek(0)


def _is_docx(upload) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _is_text(upload) -> bool:
    content = upload.read()
    if not content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return len(content.translate(None, _BINARY_BYTES)) == len(content)
