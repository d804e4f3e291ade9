"""Passages always point back to the exact words of the canonical text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from inpractice.analysis.segmentation import canonical, segment


def test_paragraphs_sentences_and_list_items_become_passages():
    text = (
        "Our SENCO leads it.\r\n\r\nWe use Zones of Regulation, e.g. in Year 3. Attendance rose "
        "by 4.5 per cent! Pupils said so.\n- first point in a list\n- second point in a list"
    )
    passages = segment(text)
    assert [p.text for p in passages] == [
        "Our SENCO leads it.",
        "We use Zones of Regulation, e.g. in Year 3. Attendance rose by 4.5 per cent! "
        "Pupils said so.",
        "- first point in a list",
        "- second point in a list",
    ]
    assert [p.paragraph for p in passages] == [0, 1, 2, 3]


def test_long_paragraphs_are_cut_at_sentence_ends_near_the_word_limit():
    sentence = "This sentence has exactly eight words in it."
    passages = segment(" ".join([sentence] * 25), max_words=40)
    assert all(p.text.endswith(".") and p.text.startswith("This") for p in passages)
    assert all(len(p.text.split()) <= 40 for p in passages)
    assert sum(len(p.text.split()) for p in passages) == 25 * 8


def test_offsets_count_code_points_after_emoji_and_accents():
    text = "Élodie’s class 🎉 loves it.\n\nNext: sensory circuits every morning."
    canon = canonical(text)
    for p in segment(text):
        assert canon[p.start : p.end] == p.text
    assert segment(text)[1].start == canon.index("Next")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_every_passage_is_an_exact_slice_of_the_canonical_text(text):
    canon = canonical(text)
    previous_end = 0
    for p in segment(text, max_words=12, min_words=3):
        assert canon[p.start : p.end] == p.text
        assert p.text == p.text.strip() and p.text
        assert p.start >= previous_end
        previous_end = p.end
