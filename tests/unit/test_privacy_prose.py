"""Pseudonymisation on real prose (issue 17): people named only in the text, each occurrence
decided on its own, particles, glued names, phones and e-mails, sheets that hold more than a
name, the strict level's spans, the labelled corpus and the report's own text.

The French model is loaded once per test session (`french_model`, cached per process): these
tests add a few seconds to the suite, not one load per test."""

from __future__ import annotations

import uuid

import pytest

from pi87_field.core.bundle import Bundle
from pi87_field.core.model import Answer, AnswerState, Interview, Interviewee, Project, ProjectKind
from pi87_field.core.privacy import PseudonymRegister, pseudonymise_bundles
from pi87_field.core.privacy.detect import contact_spans, french_model
from pi87_field.core.privacy.names import AMBIGUOUS, EMAIL_MASK, PHONE_MASK
from pi87_field.core.privacy.register import sheet_name
from tests.support.paths import REPO

SEED = REPO.parent / "shared" / "seed" / "000_b814e8720ab1cfd5.txt"
STAMP = "2019-10-14T10:05:00+02:00"


@pytest.fixture(scope="session", autouse=True)
def model():
    """spaCy's French pipeline, loaded once for the whole session."""
    return french_model()


def _bundle(pid: str, people: list[str], texts: list[str], notes: str = "") -> Bundle:
    interview = Interview(
        id=str(uuid.uuid5(uuid.NAMESPACE_OID, pid)), project_id=pid, guide_id="etude-de-cas", guide_version="1.0",
        interviewer="Camille Évaluatrice", notes=notes,
        interviewees=[Interviewee(name=n, role="", organisation="") for n in people],
        answers={f"q{i}": Answer(text=t, state=AnswerState.ANSWERED, updated_at=STAMP, author="Camille Évaluatrice")
                 for i, t in enumerate(texts)})
    return Bundle(project=Project(id=pid, kind=ProjectKind.CASE_STUDY, title="Étude de cas"), interviews=[interview])


def _run(bundles: list[Bundle], register: PseudonymRegister | None = None, level: str = "people"):
    register = register or PseudonymRegister.in_memory()
    out, report = pseudonymise_bundles(bundles, register, level)
    return [[a.text for a in b.interviews[0].answers.values()] for b in out], register, report, out


def test_people_named_only_in_the_text_are_found_and_get_a_register_label():
    texts = ["Voir M. Grandjean, directeur financier, et Mme Ferrand à la Région.",
             "Validé par Jean-Pierre Marchand en comité.",
             "Sophie Bastide envoie le bilan ; Grandjean relira."]
    (out,), register, _report, _ = _run([_bundle("ec01", [], texts)])
    labels = {e.name: e.label for e in register.entries()}
    assert out == [f"Voir {labels['Grandjean']}, directeur financier, et {labels['Ferrand']} à la Région.",
                   f"Validé par {labels['Jean-Pierre Marchand']} en comité.",
                   f"{labels['Sophie Bastide']} envoie le bilan ; {labels['Grandjean']} relira."]
    # the same person in another project, another export: the same label
    (again,), _, _, _ = _run([_bundle("ec02", [], ["Selon Jean-Pierre Marchand, non."])], register)
    assert again == [f"Selon {labels['Jean-Pierre Marchand']}, non."]


def test_each_occurrence_is_decided_on_its_own():
    """A lower-case "dupont.docx" elsewhere in the batch never makes "Dupont" an ordinary word."""
    one = _bundle("ec01", ["Jean Dupont"], ["Dupont a confirmé. Selon Dupont, oui.",
                                            "Cabinet Dupont & Le Gall ; Les Dupont ; JP Dupont."])
    other = _bundle("ec02", [], ["Le fichier dupont.docx est sur le partage."])
    (a, b), register, _, _ = _run([one, other])
    label = register.label_for("Jean Dupont")
    assert a[0] == f"{label} a confirmé. Selon {label}, oui."
    assert "Dupont" not in a[1] and f"Les {label}" in a[1] and f"Cabinet {label} &" in a[1]
    assert b == [f"Le fichier {label}.docx est sur le partage."]


