"""Chapter 4 of the report in the synthesis: sources, citation keys, conclusions, préconisations;
keys surviving export -> import into another store -> export; renames following; unknown keys."""

from __future__ import annotations

import json

import pytest

from pi87_field.core.errors import ImportFormatError, StoreError
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.store import ProjectStore
from pi87_field.core.synthesis import Workspace, citations
from pi87_field.core.synthesis.exchange import export_synthesis, parse_synthesis, write_synthesis_file
from pi87_field.core.synthesis.objects import Finding

AUX = "ec02-mef-auxerrois"
QID = "suites.specificites"
TEXT = ("Les demandeurs d'emploi vont eux-mêmes recueillir les besoins des entreprises ; "
        "des formations post-Moissons les aident à capitaliser sur cette expérience.")
DOC = {"title": "Extraction Ma Démarche FSE, opérations PI 8.7", "author": "DGEFP", "date": "2019-06-30",
       "kind": "données", "locator": "onglet OS1", "url": "", "note": ""}


@pytest.fixture
def leads(tmp_path):
    stores = []
    for name in ("a", "b"):
        store = ProjectStore.open(tmp_path / name)
        ws = Workspace(store)
        iid = ws.interviews(AUX)[0].id
        store.save_answer(AUX, iid, QID, TEXT, author="Évaluateur")
        ws.refresh()
        stores.append(ws)
    yield stores
    for ws in stores:
        ws.store.close()


# -- citations (pure) --------------------------------------------------------------------------------

def test_pandoc_citations_parse_and_rename():
    text = "822 conseillers [@mdfse-2019, p. 12], confirmé par [@lun-2.1; @aux-6.1]. Écrire à [contact@x.fr]."
    assert citations.keys_in(text) == ["mdfse-2019", "lun-2.1", "aux-6.1"]
    assert citations.rename_keys(text, {"lun-2.1": "lun-b"}) == text.replace("@lun-2.1;", "@lun-b;")
    assert "".join(p if isinstance(p, str) else p.raw for p in citations.parse(text)) == text
    # a full stop after a key is the sentence's, not the key's
    assert citations.keys_in("voir [@c4.]") == [] and citations.keys_in("voir [@c4]. Fin") == ["c4"]
    assert citations.unique_key("k", {"k", "k-b"}) == "k-c"


# -- keys in the store ---------------------------------------------------------------------------------

def test_pinning_proposes_a_key_and_renames_follow(leads):
    a, _ = leads
    iid = a.interviews(AUX)[0].id
    ev = a.synthesis.pin_evidence(AUX, iid, QID, "recueillir les besoins", supports=["efficacite"])
    assert ev.key.startswith("mef-auxerrois-") or ev.key  # case short name + question number
    assert citations.valid_key(ev.key)
    number = ev.key.rsplit("-", 1)[1]
    assert number[0].isdigit(), ev.key
    a.synthesis.save_source("mdfse-2019", DOC, author="Cheffe A")
    a.synthesis.save_judgement("efficacite", "++", f"Formés [@{ev.key}; @mdfse-2019, p. 12].", author="Cheffe A")
    a.synthesis.save_conclusions(intro="L'évaluation montre :", findings=[
        Finding("c1", "atout", f"Un positionnement pertinent [@{ev.key}].", ["pertinence"]),
        Finding("c4", "limite", "Une faible visibilité.", [])], overall="Nous pouvons donc dire que…",
        author="Cheffe A")
    a.synthesis.save_recommendation("p1", "Mieux affirmer les objectifs [@mdfse-2019].",
                                    ["Identifier les thèmes", "Travailler en amont"], ["c4", "pertinence"])
    a.synthesis.rename_key(ev.key, "aux-recueil")
    a.synthesis.rename_key("mdfse-2019", "mdfse")
    a.synthesis.rename_key("c4", "visibilite")
    j = a.synthesis.judgement("efficacite")
    assert j.explanation == "Formés [@aux-recueil; @mdfse, p. 12]."
    assert j.ancestors, "a rename is an edit: the old text is an ancestor"
    c = a.synthesis.conclusions()
    assert c.findings[0].text == "Un positionnement pertinent [@aux-recueil]."
    assert [f.key for f in c.findings] == ["c1", "visibilite"]
    [p1] = a.synthesis.recommendations()
    assert p1.text.endswith("[@mdfse].") and p1.rests_on == ["visibilite", "pertinence"]
    assert a.synthesis.get_evidence(ev.id).key == "aux-recueil"
    assert a.synthesis.unknown_keys() == []
    with pytest.raises(StoreError, match="nomme déjà"):
        a.synthesis.rename_key("aux-recueil", "mdfse")
    with pytest.raises(StoreError, match="invalide"):
        a.synthesis.rename_key("mdfse", "pas bon")


