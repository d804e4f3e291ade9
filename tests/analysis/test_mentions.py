import json
import time
from collections import defaultdict

import pytest

from inpractice.analysis.mentions import (
    KINDS,
    Candidate,
    LexiconError,
    Mention,
    MentionExtractor,
    alias_key,
    count_mentions,
    discover,
    load_lexicon,
    parse_lexicon,
)
from inpractice.analysis.segmentation import canonical


@pytest.fixture(scope="module")
def extractor():
    return MentionExtractor()


def ids(mentions):
    return [m.id for m in mentions]


def assert_offsets(text, mentions):
    text = canonical(text)
    for m in mentions:
        assert text[m.start : m.end] == m.surface, m


# ------------------------------------------------------------------------------ lexicon


def test_seed_lexicon_is_large_and_well_formed():
    lexicon = load_lexicon()
    assert len(lexicon) >= 120
    assert {e.kind for e in lexicon.entries} == set(KINDS)
    assert len({e.id for e in lexicon.entries}) == len(lexicon)
    for entry in lexicon.entries:
        assert entry.name and (entry.aliases or entry.case_sensitive_aliases), entry.id


def test_no_alias_belongs_to_two_entries():
    lexicon = load_lexicon()
    owners = defaultdict(set)
    for entry in lexicon.entries:
        for alias in entry.aliases:
            owners["i:" + alias_key(alias)].add(entry.id)
        for alias in entry.case_sensitive_aliases:
            owners["s:" + alias_key(alias, True)].add(entry.id)
    clashes = {key: sorted(v) for key, v in owners.items() if len(v) > 1}
    assert not clashes
    # a case-sensitive alias must not be swallowed by another entry's case-insensitive one
    for entry in lexicon.entries:
        for alias in entry.case_sensitive_aliases:
            assert owners.get("i:" + alias_key(alias), {entry.id}) == {entry.id}, alias


def test_every_alias_compiles_and_is_found_as_its_own_entry(extractor):
    """Each alias, dropped into a neutral sentence, comes back whole and as its own entry."""
    failures = []
    for entry in extractor.lexicon.entries:
        for alias in entry.aliases + entry.case_sensitive_aliases:
            text = f"Last term we used {alias} with pupils."
            found = extractor.extract(text)
            start = text.index(alias)
            if [(m.id, m.start, m.surface) for m in found] != [(entry.id, start, alias)]:
                failures.append((entry.id, alias, [(m.id, m.surface) for m in found]))
    assert not failures, failures[:20]


def test_parse_lexicon_rejects_clashing_aliases_and_bad_kinds():
    ok = {"id": "a", "name": "A", "kind": "tool", "aliases": ["Alpha"]}
    with pytest.raises(LexiconError, match="already belongs to 'a'"):
        parse_lexicon(
            {"entries": [ok, {"id": "b", "name": "B", "kind": "tool", "aliases": ["alpha"]}]}
        )
    with pytest.raises(LexiconError, match="already belongs to 'a'"):
        parse_lexicon(
            {
                "entries": [
                    ok,
                    {"id": "b", "name": "B", "kind": "tool", "case_sensitive_aliases": ["ALPHA"]},
                ]
            }
        )
    with pytest.raises(LexiconError, match="entry 'c'.*kind"):
        parse_lexicon({"entries": [{"id": "c", "name": "C", "kind": "gadget", "aliases": ["C"]}]})
    with pytest.raises(LexiconError, match="need code"):
        parse_lexicon(
            {
                "entries": [
                    {"id": "d", "name": "D", "kind": "tool", "aliases": ["D"], "needs": ["X"]}
                ]
            }
        )
    # the same letters may be case-sensitive in one entry and case-insensitive in the same entry
    parse_lexicon(
        {
            "entries": [
                {
                    "id": "e",
                    "name": "E",
                    "kind": "tool",
                    "aliases": ["Echo"],
                    "case_sensitive_aliases": ["ECHO"],
                }
            ]
        }
    )


