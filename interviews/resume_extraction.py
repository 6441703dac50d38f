"""Extract a resume's text and fields inside the child process that interviews.resume_parsing runs.

Run as `python -m interviews.resume_extraction`: it reads one JSON request on stdin
(`{"path", "content_type", "limits"}`), lowers its own memory, CPU and file-size limits before
it opens the file, and writes one JSON reply on stdout: `{"parsed_data": {...}}` or
`{"error": "<message for parsing_error>", "detail": "<what the library said>"}`. It imports no
Django: the process that reads a hostile file holds no settings, connections or secrets.
pypdf and python-docx are imported only here, so the worker process never loads them.
"""

import dataclasses
import io
import json
import logging
import re
import resource
import sys
import warnings
import zipfile
from collections.abc import Iterator

from interviews import documents, resume_fields

PARSER_VERSION = 1
MiB = 1024 * 1024

# The limits, each overridable through a RESUME_PARSE_<NAME> setting (interviews.resume_parsing).
MAX_FILE_BYTES = 10 * MiB  # the file as stored
MAX_PAGES = 200  # PDF pages, counted from the page tree before any page is read
MEMORY_BYTES = 512 * MiB  # RLIMIT_AS of the child: its whole address space
CPU_SECONDS = 15  # RLIMIT_CPU of the child; the kernel stops it past this
TIMEOUT_SECONDS = 20.0  # wall clock, enforced by the parent, which kills the child
DOCX_MAX_ENTRIES = 1000  # files inside the DOCX zip (Word writes about 20)
DOCX_MAX_UNCOMPRESSED_BYTES = 50 * MiB  # all of them together, uncompressed
DOCX_MAX_RATIO = 100  # uncompressed / compressed, for any part over DOCX_RATIO_MIN_BYTES
DOCX_RATIO_MIN_BYTES = 1 * MiB  # small parts compress well and harmlessly (styles.xml: 32x)
# Fixed by the SPEC, not a setting: the stored text, and what every other field is found in.
MAX_TEXT_CHARS = 100_000


@dataclasses.dataclass(frozen=True)
class ParseLimits:
    """The limits one parse runs under."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_pages: int = MAX_PAGES
    memory_bytes: int = MEMORY_BYTES
    cpu_seconds: int = CPU_SECONDS
    timeout_seconds: float = TIMEOUT_SECONDS
    docx_max_entries: int = DOCX_MAX_ENTRIES
    docx_max_uncompressed_bytes: int = DOCX_MAX_UNCOMPRESSED_BYTES
    docx_max_ratio: int = DOCX_MAX_RATIO


class ResumeParsingFailed(Exception):
    """The file cannot be parsed within the limits; the message is the resume's parsing_error."""


class _UnreadablePdf(Exception):
    """pypdf failed in a way that does not deserve its own message."""


def extract(path: str, content_type: str, limits: ParseLimits) -> dict:
    """Return the parsed_data of the resume file at path (see interviews.resume_parsing)."""
    with open(path, "rb") as stored:
        # The parent checked the size; read one byte more than allowed in case the file grew.
        content = stored.read(limits.max_file_bytes + 1)
    if len(content) > limits.max_file_bytes:
        raise ResumeParsingFailed(f"The file is larger than {_size(limits.max_file_bytes)}.")
    emails: list[str] = []
    links: list[str] = []
    if content_type == documents.PDF:
        text, pages, library = _pdf_text(content, limits, emails=emails, links=links)
    elif content_type == documents.DOCX:
        text, library = _docx_text(content, limits, emails=emails, links=links)
        # A DOCX has no pages until a word processor lays it out; docProps/app.xml holds what
        # the last application wrote (python-docx leaves its template's 1), so none is reported.
        pages = None
    elif content_type == documents.TEXT:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ResumeParsingFailed("The text file is not UTF-8 encoded.") from None
        pages, library = None, None
    else:
        raise ResumeParsingFailed(f"Files of type {content_type} cannot be parsed.")
    del content
    text = _clean(text)
    truncated = len(text) > MAX_TEXT_CHARS
    text = text[:MAX_TEXT_CHARS]
    if not text.strip():
        raise ResumeParsingFailed("No text could be extracted from the document.")
    return {
        "text": text,
        "text_truncated": truncated,
        "pages": pages,
        "word_count": resume_fields.count_words(text),
        "emails": resume_fields.find_emails(text, extra=emails),
        "phones": resume_fields.find_phones(text),
        "links": resume_fields.find_links(text, extra=links),
        "skills": resume_fields.find_skills(text),
        "sections": resume_fields.find_sections(text),
        "parser": {
            "name": "interviews.resume_parsing",
            "version": PARSER_VERSION,
            "library": library,
        },
    }


