"""Pseudonymisation: stable pseudonyms, names replaced in facts and free text, nowhere left in
the exported file."""

from __future__ import annotations

import pytest

import uuid
import zipfile
from datetime import date

import docx

from pi87_field.core.bundle import Bundle
from pi87_field.core.model import (
    Answer,
    AnswerState,
    AnswerVersion,
    Interview,
    Interviewee,
    Project,
    ProjectKind,
)
from pi87_field.core.privacy.names import AMBIGUOUS
from pi87_field.core.privacy.pseudonymise import pseudonymise_bundle
from pi87_field.core.privacy.register import EVALUATOR, PERSON, make_label
from pi87_field.core.word.read import read_embedded_payload, read_writeup
from pi87_field.core.word.writeup import write_project_docx
from tests.support.writeup_bundle import guides, make_bundle


def _interview(n: int, people: list[str], text: str, when: date | None = None) -> Interview:
    return Interview(
        id=str(uuid.uuid5(uuid.NAMESPACE_OID, f"p{n}")), project_id="ec01", guide_id="etude-de-cas",
        guide_version="1.0", interviewer="Claire Martin", date=when or date(2019, 10, n),
        interviewees=[Interviewee(name=p, role="Directrice", organisation="Pôle emploi", extra={"tel": "06"})
                      for p in people],
        answers={"structure.presentation": Answer(text=text, author="Claire Martin")},
    )


def _bundle(*interviews: Interview) -> Bundle:
    return Bundle(project=Project(id="ec01", kind=ProjectKind.CASE_STUDY, title="Projet"), interviews=list(interviews))


def test_label_sequence():
    assert [make_label(PERSON, n) for n in (1, 2, 9, 10, 99, 100)] == [
        "Personne 01", "Personne 02", "Personne 09", "Personne 10", "Personne 99", "Personne 100"]
    assert make_label(EVALUATOR, 3) == "Enquêteur·rice 03"


def test_names_replaced_in_facts_and_answers_whole_word_case_and_accent_insensitive():
    text = ("Jean Dupont nous reçoit. M. DUPONT précise, avec Mme Lefevre, que Dupontel n'est pas concerné ; "
            "Dupont-Aignan non plus. Amélie LEFÈVRE conclut. Lefèvre Amélie signe.")
    original = _bundle(_interview(1, ["Jean Dupont", "Amélie Lefèvre"], text))
    out = pseudonymise_bundle(original)
    interview = out.interviews[0]
    assert [p.name for p in interview.interviewees] == ["Personne 01", "Personne 02"]
    assert all(p.extra == {} for p in interview.interviewees)
    # civility forms go with the name; a compound with an unknown part is masked, attributed to nobody
    assert interview.answers["structure.presentation"].text == (
        "Personne 01 nous reçoit. Personne 01 précise, avec Personne 02, que Dupontel n'est pas concerné ; "
        f"{AMBIGUOUS} non plus. Personne 02 conclut. Personne 02 signe.")
    assert out.extra["pseudonymised"] is True
    # a deep copy: the original is untouched
    assert original.interviews[0].interviewees[0].name == "Jean Dupont"
    assert original.interviews[0].answers["structure.presentation"].text == text
    assert "pseudonymised" not in original.extra


def test_pseudonyms_are_stable_across_interviews_and_orders():
    first = _interview(1, ["Jean Dupont"], "Jean Dupont", date(2019, 10, 1))
    second = _interview(2, ["Paul Martin", "jean dupont"], "Paul Martin et Jean Dupont", date(2019, 10, 5))
    a = pseudonymise_bundle(_bundle(first, second))
    b = pseudonymise_bundle(_bundle(second, first))       # same project, other order in the bundle
    for out in (a, b):
        by_id = {i.id: i for i in out.interviews}
        assert by_id[first.id].interviewees[0].name == "Personne 01"
        assert [p.name for p in by_id[second.id].interviewees] == ["Personne 02", "Personne 01"]
        assert by_id[second.id].answers["structure.presentation"].text == "Personne 02 et Personne 01"


def test_shared_last_name_is_masked_not_attributed():
    out = pseudonymise_bundle(_bundle(_interview(1, ["Jean Dupont", "Marie Dupont"],
                                                 "Jean Dupont et Marie Dupont ; Mme Dupont a parlé.")))
    assert out.interviews[0].answers["structure.presentation"].text == (
        f"Personne 01 et Personne 02 ; {AMBIGUOUS} a parlé.")


def test_concurrent_versions_and_notes_are_pseudonymised():
    interview = _interview(1, ["Karim Benali"], "Rien.")
    interview.notes = "Rappeler M. Benali."
    interview.answers["structure.presentation"].concurrent.append(
        AnswerVersion("Karim Benali a dit non.", AnswerState.ANSWERED, "2019-10-15T10:00:00+02:00", "Paul"))
    out = pseudonymise_bundle(_bundle(interview))
    assert out.interviews[0].notes == "Rappeler Personne 01."
    assert out.interviews[0].answers["structure.presentation"].concurrent[0].text == "Personne 01 a dit non."
    assert out.interviews[0].answers["structure.presentation"].concurrent[0].author == "Enquêteur·rice 02"


