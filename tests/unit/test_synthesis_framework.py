"""The référentiel: the five evaluative questions of §1.3 word for word, and its validation."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from pi87_field.core.errors import GuideError
from pi87_field.core.guides import GuideLibrary
from pi87_field.core.synthesis import FRAMEWORK_ID, QUESTION_IDS, find_framework, parse_framework
from pi87_field.locations import builtin_guides_dir
from tests.support.paths import FIXTURES, REPO

SEED = REPO.parent / "shared" / "seed" / "000_b814e8720ab1cfd5.txt"
BUILTIN = REPO / "interview_guides" / "referentiel-pi87.yaml"


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def library() -> GuideLibrary:
    return GuideLibrary([builtin_guides_dir()])


@pytest.fixture(scope="module")
def framework(library):
    return find_framework([builtin_guides_dir()], library)


def test_five_questions_of_section_1_3_word_for_word(framework):
    table = _norm((FIXTURES / "section_1_3_questions.txt").read_text(encoding="utf-8"))
    assert framework.id == FRAMEWORK_ID
    assert tuple(framework.question_ids) == QUESTION_IDS
    assert [q.registre for q in framework.questions] == [
        "Pertinence", "Efficacité / impact", "Efficience (et mise en œuvre)",
        "Cohérence interne et externe", "Innovation"]
    rest = table
    for n, q in enumerate(framework.questions, start=1):
        # "1. Pertinence Dans quelle mesure…": number, registre and text follow each other in §1.3
        row = f"{n}. {q.registre} {q.text}"
        assert row in table, row
        rest = rest.replace(row, " ")
    # Nothing of the table left out: only its heading remains.
    assert _norm(rest) == "Registre Questions évaluatives"


@pytest.mark.skipif(not SEED.exists(), reason="the report is not beside this checkout")
def test_fixture_is_the_report_text():
    report = SEED.read_text(encoding="utf-8")
    assert (FIXTURES / "section_1_3_questions.txt").read_text(encoding="utf-8") in report


@pytest.mark.skipif(not SEED.exists(), reason="the report is not beside this checkout")
def test_questions_are_those_answered_in_section_4_1(framework):
    """§4.1 repeats each question with its registre above a "Niveau d'atteinte" of the scale."""
    report = _norm(SEED.read_text(encoding="utf-8"))
    part = report[report.index("4.1 Nos conclusions"):report.index("4.2 Nos préconisations")]
    ratings = re.findall(r"d’atteinte Explications (\+{1,3}) ", part)
    assert ratings == ["+++", "++", "++", "+", "+++"]
    assert all(r in framework.scale for r in ratings)
    assert framework.not_rated == "non évalué"
    for q in framework.questions:
        assert q.text in part, q.id


def test_every_question_is_mapped_to_known_grid_questions(framework, library):
    for q in framework.questions:
        assert q.mapping, q.id
        for m in q.mapping:
            assert library.get(m.guide_id).question(m.question_id) is not None, (q.id, m)
    # Both annexes inform the judgements: 5.1 (case studies) and 5.2 (qualitative interviews).
    guides = {m.guide_id for q in framework.questions for m in q.mapping}
    assert guides == {"etude-de-cas", "entretiens-qualitatifs"}
    # the innovation question reads the grid's own "caractère innovant" question
    assert "suites.specificites" in framework.question("innovation").mapped_ids


def test_each_mapping_choice_is_commented():
    lines = BUILTIN.read_text(encoding="utf-8").splitlines()
    in_mapping = False
    for n, line in enumerate(lines):
        if line.strip() == "mapping:":
            in_mapping = True
            continue
        if re.match(r"^  - id:", line):
            in_mapping = False
        elif in_mapping and re.match(r"^\s+- [a-z0-9]", line):
            assert lines[n - 1].strip().startswith("#"), f"line {n + 1} has no comment: {line}"


def test_framework_is_not_a_guide(library):
    assert library.problems == []
    assert FRAMEWORK_ID not in library.guides


def _framework_text(**swap: str) -> str:
    text = BUILTIN.read_text(encoding="utf-8")
    for old, new in swap.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


def test_unknown_grid_question_is_named_with_file_and_line(library):
    text = _framework_text(**{"        - projet.publics-vises\n": "        - projet.inexistante\n"})
    line = text.splitlines().index("        - projet.inexistante") + 1
    with pytest.raises(GuideError) as info:
        parse_framework(text, "ref.yaml", library)
    assert f"ref.yaml:{line}: " in str(info.value)
    assert "« projet.inexistante » inconnue" in str(info.value)


def test_question_with_nothing_mapped_is_refused(library):
    text = BUILTIN.read_text(encoding="utf-8")
    start = text.index("    mapping:", text.index("id: coherence"))
    end = text.index("  - id: innovation")
    broken = text[:start] + "    mapping: {}\n\n" + text[end:]
    with pytest.raises(GuideError) as info:
        parse_framework(broken, "ref.yaml", library)
    assert "question évaluative coherence : aucune question de grille associée" in str(info.value)
    assert re.search(r"ref\.yaml:\d+: ", str(info.value))


def test_unknown_guide_and_unknown_key(library):
    text = _framework_text(**{"      entretiens-qualitatifs:\n        # Thème 3": "      grille-x:\n        # Thème 3",
                              "scale:": "echelle:"})
    with pytest.raises(GuideError) as info:
        parse_framework(text, "ref.yaml", library)
    message = str(info.value)
    assert "guide inconnu « grille-x »" in message
    assert "champ inconnu « echelle »" in message


def test_user_framework_overrides_the_builtin(tmp_path, library):
    user = tmp_path / "guides"
    user.mkdir()
    text = _framework_text(**{'version: "1.0"': 'version: "1.1-equipe"'})
    (user / "mon-referentiel.yaml").write_text(text, encoding="utf-8")
    fw = find_framework([builtin_guides_dir(), user], library)
    assert fw.version == "1.1-equipe"
    assert fw.path == user / "mon-referentiel.yaml"


def test_guides_validate_cli(tmp_path):
    bad = tmp_path / "ref.yaml"
    bad.write_text(_framework_text(**{"        - q3.resultats-effets\n": "        - q9.inconnue\n"}),
                   encoding="utf-8")
    run = [sys.executable, "-m", "pi87_field", "--data-dir", str(tmp_path / "d"), "guides", "validate"]
    ok = subprocess.run([*run, str(BUILTIN)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "référentiel referentiel-pi87 v1.0, 5 questions évaluatives" in ok.stdout
    ko = subprocess.run([*run, str(bad)], capture_output=True, text=True)
    assert ko.returncode == 1
    assert re.search(r"ref\.yaml:\d+: question évaluative efficacite : question « q9.inconnue » inconnue",
                     ko.stderr), ko.stderr
    assert "Traceback" not in ko.stderr
