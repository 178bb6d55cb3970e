"""The guides must hold every item of annexes 5.1 and 5.2 of the report, in its wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pi87_field.core.errors import GuideError
from pi87_field.core.guides import GuideLibrary, load_guide_file, parse_guide
from pi87_field.locations import builtin_guides_dir
from tests.support.paths import FIXTURES, REPO

SEED = REPO.parent / "shared" / "seed" / "000_b814e8720ab1cfd5.txt"


def _norm(text: str) -> str:
    text = text.replace("\uf0a7", " ").replace("\u2022", " ")
    return " ".join(text.split())


def _guide_items(guide) -> list[str]:
    items = [s.title for s in guide.sections]
    for q in guide.questions:
        items.append(q.text)
        items += [sp.text for sp in q.subpoints]
        items += list(q.relances)
        if q.condition:
            items.append(q.condition)
    return items


def _residue(annex: str, items: list[str]) -> str:
    rest = _norm(annex)
    for item in sorted(set(items), key=len, reverse=True):
        rest = rest.replace(_norm(item), " ")
    return " ".join(rest.split())


@pytest.fixture(scope="module")
def library() -> GuideLibrary:
    lib = GuideLibrary([builtin_guides_dir()])
    assert lib.problems == []
    return lib


def test_case_study_guide_is_annex_5_1_word_for_word(library):
    guide = library.get("etude-de-cas")
    annex = (FIXTURES / "annex_5_1_grid.txt").read_text(encoding="utf-8")
    items = _guide_items(guide)
    for item in items:  # nothing invented
        assert _norm(item) in _norm(annex), item
    # nothing left out: once every guide item is removed, only numbering glue remains
    residue = _residue(annex, items)
    assert re.fullmatch(r"[abc.+\s]*", residue), residue
    assert len(guide.sections) == 8 and len(guide.questions) == 19
    effets = guide.question("effets.notables")
    assert [sp.id for sp in effets.subpoints] == ["a", "b", "c"]


def test_qualitative_guide_is_annex_5_2_word_for_word(library):
    guide = library.get("entretiens-qualitatifs")
    annex = (FIXTURES / "annex_5_2_grid.txt").read_text(encoding="utf-8")
    items = [i for i in _guide_items(guide) if i != guide.sections[0].title]
    for item in items:
        assert _norm(item) in _norm(annex), item
    residue = _residue(annex, items)
    assert re.fullmatch(r"[0-9abc.\s]*", residue), residue
    assert [q.number for q in guide.questions] == ["1", "2", "3", "4", "5"]
    assert [len(q.subpoints) for q in guide.questions] == [3, 0, 0, 3, 0]


@pytest.mark.skipif(not SEED.exists(), reason="the report is not beside this checkout")
def test_fixtures_are_the_report_text():
    report = SEED.read_text(encoding="utf-8")
    for name in ("annex_5_1_grid.txt", "annex_5_2_grid.txt", "annex_5_1_table.txt", "section_1_4_interviews.txt"):
        assert (FIXTURES / name).read_text(encoding="utf-8") in report, name


def test_question_ids_are_unique_and_stable(library):
    ids = [q.id for g in library for q in g.questions]
    assert len(ids) == len(set(ids))
    assert library.get("etude-de-cas").question_ids[:2] == ["structure.presentation", "structure.effectifs"]


def test_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: g\nversion: '1'\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n"
        "      - id: q1\n        text: Q\n      - id: q1\n        text: R\n        kind: essay\n"
        "        colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(GuideError) as err:
        load_guide_file(bad)
    lines = str(err.value).splitlines()
    assert f"{bad}:10: question : identifiant « q1 » en double" in lines
    assert any(line.startswith(f"{bad}:12:") and "essay" in line for line in lines)
    assert any(line.startswith(f"{bad}:13:") and "colour" in line for line in lines)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("id: [unclosed\n", "g.yaml:2: YAML illisible"),
        ("", ":1: fichier vide"),
        ("- a\n- b\n", ":1: guide : un dictionnaire"),
        ("id: g\nversion: 1\ntitle: t\nsections: []\n", "au moins une section"),
        ("id: g\nversion: 1\ntitle: t\nsections:\n  - id: s\n    title: s\n", ":5: section s : au moins une question"),
    ],
)
def test_malformed_guides_one_clear_problem(text, expected):
    with pytest.raises(GuideError) as err:
        parse_guide(text, "g.yaml")
    assert expected in str(err.value)


def test_non_utf8_guide(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: g\ntitle: é\n".encode("latin-1"))
    with pytest.raises(GuideError, match=r"latin1.yaml:2: le fichier n'est pas en UTF-8"):
        load_guide_file(path)


def test_user_guides_in_data_dir_are_found(tmp_path):
    user = tmp_path / "guides"
    user.mkdir()
    (user / "mine.yaml").write_text(
        "id: ma-grille\nversion: '0.1'\ntitle: Ma grille\nsections:\n  - id: s\n    title: S\n"
        "    questions:\n      - id: s.q\n        text: Une question ?\n        relances: ['Et encore ?']\n",
        encoding="utf-8",
    )
    lib = GuideLibrary([builtin_guides_dir(), user])
    assert lib.get("ma-grille").questions[0].relances == ("Et encore ?",)
    assert lib.get("etude-de-cas") is not None


def test_guides_ship_in_the_wheel_config():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"interview_guides" = "pi87_field/interview_guides"' in pyproject
    assert Path(builtin_guides_dir() / "etude-de-cas.yaml").is_file()
