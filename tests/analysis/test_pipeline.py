"""The whole analysis on plain documents: every result points back to exact words, reproducibly."""

import numpy as np
import pytest

from inpractice.analysis.codebook import load_codebook
from inpractice.analysis.pipeline import Document, analyse
from inpractice.analysis.segmentation import canonical

PRACTICES = [
    "Every child joining Reception has a home visit, and we screen language with WellComm in the "
    "first month. Transition passports follow pupils to Year 7.",
    "Teachers use the same visual timetable and chunked instructions in every classroom. "
    "Instructional coaching each fortnight helps staff adapt lessons.",
    "Our resourced provision for speech and language needs lets pupils spend most of the day in "
    "class, with therapy from a speech and language therapist twice a week.",
    "Parents co-write their child's support plan and review it with us each term. We hold coffee "
    "mornings with the SENCO and the parent carer forum.",
    "Our SENCO sits on the senior leadership team and governors receive a termly report on "
    "inclusion. Every leader owns part of the SEND development plan.",
]
IMPACT = (
    "Attendance rose from 89% to 95% over two terms, and reading ages improved by 14 months on "
    "average. Pupils told us in our survey that they feel calmer."
)


def documents(n: int = 40) -> list[Document]:
    return [
        Document(
            f"S{i:03d}",
            {
                "need_description": "Autistic pupils in Year 4 who find transitions hard 🙂",
                "practice": PRACTICES[i % 5] + f" Cohort {i}.",
                "impact": IMPACT if i % 2 else "",
            },
        )
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def result():
    return analyse(documents(), load_codebook("default"), seed=3)


def test_every_passage_and_quote_is_an_exact_slice_of_its_field(result):
    table = result.passages
    docs = {d.id: d for d in documents()}
    for i in range(len(table)):
        document = table.documents[int(table.doc[i])]
        field = table.field_names[int(table.field[i])]
        text = canonical(document.fields[field])
        assert text[int(table.start[i]) : int(table.end[i])] == table.text(i)
    quotes = [q for qs in result.code_quotes.values() for q in qs]
    assert quotes
    for q in quotes:
        assert canonical(docs[q.document_id].fields[q.field])[q.start : q.end] == q.text


def test_codes_are_probabilities_and_every_document_gets_scores(result):
    assert result.code_ids == ["p1", "p2", "p3", "p4", "p5"]
    assert result.probabilities.shape == (len(result.passages), 5)
    assert ((result.probabilities >= 0) & (result.probabilities <= 1)).all()
    assert set(result.document_codes) == {d.id for d in documents()}


def test_the_principle_a_practice_is_about_scores_highest_for_it(result):
    table = result.passages
    practice = table.field_names.index("practice")
    by_principle = {j: [] for j in range(5)}
    for i in range(len(table)):
        if table.field[i] == practice:
            by_principle[int(table.doc[i]) % 5].append(result.probabilities[i])
    hits = sum(int(np.argmax(np.mean(rows, axis=0)) == j) for j, rows in by_principle.items())
    assert hits >= 4  # the families, leadership, teaching ... practices land on their principle


def test_mentions_and_evidence_are_found(result):
    names = {m.name for found in result.mentions.values() for _, m in found}
    assert "WellComm" in names
    rich = [doc_id for doc_id, e in result.evidence.items() if e.rich]
    assert rich and all(int(doc_id[1:]) % 2 for doc_id in rich)  # only those with the impact text


def test_same_input_and_seed_give_the_same_results(result):
    again = analyse(documents(), load_codebook("default"), seed=3)
    np.testing.assert_array_equal(again.probabilities, result.probabilities)
    assert [t.label for t in again.themes] == [t.label for t in result.themes]
    np.testing.assert_array_equal(again.theme_of_passage, result.theme_of_passage)


def test_chunking_does_not_change_the_results(result):
    chunked = analyse(documents(), load_codebook("default"), seed=3, chunk_size=7)
    np.testing.assert_allclose(chunked.probabilities, result.probabilities, atol=1e-5)


def test_an_empty_call_gives_empty_results():
    empty = analyse([], load_codebook("default"))
    assert len(empty.passages) == 0 and empty.themes == [] and empty.document_codes == {}


def test_worker_processes_give_the_same_results(result):
    parallel = analyse(
        documents(2100)[:40] + documents(2100)[40:], load_codebook("default"), seed=3, workers=2
    )
    serial = analyse(documents(2100), load_codebook("default"), seed=3, workers=1)
    np.testing.assert_array_equal(parallel.passages.start, serial.passages.start)
    np.testing.assert_array_equal(parallel.probabilities, serial.probabilities)
    assert parallel.mentions == serial.mentions and parallel.evidence == serial.evidence
