"""The demo transcripts' question bank: warm-up and role questions with a prepared answer each."""

from interviews.models import Interview, InterviewSession

RoleType = Interview.RoleType
Difficulty = InterviewSession.DifficultyLevel

# (topic, difficulty, question, answer). Warm-up questions open every interview.
WARMUP_QUESTIONS = [
    (
        "background",
        Difficulty.WARMUP,
        "Could you tell me about a recent project you're proud of and your part in it?",
        "Most recently I rebuilt the checkout flow for an online shop. I owned the API side, "
        "worked with a designer on the edge cases, and we cut failed payments by about a third.",
    ),
    (
        "background",
        Difficulty.WARMUP,
        "What does a good code review look like to you?",
        "Small, focused changes with context in the description. I look for correctness and "
        "readability first and leave style to the linters, and I ask questions rather than "
        "give orders.",
    ),
    (
        "background",
        Difficulty.WARMUP,
        "How do you approach a bug you can't reproduce locally?",
        "I start from the logs and metrics around the failure, compare environments and data, "
        "and add targeted logging if needed. Once I can reproduce it I write a failing test "
        "before fixing it.",
    ),
    (
        "background",
        Difficulty.WARMUP,
        "Tell me about a technical decision you would make differently today.",
        "We split a small app into microservices far too early. The deployment overhead slowed "
        "us down; today I'd keep a modular monolith until the boundaries were proven.",
    ),
]
QUESTIONS = {
    RoleType.PYTHON: [
        (
            "python",
            Difficulty.STANDARD,
            "What is the difference between a list and a tuple, and when would you pick each?",
            "Lists are mutable; tuples are immutable and hashable if their items are, so they "
            "work as dict keys and signal a fixed record. I use lists for collections that grow.",
        ),
        (
            "python",
            Difficulty.STANDARD,
            "How do generators help with memory use?",
            "A generator yields one item at a time instead of building the whole sequence, so "
            "processing a large file line by line stays at constant memory. You can only "
            "iterate it once, though.",
        ),
        (
            "python",
            Difficulty.ADVANCED,
            "Explain how the GIL affects a CPU-bound program that uses threads.",
            "Only one thread runs Python bytecode at a time, so CPU-bound threads don't speed "
            "up. I'd use multiprocessing or C extensions that release the GIL; threads are "
            "still fine for I/O-bound work.",
        ),
        (
            "django",
            Difficulty.STANDARD,
            "How would you find and fix an N+1 query problem in a Django view?",
            "I'd spot it with the debug toolbar or by asserting the query count in a test, then "
            "use select_related for foreign keys and prefetch_related for reverse and "
            "many-to-many relations.",
        ),
        (
            "django",
            Difficulty.ADVANCED,
            "How do you keep a data migration safe on a large production table?",
            "Separate schema and data migrations, backfill in batches outside one long "
            "transaction, keep the code working with both states during the rollout, and add "
            "the NOT NULL constraint only after the backfill.",
        ),
        (
            "django",
            Difficulty.STANDARD,
            "When would you put logic in a model method rather than a service function?",
            "Model methods for behaviour about one row; a service when a write touches several "
            "models or has side effects, so it runs in one transaction and is easy to test.",
        ),
        (
            "sql",
            Difficulty.STANDARD,
            "What is the difference between an INNER JOIN and a LEFT JOIN?",
            "An inner join keeps only rows that match on both sides; a left join keeps every "
            "row of the left table and fills the right side with NULLs when nothing matches.",
        ),
        (
            "sql",
            Difficulty.ADVANCED,
            "How do you decide which columns to index?",
            "I look at the real queries: selective columns in WHERE, JOIN and ORDER BY. Then I "
            "check the plan with EXPLAIN ANALYZE, remembering that every index slows writes.",
        ),
        (
            "testing",
            Difficulty.STANDARD,
            "How do you test code that calls an external API?",
            "I keep the client behind a small interface, test the logic with a fake, and keep a "
            "few contract tests against recorded responses. Mocking deep internals makes tests "
            "brittle.",
        ),
        (
            "system_design",
            Difficulty.ADVANCED,
            "How would you design a rate limiter for a public API?",
            "A token bucket per API key in Redis, updated atomically, answering 429 with "
            "Retry-After. I'd add a global limit as a safety net and make limits configurable "
            "per plan.",
        ),
    ],
    RoleType.REACT: [
        (
            "react",
            Difficulty.STANDARD,
            "What problem does the key prop solve when rendering lists?",
            "Keys let React match items between renders, so each item keeps its state and DOM "
            "when the list is reordered. Using the array index breaks that when items move.",
        ),
        (
            "react",
            Difficulty.STANDARD,
            "When does useEffect run, and how do you clean up after it?",
            "After the render is committed, and again when a dependency changes. The function "
            "it returns runs before the next effect and on unmount; that's where I remove "
            "listeners or cancel requests.",
        ),
        (
            "react",
            Difficulty.ADVANCED,
            "How would you track down a component that re-renders too often?",
            "Record it in the React Profiler, check which props change identity on each render, "
            "then stabilise them with useMemo or useCallback or move the state closer to where "
            "it's used.",
        ),
        (
            "react",
            Difficulty.ADVANCED,
            "When would you use a state management library instead of context?",
            "Context suits values that rarely change, like the theme or the current user. For "
            "shared state that changes often I'd use a store with selectors, so only readers of "
            "a slice re-render.",
        ),
        (
            "javascript",
            Difficulty.STANDARD,
            "What is the difference between == and ===?",
            "Triple equals compares without type coercion; double equals converts types first, "
            "which gives surprises like '0' == false. I use === except for null checks.",
        ),
        (
            "javascript",
            Difficulty.STANDARD,
            "Explain what a closure is with an example from real code.",
            "A closure is a function that keeps access to the variables of the scope it was "
            "created in. A debounce helper is a good example: the returned function remembers "
            "its timer between calls.",
        ),
        (
            "css",
            Difficulty.STANDARD,
            "How do you choose between flexbox and CSS grid?",
            "Flexbox for one-dimensional layouts like a toolbar, grid when rows and columns "
            "must line up, like a dashboard. They combine well: grid for the page, flex inside "
            "the cards.",
        ),
        (
            "css",
            Difficulty.ADVANCED,
            "How do you keep styles from leaking between components in a large app?",
            "CSS modules or a naming convention for scoping, design tokens for shared values, "
            "no global selectors, and lint rules that keep specificity low.",
        ),
        (
            "testing",
            Difficulty.STANDARD,
            "How do you test a component that fetches data?",
            "With React Testing Library and a mocked network layer such as MSW, asserting on "
            "what the user sees: the loading state, the rendered data, and the error message "
            "when the request fails.",
        ),
        (
            "accessibility",
            Difficulty.STANDARD,
            "How would you make a custom dropdown accessible?",
            "Prefer a native select. Otherwise follow the listbox pattern: roles and aria "
            "attributes, full keyboard support, focus management, and a test with a screen "
            "reader.",
        ),
    ],
    RoleType.JAVASCRIPT: [
        (
            "javascript",
            Difficulty.STANDARD,
            "What does 'this' refer to inside an arrow function?",
            "Arrow functions have no this of their own; they take it from the surrounding "
            "scope. That makes them handy for callbacks in class methods but wrong as object "
            "methods.",
        ),
        (
            "javascript",
            Difficulty.ADVANCED,
            "How does prototypal inheritance differ from classical inheritance?",
            "Objects delegate property lookups along their prototype chain at runtime instead "
            "of copying from a class. The class syntax is sugar over prototypes, so methods are "
            "shared on the prototype.",
        ),
        (
            "async",
            Difficulty.STANDARD,
            "What is the event loop, in your own words?",
            "JavaScript runs one call stack; when it is empty the event loop takes the next "
            "task. Promise callbacks go to the microtask queue, drained before the next task, "
            "so they run before timers.",
        ),
        (
            "async",
            Difficulty.STANDARD,
            "How would you run several independent requests and handle one of them failing?",
            "Promise.allSettled and then inspect each result, because Promise.all rejects on "
            "the first failure. To limit concurrency I'd use a small pool instead of firing "
            "everything at once.",
        ),
        (
            "async",
            Difficulty.ADVANCED,
            "How do you cancel an in-flight fetch request?",
            "With an AbortController: pass its signal to fetch, call abort(), and handle the "
            "AbortError apart from real failures. In React I abort in the effect's cleanup.",
        ),
        (
            "typescript",
            Difficulty.STANDARD,
            "What is the difference between unknown and any in TypeScript?",
            "any switches type checking off; unknown accepts any value but forces you to narrow "
            "it before use. I use unknown for parsed JSON and validate it at the boundary.",
        ),
        (
            "typescript",
            Difficulty.ADVANCED,
            "How would you type a function whose result shape depends on its argument?",
            "Overloads or a generic with a conditional type; for results, a discriminated union "
            "with a literal kind field, so the compiler narrows it in a switch.",
        ),
        (
            "node",
            Difficulty.STANDARD,
            "How do you avoid blocking the Node.js event loop?",
            "Keep CPU-heavy work out of the request path: stream large payloads, use worker "
            "threads or a job queue for heavy computation, and avoid synchronous fs calls in "
            "servers.",
        ),
        (
            "node",
            Difficulty.ADVANCED,
            "How would you shut down a Node.js HTTP server gracefully?",
            "On SIGTERM stop accepting connections, let in-flight requests finish within a "
            "timeout, close the database pool, then exit. The health check should fail first so "
            "the load balancer drains traffic.",
        ),
        (
            "testing",
            Difficulty.STANDARD,
            "How do you keep a JavaScript test suite fast and reliable?",
            "Mostly unit tests of pure functions, fake timers instead of real waits, no shared "
            "state between tests, and a few end-to-end tests for the critical flows.",
        ),
    ],
    RoleType.FULLSTACK: [
        (
            "api_design",
            Difficulty.STANDARD,
            "How would you version a public REST API?",
            "A version in the path such as /api/v1, only additive changes within a version, and "
            "a deprecation window announced in headers before anything is removed.",
        ),
        (
            "api_design",
            Difficulty.STANDARD,
            "Which status code do you return when a request conflicts with the current state?",
            "409 Conflict with a machine-readable error code, for example when completing an "
            "interview that was already abandoned. Invalid input is a 400 instead.",
        ),
        (
            "api_design",
            Difficulty.ADVANCED,
            "How do you paginate a large list that changes often?",
            "Cursor pagination on a stable sort key such as created_at plus id. Offset "
            "pagination skips or repeats rows when items are inserted while the client pages.",
        ),
        (
            "sql",
            Difficulty.STANDARD,
            "How would you prevent two users from booking the same time slot?",
            "A unique constraint in the database as the final guard, plus a transaction with "
            "SELECT FOR UPDATE when the check spans several rows. Application checks alone race.",
        ),
        (
            "sql",
            Difficulty.ADVANCED,
            "When would you store a counter on the parent row instead of counting children?",
            "When reads far outnumber writes, like a message count on a list page. It must be "
            "updated in the same transaction as the children, with an atomic increment.",
        ),
        (
            "react",
            Difficulty.STANDARD,
            "How do you show validation errors returned by the API in a React form?",
            "Map field errors from the response onto the fields, show the others at the top, "
            "keep the user's input, and move focus to the first invalid field.",
        ),
        (
            "python",
            Difficulty.STANDARD,
            "How do you structure configuration for different environments?",
            "One settings module read from environment variables, safe defaults for "
            "development, and no secrets in the repository, so environments differ only in "
            "config.",
        ),
        (
            "python",
            Difficulty.ADVANCED,
            "How would you parse an uploaded resume without blocking the request?",
            "Store the upload, enqueue a background job with the resume id and answer 202. The "
            "worker updates a parsing status the client can poll, with retries and a failed "
            "state.",
        ),
        (
            "devops",
            Difficulty.STANDARD,
            "What goes into a good health check endpoint?",
            "A cheap liveness check that the process answers and a readiness check that the "
            "database and cache are reachable, with short timeouts and no internals leaked.",
        ),
        (
            "devops",
            Difficulty.ADVANCED,
            "How would you roll out a risky change with zero downtime?",
            "Behind a feature flag, with backward-compatible migrations deployed first, a "
            "canary watching error rates and latency, and a rehearsed rollback plan.",
        ),
    ],
}
DIFFICULTY_RANK = {Difficulty.WARMUP: 0, Difficulty.STANDARD: 1, Difficulty.ADVANCED: 2}
