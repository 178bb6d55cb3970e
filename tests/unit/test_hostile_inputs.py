"""Files a user hands to pi87-field are accepted or refused at the door, in one French line
(issue 9, item 8): YAML alias bombs and deep nesting in guides; answers per interview,
interviews per bundle, nesting depth of unknown keys, text size, NaN in bundles.

The time and memory of each hostile input, before and after, are in the store helper's note
(hostile.md); here each refusal is checked for its message, its speed and that nothing went in."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import docx
import pytest

from pi87_field.core import bundle as bundle_module
from pi87_field.core.bundle import MAX_ANSWERS, MAX_DEPTH, MAX_INTERVIEWS, MAX_OBJECTS, MAX_TEXT_CHARS, MAX_TOTAL_TEXT_CHARS
from pi87_field.core.errors import GuideError
from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.guides import GuideLibrary, load_guide_file
from pi87_field.core.money import format_int
from tests.support.trees import tree_snapshot


def _bomb(width: int = 230) -> str:
    """A 5 KB guide whose aliases unfold into width**3 sub-points (the "billion laughs")."""
    return "\n".join([
        'id: bomb', 'version: "1"', 'title: Bombe', 'sections:',
        '  - &s', '    id: s', '    title: S', '    questions:',
        '      - &q', '        id: q', '        text: Q',
        '        subpoints: [&p {id: a, text: t}, ' + ", ".join(["*p"] * width) + ']',
        *["      - *q"] * width, *["  - *s"] * width, ""])


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb(), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(GuideError) as caught:
        load_guide_file(path)
    assert time.perf_counter() - started < 2
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}:1: ") and "alias" in message


def test_a_bomb_among_the_user_guides_does_not_take_the_others_down(tmp_path):
    folder = tmp_path / "guides"
    folder.mkdir()
    (folder / "bomb.yaml").write_text(_bomb(), encoding="utf-8")
    from pi87_field.core.guides import builtin_guides_dir

    library = GuideLibrary([builtin_guides_dir(), folder])
    assert library.get("etude-de-cas") is not None
    assert len(library.problems) == 1 and "alias" in library.problems[0]


def test_deeply_nested_yaml_is_one_line_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("id: d\nversion: '1'\ntitle: t\nsections: " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(GuideError, match="imbrication trop profonde"):
        load_guide_file(path)


def _bundle(interviews: list[dict]) -> dict:
    return {"format": "pi87-field/1", "exported_at": "2019-10-15T09:00:00+00:00",
            "project": {"id": "hostile", "kind": "case_study", "title": "Hostile", "guide_id": "etude-de-cas"},
            "interviews": interviews}


def _interview(answers: dict | None = None, **extra) -> dict:
    return {"id": str(uuid.uuid4()), "guide_id": "etude-de-cas", "guide_version": "1.0", "interviewer": "E",
            "date": "2019-10-14", "status": "in_progress", "answers": answers or {}, **extra}


def _refused(store, data_dir: Path, tmp_path: Path, data: dict | str, needle: str) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    before = tree_snapshot(data_dir / "projects")
    started = time.perf_counter()
    report = import_files(store, [path])
    assert time.perf_counter() - started < 10
    (result,) = report.files
    assert needle in result.error and "\n" not in result.error, result.error
    assert tree_snapshot(data_dir / "projects") == before


def test_too_many_answers_in_one_interview_are_refused_at_the_door(store, data_dir, tmp_path):
    """A 1,000,000-answer interview went in and every save of it then took 9.5 s."""
    answers = {f"q{n}": {"text": "x"} for n in range(MAX_ANSWERS + 1)}
    _refused(store, data_dir, tmp_path, _bundle([_interview(answers)]), f"au plus {format_int(MAX_ANSWERS)}")


def test_a_million_tiny_answers_stop_the_reading_early(store, data_dir, tmp_path):
    """The 23 MB, 1,000,000-answer bundle: refused as soon as the parser has seen too many objects."""
    answers = ",".join(f'"q{n}":{{"text":"x"}}' for n in range(MAX_OBJECTS + 10))
    text = json.dumps(_bundle([_interview()])).replace('"answers": {}', '"answers": {' + answers + '}')
    _refused(store, data_dir, tmp_path, text, "objets")


def test_too_many_interviews_are_refused_at_the_door(store, data_dir, tmp_path):
    _refused(store, data_dir, tmp_path, _bundle([_interview() for _ in range(MAX_INTERVIEWS + 1)]),
             f"au plus {format_int(MAX_INTERVIEWS)}")


def test_a_deeply_nested_unknown_key_is_refused_at_the_door(store, data_dir, tmp_path):
    """It imported fine, then every Word export of the project failed with RecursionError."""
    deep: object = 0
    for _ in range(900):
        deep = [deep]
    _refused(store, data_dir, tmp_path, _bundle([_interview(x_deep=deep)]), "imbriquées")


def test_an_unknown_key_within_the_depth_cap_imports_and_exports_to_word(store, tmp_path):
    deep: object = "fond"
    for _ in range(MAX_DEPTH - 6):
        deep = {"k": deep}
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(_bundle([_interview({"structure.presentation": {"text": "ok"}}, x_deep=deep)])))
    assert import_files(store, [path]).ok
    out = export_project(store, "hostile", tmp_path / "exports", fmt="docx")
    assert any(p.text == "ok" for p in docx.Document(str(out)).paragraphs)


def test_an_answer_beyond_the_text_cap_is_refused(store, data_dir, tmp_path):
    answers = {"structure.presentation": {"text": "x" * (MAX_TEXT_CHARS + 1)}}
    _refused(store, data_dir, tmp_path, _bundle([_interview(answers)]), "caractères")


def test_more_answer_text_than_the_bundle_cap_is_refused(store, data_dir, tmp_path):
    """60 MB of answers went in, and the project's Word export then took 13 s and 515 MB."""
    chunk = "mot " * (MAX_TEXT_CHARS // 4 - 1)
    count = MAX_TOTAL_TEXT_CHARS // len(chunk) + 1
    _refused(store, data_dir, tmp_path, _bundle([_interview({"structure.presentation": {"text": chunk}})
                                                 for _ in range(count)]), "caractères de réponses")


def test_nan_is_refused_at_the_door(store, data_dir, tmp_path):
    text = json.dumps(_bundle([_interview(x_nan=float("nan"))]))
    assert "NaN" in text
    _refused(store, data_dir, tmp_path, text, "NaN")


def test_a_nan_already_in_the_store_is_not_exported_as_nan(store, tmp_path):
    """An older version stored NaN from a bundle's unknown key; the JSON export wrote `NaN`."""
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(_bundle([_interview(x_nan="placeholder")])))
    assert import_files(store, [path]).ok
    (stored,) = (store.project_dir("hostile") / "interviews").glob("*.json")
    stored.write_text(stored.read_text(encoding="utf-8").replace('"placeholder"', "NaN"), encoding="utf-8")
    out = export_project(store, "hostile", tmp_path / "exports", fmt="json")
    text = out.read_text(encoding="utf-8")
    assert "NaN" not in text
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} exported"))


def test_the_caps_are_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for value in (MAX_ANSWERS, MAX_INTERVIEWS, MAX_DEPTH, MAX_OBJECTS):
        assert f"{value:,}" in readme
    assert f"{bundle_module.MAX_BUNDLE_BYTES // (1024 * 1024)} Mo" in readme or "64 MB" in readme
