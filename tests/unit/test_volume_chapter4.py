"""Part I of the volume = the report's chapter 4: conclusions as real bullets, the §4.1 tables,
préconisations numbered 1, 2… with sub-points a, b…, citations as real Word footnotes.

Read back with python-docx (the package's parts and XML) and docx2python (an independent reader)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx2python import docx2python

from pi87_field.core.exchange.importing import import_files
from pi87_field.core.merge.content import from_store
from pi87_field.core.merge.volume import build_volume
from pi87_field.core.store import ProjectStore
from pi87_field.core.synthesis import Workspace
from pi87_field.core.merge.workbook import build_workbook
from pi87_field.core.synthesis.objects import Finding, Version
from tests.support.merge_bundles import three_evaluators

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOURCE = {"title": "Extraction Ma Démarche FSE, opérations PI 8.7", "author": "DGEFP", "date": "2019-06-30",
          "kind": "données", "locator": "", "url": "", "note": ""}


def _chapter(store: ProjectStore) -> dict:
    ws = Workspace(store)
    first = sorted((i for i in ws.interviews("ec01-commun") if i.answers), key=lambda i: i.date)[0]
    eq = ws.framework.question("efficacite")
    qids = [q for q in eq.mapped_ids if q in first.answers and first.answers[q].text.strip()][:2]
    keys = []
    for qid in qids:
        quote = first.answers[qid].text.split(".")[0].strip()
        ev = ws.synthesis.pin_evidence("ec01-commun", first.id, qid, quote, supports=["efficacite"])
        keys.append(ev.key)
    ws.synthesis.save_source("mdfse-2019", SOURCE)
    ws.synthesis.save_judgement("efficacite", "++", (
        f"822 conseillers formés [@mdfse-2019, p. 12], confirmé par [@{keys[0]}; @{keys[1]}].\n\n"
        "Deux effets :\n- des outils nouveaux ;\n- des pratiques partagées [@inconnue]."), author="Lead")
    ws.synthesis.save_conclusions(
        intro="L’évaluation de la priorité d’investissement 8.7 mise en œuvre au titre du POn FSE montre :",
        findings=[Finding("c1", "atout", f"Un positionnement des actions en réponse directe [@{keys[0]}].",
                          ["pertinence"]),
                  Finding("c2", "atout", "Une réelle réponse à des besoins identifiés ;", ["pertinence"]),
                  Finding("c4", "limite", "Une faible visibilité de cette priorité d’investissement ;", []),
                  Finding("c5", "limite", "Une réelle difficulté à mobiliser la PI 8.7 [@mdfse-2019].", ["efficacite"])],
        overall="Nous pouvons donc dire que si la PI 8.7 répond à de vrais enjeux…",
        recommendations_intro="Si l’Etat retenait de nouveau cet objectif, il nous semblerait utile de :")
    ws.synthesis.save_recommendation("p1", "Mieux affirmer les objectifs recherchés :",
                                     ["Identifier les thèmes ;", "Travailler en amont [@c4]."], ["c4", "pertinence"])
    ws.synthesis.save_recommendation("p2", "Recentrer l’objectif de formation des conseillers.", [], ["c5"])
    # another lead's version of p2, kept beside it after an import
    recs = ws.synthesis.raw("recommendations")
    recs["p2"] = replace(recs["p2"], concurrent=[Version({"text": "Recentrer la formation sur des formations-actions.",
                                                          "subpoints": [], "rests_on": ["c5"]},
                                                         "Cheffe B", "2019-11-02T10:00:00+00:00", "b.json")])
    ws.synthesis.replace_all("recommendations", recs)
    return {"keys": keys, "first": first}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chapter4")
    (folder / "recus").mkdir()
    scenario = three_evaluators(folder / "recus")
    store = ProjectStore.open(folder / "data")
    assert import_files(store, scenario["paths"]).ok
    info = _chapter(store)
    content = from_store(store)
    out, only = folder / "volume.docx", folder / "chapitre4.docx"
    out.write_bytes(build_volume(content))
    (folder / "classeur.xlsx").write_bytes(build_workbook(content))
    only.write_bytes(build_volume(content, only="conclusions"))
    store.close()
    return {**info, "out": out, "only": only, "content": content, "folder": folder}


def _footnotes(path) -> dict[int, str]:
    """Footnote id -> text, read from the part the document's relationship names (python-docx)."""
    document = docx.Document(str(path))
    [rel] = [r for r in document.part.rels.values() if r.reltype == RT.FOOTNOTES]
    root = parse_xml(rel.target_part.blob)
    return {int(fn.get(qn("w:id"))): "".join(t.text or "" for t in fn.iter(qn("w:t")))
            for fn in root.iter(qn("w:footnote"))}


