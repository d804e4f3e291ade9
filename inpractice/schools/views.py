"""School and trust look-up: JSON for the autocomplete, and an HTML finder that needs no script."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .lookup import count_schools, school_label, search_schools, search_trusts, trust_label

MAX_QUERY = 100


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "")[:MAX_QUERY].strip()


def school_search_json(request: HttpRequest) -> JsonResponse:
    """The first matches by name, and how many match in all ("showing 20 of 110"). `q` is
    echoed so that a script can tell which query an answer is for."""
    q = _query(request)
    results = (
        [{"urn": s.urn, "label": school_label(s)} for s in search_schools(q)] if len(q) >= 2 else []
    )
    total = count_schools(q, len(results)) if results else 0
    return JsonResponse({"q": q, "results": results, "total": total})


def trust_search_json(request: HttpRequest) -> JsonResponse:
    q = _query(request)
    results = (
        [{"code": t.code, "label": trust_label(t)} for t in search_trusts(q)] if len(q) >= 2 else []
    )
    return JsonResponse({"results": results})


def school_finder(request: HttpRequest) -> HttpResponse:
    q = _query(request)
    schools = list(search_schools(q)) if q else []
    return render(request, "schools/finder.html", {"q": q, "schools": schools})
