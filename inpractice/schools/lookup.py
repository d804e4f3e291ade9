"""Finding schools and trusts from what a person types: a URN, a name, or an autocomplete label."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import School, Trust

LABEL_URN = re.compile(r"\(URN (\d{5,7})\)\s*$")
LABEL_TRUST = re.compile(r"\(trust ([A-Za-z0-9]{1,20})\)\s*$")
MAX_MATCHES = 20


def school_label(school: School) -> str:
    where = f", {school.town}" if school.town else ""
    return f"{school.name}{where} (URN {school.urn})"


def trust_label(trust: Trust) -> str:
    return f"{trust.name} (trust {trust.code})"


def printable(text: str, limit: int = 300) -> str:
    """Typed text without control characters (PostgreSQL refuses NUL), trimmed and capped."""
    return " ".join(
        "".join(
            ch if unicodedata.category(ch)[0] != "C" else " " for ch in (text or "")[:limit]
        ).split()
    )


def query_words(query: str) -> list[str]:
    """At most eight words of a query, so a pasted essay cannot become an expensive query."""
    return [w[:60] for w in printable(query).split()[:8]]


def matching_schools(query: str) -> QuerySet[School]:
    """Open schools whose name (or town) contains every word typed; a number matches the URN."""
    words = query_words(query)
    if not words:
        return School.objects.none()
    qs = School.objects.filter(status__istartswith="open")
    for word in words:
        if word.isdigit():
            qs = qs.filter(Q(urn=int(word)) | Q(name__icontains=word))
        else:
            qs = qs.filter(Q(name__icontains=word) | Q(town__icontains=word))
    return qs.order_by("name", "urn")


def search_schools(query: str, limit: int = MAX_MATCHES) -> QuerySet[School]:
    """The first `limit` matching schools, by name."""
    return matching_schools(query)[:limit]


def count_schools(query: str, shown: int) -> int:
    """How many schools match, counted only when the list shown is full (one query fewer
    for the usual, short list)."""
    return matching_schools(query).count() if shown >= MAX_MATCHES else shown


def search_trusts(query: str, limit: int = MAX_MATCHES) -> QuerySet[Trust]:
    words = query_words(query)
    if not words:
        return Trust.objects.none()
    qs = Trust.objects.all()
    for word in words:
        qs = qs.filter(Q(name__icontains=word) | Q(code__iexact=word))
    return qs.order_by("name")[:limit]


@dataclass
class Resolution:
    """What a typed value resolves to: exactly one thing, several candidates, or nothing."""

    match: object | None = None
    candidates: list = None  # type: ignore[assignment]
    unknown_urn: int | None = None
    total: int = 0  # how many match in all; `candidates` holds at most MAX_MATCHES of them


def resolve_school(text: str) -> Resolution:
    text = printable(text)
    label = LABEL_URN.search(text)
    digits = label.group(1) if label else (text if text.isdigit() else None)
    if digits:
        school = School.objects.filter(urn=int(digits)).first()
        return Resolution(match=school) if school else Resolution(unknown_urn=int(digits))
    matches = list(search_schools(text))
    exact = [s for s in matches if s.name.lower() == text.lower()]
    if len(exact) == 1:
        return Resolution(match=exact[0])
    if len(matches) == 1:
        return Resolution(match=matches[0])
    return Resolution(candidates=matches, total=count_schools(text, len(matches)))


def resolve_trust(text: str) -> Resolution:
    text = printable(text)
    label = LABEL_TRUST.search(text)
    code = label.group(1) if label else text
    trust = Trust.objects.filter(code__iexact=code).first()
    if trust:
        return Resolution(match=trust)
    matches = list(search_trusts(text))
    exact = [t for t in matches if t.name.lower() == text.lower()]
    if len(exact) == 1:
        return Resolution(match=exact[0])
    if len(matches) == 1:
        return Resolution(match=matches[0])
    return Resolution(candidates=matches)