@pytest.mark.parametrize("which", ["out", "only"])
def test_citations_are_real_footnotes(built, which):
    path = built[which]
    notes = _footnotes(path)
    # the separator and continuation separator Word expects, then ours from 1
    z = zipfile.ZipFile(path)
    root = parse_xml(z.read("word/footnotes.xml"))
    types = {int(fn.get(qn("w:id"))): fn.get(qn("w:type")) for fn in root.iter(qn("w:footnote"))}
    assert types[-1] == "separator" and types[0] == "continuationSeparator"
    assert b'<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>' in z.read("word/settings.xml")
    assert b'PartName="/word/footnotes.xml"' in z.read("[Content_Types].xml")
    body = parse_xml(z.read("word/document.xml"))
    refs = [int(r.get(qn("w:id"))) for r in body.iter(qn("w:footnoteReference"))]
    ours = sorted(i for i in notes if i > 0)
    assert refs == ours == list(range(1, len(ours) + 1))
    for ref in body.iter(qn("w:footnoteReference")):      # a run: rPr (reference style) then the reference
        run = ref.getparent()
        assert run.tag == qn("w:r") and run[0].tag == qn("w:rPr") and run[1] is ref
        assert run[0].find(qn("w:rStyle")).get(qn("w:val")) == "FootnoteReference"
    for fn in root.iter(qn("w:footnote")):
        if int(fn.get(qn("w:id"))) > 0:
            first_run = fn.find(qn("w:p")).find(qn("w:r"))
            assert first_run.find(qn("w:footnoteRef")) is not None
    # explanation of efficacité: one note for the document, one for the two passages
    texts = list(notes.values())
    doc_note = next(t for t in texts if "Extraction Ma Démarche FSE" in t and "p. 12" in t)
    assert "DGEFP" in doc_note and "p. 12" in doc_note and "30/06/2019" in doc_note
    first = built["first"]
    passage_note = next(t for t in texts if "«" in t and "question" in t)
    assert "Porteur 1 – Mission locale" in passage_note and "Directrice, Structure 1" in passage_note
    assert re.search(r"question \d+\.\d+", passage_note), passage_note
    assert re.search(r"\d\d/\d\d/\d{4}", passage_note)
    assert first.answers  # the quote's interview
    # docx2python, an independent reader, sees the same footnotes
    with docx2python(str(path)) as reader:
        foot = reader.footnotes_runs if hasattr(reader, "footnotes_runs") else reader.footnotes
        flat = str(foot)
    assert "Extraction Ma Démarche FSE" in flat and "Porteur 1 – Mission locale" in flat


@pytest.mark.parametrize("which", ["out", "only"])
def test_no_pandoc_citation_left_and_unknown_keys_shown(built, which):
    z = zipfile.ZipFile(built[which])
    for name in z.namelist():
        if name.endswith(".xml"):
            assert b"[@" not in z.read(name), name
    with docx2python(str(built[which])) as reader:
        text = reader.text
    assert "[@" not in text
    assert "[référence introuvable : inconnue]" in text


def test_part_one_follows_the_report_chapter(built):
    document = docx.Document(str(built["only"]))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    names = [n for n, _ in paragraphs]
    texts = [t for _, t in paragraphs]
    assert texts[0] == "4. Conclusions et préconisations"
    assert "4.1 Nos conclusions" in texts and "4.2 Nos préconisations" in texts
    i = texts.index("Mais aussi :")
    bullets = [(n, t) for n, t in paragraphs if n == "List Bullet"]
    atouts = [t for n, t in paragraphs[:i] if n == "List Bullet"]
    limites = [t for n, t in paragraphs[i:i + 3] if n == "List Bullet"]
    assert atouts[0].startswith("Un positionnement des actions") and atouts[1].startswith("Une réelle réponse")
    assert limites[0].startswith("Une faible visibilité") and limites[1].startswith("Une réelle difficulté")
    assert texts[i + 3].startswith("Nous pouvons donc dire")
    # the explanation's "- " lines are real bullets inside the table
    table = next(t for t in document.tables if t.rows[1].cells[0].text == "Efficacité / impact")
    cell_styles = [(p.style.name, p.text) for p in table.rows[3].cells[1].paragraphs]
    assert ("List Bullet", "des outils nouveaux ;") in cell_styles
    # préconisations: numbered list, sub-points at level 1, then what each rests on
    numbered = [(p, p.text) for p in document.paragraphs if p.style.name == "List Number"]
    assert [t for _, t in numbered] == ["Mieux affirmer les objectifs recherchés :", "Identifier les thèmes ;",
                                        "Travailler en amont.", "Recentrer l’objectif de formation des conseillers."]
    levels = [p._p.pPr.numPr.ilvl.val if p._p.pPr.numPr is not None else 0 for p, _ in numbered]
    assert levels == [0, 1, 1, 0]
    rests = [t for t in texts if t.startswith("Repose sur : ")]
    assert rests[0] == ("Repose sur : conclusion n° 3 (limite) « Une faible visibilité de cette priorité "
                        "d’investissement » ; question évaluative 1 — Pertinence.")
    assert "Partie II" not in " ".join(texts)
    assert "Intro" not in texts


def test_cited_passages_in_the_guides_order(built):
    document = docx.Document(str(built["out"]))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Question évaluative 2 — Efficacité / impact")
    sources = [t for t in texts[start:start + 40] if t.startswith("Source : ")]
    numbers = [tuple(int(x) for x in re.search(r"question (\d+)\.(\d+)", t).groups()) for t in sources]
    assert numbers == sorted(numbers) and len(numbers) >= 2


def test_another_leads_version_in_the_annex_and_the_workbook(built):
    import openpyxl

    with docx2python(str(built["out"])) as reader:
        text = reader.text
    annex = text[text.index("Annexe A — Conflits", text.index("Annexe A — Conflits") + 1):]
    assert "Chapitre 4 — préconisation p2" in annex
    assert "Recentrer la formation sur des formations-actions." in annex and "Cheffe B" in annex
    wb = openpyxl.load_workbook(built["folder"] / "classeur.xlsx")
    assert {"Conclusions", "Préconisations", "Sources", "Versions concurrentes"} <= set(wb.sheetnames)
    rows = [[c.value for c in r] for r in wb["Préconisations"].iter_rows()]
    assert rows[1][:3] == [1, "p1", "Mieux affirmer les objectifs recherchés :"]
    assert rows[1][3] == "a. Identifier les thèmes ;\nb. Travailler en amont [@c4]."
    assert [[c.value for c in r] for r in wb["Sources"].iter_rows()][1][:2] == ["mdfse-2019", SOURCE["title"]]
    for sheet in wb.worksheets:        # printed fit to the page's width
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0
