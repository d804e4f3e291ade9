"""The permission matrix in docs/permissions.md, checked against every URL Django knows.

Walks the URL resolver recursively, so a URL added anywhere without a row in the matrix fails
`test_every_url_name_has_a_row`. Each URL is then opened as every role and the response compared
with its row. Newcomers: if your URL takes arguments, add them to SAMPLE_KWARGS below.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from inpractice.accounts.roles import ROLES
from inpractice.intake.models import Nomination, Submission

MATRIX = Path(__file__).resolve().parent.parent / "docs" / "permissions.md"
ROLE_COLUMNS = [
    "public",
    "submitter",
    "nominator",
    "programme-admin",
    "analyst",
    "lead-analyst",
    "moderator",
    "system-admin",
]
CELLS = {"200", "301", "302", "login", "403", "404", "405", "409"}
DENIALS = {"login", "403", "404"}
NOT_SIGNED_IN = {"public", "submitter", "nominator"}

# Sample values for URL arguments, keyed by the argument's name, or by "url-name:argument" when one
# URL needs something different. Each takes the test's `world` (see the `world` fixture) and returns
# the value. The secret resume token is the real one for the submitter and a wrong one for anyone
# else: holding the link is what makes someone the submitter.
SAMPLE_KWARGS: dict[str, Callable[[SimpleNamespace], Any]] = {
    "slug": lambda world: world.call.slug,
    "step_slug": lambda world: "about-you",
    "pk": lambda world: world.nomination.pk,
    # Staff: a submission's page (the world's draft: staff see drafts as well as sent ones).
    "staff:submission:pk": lambda world: world.draft.pk,
    # Calls: one of the call's questions.
    "key": lambda world: world.call.questions[0]["key"],
    "intake:resume:token": lambda world: (
        world.token if world.role == "submitter" else "not-the-right-token"
    ),
    # An invited school's emailed link: the real one for the submitter (the person invited).
    "intake:invitation:token": lambda world: (
        _invitation_token(world) if world.role == "submitter" else "not-the-right-token"
    ),
    # A colleague's emailed link to contribute to a shared response: the real one for the
    # submitter (here, the colleague asked to help with the world's draft).
    "intake:contribute:token": lambda world: (
        _contributor_token(world) if world.role == "submitter" else "not-the-right-token"
    ),
    # Library: a published case study's slug, a draft's id, a response that may become one,
    # and the submitter's emailed link to withdraw consent (see tests/library/factories.py).
    "case_study": lambda world: _library(world).published.slug,
    "case_id": lambda world: _library(world).draft.pk,
    "library:staff_version:number": lambda world: 1,
    "reference": lambda world: _library(world).waiting.reference,
    "library:withdraw:token": lambda world: (
        _library(world).token if world.role == "submitter" else "not-the-right-token"
    ),
    "library:submitter_review:token": lambda world: (
        _library(world).review_token if world.role == "submitter" else "not-the-right-token"
    ),
    # Workspace: a submitted submission, a blind sample whose first coder is the analyst.
    "workspace:submission:pk": lambda world: _workspace(world).submission.pk,
    "workspace:code_span:pk": lambda world: _workspace(world).submission.pk,
    "workspace:decide:pk": lambda world: _workspace(world).submission.pk,
    "workspace:remove:pk": lambda world: _workspace(world).submission.pk,
    "workspace:memo:pk": lambda world: _workspace(world).submission.pk,
    "workspace:reviewed:pk": lambda world: _workspace(world).submission.pk,
    "workspace:assign:pk": lambda world: _workspace(world).submission.pk,
    "workspace:undo:pk": lambda world: _workspace(world).submission.pk,
    "workspace:sample_submission:pk": lambda world: _workspace(world).submission.pk,
    "workspace:sample_code_span:pk": lambda world: _workspace(world).submission.pk,
    "workspace:sample_decide:pk": lambda world: _workspace(world).submission.pk,
    "workspace:sample_remove:pk": lambda world: _workspace(world).submission.pk,
    "workspace:sample_memo:pk": lambda world: _workspace(world).submission.pk,
    "workspace:sample_undo:pk": lambda world: _workspace(world).submission.pk,
    "coding_pk": lambda world: 1,
    "job_id": lambda world: 1,
    "sample_pk": lambda world: _workspace(world).sample.pk,
    "workspace:sample:pk": lambda world: _workspace(world).sample.pk,
    "workspace:resolve:pk": lambda world: _workspace(world).sample.pk,
    # Workspace review pages (codebook, retrain, themes, mentions, quotes).
    "code_id": lambda world: "p1",
    "number": lambda world: _review_samples().sample_version(world.call),
    "run_id": lambda world: _review_samples().sample_run(world.call).pk,
    "theme_id": lambda world: _review_samples().sample_theme(world.call).pk,
    "mention_id": lambda world: _review_samples().sample_mention(world.call).pk,
    "quote_id": lambda world: _review_samples().sample_quote(world.call).pk,
    # Reports: a draft edition of the world's call (open, so nothing is published: the public
    # see "not published yet" at the report's address and 404 for the edition's).
    "edition": lambda world: _draft_edition(world).number,
    # A section of its written text (the preview is 404: that edition has no analysis run).
    "reports:edition_section:field": lambda world: "summary",
}


def _draft_edition(world):
    from inpractice.reports.models import Edition

    return Edition.objects.get_or_create(call=world.call, number=1)[0]


def _invitation_token(world):
    from inpractice.intake.invitations import invitation_token
    from inpractice.intake.models import Invitation

    invitation = Invitation.objects.filter(nomination=world.nomination).first()
    if invitation is None:
        invitation = Invitation.objects.create(
            nomination=world.nomination, nonce=Invitation.new_nonce(), sent_at=world.call.opens_at
        )
    return invitation_token(invitation)


def _contributor_token(world):
    from inpractice.intake.models import Contributor, hash_token
    from inpractice.intake.sharing import contributor_token

    Contributor.objects.filter(submission=world.draft).delete()
    contributor = Contributor.objects.create(
        submission=world.draft,
        number=1,
        email="colleague@example.org",
        token_hash=hash_token("matrix-secret"),
        invited_at=world.call.opens_at,
    )
    return contributor_token(contributor, "matrix-secret")


def _workspace(world):
    from tests.workspace.matrix_world import matrix_workspace

    return matrix_workspace(world)


def _review_samples():
    from tests.workspace import review_samples

    return review_samples


def _library(world):
    from tests.library.factories import matrix_sample

    return matrix_sample(world)


@dataclass
class Route:
    name: str
    pattern: str
    kwargs: list[str] = field(default_factory=list)


def _walk(resolvers, prefix: str = "", namespace: str = "") -> list[Route]:
    routes: list[Route] = []
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            routes += _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = entry.name or f"<unnamed {prefix}{entry.pattern}>"
            qualified = f"{namespace}:{name}" if namespace and entry.name else name
            pattern = prefix + str(entry.pattern)
            kwargs = re.findall(r"<(?:\w+:)?(\w+)>", pattern)
            kwargs += re.findall(r"\(\?P<(\w+)>", pattern)
            routes.append(Route(qualified, pattern, kwargs))
    return routes


def all_routes() -> list[Route]:
    return _walk(get_resolver().url_patterns)


def read_matrix() -> dict[str, dict[str, str]]:
    text = MATRIX.read_text(encoding="utf-8")
    block = text.split("<!-- permission-matrix:start -->")[1].split(
        "<!-- permission-matrix:end -->"
    )[0]
    rows: dict[str, dict[str, str]] = {}
    for line in block.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0] or cells[0] == "URL name" or set(cells[0]) <= {"-"}:
            continue
        assert len(cells) == 2 + len(ROLE_COLUMNS), (
            f"row {cells[0]} needs {2 + len(ROLE_COLUMNS)} cells"
        )
        assert cells[0] not in rows, f"{cells[0]} has two rows in docs/permissions.md"
        rows[cells[0]] = {"path": cells[1], **dict(zip(ROLE_COLUMNS, cells[2:], strict=True))}
    return rows


ROUTES = all_routes()


def test_every_url_name_has_a_row():
    matrix = read_matrix()
    missing = sorted(r.name for r in ROUTES if r.name not in matrix)
    assert not missing, f"URL names with no row in docs/permissions.md: {missing}"


def test_the_matrix_lists_no_url_that_does_not_exist():
    names = {r.name for r in ROUTES}
    stale = sorted(name for name in read_matrix() if name not in names)
    assert not stale, f"rows in docs/permissions.md for URLs that no longer exist: {stale}"


def test_every_cell_is_a_known_outcome():
    for name, row in read_matrix().items():
        for role in ROLE_COLUMNS:
            assert row[role] in CELLS, f"{name} / {role}: {row[role]!r} is not one of {CELLS}"


def test_every_url_argument_has_a_sample():
    lacking = [
        f"{r.name} ({kw})"
        for r in ROUTES
        for kw in r.kwargs
        if kw not in SAMPLE_KWARGS and f"{r.name}:{kw}" not in SAMPLE_KWARGS
    ]
    assert not lacking, f"add these to SAMPLE_KWARGS in {__file__}: {lacking}"


@pytest.fixture
def world(open_call, register) -> SimpleNamespace:
    token, token_hash = Submission.new_token()
    draft = Submission.objects.create(
        call=open_call,
        respondent_name="Ada Submitter",
        respondent_email="ada@example.org",
        resume_token_hash=token_hash,
    )
    nomination = Nomination.objects.create(
        call=open_call,
        urn=100003,
        school=register["schools"][2],
        contact_name="Sam Lee",
        contact_email="s.lee@example.org",
        reason="Their nurture base is excellent.",
        nominator_name="Nina Nominator",
        nominator_email="nina@example.org",
    )
    world = SimpleNamespace(
        call=open_call, draft=draft, token=token, nomination=nomination, register=register, role=""
    )
    _workspace(world)  # the analyst is assigned to the call (unassigned analysts get 404)
    return world


def client_for(role: str, world: SimpleNamespace):
    """A fresh browser for one role, set up the way that person really arrives."""
    from django.test import Client

    client = Client()
    if role == "submitter":
        response = client.get(reverse("intake:resume", args=[world.call.slug, world.token]))
        assert response.status_code == 302
    elif role == "nominator":
        session = client.session
        session[f"nominated:{world.call.slug}"] = world.nomination.pk
        session.save()
    elif role != "public":
        User = get_user_model()
        user, _ = User.objects.get_or_create(
            username=f"{role}@example.org", defaults={"email": f"{role}@example.org"}
        )
        if role == "system-admin":
            user.is_superuser = True
            user.save()
        else:
            user.groups.add(Group.objects.get_or_create(name=ROLES[role])[0])
        client.force_login(user)
    return client


def sample_kwargs(route: Route, world: SimpleNamespace) -> dict[str, Any]:
    values = {}
    for kw in route.kwargs:
        maker = SAMPLE_KWARGS.get(f"{route.name}:{kw}") or SAMPLE_KWARGS[kw]
        values[kw] = maker(world)
    return values


def outcome(response) -> str:
    login = reverse("accounts:login")
    if response.status_code in (301, 302, 303, 307, 308):
        if response["Location"].startswith(login):
            return "login"
        return "301" if response.status_code in (301, 308) else "302"
    return str(response.status_code)


MATRIX_NAMES = sorted({r.name for r in ROUTES} & set(read_matrix()))


@pytest.mark.django_db
@pytest.mark.parametrize("name", MATRIX_NAMES)
def test_each_role_gets_what_the_matrix_says(name, world):
    route = next(r for r in ROUTES if r.name == name)
    row = read_matrix()[name]
    wrong = []
    for role in ROLE_COLUMNS:
        world.role = role
        client = client_for(role, world)
        url = reverse(name, kwargs=sample_kwargs(route, world)) if route.kwargs else reverse(name)
        response = client.get(url)
        got = outcome(response)
        if got != row[role]:
            wrong.append(f"{role}: GET {url} gave {got}, the matrix says {row[role]}")
        if (role not in NOT_SIGNED_IN or url.startswith("/staff/")) and "no-store" not in (
            response.get("Cache-Control", "")
        ):
            # Staff pages hold personal data: no browser or proxy may keep a copy
            # (docs/security.md). The rule: every staff URL, and anything for a signed-in person.
            wrong.append(f"{role}: GET {url} has no Cache-Control: no-store")
        if row[role] in DENIALS:
            # A view that checks roles only on GET must not let a POST through.
            posted = outcome(client.post(url, {}))
            if posted != row[role]:
                wrong.append(f"{role}: POST {url} gave {posted}, expected {row[role]}")
        elif url.startswith("/staff/") and role in NOT_SIGNED_IN:
            # Whatever a GET gives (a POST-only URL answers 405), nobody who is not signed in
            # may POST to a staff URL.
            posted = outcome(client.post(url, {}))
            if posted != "login":
                wrong.append(f"{role}: POST {url} gave {posted}; staff URLs need a sign-in")
    assert not wrong, "\n".join(wrong)