def test_custom_lexicon_from_a_file(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text(
        "entries:\n"
        "  - {id: spire, name: SPIRE, kind: programme, case_sensitive_aliases: [SPIRE]}\n"
        "  - {id: ladder, name: Ladder of Inclusion, kind: framework,\n"
        "     aliases: [Ladder of Inclusion]}\n",
        encoding="utf-8",
    )
    extractor = MentionExtractor(path)
    found = extractor.extract("Our SPIRE work and the ladder of inclusion; a church spire.")
    assert ids(found) == ["spire", "ladder"]
    with pytest.raises(LexiconError):
        MentionExtractor(tmp_path / "missing.yaml")


# ------------------------------------------------------------------------------ matching


def test_aliases_and_acronyms_with_exact_offsets(extractor):
    text = (
        "We use the Zones of Regulation daily, our ELSA runs sessions, and the "
        "Nuffield Early Language Intervention (NELI) is in Reception. SaLT and the EP advise."
    )
    found = extractor.extract(text)
    assert ids(found) == [
        "zones-of-regulation",
        "elsa",
        "neli",
        "neli",
        "speech-and-language-therapy",
        "educational-psychology",
    ]
    assert [m.surface for m in found] == [
        "Zones of Regulation",
        "ELSA",
        "Nuffield Early Language Intervention",
        "NELI",
        "SaLT",
        "EP",
    ]
    assert_offsets(text, found)
    assert all(m.known for m in found)
    zones = found[0]
    assert (zones.start, zones.end) == (11, 30)
    assert zones.name == "Zones of Regulation" and zones.kind == "programme"


def test_case_sensitive_acronyms_versus_ordinary_words(extractor):
    # PACE the approach, not the pace of lessons
    assert ids(extractor.extract("Staff use PACE with looked-after children.")) == ["pace"]
    assert extractor.extract("Lessons move at a good pace. PACE.")[0].surface == "PACE"
    assert extractor.extract("Lessons move at a good pace, at Pace.") == []
    # Thrive the programme (capitalised), not "pupils thrive"
    assert extractor.extract("Pupils thrive when adults are calm.") == []
    assert ids(extractor.extract("Two staff trained as Thrive practitioners.")) == ["thrive"]
    assert ids(extractor.extract("We use Thrive to plan support.")) == ["thrive"]
    # Team Teach the training, not "we team teach"
    assert extractor.extract("In science we team teach the lesson.") == []
    assert ids(extractor.extract("All staff are Team Teach trained.")) == ["team-teach"]
    # I CAN the charity, not "I can"
    assert extractor.extract("I can see the difference.") == []
    # salt, seesaw and clicker the words are not tools
    assert extractor.extract("a seesaw in the park, salt on the path, a dog clicker") == []
    assert ids(extractor.extract("Families post work on Seesaw.")) == ["seesaw"]
    # case-insensitive aliases match in any case
    assert (
        ids(extractor.extract("EMOTION COACHING and emotion coaching")) == ["emotion-coaching"] * 2
    )


def test_longest_match_wins(extractor):
    found = extractor.extract("We moved to Little Wandle Letters and Sounds Revised this year.")
    assert ids(found) == ["little-wandle"]
    assert found[0].surface == "Little Wandle Letters and Sounds Revised"
    found = extractor.extract("Older readers follow RWI Fresh Start.")
    assert ids(found) == ["fresh-start"] and found[0].surface == "RWI Fresh Start"
    found = extractor.extract("the AET Progression Framework and the AET")
    assert ids(found) == ["aet-progression-framework", "autism-education-trust"]
    # a word that is part of a longer alias is not matched on its own
    assert extractor.extract("Regulation matters; zones of the playground.") == []


def test_word_boundaries(extractor):
    assert extractor.extract("STEPS NASENCOURSE ELSAMORE Widgets") == []
    assert ids(extractor.extract("NASENCO holders and nasen members")) == ["nasenco", "nasen"]


def test_separators_plurals_and_curly_apostrophes(extractor):
    text = (
        "Lego-based\ntherapy, Lego based therapy, our ELSAs, visual timetables, "
        "Rosenshine’s Principles"
    )
    found = extractor.extract(text)
    assert ids(found) == [
        "lego-based-therapy",
        "lego-based-therapy",
        "elsa",
        "visual-timetable",
        "rosenshine",
    ]
    assert_offsets(text, found)
    assert found[0].surface == "Lego-based\ntherapy"


def test_no_overlaps_and_text_order(extractor):
    text = " ".join(
        [
            "Zones of Regulation Zones of Regulation Thrive Approach ELSA ELSA-trained",
            "Speech and Language Therapy speech and language therapist OT OTs EHCP EHC plan",
            "graduated approach assess, plan, do, review precision teaching Precision Teaching",
        ]
        * 20
    )
    found = extractor.extract(text)
    assert len(found) == 20 * 15  # 5 + 6 + 4 per repeat
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start
    assert_offsets(text, found)


def test_unicode_before_a_match_keeps_offsets(extractor):
    text = "👩🏽‍🏫 Café naïve résumé — 😀😀 we use Makaton 🤟 and Widgit symbols."
    found = extractor.extract(text)
    assert ids(found) == ["makaton", "widgit"]
    assert_offsets(text, found)
    # decomposed accents and CRLF line endings: offsets are into canonical(text)
    decomposed = "Cafe\u0301\r\nThe Boxall Profile\r\nand SDQ"
    found = extractor.extract(decomposed)
    assert ids(found) == ["boxall-profile", "sdq"]
    assert_offsets(decomposed, found)
    assert found[0].start == len("Café\nThe ")


def test_mentions_are_plain_data(extractor):
    mention = extractor.extract("We run Nurture groups.")[0]
    assert isinstance(mention, Mention)
    assert json.loads(json.dumps(mention.to_dict()))["id"] == "nurture-groups"


def test_extraction_is_fast(extractor):
    sentence = (
        "Pupils with SEND are supported through the graduated approach, with Zones of Regulation "
        "in every classroom and speech and language therapy for those who need it most. "
    )
    text = sentence * 40  # about 8 KB, like a long submission
    texts = [text] * 150  # about 1.2 MB
    started = time.process_time()
    total = sum(len(extractor.extract(t)) for t in texts)
    elapsed = time.process_time() - started
    assert total == 150 * 40 * 3
    megabytes = sum(len(t.encode()) for t in texts) / 1e6
    assert megabytes / max(elapsed, 1e-6) > 1.0, f"{megabytes / elapsed:.2f} MB/s"


# ------------------------------------------------------------------------------ discovery

SUBMISSIONS = {
    "s1": (
        "Our trust joined the Communication Champions Programme in September. Pupils with SEMH "
        "needs and an EHCP meet the SENCO every Monday. We also use the SPIRE framework to plan "
        "transitions, alongside Zones of Regulation. Mrs Patel leads this work in Greater "
        "Manchester."
    ),
    "s2": (
        "Staff completed the Communication Champions Programme last year.\n\n"
        "The Ladder of Inclusion helps leaders review provision. The Local Authority funds it. "
        "Pupils thrive. SPIRE meetings happen each term."
    ),
    "s3": (
        "Leaders use the Ladder of Inclusion with governors and a sandtray approach for anxious "
        "pupils. The local authority and the SENCO attend. We started the Communication Champions "
        "Programme in January."
    ),
    "s4": (
        "Teachers trained in a sandtray approach in March. Our SENCO and the LA agree the "
        "Beacon Reading Scheme is only used here, and ELSA support continues."
    ),
    "s5": "We rely on Makaton and the Zones of Regulation. Children thrive.",
}


@pytest.fixture(scope="module")
def candidates(extractor):
    return extractor.discover(SUBMISSIONS, min_submissions=2)


def test_discovery_finds_planted_unknown_programmes(candidates):
    by_id = {c.id: c for c in candidates}
    champions = by_id["new:communication-champions-programme"]
    assert champions.submissions == 3 and champions.occurrences == 3
    assert champions.name == "Communication Champions Programme"
    assert champions.source == "name"
    ladder = by_id["new:ladder-of-inclusion"]
    assert ladder.submissions == 2  # once sentence-initial ("The Ladder ..."), once mid-sentence
    spire = by_id["new:spire"]
    assert spire.source == "acronym" and spire.submissions == 2 and spire.kind == "framework"
    sandtray = by_id["new:sandtray-approach"]
    assert sandtray.source == "phrase" and sandtray.kind == "approach"
    # ranked by distinct submissions
    assert candidates[0].id == "new:communication-champions-programme"
    assert [c.submissions for c in candidates] == sorted(
        (c.submissions for c in candidates), reverse=True
    )
    assert all(isinstance(c, Candidate) for c in candidates)
    assert json.loads(json.dumps([c.to_dict() for c in candidates]))


def test_discovery_ignores_boilerplate_needs_and_known_names(candidates):
    names = {c.name.lower() for c in candidates} | {
        a.lower() for c in candidates for a in c.aliases
    }
    for word in [
        "semh",
        "ehcp",
        "senco",
        "la",
        "monday",
        "local authority",
        "pupils",
        "zones of regulation",
        "makaton",
        "greater manchester",
        "mrs patel",
        "thrive",
        "the local authority",
        "staff",
        "leaders",
    ]:
        assert word not in names, word
    # used in one submission only
    assert "beacon reading scheme" not in names
    assert discover(SUBMISSIONS, min_submissions=1)  # module-level helper runs too
    assert "Beacon Reading Scheme" in {c.name for c in discover(SUBMISSIONS, min_submissions=1)}


def test_discovery_skips_template_text_repeated_across_submissions(extractor):
    footer = "This report is published under the Open Government Licence by the Quiet Archive."
    texts = [f"Submission {i} talks about lunch.\n{footer}" for i in range(6)]
    assert extractor.discover(texts) == []


def test_extract_with_discovered_candidates(extractor, candidates):
    text = "We use the Ladder of Inclusion, ELSA and SPIRE; the communication champions programme."
    found = extractor.extract(text, include=candidates)
    assert [(m.id, m.known) for m in found] == [
        ("new:ladder-of-inclusion", False),
        ("elsa", True),
        ("new:spire", False),
        ("new:communication-champions-programme", False),
    ]
    assert_offsets(text, found)
    assert found[0].surface == "Ladder of Inclusion"
    # the acronym candidate is case-sensitive: "spire" the word is not SPIRE
    assert ids(extractor.extract("the church spire", include=candidates)) == []
    # without include, only the lexicon
    assert ids(extractor.extract(text)) == ["elsa"]


def test_fit_transform_shape():
    model = MentionExtractor().fit(SUBMISSIONS.values())
    assert model.candidates_
    rows = model.transform(list(SUBMISSIONS.values()))
    assert len(rows) == len(SUBMISSIONS)
    assert any(not m.known for row in rows for m in row)


# ------------------------------------------------------------------------------ counting


def test_counting_counts_a_submission_once_per_mention(extractor, candidates):
    per_submission = {
        "a": extractor.extract("ELSA, ELSA and ELSA again, plus Makaton.", include=candidates),
        "b": extractor.extract("Our ELSA and the Ladder of Inclusion.", include=candidates),
        "c": extractor.extract("Nothing named here.", include=candidates),
    }
    summary = count_mentions(per_submission)
    assert summary.submissions == 3
    assert summary.submissions_with_mentions == 2
    elsa = summary.mentions["elsa"]
    assert (elsa.submissions, elsa.occurrences, elsa.kind, elsa.known) == (
        2,
        4,
        "intervention",
        True,
    )
    assert summary.mentions["makaton"].submissions == 1
    assert summary.mentions["new:ladder-of-inclusion"].known is False
    assert summary.distinct == 3
    assert summary.distinct_known == 2 and summary.distinct_new == 1
    assert summary.distinct_by_kind == {"intervention": 1, "tool": 1, "unknown": 1}
    assert summary.submissions_by_kind == {"intervention": 2, "tool": 1, "unknown": 1}
    assert list(summary.mentions)[0] == "elsa"  # most-cited first
    data = json.loads(json.dumps(summary.to_dict()))
    assert data["mentions"]["elsa"]["occurrences"] == 4


def test_counting_empty_input():
    summary = count_mentions({})
    assert summary.distinct == 0 and summary.mentions == {} and summary.submissions == 0
