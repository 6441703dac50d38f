"""Find contact details, links, skills and sections in a resume's extracted text."""

import re
from collections.abc import Iterable

# How many emails, phones or links one resume reports; a resume has a handful, a hostile file
# could repeat one a million times.
MAX_ITEMS = 50

# Canonical skill names (what parsed_data["skills"] holds), matched case-insensitively on word
# boundaries. Names that are also plain English words are left out or only matched in a longer
# form ("spring boot", "rest api", "express.js").
KNOWN_SKILLS = frozenset(
    {
        # Languages
        "python", "java", "javascript", "typescript", "c", "c++", "c#", "go", "rust", "ruby",
        "php", "kotlin", "swift", "scala", "r", "matlab", "perl", "haskell", "elixir", "erlang",
        "clojure", "dart", "objective-c", "sql", "bash", "powershell", "html", "css", "sass",
        # Web and back end
        "django", "flask", "fastapi", "ruby on rails", "laravel", "spring boot", ".net",
        "asp.net", "node.js", "express.js", "react", "react native", "angular", "vue.js",
        "svelte", "next.js", "jquery", "redux", "webpack", "tailwind css", "graphql",
        "rest api", "grpc", "microservices", "websockets", "celery",
        # Data stores and queues
        "postgresql", "mysql", "sqlite", "mongodb", "redis", "elasticsearch", "cassandra",
        "dynamodb", "kafka", "rabbitmq", "snowflake", "bigquery", "nosql",
        # Data and machine learning
        "pandas", "numpy", "scikit-learn", "tensorflow", "pytorch", "keras", "apache spark",
        "hadoop", "airflow", "machine learning", "deep learning", "nlp", "computer vision",
        "opencv", "tableau", "power bi",
        # Infrastructure and tooling
        "aws", "azure", "google cloud", "docker", "kubernetes", "terraform", "ansible",
        "jenkins", "github actions", "gitlab ci", "ci/cd", "linux", "nginx", "git",
        "prometheus", "grafana", "serverless", "openapi",
        # Mobile, testing and practices
        "android", "ios", "flutter", "pytest", "jest", "cypress", "selenium", "junit", "tdd",
        "agile", "scrum", "jira", "figma", "oauth",
    }
)  # fmt: skip

# Other spellings of a known skill, mapped to its canonical name.
SKILL_ALIASES = {
    "js": "javascript",
    "ecmascript": "javascript",
    "golang": "go",
    "cpp": "c++",
    "csharp": "c#",
    "postgres": "postgresql",
    "psql": "postgresql",
    "mongo": "mongodb",
    "elastic search": "elasticsearch",
    "k8s": "kubernetes",
    "gcp": "google cloud",
    "google cloud platform": "google cloud",
    "amazon web services": "aws",
    "microsoft azure": "azure",
    "rails": "ruby on rails",
    "ror": "ruby on rails",
    "spring framework": "spring boot",
    "dotnet": ".net",
    "node": "node.js",
    "nodejs": "node.js",
    "expressjs": "express.js",
    "reactjs": "react",
    "react.js": "react",
    "angularjs": "angular",
    "vue": "vue.js",
    "vuejs": "vue.js",
    "nextjs": "next.js",
    "tailwind": "tailwind css",
    "restful": "rest api",
    "rest apis": "rest api",
    "restful api": "rest api",
    "spark": "apache spark",
    "pyspark": "apache spark",
    "sklearn": "scikit-learn",
    "ml": "machine learning",
    "github actions ci": "github actions",
    "gitlab-ci": "gitlab ci",
    "ci / cd": "ci/cd",
    "cicd": "ci/cd",
    "html5": "html",
    "css3": "css",
    "scss": "sass",
}
# One- and two-letter names that are also letters or words ("Plan C", "go ahead"): these match
# only as written here, case-sensitively, and not joined to - or & ("C-level", "R&D", "Go-to").
CASE_SENSITIVE_SKILLS = {"C": "c", "R": "r", "Go": "go"}


def _skill_pattern(names: Iterable[str], *, joiners: str, flags: int) -> re.Pattern:
    # Longest first, so "javascript" wins over "java" and "react native" over "react". The
    # lookarounds treat + # . as part of a word: "c" does not match inside "c++" or "c#", and
    # "node.js" is not "node" followed by ".js"; a sentence's full stop still ends a word.
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w+#.{joiners}])(?:{alternatives})(?![\w+#{joiners}]|\.\w)", flags)


_CASELESS_SKILLS = {name: name for name in KNOWN_SKILLS} | SKILL_ALIASES
for _short in CASE_SENSITIVE_SKILLS:
    del _CASELESS_SKILLS[_short.lower()]
_SKILL_RE = _skill_pattern(_CASELESS_SKILLS, joiners="", flags=re.IGNORECASE)
_CASED_SKILL_RE = _skill_pattern(CASE_SENSITIVE_SKILLS, joiners="&\\-", flags=0)

# A practical address pattern (not RFC 5322): enough for what people write on a resume.
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}\b")
# Digits with the separators people use, optionally after + or 00; never across a line break.
_PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d \t().-]{5,22}\d(?!\w)")
_YEARS_RE = re.compile(r"(?:19|20)\d\d")
_URL_RE = re.compile(r"\bhttps?://[^\s<>\"'`{}|\\^]+", re.IGNORECASE)
# Bare links people write without a scheme.
_BARE_LINK_RE = re.compile(
    r"(?<![\w./@-])(?:www\.[\w-]+(?:\.[\w-]+)+|(?:[\w-]+\.)?(?:linkedin\.com|github\.com|"
    r"gitlab\.com|stackoverflow\.com)(?![\w-]))(?:/[^\s<>\"'`{}|\\^]*)?",
    re.IGNORECASE,
)

