"""A small call whose every report figure can be worked out by hand (see the comments)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from inpractice.schools.models import LocalAuthority, Region, School
from inpractice.workspace.models import MentionReview, QuoteReview, ThemeReview

from . import helpers as h


@pytest.fixture
def small_call(open_call, register) -> SimpleNamespace:
    """Four submitted responses and a draft over a seven-school register.

    Register (open schools): London 100001 (trust, primary), 100002 (trust, secondary),
    100003 (primary); Yorkshire 107001 (primary), 107002 (secondary); East of England 200001
    (primary, covered by nobody). 100004 is closed.

    s1 school, primary, ASD+SLCN, URN 100003, anonymised consent, codes p1 p2
    s2 trust, primary+secondary, SEMH, the trust (100001, 100002), named consent, code p1
    s3 local authority, secondary, ASD, Leeds (107001, 107002), no consent, codes p1 p4
    s4 school, primary, no need, URN 999999 (not in the register), no codes
    """
    east = LocalAuthority.objects.filter(region=Region.EAST).order_by("code").first()
    School.objects.create(
        urn=200001,
        name="Fenland Primary",
        local_authority=east,
        phase="primary",
        region=east.region,
    )
    call = open_call
    s1 = h.submission(call, 1, needs=["ASD", "SLCN"], urns=[100003])
    s2 = h.submission(
        call,
        2,
        org_type="trust",
        phases=["primary", "secondary"],
        needs=["SEMH"],
        coverage="trust",
        trust=register["trust"],
        consent="named",
    )
    s3 = h.submission(
        call,
        3,
        org_type="local_authority",
        phases=["secondary"],
        needs=["ASD"],
        coverage="local_authority",
        la=register["leeds"],
        consent="no",
    )
    s4 = h.submission(call, 4, needs=[], urns=[999999])
    draft = h.submission(call, 5, urns=[107001], status="draft")
    return SimpleNamespace(call=call, s1=s1, s2=s2, s3=s3, s4=s4, draft=draft, register=register)


@pytest.fixture
def analysed_small_call(small_call) -> SimpleNamespace:
    """small_call with a run, quotes, themes and mentions, some of them reviewed."""
    c = small_call
    run = h.run_for(c.call, {c.s1: ["p1", "p2"], c.s2: ["p1"], c.s3: ["p1", "p4"], c.s4: []})
    approved = h.quote(run, c.s1, "p1", "We know every child by name and need.", 0)
    no_consent = h.quote(run, c.s3, "p1", "Leeds quote the submitter kept private.", 1)
    h.quote(run, c.s2, "p1", "A quote nobody has reviewed yet.", 2)  # awaiting review
    rejected = h.quote(run, c.s2, "p1", "A quote the analyst rejected.", 3)
    QuoteReview.objects.create(quote=approved, status="approved")
    QuoteReview.objects.create(quote=no_consent, status="approved")
    QuoteReview.objects.create(quote=rejected, status="rejected")

    t_accepted = h.theme(run, 0, "calm start room · quiet", submissions=3)
    t_unreviewed = h.theme(run, 1, "model words only", submissions=2)
    t_discarded = h.theme(run, 2, "noise", submissions=1)
    t_promoted = h.theme(run, 3, "moving up · year 7", submissions=2)
    ThemeReview.objects.create(theme=t_accepted, status="accepted", label="Calm starts to the day")
    ThemeReview.objects.create(theme=t_discarded, status="discarded", label="noise")
    ThemeReview.objects.create(
        theme=t_promoted, status="promoted", label="Transitions", promoted_code_id="p1.transitions"
    )

    h.mention(run, c.s1, "zones-of-regulation", "Zones of Regulation", "programme")
    zones = h.mention(run, c.s2, "new:zones", "Zones", "unknown", known=False)
    MentionReview.objects.create(mention=zones, status="confirmed", name="zones of  regulation")
    h.mention(run, c.s3, "ehcp", "EHC plan (Education, Health and Care plan)", "framework")
    h.mention(run, c.s1, "camhs", "CAMHS", "service")
    h.mention(run, c.s2, "new:claire-mason", "Claire Mason", "unknown", known=False)
    elsa = h.mention(run, c.s3, "elsa", "ELSA", "intervention")
    MentionReview.objects.create(mention=elsa, status="rejected", name="ELSA")
    c.run = run
    c.themes = SimpleNamespace(
        accepted=t_accepted, unreviewed=t_unreviewed, discarded=t_discarded, promoted=t_promoted
    )
    return c
