"""The demo transcripts: alternating questions and answers, and the session state they leave."""

import random
from datetime import timedelta
from decimal import Decimal

from config.seeding.questions import DIFFICULTY_RANK, QUESTIONS, WARMUP_QUESTIONS
from config.seeding.texts import ACKNOWLEDGEMENTS, UNSURE_ANSWERS
from interviews.models import Candidate, InterviewMessage, InterviewSession
from interviews.seeding import MessagePlan

Level = Candidate.ExperienceLevel
Difficulty = InterviewSession.DifficultyLevel
MessageType = InterviewMessage.MessageType

# Price of one token in USD, for the cost of each message.
TOKEN_PRICE = Decimal("0.000015")
COST_PLACES = Decimal("0.0001")


def _money(tokens: int) -> Decimal:
    return (TOKEN_PRICE * tokens).quantize(COST_PLACES)


def plan_transcript(
    rng: random.Random, *, first_name: str, role_type: str, level: str, count: int
) -> list[MessagePlan]:
    """Alternate AI questions and answers: warm-up first, then harder role questions."""
    bank = rng.sample(QUESTIONS[role_type], len(QUESTIONS[role_type]))
    bank.sort(key=lambda question: DIFFICULTY_RANK[question[1]])  # stable: keeps the shuffle
    questions = rng.sample(WARMUP_QUESTIONS, 2) + bank
    unsure_chance = {Level.ENTRY: 0.35, Level.JUNIOR: 0.25, Level.MID: 0.1}.get(level, 0.05)
    messages, elapsed = [], timedelta(seconds=rng.randint(5, 40))
    for index in range(count):
        topic, difficulty, question, answer = questions[index // 2]
        if index % 2 == 0:
            if index == 0:
                text = f"Hi {first_name}, thanks for joining. {question}"
            elif rng.random() < 0.6:
                text = rng.choice(ACKNOWLEDGEMENTS) + question
            else:
                text = question
            seconds = round(rng.uniform(0.8, 3.5), 1)  # the engine's latency
            tokens = rng.randint(180, 650)
            message_type = MessageType.AI_QUESTION
            metadata = {"topic": topic, "difficulty": difficulty}
        else:
            unsure = rng.random() < unsure_chance
            text = rng.choice(UNSURE_ANSWERS) if unsure else answer
            seconds = round(rng.uniform(20, 180), 1)
            tokens = rng.randint(60, 400)
            message_type = MessageType.CANDIDATE_RESPONSE
            metadata = {"topic": topic, "answered": not unsure}
        elapsed += timedelta(seconds=seconds)
        messages.append(
            MessagePlan(
                message_type=message_type,
                content_text=text,
                response_time_seconds=seconds,
                tokens_used=tokens,
                cost_usd=_money(tokens),
                metadata=metadata,
                after_start=elapsed,
            )
        )
    return messages


def session_state(messages: list[MessagePlan], *, finished: bool) -> dict:
    """Return the session fields the engine would have written by the end of the transcript."""
    asked = [m.metadata for m in messages if m.message_type == MessageType.AI_QUESTION]
    answered = [m.metadata for m in messages if m.message_type == MessageType.CANDIDATE_RESPONSE]
    boundaries: dict[str, str] = {}
    for question, answer in zip(asked, answered, strict=False):
        if answer["answered"] and question["topic"] != "background":
            reached = boundaries.get(question["topic"], Difficulty.WARMUP)
            if DIFFICULTY_RANK[question["difficulty"]] >= DIFFICULTY_RANK[reached]:
                boundaries[question["topic"]] = question["difficulty"]
    return {
        "current_difficulty_level": asked[-1]["difficulty"],
        "skill_boundaries_identified": boundaries,
        "progression_state": {
            "phase": "wrap_up" if finished else "questioning",
            "questions_asked": len(asked),
            "questions_planned": 10,
        },
        "conversation_memory": {
            "topics_covered": list(dict.fromkeys(question["topic"] for question in asked)),
            "unanswered": sum(1 for answer in answered if not answer["answered"]),
        },
    }