def test_unknown_keys_are_listed(leads):
    a, _ = leads
    a.synthesis.save_judgement("pertinence", "+++", "Voir [@nulle-part] et [@c1].")
    a.synthesis.save_recommendation("p1", "Texte.", [], ["c9"])
    unknown = a.synthesis.unknown_keys()
    assert ("nulle-part", "jugement pertinence") in unknown and ("c1", "jugement pertinence") in unknown
    assert ("c9", "préconisation p1 (repose sur)") in unknown


def test_tags_typed_while_pinning_are_learned(leads):
    a, _ = leads
    iid = a.interviews(AUX)[0].id
    a.synthesis.pin_evidence(AUX, iid, QID, "recueillir", supports=["innovation"], tags=["besoins employeurs"])
    assert "besoins employeurs" in {t.name for t in a.synthesis.codebook()}
    assert a.synthesis.path("codebook").exists()
    assert "besoins employeurs" in {t["name"] for t in export_synthesis(a)["codebook"]}


# -- exchange ------------------------------------------------------------------------------------------

def _chapter(a):
    iid = a.interviews(AUX)[0].id
    ev = a.synthesis.pin_evidence(AUX, iid, QID, "formations post-Moissons", supports=["efficacite"])
    a.synthesis.rename_key(ev.key, "aux-6.1")
    a.synthesis.save_source("mdfse-2019", DOC, author="Cheffe A")
    a.synthesis.save_judgement("efficacite", "++", "822 formés [@mdfse-2019, p. 12], confirmé par [@aux-6.1].")
    a.synthesis.save_conclusions(intro="Intro", findings=[Finding("c1", "atout", "Atout [@aux-6.1].", ["efficacite"]),
                                                          Finding("c4", "limite", "Limite.", [])],
                                 overall="Donc.", recommendations_intro="Il nous semblerait utile de :")
    a.synthesis.save_recommendation("p1", "Mieux affirmer [@mdfse-2019].", ["a1", "b1"], ["c4", "pertinence"])


def test_keys_survive_export_import_export(leads, tmp_path):
    a, b = leads
    _chapter(a)
    first = export_synthesis(a)
    assert first["sources"][0]["key"] == "mdfse-2019"
    assert first["judgements"][1]["evidence"][0]["key"] == "aux-6.1"
    assert [f["key"] for f in first["conclusions"]["findings"]] == ["c1", "c4"]
    write_synthesis_file(a, tmp_path / "a.json")
    report = import_files(b.store, [tmp_path / "a.json"])
    assert not report.errors
    b.refresh()
    second = export_synthesis(b)
    for doc in (first, second):
        doc.pop("exported_at")
    assert second["judgements"][1]["explanation"] == first["judgements"][1]["explanation"]
    assert second["judgements"][1]["evidence"][0]["key"] == "aux-6.1"
    assert second["sources"] == first["sources"]
    assert second["conclusions"]["findings"] == first["conclusions"]["findings"]
    assert second["recommendations"][0]["rests_on"] == ["c4", "pertinence"]
    assert b.synthesis.unknown_keys() == []
    # importing again changes nothing
    again = import_files(b.store, [tmp_path / "a.json"])
    assert all(c.outcome.value in ("unchanged", "older") for f in again.files for c in f.changes)


