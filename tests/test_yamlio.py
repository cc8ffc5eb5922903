"""Safe YAML: no object construction, duplicate keys and tabs reported with their line."""

import pytest

from maroc_eval.core.yamlio import load_yaml
from maroc_eval.errors import InputError


def test_lines_of_keys(tmp_path):
    path = tmp_path / "a.yml"
    path.write_text("a: 1\nb:\n  c: [1, 2]\n  d:\n    - x\n    - y\n", encoding="utf-8")
    doc = load_yaml(path)
    assert doc.data == {"a": 1, "b": {"c": [1, 2], "d": ["x", "y"]}}
    assert doc.line_of(("b", "d")) == 4
    assert doc.line_of(("b", "d", 1)) == 6
    assert doc.line_of(("b", "d", 1, "unknown")) == 6  # deepest known prefix


def test_python_tags_are_refused_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yml"
    path.write_text(f'x: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    assert not marker.exists()
    problem = err.value.problems[0]
    assert problem.line == 1 and problem.kind == "yaml-syntax"


def test_duplicate_key_names_both_places(tmp_path):
    path = tmp_path / "dup.yml"
    path.write_text("midterm:\n  a: 1\n  a: 2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    [problem] = err.value.problems
    assert (problem.line, problem.column, problem.kind) == (3, "midterm.a", "duplicate-key")


def test_tab_indentation_is_explained(tmp_path):
    path = tmp_path / "tab.yml"
    path.write_text("a:\n\tb: 1\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    [problem] = err.value.problems
    assert problem.line == 2 and "tabulation" in problem.expected


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.yml"
    path.write_bytes("a: é\n".encode("cp1252"))
    with pytest.raises(InputError) as err:
        load_yaml(path)
    assert "UTF-8" in err.value.problems[0].expected
