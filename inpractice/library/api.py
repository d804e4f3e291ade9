"""The read-only JSON API over published case studies, and its OpenAPI 3 description.

`/api/v1/case-studies/` lists (search and filters as on the search page, paginated) and
`/api/v1/case-studies/{slug}/` returns one. The schema at `/api/v1/openapi.json` is the contract:
tests run schemathesis against it, so every response must match it.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .models import SECTIONS
from .public import PUBLIC_FIELDS, principle_names, published, record
from .search import SORTS, search
from .tags import FACET_KEYS, FACETS, static_options

API_VERSION = "1.0.0"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000
# Text parameters as the service accepts them (inpractice.web.request_guards refuses a NUL
# character, or more than 8,000 characters, with a 400 before any view runs).
MAX_TEXT_PARAM = 8_000
TEXT_PARAM = {"type": "string", "maxLength": MAX_TEXT_PARAM, "pattern": "^[^\\u0000]*$"}


def _json(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


def _problem(status: int, title: str, detail: str) -> JsonResponse:
    return _json({"status": status, "title": title, "detail": detail}, status=status)


def _int_param(request: HttpRequest, name: str, default: int, low: int, high: int) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if low <= value <= high else None


@require_GET
def case_study_list(request: HttpRequest) -> JsonResponse:
    page = _int_param(request, "page", 1, 1, MAX_PAGE)
    if page is None:
        return _problem(400, "Invalid page", f"page must be a whole number from 1 to {MAX_PAGE}.")
    size = _int_param(request, "page_size", PAGE_SIZE, 1, MAX_PAGE_SIZE)
    if size is None:
        return _problem(
            400, "Invalid page_size", f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}."
        )
    sort = request.GET.get("sort", "")
    if sort and sort not in SORTS:
        return _problem(400, "Invalid sort", f"sort must be one of {', '.join(SORTS)}.")
    principles = principle_names()
    options = {
        "principle": list(principles),
        **{k: [v for v, _ in o] for k, o in static_options().items()},
    }
    filters = {}
    for facet in FACET_KEYS:
        values = request.GET.getlist(facet)
        unknown = [v for v in values if v not in options[facet]]
        if unknown and facet != "principle":
            return _problem(
                400, f"Invalid {facet}", f"{facet} must be one of {', '.join(options[facet])}."
            )
        if values:
            filters[facet] = values
    result = search(request.GET.get("q", ""), filters, sort)
    start = (page - 1) * size
    ids = result.ids[start : start + size]
    rows = {c.pk: c for c in published().filter(pk__in=ids).select_related("call")}
    items = [
        record(rows[i], principles, request.build_absolute_uri(_page_url(rows[i].slug)))
        for i in ids
        if i in rows
    ]
    return _json(
        {
            "count": result.total,
            "page": page,
            "page_size": size,
            "pages": max(1, -(-result.total // size)),
            "results": items,
        }
    )


def _page_url(slug: str) -> str:
    return reverse("library:case_study", args=[slug])


@require_GET
def case_study_detail(request: HttpRequest, case_study: str) -> JsonResponse:
    item = published().filter(slug=case_study).select_related("call").first()
    if item is None:
        return _problem(404, "Not found", "There is no published case study with that slug.")
    return _json(record(item, principle_names(), request.build_absolute_uri(_page_url(item.slug))))


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return _json(schema(request.build_absolute_uri("/").rstrip("/")))


def _tag_schema() -> dict:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["value", "label"],
            "properties": {"value": {"type": "string"}, "label": {"type": "string"}},
            "additionalProperties": False,
        },
    }


def schema(server: str = "") -> dict:
    options = static_options()
    text = {"type": "string"}
    case_study = {
        "type": "object",
        # The record's fields are exactly the public ones plus its URL.
        "required": ["slug", "url", *PUBLIC_FIELDS[1:]],
        "additionalProperties": False,
        "properties": {
            "slug": {"type": "string", "description": "Permanent identifier."},
            "url": {"type": "string", "format": "uri", "description": "The case study's page."},
            "title": text,
            "summary": text,
            "organisation": {
                "type": ["string", "null"],
                "description": "Shown only when the organisation consented to be named.",
            },
            "attribution": {"type": "string", "enum": ["named", "anonymised"]},
            **{key: {**text, "description": heading} for key, heading in SECTIONS},
            "quotes": {"type": "array", "items": text},
            **{f.key: {**_tag_schema(), "description": f.label} for f in FACETS},
            "published_at": {"type": ["string", "null"], "format": "date-time"},
            "first_published_at": {"type": ["string", "null"], "format": "date-time"},
            "call": {"type": "string", "description": "Slug of the call for evidence."},
        },
    }
    problem = {
        "type": "object",
        "required": ["status", "title", "detail"],
        "properties": {
            "status": {"type": "integer"},
            "title": text,
            "detail": text,
        },
    }
    facet_params = [
        {
            "name": f.key,
            "in": "query",
            "required": False,
            "description": f"{f.label}: any of these values (repeat the parameter for more).",
            "style": "form",
            "explode": True,
            "schema": {
                "type": "array",
                "items": TEXT_PARAM
                if f.key == "principle"
                else {"type": "string", "enum": [v for v, _ in options[f.key]]},
            },
        }
        for f in FACETS
    ]
    problem_response = {
        "description": "A problem with the request",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Inclusion in practice: case study library",
            "version": API_VERSION,
            "description": "Published case studies of inclusive practice, free to reuse under "
            "the Open Government Licence v3.0. Read only.",
            "license": {
                "name": "Open Government Licence v3.0",
                "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            },
        },
        "servers": [{"url": server or "/"}],
        "paths": {
            "/api/v1/case-studies/": {
                "get": {
                    "operationId": "listCaseStudies",
                    "summary": "Search and filter published case studies",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": False,
                            "description": "Words to search for (any text without NUL "
                            "characters, up to 8,000 characters; ranked by words and meaning).",
                            "schema": TEXT_PARAM,
                        },
                        {
                            "name": "sort",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": list(SORTS)},
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        },
                        {
                            "name": "page_size",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                        },
                        *facet_params,
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of case studies",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": [
                                            "count",
                                            "page",
                                            "page_size",
                                            "pages",
                                            "results",
                                        ],
                                        "additionalProperties": False,
                                        "properties": {
                                            "count": {"type": "integer", "minimum": 0},
                                            "page": {"type": "integer", "minimum": 1},
                                            "page_size": {"type": "integer", "minimum": 1},
                                            "pages": {"type": "integer", "minimum": 1},
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/CaseStudy"},
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": problem_response,
                    },
                }
            },
            "/api/v1/case-studies/{slug}/": {
                "get": {
                    "operationId": "getCaseStudy",
                    "summary": "One published case study",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": "^[^\\u0000]*$"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The case study",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/CaseStudy"}
                                }
                            },
                        },
                        "404": problem_response,
                    },
                }
            },
        },
        "components": {"schemas": {"CaseStudy": case_study, "Problem": problem}},
    }