def _pdf_text(
    content: bytes, limits: ParseLimits, *, emails: list[str], links: list[str]
) -> tuple[str, int, str]:
    import pypdf
    from pypdf.errors import LimitReachedError

    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
        # Many PDFs are encrypted with an empty user password (an owner password only limits
        # printing or copying): those open; any other password keeps the file closed.
        if reader.is_encrypted and not _decrypts_without_password(reader):
            raise ResumeParsingFailed("The PDF is password-protected.")
        pages = _count_pdf_pages(reader, limits.max_pages)
        parts: list[str] = []
        length = 0
        for page in reader.pages:
            _pdf_link_targets(page, emails=emails, links=links)
            if length <= MAX_TEXT_CHARS:
                part = page.extract_text() or ""
                parts.append(part)
                length += len(part) + 1
    except (ResumeParsingFailed, MemoryError, RecursionError):
        raise
    except LimitReachedError as error:  # pypdf's own caps: stream sizes, tokens, array lengths
        raise ResumeParsingFailed("The PDF is too complex to parse.") from error
    except Exception as error:
        raise _UnreadablePdf(error) from error
    return "\n".join(parts), pages, f"pypdf {pypdf.__version__}"


def _decrypts_without_password(reader) -> bool:
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        return bool(reader.decrypt(""))
    except DependencyError:  # AES needs the cryptography package, which is not installed
        raise ResumeParsingFailed("The PDF is encrypted with AES, which cannot be read.") from None
    except (FileNotDecryptedError, NotImplementedError):
        return False


def _count_pdf_pages(reader, limit: int) -> int:
    """Count the leaves of the page tree, stopping past limit, without reading any page."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    pages = reader.trailer["/Root"].get_object()["/Pages"]
    declared = pages.get_object().get("/Count")
    if isinstance(declared, int) and declared > limit:
        raise ResumeParsingFailed(f"The PDF has too many pages ({declared}; the limit is {limit}).")
    # /Count can lie, and /Kids can lead back up the tree: walk it, with each /Pages node once.
    count, visited, stack = 0, set(), [pages]
    while stack:
        reference = stack.pop()
        node = reference.get_object()
        if not isinstance(node, DictionaryObject):
            raise ResumeParsingFailed("The PDF's page tree is damaged.")
        kids = node.get("/Kids")
        if kids is None or node.get("/Type") == "/Page":
            count += 1
            if count > limit:
                raise ResumeParsingFailed(f"The PDF has too many pages (more than {limit}).")
            continue
        key = (
            (reference.idnum, reference.generation)
            if isinstance(reference, IndirectObject)
            else id(node)
        )
        if key in visited:
            raise ResumeParsingFailed("The PDF's page tree is circular.")
        visited.add(key)
        kids = kids.get_object()
        if not isinstance(kids, ArrayObject):
            raise ResumeParsingFailed("The PDF's page tree is damaged.")
        stack.extend(kids)
    return count


def _pdf_link_targets(page, *, emails: list[str], links: list[str]) -> None:
    """Collect the targets of the page's link annotations: the visible text may say "GitHub"."""
    annotations = _resolved(page.get("/Annots"))
    if not isinstance(annotations, list):
        return
    for annotation in annotations[: resume_fields.MAX_ITEMS]:
        annotation = _resolved(annotation)
        action = _resolved(annotation.get("/A")) if isinstance(annotation, dict) else None
        target = action.get("/URI") if isinstance(action, dict) else None
        if isinstance(target, str) and target.lower().startswith("mailto:"):
            emails.append(target[7:].split("?")[0])
        elif isinstance(target, str):
            links.append(target)


def _resolved(value):
    return value.get_object() if hasattr(value, "get_object") else value


def _docx_text(
    content: bytes, limits: ParseLimits, *, emails: list[str], links: list[str]
) -> tuple[str, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise ResumeParsingFailed("The file is not a readable Word document.") from None
    with archive:
        _check_docx_archive(archive, limits)

    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as error:
        raise ResumeParsingFailed("The file is not a readable Word document.") from error
    relationships = list(document.part.rels.values())
    # Headers first: templates put the name and contact details there.
    headers = [
        relationship.target_part.element
        for relationship in relationships
        if relationship.reltype == RELATIONSHIP_TYPE.HEADER and not relationship.is_external
    ]
    lines: list[str] = []
    length = 0
    for line in _docx_lines(headers, document.element.body):
        lines.append(line)
        length += len(line) + 1
        if length > MAX_TEXT_CHARS:
            break
    for relationship in relationships:
        if relationship.reltype == RELATIONSHIP_TYPE.HYPERLINK and relationship.is_external:
            target = relationship.target_ref
            if target.lower().startswith("mailto:"):
                emails.append(target[7:].split("?")[0])
            else:
                links.append(target)
    return "\n".join(lines), f"python-docx {docx.__version__}"


def _check_docx_archive(archive: zipfile.ZipFile, limits: ParseLimits) -> None:
    """Refuse a zip bomb by its directory, then read every part with a byte cap in case it lies."""
    entries = archive.infolist()
    if len(entries) > limits.docx_max_entries:
        raise ResumeParsingFailed(
            f"The Word document has too many parts ({len(entries)}; "
            f"the limit is {limits.docx_max_entries})."
        )
    cap = limits.docx_max_uncompressed_bytes
    if sum(entry.file_size for entry in entries) > cap:
        raise ResumeParsingFailed(f"The Word document uncompresses to more than {_size(cap)}.")
    for entry in entries:
        if entry.file_size > max(DOCX_RATIO_MIN_BYTES, limits.docx_max_ratio * entry.compress_size):
            raise ResumeParsingFailed(
                f"The Word document is compressed more than {limits.docx_max_ratio} times "
                "(a zip bomb)."
            )
    if "word/document.xml" not in archive.namelist():
        raise ResumeParsingFailed("The file is a zip archive but not a Word document.")
    remaining = cap
    for entry in entries:
        try:
            with archive.open(entry) as part:
                while chunk := part.read(MiB):
                    remaining -= len(chunk)
                    if remaining < 0:
                        raise ResumeParsingFailed(
                            f"The Word document uncompresses to more than {_size(cap)}."
                        )
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
            # zipfile stops at the declared size and then checks the CRC: a part that inflates
            # past what the directory says ends here, as does an unknown compression method.
            raise ResumeParsingFailed("The Word document is damaged.") from None
        except Exception as error:  # zlib.error and the like from a corrupt stream
            raise ResumeParsingFailed("The Word document is damaged.") from error


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RUN_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}


