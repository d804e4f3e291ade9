"""Is a submission evidence-rich? A flag for case-study candidates: concrete practice and impact.

A submission qualifies when it describes what is done concretely (who, how often, which
approach), what changed, and how the writer knows (measures, comparisons, sources). Each part is
scored from plain features a moderator can check, and the reasons are returned with the score so
the flag is never a black box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NUMBER = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:%|per ?cent|pupils|children|students|weeks|terms|months|schools)?",
    re.I,
)
CHANGE = re.compile(
    r"\b(increas\w*|decreas\w*|reduc\w*|improv\w*|rose|risen|fell|fallen|doubled|halved|"
    r"dropped|grew|gains?|progress(?:ed)?|fewer|more (?:pupils|children|students)|no longer|now)\b",
    re.I,
)
HOW_WE_KNOW = re.compile(
    r"\b(data|survey\w*|questionnaire\w*|assessment\w*|attendance|exclusions?|reading ages?|"
    r"scores?|tracking|baseline|evaluation|evaluated|monitor\w*|feedback|pupil voice|"
    r"parent voice|observations?|Ofsted|audit|Boxall|SDQ|outcomes?)\b",
    re.I,
)
CONCRETE = re.compile(
    r"\b(every|each|weekly|daily|termly|fortnightly|morning|afternoon|lunchtime|minutes?|"
    r"sessions?|timetable\w*|trained|training|key adult|small group|one-to-one|1:1|"
    r"intervention\w*|programme|approach|room|base|provision)\b",
    re.I,
)


@dataclass(frozen=True)
class EvidenceAssessment:
    score: float
    rich: bool
    reasons: list[str] = field(default_factory=list)


def assess(
    practice: str, impact: str = "", other: str = "", threshold: float = 0.8
) -> EvidenceAssessment:
    """Score 0–1 from concreteness of the practice, stated change, and how the change is known."""
    words = len((practice + " " + impact + " " + other).split())
    concrete = min(len(CONCRETE.findall(practice)) / 4, 1.0)
    change = min(len(CHANGE.findall(impact or other)) / 2, 1.0)
    measures = min((len(HOW_WE_KNOW.findall(impact)) + len(NUMBER.findall(impact))) / 3, 1.0)
    length = min(words / 250, 1.0)
    score = round(0.3 * concrete + 0.25 * change + 0.3 * measures + 0.15 * length, 3)
    reasons = []
    if concrete >= 0.75:
        reasons.append("describes concretely what is done")
    if change >= 0.5:
        reasons.append("says what changed")
    if measures >= 0.67:
        reasons.append("says how they know (measures, data or sources)")
    if words < 120:
        reasons.append("short")
    # Rich needs all three parts, not a high total made of one: a vivid practice with no sign of
    # what changed is not yet a case study.
    rich = score >= threshold and concrete >= 0.75 and change >= 0.5 and measures >= 0.67
    return EvidenceAssessment(score=score, rich=rich, reasons=reasons)
