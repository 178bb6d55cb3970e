"""Each domain rule in one place (issue 8, item 3): question numbering, interview order and title,
progress, answer ancestry, accent folding with positions, French dates, consent time.

Each test pins a drift that existed when the rule had several copies."""

from __future__ import annotations

import json
from datetime import date

import docx

from pi87_field.core.bundle import Bundle
from pi87_field.core.fr import fr_date, fr_datetime, parse_fr_date
from pi87_field.core.grid import Grid
from pi87_field.core.merge import merge_files
from pi87_field.core.merge.consolidation import MergedProject
from pi87_field.core.model import Answer, Interview, Interviewee
from pi87_field.core.privacy.pseudonymise import pseudonymise_bundle
from pi87_field.core.serialize import interview_from_dict, interview_to_dict
from pi87_field.core.summary import interview_progress, interview_title, ordered_interviews
from pi87_field.core.text import fold_with_positions
from pi87_field.core.word.writeup import write_project_docx
from tests.support.merge_bundles import case_project, guides, make_interview, write_bundle

CASE_QIDS = ["structure.presentation", "effets.notables"]


def _headings(path, style: str) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == style]


# -- question numbering -------------------------------------------------------------------------

def test_the_guide_numbers_its_questions_one_way():
    lib = guides()
    case, series = lib.get("etude-de-cas"), lib.get("entretiens-qualitatifs")
    assert case.number("structure.presentation") == "1.1"
    assert case.number("effets.notables") == "6.1"
    assert series.number("q3.resultats-effets") == "3"      # the guide's own number
    assert case.number("nope") == ""


def test_write_up_volume_and_tui_show_the_same_number(tmp_path):
    """The TUI said "6.1", the write-up "14." (a running count), the volume "1." (per section)."""
    project = case_project("ec01")
    interview = make_interview(project, 1, "Anne", CASE_QIDS)
    bundle = Bundle(project=project, interviews=[interview], exported_at="2019-10-15T09:00:00+02:00")
    out = write_project_docx(bundle, guides(), tmp_path / "ec01.docx")
    assert any(t.startswith("6.1. ") for t in _headings(out, "Heading 3"))
    merge_files([out], tmp_path / "volume.docx")
    volume_text = [p.text for p in docx.Document(str(tmp_path / "volume.docx")).paragraphs]
    assert any(t.startswith("6.1. ") for t in volume_text)
    assert Grid.of(interview, guides().get("etude-de-cas")).number("effets.notables") == "6.1"   # the TUI's


# -- interview order and title ------------------------------------------------------------------

def _same_day_pair(project):
    """Same date; Zoé's interview was created first, Anne's second."""
    zoe = make_interview(project, 1, "Zoé", CASE_QIDS)
    anne = make_interview(project, 2, "Anne", CASE_QIDS)
    zoe.date = anne.date = date(2019, 10, 14)
    zoe.created_at, anne.created_at = "2019-10-01T09:00:00+02:00", "2019-10-02T09:00:00+02:00"
    return zoe, anne


def test_entretien_1_is_the_same_interview_in_the_write_up_and_the_volume(tmp_path):
    """The volume sorted by interviewer before creation time, the write-up did not."""
    project = case_project("ec01")
    zoe, anne = _same_day_pair(project)
    assert [i.interviewer for i in ordered_interviews([anne, zoe])] == ["Zoé", "Anne"]
    merged = MergedProject(project=project, interviews={anne.id: anne, zoe.id: zoe})
    assert [i.interviewer for i in merged.ordered_interviews()] == ["Zoé", "Anne"]
    bundle = Bundle(project=project, interviews=[anne, zoe], exported_at="2019-10-15T09:00:00+02:00")
    out = write_project_docx(bundle, guides(), tmp_path / "ec01.docx")
    first_write_up = next(t for t in _headings(out, "Heading 1") if t.startswith("Entretien 1"))
    assert first_write_up == f"Entretien 1 — {interview_title(project, zoe)}"
    merge_files([out], tmp_path / "volume.docx")
    first_volume = next(p.text for p in docx.Document(str(tmp_path / "volume.docx")).paragraphs
                        if p.text.startswith("Entretien 1 — "))
    assert first_volume == first_write_up


def test_interview_title_names_organisations_once_and_the_date_the_french_way():
    project = case_project("ec01")
    interview = make_interview(project, 1, "Anne", [])
    interview.interviewees = [Interviewee(name="A", organisation="Pôle emploi"),
                              Interviewee(name="B", organisation="Pôle emploi")]
    assert interview_title(project, interview) == "Pôle emploi — 01/10/2019"
    interview.date = None
    assert interview_title(project, interview) == "Pôle emploi — date à fixer"
    assert interview_title(project, interview, header=True) == "Porteur 1 – Mission locale · A (Pôle emploi), B (Pôle emploi)"


# -- progress -----------------------------------------------------------------------------------