def test_an_incoming_key_naming_something_else_is_renamed(leads, tmp_path):
    a, b = leads
    _chapter(a)
    # lead B uses "mdfse-2019" for another document, and "aux-6.1" for another passage
    iid = b.interviews(AUX)[0].id
    other = b.synthesis.pin_evidence(AUX, iid, QID, "recueillir les besoins", supports=["pertinence"])
    b.synthesis.rename_key(other.key, "aux-6.1")
    b.synthesis.save_source("mdfse-2019", {**DOC, "title": "Rapport annuel de mise en œuvre 2018"})
    write_synthesis_file(a, tmp_path / "a.json")
    report = import_files(b.store, [tmp_path / "a.json"])
    assert not report.errors
    b.refresh()
    expl = b.synthesis.judgement("efficacite").explanation
    assert expl == "822 formés [@mdfse-2019-b, p. 12], confirmé par [@aux-6.1-b]."
    assert b.synthesis.source("mdfse-2019").title == "Rapport annuel de mise en œuvre 2018"
    assert b.synthesis.source("mdfse-2019-b").title == DOC["title"]
    assert b.synthesis.recommendations()[0].text == "Mieux affirmer [@mdfse-2019-b]."
    keys = {e.quote: e.key for e in b.synthesis.evidence()}
    assert keys == {"recueillir les besoins": "aux-6.1", "formations post-Moissons": "aux-6.1-b"}
    assert b.synthesis.unknown_keys() == []


def test_divergent_recommendations_are_kept_both_ways_and_settled(leads, tmp_path):
    a, b = leads
    _chapter(a)
    write_synthesis_file(a, tmp_path / "a.json")
    import_files(b.store, [tmp_path / "a.json"])
    b.refresh()
    a.synthesis.save_recommendation("p1", "Version A.", ["a1"], ["c4"])
    b.synthesis.save_recommendation("p1", "Version B.", ["b1"], ["c4"])
    write_synthesis_file(a, tmp_path / "a2.json")
    import_files(b.store, [tmp_path / "a2.json"])
    [p1] = b.synthesis.recommendations()
    assert p1.text == "Version B." and [v.values["text"] for v in p1.concurrent] == ["Version A."]
    b.synthesis.settle("recommendation", "p1", {"text": "Version fusionnée.", "subpoints": ["a1", "b1"],
                                                "rests_on": ["c4"]}, author="Cheffe B")
    [p1] = b.synthesis.recommendations()
    assert p1.text == "Version fusionnée." and not p1.concurrent and p1.extra["settled_by"] == "Cheffe B"
    # the same file again is now an old edit
    import_files(b.store, [tmp_path / "a2.json"])
    assert not b.synthesis.recommendations()[0].concurrent


def test_a_file_without_chapter_four_stays_valid_and_unknown_keys_are_kept(leads):
    a, _ = leads
    doc = {"format": "pi87-field-synthesis/1", "framework": {"id": "referentiel-pi87", "version": "1.0"},
           "judgements": [], "summaries": [], "futur": {"x": 1}}
    parsed = parse_synthesis(doc)
    assert parsed.sources == [] and parsed.conclusions is None and parsed.extra == {"futur": {"x": 1}}
    with pytest.raises(ImportFormatError, match="clé"):
        parse_synthesis({**doc, "sources": [{"key": "bad key", "title": "x"}]})
    with pytest.raises(ImportFormatError, match="deux objets"):
        parse_synthesis({**doc, "sources": [{"key": "k", "title": "x"}],
                         "recommendations": [{"key": "k", "text": "y"}]})
    src = parse_synthesis({**doc, "sources": [{"key": "k", "title": "x", "isbn": "123"}]}).sources[0]
    assert src.extra == {"isbn": "123"}
    json.dumps(export_synthesis(a))


def test_quotes_are_cut_between_words():
    from pi87_field.core.text import clip_words

    text = "Les demandeurs d'emploi vont eux-mêmes recueillir les besoins des entreprises"
    cut = clip_words(text, 30)
    assert cut == "Les demandeurs d'emploi vont…" and len(cut) <= 30
    assert text.startswith(cut[:-1]) and text[len(cut) - 1] == " "    # the cut falls on a space
    assert clip_words("court", 30) == "court"
