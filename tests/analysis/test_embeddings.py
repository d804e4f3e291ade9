"""The default embedder: distilled from the official all-MiniLM-L6-v2 weights, fast and sensible."""

import json
import os
from functools import lru_cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inpractice.analysis.embeddings import (
    OFFICIAL_SHA256,
    EmbeddingError,
    StaticEmbedder,
    load_embedder,
    sha256_file,
    static_model_dir,
    verify_official,
)


@pytest.fixture(scope="module")
def embedder():
    return StaticEmbedder()


def test_the_static_model_records_the_official_source_weights():
    manifest = json.loads((static_model_dir() / "manifest.json").read_text())
    assert manifest["source_sha256"] == OFFICIAL_SHA256["model.safetensors"]
    # the tokenizer shipped beside the vectors is the official one, byte for byte
    assert sha256_file(static_model_dir() / "tokenizer.json") == OFFICIAL_SHA256["tokenizer.json"]


def test_weights_that_are_not_official_are_refused(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"not the model")
    (tmp_path / "tokenizer.json").write_bytes(b"{}")
    with pytest.raises(EmbeddingError, match="refusing to use weights of unknown origin"):
        verify_official(tmp_path)


def test_rows_are_unit_length_and_deterministic(embedder):
    texts = ["Visual timetables help autistic pupils.", "", "Zones of Regulation in every class."]
    first, second = embedder.encode(texts), embedder.encode(texts)
    assert first.shape == (3, embedder.dim) and first.dtype == np.float32
    np.testing.assert_array_equal(first, second)
    assert np.allclose(np.linalg.norm(first[[0, 2]], axis=1), 1.0, atol=1e-5)
    assert not first[1].any()  # nothing to embed stays a zero vector rather than noise


def test_meaning_not_just_shared_words_brings_passages_together(embedder):
    anchor, near, far = embedder.encode(
        [
            "helping autistic pupils cope with changes to lessons",
            "visual timetables prepare children with ASD for transitions in the school day",
            "the finance committee approved the catering contract for next year",
        ]
    )
    assert anchor @ near > anchor @ far + 0.1


def test_fitting_on_a_corpus_down_weights_words_every_passage_uses(embedder):
    corpus = [f"pupils pupils pupils topic {i}" for i in range(50)]
    fitted = StaticEmbedder().fit(corpus)
    pupils = fitted.token_ids(["pupils"])[0][0]
    topic = fitted.token_ids(["topic"])[0][0]
    assert (
        fitted.weights[pupils] / fitted.prior_weights[pupils]
        < fitted.weights[topic] / fitted.prior_weights[topic] * 1.01
    )


def test_unknown_embedder_names_are_a_clear_error():
    with pytest.raises(EmbeddingError, match="unknown embedder"):
        load_embedder("word2vec-from-1998")


def test_cached_word_tokenisation_matches_the_tokenizer_exactly(embedder):
    texts = [
        "Don't stop: Zones-of-Regulation, e.g. 4.5% of pupils_in Year 3 (ASD/ADHD).",
        "Élodie’s café — naïve coöperation 😊 über straße 中文字",
        "NELI, WellComm & Talk Boost!!! 1:1 sessions x3",
    ]
    direct = [e.ids for e in embedder.tokenizer.encode_batch(texts, add_special_tokens=False)]
    assert embedder.token_ids(texts) == direct


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "400")), deadline=None)
@given(
    st.one_of(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120),
        # mostly the fast path: ASCII, Latin letters and typographic punctuation
        st.text(
            alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x24F)
            | st.sampled_from("\n\t ’‘“”–—…•€£°×"),
            max_size=200,
        ),
    )
)
def test_cached_tokenisation_matches_on_any_text(text):
    embedder = _shared_embedder()
    direct = embedder.tokenizer.encode(text, add_special_tokens=False).ids[: embedder.max_tokens]
    assert embedder.token_ids([text]) == [direct]


@lru_cache(maxsize=1)
def _shared_embedder() -> StaticEmbedder:
    return StaticEmbedder()