def test_write_up_progress_for_an_unknown_guide_is_the_core_figure(tmp_path):
    """The write-up counted an interview whose guide is unknown against its answers only, the
    TUI and the CLI against the question texts it kept: "2 / 2" here, "2 / 25" there."""
    project = case_project("ec01")
    interview = make_interview(project, 1, "Anne", CASE_QIDS)
    interview.guide_id = "grille-inconnue"
    got, out_of = interview_progress(interview, None)
    assert (got, out_of) == (2, len(interview.question_texts))
    bundle = Bundle(project=project, interviews=[interview], exported_at="2019-10-15T09:00:00+02:00")
    out = write_project_docx(bundle, guides(), tmp_path / "ec01.docx")
    cells = [c.text for t in docx.Document(str(out)).tables for row in t.rows for c in row.cells]
    assert f"{got} / {out_of} questions renseignées" in cells


# -- answer ancestry ----------------------------------------------------------------------------

def test_answer_ancestry_is_one_rule():
    first = Answer(text="v1")
    second = Answer(text="v2")
    second.grow_from(first, burst="b1:1")
    third = Answer(text="v3")
    third.grow_from(second, same_burst=True)     # an autosave of the same burst: v2 was passing
    assert third.burst == "b1:2" and third.ancestors == [first.rev]
    assert second.descends_from(first) and second.descends_from(first.rev)
    assert third.descends_from(first) and third.descends_from(second)   # by its burst mark
    assert not third.descends_from(second.rev)   # the bare revision is not an ancestor
    assert not second.descends_from(third) and not first.descends_from(second)
    back = Answer(text="v1")
    back.grow_from(second)
    assert back.ancestors == [second.rev, "b1:1"]   # first.rev is its own text: never listed
    assert not back.descends_from(back)          # never its own ancestor


# -- accent folding with positions --------------------------------------------------------------

def test_fold_with_positions_maps_back_to_the_original_text():
    text = "Straße de Pôle ﬁn"
    folded, index = fold_with_positions(text)
    assert folded == "strasse de pole fin"
    start = folded.find("pole")
    assert text[index[start]:index[start + 3] + 1] == "Pôle"


def test_pseudonymisation_replaces_a_name_after_a_length_changing_fold(tmp_path):
    project = case_project("ec01")
    interview = make_interview(project, 1, "Anne", [])
    interview.interviewees = [Interviewee(name="Jean Dupont", organisation="Pôle emploi")]
    interview.answers["structure.presentation"] = Answer(text="La ﬁlière de Straße : M. Dupont répond.")
    out = pseudonymise_bundle(Bundle(project=project, interviews=[interview]))
    text = out.interviews[0].answers["structure.presentation"].text
    assert "Dupont" not in text and text.startswith("La ﬁlière de Straße : ")


# -- French dates -------------------------------------------------------------------------------

def test_french_dates_one_format():
    assert fr_date(date(2019, 10, 14)) == "14/10/2019"
    assert fr_datetime("2019-10-14T10:05:00+02:00") == "14/10/2019 à 10:05"
    assert fr_datetime("2019-10-14") == "14/10/2019"
    assert fr_datetime("n'importe quoi") == "n'importe quoi"
    assert parse_fr_date("14/10/19") == date(2019, 10, 14)
    assert parse_fr_date(" ") is None


def test_write_up_and_volume_write_a_time_the_same_way(tmp_path):
    """The write-up said "15/10/2019 à 09:00", the volume "15/10/2019 09:00"."""
    project = case_project("ec01")
    bundle = Bundle(project=project, interviews=[make_interview(project, 1, "Anne", CASE_QIDS)],
                    exported_at="2019-10-15T09:00:00+02:00")
    out = write_project_docx(bundle, guides(), tmp_path / "ec01.docx")
    assert any("15/10/2019 à 09:00" in p.text for p in docx.Document(str(out)).paragraphs)
    merge_files([write_bundle(bundle, tmp_path / "ec01.json")], tmp_path / "volume.docx")
    cells = [c.text for t in docx.Document(str(tmp_path / "volume.docx")).tables for r in t.rows for c in r.cells]
    assert "15/10/2019 à 09:00" in cells


# -- consent time -------------------------------------------------------------------------------

def test_consent_recorded_at_is_a_typed_field_with_the_same_json_key():
    project = case_project("ec01")
    old = interview_to_dict(make_interview(project, 1, "Anne", []))
    old["consent_recorded_at"] = "2019-10-14T09:00:00+02:00"       # as older versions wrote it
    interview: Interview = interview_from_dict(json.loads(json.dumps(old)))
    assert interview.consent_recorded_at == "2019-10-14T09:00:00+02:00"
    assert "consent_recorded_at" not in interview.extra
    assert interview_to_dict(interview)["consent_recorded_at"] == "2019-10-14T09:00:00+02:00"
