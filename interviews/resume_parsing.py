"""Parse a resume file into parsed_data in a child process that a hostile file cannot hang.

`parse_resume_file(path, content_type)` returns the resume's parsed_data or raises
`ResumeParsingFailed(message)`, whose message is the resume's `parsing_error`. An `OSError`
(the file is missing or unreadable, no process can be started) is not a verdict on the file:
it propagates, and the job may retry.

parsed_data::

    text            str   the text, whitespace tidied, at most 100,000 characters; every field
                          below is found in this (capped) text
    text_truncated  bool  the document held more text than that
    pages           int | None  PDF: pages in the page tree; DOCX and text: None (a DOCX has no
                          pages until a word processor lays it out, and the count an
                          application stores in docProps/app.xml is often stale)
    word_count      int   whitespace-separated words
    emails          [str] distinct addresses in order of appearance, then mailto: targets of
                          PDF link annotations and DOCX hyperlinks
    phones          [str] distinct numbers: E.164 ("+442079460018") when written with + or 00
                          and a country code; otherwise as written ("(555) 123-4567"), since
                          the country is unknown
    links           [str] distinct http(s) URLs in order of appearance; bare "github.com/x",
                          "linkedin.com/in/x" and "www.x.org" get https://; DOCX hyperlink and
                          PDF link annotation targets are added after them
    skills          [str] canonical names from resume_fields.KNOWN_SKILLS (116; 42 aliases
                          such as "js" -> "javascript", "postgres" -> "postgresql"), matched
                          case-insensitively on word boundaries (C, R and Go case-sensitively),
                          sorted
    sections        [{"name", "heading", "text"}] in document order; name is canonical
                          (summary, experience, education, skills, projects, certifications,
                          languages, awards, publications, volunteering, interests,
                          references), heading as written, text the lines up to the next one
    parser          {"name": "interviews.resume_parsing", "version": 1,
                     "library": "pypdf 7.1.1" | "python-docx 1.2.0" | None}

emails, phones and links hold at most 50 entries each. A document without any text (a scanned
PDF) fails with "No text could be extracted from the document."

Limits (defaults in interviews.resume_extraction; settings of these names override them):

    RESUME_PARSE_MAX_FILE_BYTES      10 MiB  checked here before any process starts
    RESUME_PARSE_MAX_PAGES           200     PDF; counted from the page tree (its /Count, then
                                             a walk that stops past the limit and refuses a
                                             circular tree) before any page is read
    RESUME_PARSE_TIMEOUT_SECONDS     20      wall clock: this process kills the child
    RESUME_PARSE_CPU_SECONDS         15      RLIMIT_CPU of the child
    RESUME_PARSE_MEMORY_BYTES        512 MiB RLIMIT_AS of the child
    RESUME_PARSE_DOCX_MAX_ENTRIES    1000    files in the DOCX zip
    RESUME_PARSE_DOCX_MAX_UNCOMPRESSED_BYTES  50 MiB  all files, from the zip directory, and
                                             again while every part is stream-read (so a
                                             directory that lies is caught too) before
                                             python-docx opens the document
    RESUME_PARSE_DOCX_MAX_RATIO      100     uncompressed/compressed, for any part over 1 MiB

The child is `python -m interviews.resume_extraction`, a fresh process per file, started with
only PATH, PYTHONPATH and locale variables (no secrets), without Django. It lowers its own limits
before opening the file, caps the text before replying, and its reply is read with a byte cap
here, so this process never holds more than MAX_REPLY_BYTES of it. pypdf's own limits (stream
sizes, tokens per content stream, array lengths, page tree depth) apply inside the child too.

parsing_error messages (N and the limits filled in):

    The file is larger than 10 MiB.
    The PDF has too many pages (N; the limit is 200).   (or "(more than 200)" if /Count lies)
    The PDF's page tree is circular.
    The PDF's page tree is damaged.
    The PDF is too complex to parse.                    (one of pypdf's own limits)
    The PDF is password-protected.
    The PDF is encrypted with AES, which cannot be read.   (needs the cryptography package)
    The file is not a readable PDF.
    The Word document uncompresses to more than 50 MiB.
    The Word document is compressed more than 100 times (a zip bomb).
    The Word document has too many parts (N; the limit is 1000).
    The Word document is damaged.                       (a part fails its size or CRC check)
    The file is a zip archive but not a Word document.
    The file is not a readable Word document.
    The text file is not UTF-8 encoded.
    No text could be extracted from the document.
    Parsing the file took too long (the limit is 20 s).
    Parsing the file used too much CPU time (the limit is 15 s).
    Parsing the file needs too much memory (the limit is 512 MiB).
    Files of type <content type> cannot be parsed.
    and for what no check foresaw: "The file could not be parsed.", "The resume parser was
    stopped by SIGKILL." (any signal), "The resume parser stopped unexpectedly (exit status N).",
    "The resume parser's reply was too large." (over MAX_REPLY_BYTES) or "... was unreadable."
"""

import json
import logging
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from interviews import documents
from interviews.resume_extraction import ParseLimits, ResumeParsingFailed

__all__ = ["ParseLimits", "ResumeParsingFailed", "configured_limits", "parse_resume_file"]

logger = logging.getLogger(__name__)

# The reply holds at most 100,000 characters twice (text, sections) plus short lists.
MAX_REPLY_BYTES = 4 * 1024 * 1024
MAX_STDERR_BYTES = 16 * 1024
# The child gets these from the environment and nothing else.
CHILD_ENVIRONMENT = ("PATH", "PYTHONPATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR")
_PROJECT_ROOT = Path(__file__).resolve().parent.parent


