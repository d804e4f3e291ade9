"""Codebooks are data: the default loads, and a bad file says what is wrong and where."""

import json

import pytest

from inpractice.analysis.codebook import CodebookError, codebook_from_dict, load_codebook


def test_the_default_codebook_is_the_five_principles_with_sub_codes():
    codebook = load_codebook("default")
    assert [c.id for c in codebook.codes] == ["p1", "p2", "p3", "p4", "p5"]
    assert codebook.get("p1").name == "Knowing children well, early and often"
    children = {c.id for c in codebook.walk()} - {"p1", "p2", "p3", "p4", "p5"}
    assert {"p1.transitions", "p3.graduated-approach", "p4.families", "p5.governance"} <= children


def test_a_codebook_round_trips_through_a_json_file(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(load_codebook("default").to_dict()))
    assert load_codebook(path) == load_codebook("default")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"codes": []}, "non-empty 'codes'"),
        ({"codes": [{"id": "A B", "name": "x"}]}, r"codes\[0\]: id 'A B'"),
        ({"codes": [{"id": "a", "name": "x"}, {"id": "a", "name": "y"}]}, "used twice"),
        ({"codes": [{"id": "a", "name": ""}]}, "'name' is required"),
        ({"codes": [{"id": "a", "name": "x", "children": [{"id": "b"}]}]}, r"children\[0\] \(b\)"),
        ({"codes": [{"id": "a", "name": "x", "examples": "one"}]}, "list of passages"),
    ],
)
def test_invalid_codebooks_name_the_problem(raw, message):
    with pytest.raises(CodebookError, match=message):
        codebook_from_dict(raw)


def test_a_malformed_yaml_file_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("codes: [unclosed")
    with pytest.raises(CodebookError, match="broken.yaml: not valid yaml"):
        load_codebook(path)