def test_particles_and_names_that_are_words():
    texts = ["Mme de La Tour détaille. De La Tour signe.",
             "Bertrand de La Tour a présidé ; Mme Le Gall et Nolwenn Le Gall ont voté. Le Gall a dit non.",
             "Claire Fontaine a répondu. Fontaine a confirmé. Rose Marchand signe.",
             "Un petit nombre ; Petit à petit ; une réponse claire ; la rose des vents ; un marchand."]
    (out,), register, _, _ = _run([_bundle("ec01", ["Nolwenn Le Gall"], texts)])
    tour, gall = register.label_for("Bertrand de La Tour"), register.label_for("Nolwenn Le Gall")
    fontaine, marchand = register.label_for("Claire Fontaine"), register.label_for("Rose Marchand")
    assert out[0] == f"{tour} détaille. {tour} signe."
    assert out[1] == f"{tour} a présidé ; {gall} et {gall} ont voté. {gall} a dit non."
    assert out[2] == f"{fontaine} a répondu. {fontaine} a confirmé. {marchand} signe."
    assert out[3] == texts[3]


@pytest.mark.parametrize("text", ["(+33) 6 12 34 56 78", "06/12/34/56/78", "+33 612 345 678", "06 12 34 56 78",
                                  "06.12.34.56.78", "0612345678", "+33 (0)6 12 34 56 78", "0033 6 12 34 56 78",
                                  "06-11-22-33-44", "+41 61 267 50 50", "+49 681 944 0"])
def test_phones_in_every_form(text):
    assert [(s, e, mask) for s, e, mask, _k in contact_spans(f"Tél. {text}.")] == [(5, 5 + len(text), PHONE_MASK)]


@pytest.mark.parametrize("text", ["nolwenn.legall (at) example.fr", "nolwenn.legall@example.fr",
                                  "loic.morvan[at]unml.info", "erwan.guillou @ ml-vannes.fr"])
def test_e_mails_also_obfuscated(text):
    assert [(s, e, mask) for s, e, mask, _k in contact_spans(f"Écrire à {text} ;")] == [(9, 9 + len(text), EMAIL_MASK)]


def test_amounts_dates_and_years_are_no_phones():
    assert contact_spans("En 2019, 1 500 000 € ; 21 914,89 € ; 328 318 € ; 2014-2020 ; le 14/10/2019.") == []


def test_glued_names_and_invisible_characters():
    texts = ["Dupont2019 ; CR_JPDupont.docx ; Du\u00adpont ; Du\u200bpont ; EntretienDupont_Nolwenn.docx"]
    (out,), register, _, _ = _run([_bundle("ec01", ["Jean Dupont", "Nolwenn Le Gall"], texts)])
    dupont, nolwenn = register.label_for("Jean Dupont"), register.label_for("Nolwenn Le Gall")
    assert out == [f"{dupont} 2019 ; CR_{dupont}.docx ; {dupont} ; {dupont} ; Entretien{dupont}_{nolwenn}.docx"]


@pytest.mark.parametrize("field, name", [
    ("M. B. (chargé de mission)", "B."), ("Mme Martin, directrice", "Martin"),
    ("Mme Sophie Marchetti", "Sophie Marchetti"), ("Mme", ""), ("Directeur d'agence : M. Laurent Schmitt",
                                                                  "Laurent Schmitt"),
    ("Dr Karim Benali (psychologue)", "Karim Benali"), ("Jean Dupont", "Jean Dupont")])
def test_the_sheet_gives_the_register_only_the_name(field, name):
    assert sheet_name(field) == name