class _TimedOut(Exception):
    pass


def configured_limits() -> ParseLimits:
    """Return the limits, each from its RESUME_PARSE_<NAME> setting when there is one."""
    defaults = ParseLimits()
    return ParseLimits(
        **{
            name: getattr(settings, f"RESUME_PARSE_{name.upper()}", getattr(defaults, name))
            for name in ParseLimits.__dataclass_fields__
        }
    )


def parse_resume_file(path: str, content_type: str) -> dict:
    """Return the parsed_data of the resume file, or raise ResumeParsingFailed."""
    limits = configured_limits()
    if content_type not in documents.RESUME_TYPES:
        raise ResumeParsingFailed(f"Files of type {content_type} cannot be parsed.")
    if os.stat(path).st_size > limits.max_file_bytes:
        raise ResumeParsingFailed(f"The file is larger than {_mib(limits.max_file_bytes)}.")
    request = {"path": os.path.abspath(path), "content_type": content_type}
    request["limits"] = {name: getattr(limits, name) for name in ParseLimits.__dataclass_fields__}
    started = time.monotonic()
    returncode, reply, errors = _run_child(json.dumps(request).encode(), limits.timeout_seconds)
    elapsed = time.monotonic() - started
    try:
        answer = json.loads(reply) if returncode == 0 else None
    except ValueError:
        answer = None
    if isinstance(answer, dict):
        peak = answer.get("peak_memory_kib")
        if isinstance(answer.get("parsed_data"), dict):
            logger.info("Parsed %s in %.1f s, peak %s KiB.", path, elapsed, peak)
            return answer["parsed_data"]
        if isinstance(answer.get("error"), str):
            logger.info(
                "Not parsed %s in %.1f s, peak %s KiB: %s %s",
                path,
                elapsed,
                peak,
                answer["error"],
                answer.get("detail", ""),
            )
            raise ResumeParsingFailed(answer["error"])
    message = _failure_message(returncode, errors, limits)
    logger.warning(
        "Resume parser for %s ended with %s after %.1f s: %s",
        path,
        returncode,
        elapsed,
        errors.decode(errors="replace")[-2000:],
    )
    raise ResumeParsingFailed(message)


def _failure_message(returncode: int | None, errors: bytes, limits: ParseLimits) -> str:
    if returncode is None:
        return f"Parsing the file took too long (the limit is {limits.timeout_seconds:g} s)."
    if returncode == -signal.SIGXCPU:  # the soft RLIMIT_CPU (Python does not catch SIGXCPU)
        return f"Parsing the file used too much CPU time (the limit is {limits.cpu_seconds} s)."
    if b"MemoryError" in errors:
        return f"Parsing the file needs too much memory (the limit is {_mib(limits.memory_bytes)})."
    if returncode == 0:
        return "The resume parser's reply was unreadable."
    if returncode < 0:  # SIGKILL from the hard RLIMIT_CPU or the kernel's OOM killer, SIGSEGV
        return f"The resume parser was stopped by {signal.Signals(-returncode).name}."
    return f"The resume parser stopped unexpectedly (exit status {returncode})."


def child_environment() -> dict[str, str]:
    """Return the environment the child starts with: what Python needs, no secrets."""
    return {name: os.environ[name] for name in CHILD_ENVIRONMENT if name in os.environ}


def _mib(byte_count: int) -> str:
    return f"{byte_count / 2**20:g} MiB"


def _run_child(request: bytes, timeout: float) -> tuple[int | None, bytes, bytes]:
    """Run the extraction child; return its exit status (None: killed at timeout) and output."""
    process = subprocess.Popen(
        # -B: the child may not write files (RLIMIT_FSIZE 0), so no bytecode caches either.
        [sys.executable, "-B", "-m", "interviews.resume_extraction"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,  # read with os.read; and closing stdin flushes nothing into a dead child
        cwd=_PROJECT_ROOT,
        env=child_environment(),
    )
    try:
        reply, errors = _read_bounded(process, request, deadline=time.monotonic() + timeout)
        return process.returncode, reply, errors
    except _TimedOut:
        return None, b"", b""
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        for pipe in (process.stdin, process.stdout, process.stderr):
            pipe.close()


def _read_bounded(process, request: bytes, *, deadline: float) -> tuple[bytes, bytes]:
    """Read stdout (up to MAX_REPLY_BYTES) and stderr (its head) until both close and it exits."""
    try:
        process.stdin.write(request)  # a few hundred bytes: fits the pipe, never blocks
        process.stdin.close()
    except BrokenPipeError:
        pass  # the child died at once; its status says why
    reply, errors = bytearray(), bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ, reply)
        selector.register(process.stderr, selectors.EVENT_READ, errors)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _TimedOut
            for key, _ in selector.select(remaining):
                chunk = os.read(key.fd, 64 * 1024)
                if not chunk:
                    selector.unregister(key.fileobj)
                elif key.data is reply and len(reply) + len(chunk) > MAX_REPLY_BYTES:
                    # A reply this large is a bug in the child: do not hold it (the caller kills).
                    raise ResumeParsingFailed("The resume parser's reply was too large.")
                elif key.data is reply or len(errors) < MAX_STDERR_BYTES:
                    key.data.extend(chunk)
    try:
        process.wait(max(deadline - time.monotonic(), 0))
    except subprocess.TimeoutExpired:
        raise _TimedOut from None
    return bytes(reply), bytes(errors)