def _docx_lines(headers: list, body) -> Iterator[str]:
    """Yield the text of every paragraph: header lines once each, then the body in order.

    Every w:p counts, so table cells and text boxes are read too (python-docx's paragraphs are
    only the body's top level). A text box is stored twice, as DrawingML and as a VML fallback:
    the fallback is skipped. Deleted revisions are w:delText and stay out.
    """
    seen = set()
    for header in headers:
        for line in _paragraph_texts(header):
            if line.strip() and line not in seen:
                seen.add(line)
                yield line
    yield from _paragraph_texts(body)


def _paragraph_texts(root) -> Iterator[str]:
    for paragraph in root.iter(f"{_W}p"):
        if any(ancestor.tag == _FALLBACK for ancestor in paragraph.iterancestors()):
            continue
        pieces = []
        for node in paragraph.iter(*_RUN_TEXT):
            # Only run content (w:tab is also a tab stop in w:pPr), and not that of a text box
            # anchored here: the box's own paragraphs hold it.
            in_run = node.getparent().tag == f"{_W}r"
            if in_run and next(node.iterancestors(f"{_W}p")) is paragraph:
                pieces.append(_RUN_TEXT[node.tag] or node.text or "")
        yield "".join(pieces)


def _clean(text: str) -> str:
    # PostgreSQL's jsonb refuses \u0000, and a lone surrogate cannot be encoded as UTF-8.
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    text = re.sub(r"[ \t]+\n", "\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _size(byte_count: int) -> str:
    return f"{byte_count / MiB:g} MiB"


def _lower_limit(which: int, value: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value if hard == resource.RLIM_INFINITY else hard))


def _limit_resources(limits: ParseLimits) -> None:
    _lower_limit(resource.RLIMIT_AS, limits.memory_bytes)
    # Past the soft limit the kernel sends SIGXCPU (which ends the process), a second later
    # SIGKILL; the parent's wall clock covers a child that blocks without using the CPU.
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    cpu = limits.cpu_seconds
    if hard == resource.RLIM_INFINITY or hard > cpu + 1:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    _lower_limit(resource.RLIMIT_FSIZE, 0)  # it writes no files
    _lower_limit(resource.RLIMIT_CORE, 0)


def _detail(error: BaseException | None) -> str:
    return f"{type(error).__name__}: {error}"[:500] if error is not None else ""


def main() -> None:
    """Serve one request from stdin."""
    request = json.loads(sys.stdin.buffer.read(64 * 1024))
    limits = ParseLimits(**request["limits"])
    _limit_resources(limits)
    # pypdf logs a warning per oddity of a damaged file: the parent would only discard them.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    try:
        reply = {"parsed_data": extract(request["path"], request["content_type"], limits)}
    except ResumeParsingFailed as failure:
        reply = {"error": str(failure), "detail": _detail(failure.__cause__)}
    except _UnreadablePdf as failure:
        reply = {"error": "The file is not a readable PDF.", "detail": _detail(failure.__cause__)}
    except MemoryError:
        limit = _size(limits.memory_bytes)
        reply = {"error": f"Parsing the file needs too much memory (the limit is {limit})."}
    except RecursionError:
        reply = {"error": "The file nests objects too deeply to parse."}
    except Exception as error:  # a library tripping over a malformed file in a way not foreseen
        reply = {"error": "The file could not be parsed.", "detail": _detail(error)}
    reply["peak_memory_kib"] = _peak_memory_kib()
    sys.stdout.buffer.write(json.dumps(reply, ensure_ascii=False).encode())


def _peak_memory_kib() -> int | None:
    # VmHWM is this program's own peak (ru_maxrss would include the parent's, from before exec).
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return None


if __name__ == "__main__":
    main()
