"""The demo data's vocabulary: titles, per-level figures, skills, assessment phrases, replies."""

import unicodedata

from interviews.models import Candidate, Interview

RoleType = Interview.RoleType
Level = Candidate.ExperienceLevel


def ascii_only(text: str) -> str:
    """Return `text` without its accents and other non-ASCII characters (Chloé -> Chloe)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


TITLES = {
    RoleType.PYTHON: ["Backend Engineer", "Python Developer", "Django Developer"],
    RoleType.REACT: ["Frontend Engineer", "React Developer", "UI Engineer"],
    RoleType.JAVASCRIPT: ["JavaScript Developer", "Node.js Engineer", "Web Developer"],
    RoleType.FULLSTACK: ["Full-Stack Engineer", "Full-Stack Developer", "Product Engineer"],
}
LEVEL_PREFIX = {
    Level.ENTRY: "Graduate ",
    Level.JUNIOR: "Junior ",
    Level.MID: "",
    Level.SENIOR: "Senior ",
    Level.LEAD: "Lead ",
    Level.PRINCIPAL: "Principal ",
}
# (min, max) years of experience and the mean assessment score of each level.
LEVEL_YEARS = {
    Level.ENTRY: (0, 1),
    Level.JUNIOR: (1, 3),
    Level.MID: (3, 6),
    Level.SENIOR: (6, 10),
    Level.LEAD: (8, 14),
    Level.PRINCIPAL: (12, 20),
}
LEVEL_SCORE = {
    Level.ENTRY: 55,
    Level.JUNIOR: 62,
    Level.MID: 70,
    Level.SENIOR: 77,
    Level.LEAD: 81,
    Level.PRINCIPAL: 84,
}

SKILLS = {
    RoleType.PYTHON: ["python", "django", "sql", "testing", "system_design"],
    RoleType.REACT: ["react", "javascript", "css", "testing", "accessibility"],
    RoleType.JAVASCRIPT: ["javascript", "typescript", "node", "async", "testing"],
    RoleType.FULLSTACK: ["python", "react", "sql", "api_design", "devops"],
}
RESUME_EXTRA_SKILLS = ["git", "docker", "ci/cd", "linux", "agile", "aws", "graphql", "redis"]

STRENGTHS = {
    "python": "Idiomatic Python with a clear grasp of the data model",
    "django": "Knows the Django ORM well, including query optimisation",
    "sql": "Reasons confidently about joins, indexes and transactions",
    "testing": "Writes focused tests and knows where mocks help and hurt",
    "system_design": "Structures systems around clear boundaries and failure modes",
    "react": "Solid mental model of rendering, state and effects in React",
    "javascript": "Deep understanding of JavaScript semantics",
    "css": "Builds layouts with grid and flexbox without trial and error",
    "accessibility": "Treats accessibility as part of the definition of done",
    "typescript": "Uses the type system to make invalid states unrepresentable",
    "node": "Understands the Node.js runtime and its event loop",
    "async": "Handles concurrency, cancellation and partial failure well",
    "api_design": "Designs consistent, versioned APIs with useful errors",
    "devops": "Thinks about deployment, observability and rollback from the start",
}
WEAKNESSES = {
    "python": "Unsure about the performance characteristics of core data structures",
    "django": "Limited experience with migrations on large production tables",
    "sql": "Struggled to explain when an index helps a query",
    "testing": "Relies on end-to-end tests where unit tests would be faster",
    "system_design": "Did not consider failure modes in the design question",
    "react": "Unclear on when components re-render",
    "javascript": "Confuses scoping rules of this and closures",
    "css": "Reaches for absolute positioning where layout tools fit",
    "accessibility": "Little awareness of keyboard and screen reader users",
    "typescript": "Falls back to any instead of narrowing types",
    "node": "Blocks the event loop with synchronous work",
    "async": "Misses error handling in concurrent code",
    "api_design": "Inconsistent status codes and error shapes",
    "devops": "Little experience deploying and monitoring services",
}

ACKNOWLEDGEMENTS = [
    "Thanks. ",
    "Good. ",
    "That makes sense. ",
    "Understood. ",
    "Great, let's go a bit deeper. ",
    "OK. ",
]
UNSURE_ANSWERS = [
    "I'm honestly not sure. I'd look it up in the documentation and try it in a small example "
    "before relying on it.",
    "I haven't used that in production. My understanding is only partial, so I'd pair with "
    "someone more experienced the first time.",
    "I think it depends on the situation, but I can't give a concrete example right now.",
]
NO_SHOW_REASONS = [
    "Candidate did not join within 30 minutes of the scheduled time.",
    "Candidate cancelled because of a scheduling conflict.",
]
DROP_OUT_REASONS = [
    "Candidate left the session and did not return.",
    "Connection lost; the candidate did not reconnect.",
    "Candidate asked to stop the interview.",
]
