"""The demo assessments: skill scores drawn around each level's mean, phrases, integrity."""

import random
from decimal import Decimal

from config.seeding.texts import LEVEL_SCORE, SKILLS, STRENGTHS, WEAKNESSES
from interviews.models import InterviewMessage
from interviews.seeding import MessagePlan

MessageType = InterviewMessage.MessageType
SCORE_PLACES = Decimal("0.01")


def plan_assessment(
    rng: random.Random, *, role_type: str, level: str, messages: list[MessagePlan], model: str
) -> dict:
    """Return the assessment fields; integrity is set later by set_integrity."""
    base = LEVEL_SCORE[level] + rng.gauss(0, 6)
    skill_scores = {}
    for skill in SKILLS[role_type]:
        score = round(min(98, max(20, base + rng.gauss(0, 9))) * 2) / 2  # halves: 82.5, 74
        skill_scores[skill] = int(score) if score.is_integer() else score
    mean = sum(skill_scores.values()) / len(skill_scores)
    overall = Decimal(str(min(100.0, max(0.0, mean + rng.uniform(-3, 3))))).quantize(SCORE_PLACES)
    ranked = sorted(skill_scores, key=skill_scores.get, reverse=True)
    top, bottom = ranked[0], ranked[-1]
    band = "strong" if overall >= 78 else "solid" if overall >= 62 else "developing"
    actions = {
        "strong": ["Advance to the final round", f"Discuss depth in {top} with the hiring team"],
        "solid": ["Schedule a technical follow-up", f"Probe {bottom} in the next round"],
        "developing": ["Do not advance for this role now", f"Share learning resources on {bottom}"],
    }[band]
    questions = sum(1 for m in messages if m.message_type == MessageType.AI_QUESTION)
    return {
        "overall_score": overall,
        "skill_scores": skill_scores,
        "skill_boundary_map": {
            skill: "advanced" if score >= 80 else "standard" if score >= 60 else "warmup"
            for skill, score in skill_scores.items()
        },
        "strengths": [STRENGTHS[skill] for skill in ranked[:2]],
        "weaknesses": [WEAKNESSES[skill] for skill in ranked[-rng.randint(1, 2) :]],
        "integrity_score": None,
        "integrity_flags": [],
        "ai_reasoning": {
            "summary": f"{band.capitalize()} performance; best in {top}, weakest in {bottom}.",
            "band": band,
            "questions_evaluated": questions,
            "confidence": round(rng.uniform(0.7, 0.95), 2),
            "model": model,
        },
        "recommended_actions": actions,
    }


def set_integrity(rng: random.Random, assessment: dict, *, flagged: bool) -> None:
    if flagged:
        score = rng.uniform(55, 80)
        assessment["integrity_flags"] = ["tab_switch"]
        assessment["recommended_actions"] = [
            *assessment["recommended_actions"],
            "Review the integrity flags before deciding",
        ]
    else:
        score = rng.uniform(90, 100)
    assessment["integrity_score"] = Decimal(str(score)).quantize(SCORE_PLACES)