def test_a_name_field_holding_a_role_corrupts_nothing():
    texts = ["La Mission locale et l'extranet pédagogique ; Chargé de mission ; Mme Durand a signé ; Mme Marchetti aussi."]
    (out,), register, _, result = _run([_bundle("ec01", ["M. B. (chargé de mission)", "Mme Sophie Marchetti", "Mme"],
                                                texts)])
    durand, marchetti = register.label_for("Durand"), register.label_for("Sophie Marchetti")
    assert durand and durand != marchetti
    assert out == [f"La Mission locale et l'extranet pédagogique ; Chargé de mission ; {durand} a signé ; "
                   f"{marchetti} aussi."]
    names = [p.name for p in result[0].interviews[0].interviewees]
    assert names[0] == register.label_for("B.") and names[1] == marchetti and names[2] == ""


def test_strict_level_replaces_spans_never_single_ordinary_words():
    bundle = _bundle("ec01", ["Jean Dupont"], ["Un avenir pour les jeunes du quartier.",
                                               "L'Association Avenir Jeunes a recruté ; Avenir Jeunes compte 12 salariés."])
    bundle.interviews[0].interviewees[0].organisation = "Association Avenir Jeunes"
    bundle.interviews[0].interviewees[0].role = "Directeur des opérations"
    (out,), _, _, _ = _run([bundle], level="strict")
    assert out[0] == "Un avenir pour les jeunes du quartier."
    assert "Avenir" not in out[1] and "Jeunes" not in out[1] and "recruté" in out[1]


def test_text_people_and_contacts_left_are_listed():
    texts = ["Appeler le standard au 03 83 12 3 45 67 89 ou Loïc Morvan plus tard."]
    (_out,), _, report, _ = _run([_bundle("ec01", [], texts)])
    words = {i.word for i in report.items}
    assert any("03 83" in w for w in words)


def test_the_labelled_corpus_recall_and_precision():
    from tests.fixtures.privacy_corpus.score import corpus_score

    score = corpus_score()
    assert score.mentions >= 300 and score.contacts >= 40
    assert score.recall >= 0.99, score.missed
    assert score.contacts_replaced == score.contacts, score.missed
    assert len(score.changed) <= 3, score.changed


@pytest.mark.skipif(not SEED.exists(), reason="the final report is in ../shared/seed")
def test_the_report_s_own_text_keeps_every_word():
    from tests.fixtures.privacy_corpus.score import report_score

    changed, people = report_score(SEED)
    assert changed == []
    assert {w for w, _c in people} <= {"Miloslava", "Molnárová"}


def test_the_demo_sheets_hold_names_and_roles_apart():
    from pi87_field.core.demo import CASES

    for name, role, _when, _answers in CASES.values():
        assert sheet_name(name) == name and name.split()[0][0].isupper() and len(name.split()) >= 2
        assert "(" not in name and role and role.lower() not in name.lower()


def test_an_ambiguous_first_name_is_masked_not_left():
    (out,), _, _, _ = _run([_bundle("ec01", ["Jean Dupont", "Jean Martin"], ["Jean a parlé."])])
    assert out == [f"{AMBIGUOUS} a parlé."]


def test_a_name_that_is_a_word_stays_a_word_in_lower_case_outside_file_names():
    """The demo's evaluator "Karim Évaluateur": "d'un évaluateur" is a word; his file is his."""
    bundle = _bundle("ec01", ["Rose Marchand"], [
        "Les notes d'un évaluateur ; Karim Évaluateur relit ; une rose, un marchand ; cr_evaluateur_marchand.docx"])
    bundle.interviews[0].interviewer = "Karim Évaluateur"
    (out,), register, report, _ = _run([bundle])
    karim, rose = register.label_for("Karim Évaluateur"), register.label_for("Rose Marchand")
    assert out == [f"Les notes d'un évaluateur ; {karim} relit ; une rose, un marchand ; cr_{karim}_{rose}.docx"]