# Headings that open a section, by canonical section name.
SECTION_HEADINGS = {
    "summary": (
        "summary", "professional summary", "profile", "professional profile", "about",
        "about me", "objective", "career objective", "overview",
    ),
    "experience": (
        "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "recent work",
    ),
    "education": ("education", "academic background", "education and training"),
    "skills": (
        "skills", "technical skills", "core skills", "key skills", "core competencies",
        "technologies", "tech stack", "tools",
    ),
    "projects": ("projects", "personal projects", "selected projects", "open source"),
    "certifications": (
        "certifications", "certificates", "licenses and certifications",
        "licenses & certifications",
    ),
    "languages": ("languages",),
    "awards": ("awards", "honors", "honours", "achievements", "awards and honors"),
    "publications": ("publications", "talks", "publications and talks"),
    "volunteering": ("volunteering", "volunteer experience"),
    "interests": ("interests", "hobbies", "hobbies and interests"),
    "references": ("references",),
}  # fmt: skip
_HEADING_NAMES = {
    heading: name for name, headings in SECTION_HEADINGS.items() for heading in headings
}
_HEADING_RE = re.compile(
    r"^[ \t#*•\-]*(?P<heading>"
    + "|".join(re.escape(h) for h in sorted(_HEADING_NAMES, key=len, reverse=True))
    + r")[ \t]*(?::[ \t]*(?P<rest>.*)|[ \t]*)$",
    re.IGNORECASE | re.MULTILINE,
)


def count_words(text: str) -> int:
    """Return the number of whitespace-separated words."""
    return len(text.split())


def find_emails(text: str, extra: Iterable[str] = ()) -> list[str]:
    """Return the distinct email addresses, in order of appearance, domains lower-cased."""
    found = [match.group().strip(".") for match in _EMAIL_RE.finditer(text)]
    addresses = []
    for address in [*found, *extra]:
        local, _, domain = address.rpartition("@")
        if local and domain:
            addresses.append(f"{local}@{domain.lower()}")
    return _distinct(addresses, key=str.lower)


def find_phones(text: str) -> list[str]:
    """Return the distinct phone numbers, in E.164 where the number carries its country code.

    "+44 20 7946 0018" and "0044 20 7946 0018" become "+442079460018". A number written without
    a country code cannot be placed in E.164 without guessing the country, so it is kept as
    written (runs of spaces collapsed). Year ranges such as "2019 - 2023" are not numbers.
    """
    phones = []
    for match in _PHONE_RE.finditer(text):
        written = " ".join(match.group().split())
        digits = re.sub(r"\D", "", written)
        if written.startswith(("+", "00")):
            national = digits[2:] if written.startswith("00") else digits
            if 8 <= len(national) <= 15 and not national.startswith("0"):
                phones.append(f"+{national}")
        elif 9 <= len(digits) <= 15 and not _looks_like_dates(written):
            phones.append(written)
    return _distinct(phones, key=lambda phone: re.sub(r"\D", "", phone))


def find_links(text: str, extra: Iterable[str] = ()) -> list[str]:
    """Return the distinct http(s) links, bare "github.com/..." and "www..." ones with https://."""
    positioned = [(m.start(), m.group()) for m in _URL_RE.finditer(text)]
    positioned += [(m.start(), f"https://{m.group()}") for m in _BARE_LINK_RE.finditer(text)]
    links = [link.rstrip(".,;:!?)]'\"") for _, link in sorted(positioned)]
    links += [link for link in extra if link.lower().startswith(("http://", "https://"))]
    return _distinct([link for link in links if "." in link], key=lambda link: link.lower())


def find_skills(text: str) -> list[str]:
    """Return the canonical names of the known skills the text mentions, sorted."""
    found = {_CASELESS_SKILLS[match.group().lower()] for match in _SKILL_RE.finditer(text)}
    found |= {CASE_SENSITIVE_SKILLS[match.group()] for match in _CASED_SKILL_RE.finditer(text)}
    return sorted(found)


def find_sections(text: str) -> list[dict]:
    """Return the sections in document order: name, heading as written, and the text under it.

    A heading is a line holding only a known heading ("Work Experience", "SKILLS:"), or one that
    starts with it followed by a colon ("Skills: Python, SQL"), whose rest then opens the text.
    The text before the first heading (name, contact details) belongs to no section.
    """
    matches = list(_HEADING_RE.finditer(text))
    sections = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        parts = (match.group("rest") or "", text[match.end() : end])
        body = "\n".join(part.strip() for part in parts if part.strip())
        heading = match.group("heading")
        sections.append({"name": _HEADING_NAMES[heading.lower()], "heading": heading, "text": body})
    return sections


def _looks_like_dates(written: str) -> bool:
    # "2019 - 2023", "01.2019 - 12.2021": only years and one- or two-digit months and days.
    groups = re.findall(r"\d+", written)
    return all(_YEARS_RE.fullmatch(group) or len(group) <= 2 for group in groups)


def _distinct(items: list[str], *, key) -> list[str]:
    seen, kept = set(), []
    for item in items:
        if key(item) not in seen and len(kept) < MAX_ITEMS:
            seen.add(key(item))
            kept.append(item)
    return kept
