"""The evasion corpus: every disguised piece of personal data is caught, every clean sentence is
left alone (personal_data_evasions.yaml, beside this file)."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from inpractice.analysis import personal_data as pd

CORPUS = yaml.safe_load((Path(__file__).parent / "personal_data_evasions.yaml").read_text("utf-8"))


def _missed(case: dict) -> list[str]:
    """The `catch` pieces no single finding covers completely."""
    text = case["text"]
    findings = pd.analyse_text(text)
    missed = []
    for piece in case["catch"]:
        start = text.index(piece)
        end = start + len(piece)
        if not any(f.start <= start and f.end >= end for f in findings):
            found = [f"{f.entity_type} {f.text!r}" for f in findings] or ["nothing"]
            missed.append(f"{text!r}: {piece!r} not covered (found {', '.join(found)})")
    return missed


def test_the_corpus_is_big_enough():
    assert len(CORPUS["evasions"]) >= 40
    assert len(CORPUS["clean"]) >= 30
    for case in CORPUS["evasions"]:
        for piece in case["catch"]:
            assert piece in case["text"], case


def test_every_evasion_is_caught():
    failures = [line for case in CORPUS["evasions"] for line in _missed(case)]
    total = len(CORPUS["evasions"])
    assert not failures, f"{len(failures)} of {total} evasions missed:\n" + "\n".join(failures)


def test_clean_sentences_give_no_finding():
    failures = [
        f"{text!r}: {[(f.entity_type, f.text) for f in found]}"
        for text in CORPUS["clean"]
        if (found := pd.analyse_text(text))
    ]
    total = len(CORPUS["clean"])
    assert not failures, f"{len(failures)} of {total} clean sentences flagged:\n" + "\n".join(
        failures
    )


def test_redacting_by_the_offsets_leaves_nothing_behind():
    """Offsets point into the original text: redaction removes the invisible characters too."""
    text = "Al\u200dfie and mrs pa\u200btel"
    redacted = pd.redact(text, pd.analyse_text(text))
    assert redacted == "[name removed] and [name removed]"


def test_normalised_positions_map_back_to_the_original():
    text = "Ｍｒｓ\u200b Pa\u0301tel ٠٧"
    normalised = pd.normalise(text)
    assert normalised.text == "Mrs Pátel 07"
    # each normalised character points at the original characters it came from
    start, end = normalised.original(4, 9)
    assert text[start:end] == "Pa\u0301tel"
    start, end = normalised.original(0, 3)
    assert text[start:end] == "Ｍｒｓ"
    assert pd.normalise("plain ascii").text == "plain ascii"


def test_postcodes_for_mentions_use_the_same_check():
    text = "Visit us at ＬＳ６ ２ＡＢ or LS6\u200b2AB."
    assert [text[s:e] for s, e in pd.postcode_spans(text)] == ["ＬＳ６ ２ＡＢ", "LS6\u200b2AB"]


def test_normalising_any_text_keeps_a_position_for_every_character():
    rng = random.Random(16)
    alphabet = "ab Z9.@\u200b\u200d\u00ad\u0301\u0660\uff10\uff21\uff20\u0430\u2019\u00e9\ufb01😀"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        normalised = pd.normalise(text)
        assert len(normalised.text) == len(normalised.starts) == len(normalised.ends)
        previous = 0
        for start, end in zip(normalised.starts, normalised.ends, strict=True):
            assert previous <= start < end <= len(text)
            previous = start
        for finding in pd.analyse_text(text):
            assert finding.text == text[finding.start : finding.end]