def test_pseudonymised_export_says_so_and_carries_no_name(tmp_path):
    bundle = make_bundle(hostile=False)
    bundle.interviews[0].answers["structure.presentation"].text = "Entretien avec Jean Dupont ; M. Dupont insiste."
    path = write_project_docx(pseudonymise_bundle(bundle), guides(), tmp_path / "p.docx", pseudonymised=True)
    document = docx.Document(str(path))
    first_page = []
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            break
        first_page.append(p.text)
    assert any(t.startswith("Document pseudonymisé.") for t in first_page)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name).decode("utf-8", "replace")
            for person in ("Dupont", "Lefèvre", "Benali"):
                assert person not in data, (name, person)
    payload = read_embedded_payload(path)
    assert payload["bundle"]["pseudonymised"] is True
    assert "Dupont" not in str(payload)
    writeup = read_writeup(path)
    assert writeup.bundle.extra["pseudonymised"] is True
    assert writeup.bundle.interviews[0].answers["structure.presentation"].text == (
        "Entretien avec Personne 01 ; Personne 01 insiste.")


def test_write_project_docx_pseudonymises_when_asked_even_if_the_caller_did_not(tmp_path):
    bundle = make_bundle(hostile=False)
    path = write_project_docx(bundle, guides(), tmp_path / "p.docx", pseudonymised=True)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Document pseudonymisé" in text and "Jean Dupont" not in text
    assert bundle.interviews[0].interviewees[0].name == "Jean Dupont"


def test_review_notes_are_pseudonymised():
    from pi87_field.core.model import ReviewNote

    interview = _interview(1, ["Karim Benali"], "Rien.")
    interview.review_notes = {"structure.presentation": [
        ReviewNote("Relectrice Anne", "2019-10-20T08:00:00+00:00", "Demander à Karim Benali le chiffre.")]}
    out = pseudonymise_bundle(_bundle(interview))
    note = out.interviews[0].review_notes["structure.presentation"][0]
    assert note.text == "Demander à Personne 01 le chiffre."
    assert note.author.startswith("Enquêteur") and "Anne" not in note.author   # reviewers: as evaluators
    assert interview.review_notes["structure.presentation"][0].text == "Demander à Karim Benali le chiffre."


def test_history_kept_for_reimport_does_not_leave(tmp_path):
    interview = _interview(1, ["Karim Benali"], "Karim Benali a dit oui.")
    interview.answers["structure.presentation"].ancestors = ["0123456789abcdef"]
    interview.fact_history = {"interviewees": ["aaaa", "bbbb"]}
    interview.fact_conflicts = {"interviewees": [{"value": [{"name": "Karim Benaly"}], "updated_at": "", "source": "x"}]}
    bundle = _bundle(interview)
    bundle.project.fact_history = {"title": ["cccc"]}
    out = pseudonymise_bundle(bundle)
    assert out.interviews[0].fact_history == {} and out.interviews[0].fact_conflicts == {}
    assert out.project.fact_history == {}
    assert out.interviews[0].answers["structure.presentation"].ancestors == []
    assert "Benaly" not in str(out)


def test_a_project_id_that_names_someone_is_refused_in_one_line():
    """The id is in file names, properties and the volume's tables, and is how merges find the
    project again: a pseudonymised output of "eq02-benali" would name Karim Benali."""
    from pi87_field.core.privacy import PseudonymRegister, pseudonymise_bundles
    from pi87_field.core.privacy.pseudonymise import NamedProjectId

    interview = _interview(1, ["Karim Benali"], "Rien.")
    interview.project_id = "eq02-benali"
    bundle = Bundle(project=Project(id="eq02-benali", kind=ProjectKind.INTERVIEW_SERIES, title="Série"),
                    interviews=[interview])
    with pytest.raises(NamedProjectId) as refused:
        pseudonymise_bundles([bundle], PseudonymRegister.in_memory())
    assert "« eq02-benali »" in str(refused.value) and "\n" not in str(refused.value)
    interview.project_id = bundle.project.id = "eq02-ml"
    pseudonymise_bundles([bundle], PseudonymRegister.in_memory())       # no name: no refusal


def test_review_notes_and_their_authors_are_pseudonymised():
    """Reviewers' notes (Word comments brought back by import) name their author and often a
    person: both replaced, in the JSON form `{"review_notes": {qid: [{"author", "date", "text"}]}}`."""
    from pi87_field.core.bundle import bundle_from_dict, bundle_to_dict

    data = bundle_to_dict(_bundle(_interview(1, ["Karim Benali"], "Rien.")))
    data["interviews"][0]["review_notes"] = {"structure.presentation": [
        {"author": "Anne Rivet", "date": "2019-10-20T10:00:00+02:00", "text": "Vérifier avec Karim Benali."}]}
    out = pseudonymise_bundle(bundle_from_dict(data))
    notes = bundle_to_dict(out)["interviews"][0]["review_notes"]["structure.presentation"]
    assert notes == [{"author": "Enquêteur·rice 02", "date": "2019-10-20T10:00:00+02:00",
                      "text": "Vérifier avec Personne 01."}]
