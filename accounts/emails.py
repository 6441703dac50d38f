"""Email addresses of users and candidates: the one stored form, and what input is refused.

Lookalikes must not become second accounts with counters of their own: `case1@x.com` followed
by a zero-width space, in full-width letters, or with its domain in another case are the same
address. The stored form is therefore Unicode NFKC, trimmed, without invisible or control
characters, the local part lower-cased and the domain as its IDNA 2008 A-label after UTS #46
mapping (lower-case ASCII: `bücher.de` is stored `xn--bcher-kva.de`, so a lookalike domain is
visibly different wherever the address is shown). Input that only a lookalike would contain is
refused rather than silently cleaned: see `validate_email_address`.
"""

import itertools
import unicodedata
from collections.abc import Iterable

import idna
from django.core.exceptions import ValidationError

# Invisible or control characters: dropped when an email is normalised (so that a lookup, such
# as a login, with a zero-width space finds the same account and the same lockout counter) and
# refused in input. Cc: controls; Cf: format (zero-width space and joiners, bidi controls, soft
# hyphen, BOM).
INVISIBLE = frozenset({"Cc", "Cf"})
# Also refused in input: private use, surrogates, unassigned code points, and every space or
# line separator (outer whitespace is trimmed first). Nothing in these has a place in an email.
REFUSED = INVISIBLE | {"Co", "Cs", "Cn", "Zs", "Zl", "Zp"}
COMBINING = frozenset({"Mn", "Mc", "Me"})


def normalize_email(email: str | None) -> str:
    """Return the stored form of an email (module docstring); never raises.

    Input that `validate_email_address` refuses still maps to something, so lookups work on
    anything; such input never reaches storage through the API or the admin.
    """
    text = unicodedata.normalize("NFKC", email or "").strip()
    text = "".join(char for char in text if unicodedata.category(char) not in INVISIBLE)
    local, at, domain = text.rpartition("@")
    if not at:
        return text.lower()
    return f"{local.lower()}@{_ascii_domain(domain)}"


def _ascii_domain(domain: str) -> str:
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except UnicodeError:  # idna.IDNAError: not a valid domain; refused by the validator
        return domain.lower()


def validate_email_address(value: str) -> None:
    """Refuse an email that only a lookalike (or a mistake) would contain.

    - invisible, control, private-use, unassigned and space characters anywhere;
    - a local part (before the @) that is not ASCII after NFKC: full-width `case1` (U+FF43...)
      is `case1`, but `case1` with a Cyrillic a (U+0430) is refused (Django's own validator
      allows ASCII local parts only, so no valid address is lost);
    - a combining mark that is still combining after NFKC and sits on an ASCII letter or digit,
      such as `q` + U+0307 (no composed letter exists, so it can only dress up `q`). Marks that
      compose (`m` + U+0307 is `ṁ`) give a different, valid domain, stored as its A-label; marks
      on non-ASCII letters belong to scripts that need them (Devanagari, Thai) and are left to
      IDNA 2008, which refuses a label that starts with one;
    - a domain that IDNA 2008 (UTS #46) refuses.

    Raise django.core.exceptions.ValidationError (code "invalid") with a message naming the
    offending character.
    """
    text = (value or "").strip()
    for char in text:
        if unicodedata.category(char) in REFUSED:
            raise ValidationError(
                f"An email address cannot contain invisible, control or space characters "
                f"(found {_describe(char)}).",
                code="invalid",
            )
    local, at, domain = unicodedata.normalize("NFKC", text).rpartition("@")
    if not at:
        return  # Django's EmailValidator reports the missing @
    if not local.isascii():
        offending = next(char for char in local if not char.isascii())
        raise ValidationError(
            f"The part before the @ must be ASCII letters, digits and punctuation "
            f"(found {_describe(offending)}).",
            code="invalid",
        )
    for before, char in itertools.pairwise(domain):
        if unicodedata.category(char) in COMBINING and before.isascii():
            raise ValidationError(
                f"The domain has a combining mark on “{before}” ({_describe(char)}).",
                code="invalid",
            )
    try:
        idna.encode(domain, uts46=True)
    except UnicodeError as error:
        raise ValidationError(f"The domain is not valid: {error}.", code="invalid") from error


def _describe(char: str) -> str:
    name = unicodedata.name(char, "unnamed character")
    return f"U+{ord(char):04X} {name}"


def stored_email_findings(rows: Iterable[tuple[object, str]]) -> list[str]:
    """Describe each (id, stored email) that the rule above would change or refuse."""
    findings = []
    for pk, stored in rows:
        if _plain_ascii(stored):
            continue  # NFKC, trimming, IDNA and lower-casing leave it as it is
        normal = normalize_email(stored)
        try:
            validate_email_address(stored)
        except ValidationError as error:
            findings.append(f"{pk} {stored!r}: would be refused: {error.messages[0]}")
        else:
            if normal != stored:
                findings.append(f"{pk} {stored!r}: would be stored as {normal!r}")
    return findings


def _plain_ascii(email: str) -> bool:
    return email.isascii() and email.isprintable() and " " not in email and email == email.lower()
