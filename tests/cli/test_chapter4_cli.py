"""`volume --only conclusions` writes Part I alone; `synthesis status` lists unknown citation keys."""

from __future__ import annotations

import json
import zipfile

import docx

from pi87_field.core.store import ProjectStore
from pi87_field.core.synthesis import Workspace
from pi87_field.core.synthesis.objects import Finding


def _lead(data_dir):
    store = ProjectStore.open(data_dir)
    ws = Workspace(store)
    ws.synthesis.save_source("rapport-2018", {"title": "Rapport annuel de mise en œuvre 2018", "author": "DGEFP"})
    ws.synthesis.save_judgement("pertinence", "+++", "Pertinent [@rapport-2018, p. 4] mais [@fantome].")
    ws.synthesis.save_conclusions(intro="L’évaluation montre :", findings=[Finding("c1", "atout", "Un atout.")],
                                  overall="Donc.")
    ws.synthesis.save_recommendation("p1", "Mieux affirmer les objectifs.", ["Identifier les thèmes"], ["c1"])
    store.close()


def test_volume_only_conclusions_and_unknown_keys(run, data_dir, tmp_path):
    assert run("projects").exit_code == 0          # the campaign
    _lead(data_dir)
    out = tmp_path / "chapitre4.docx"
    result = run("volume", "--out", str(out), "--only", "conclusions")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "4. Conclusions et préconisations"
    assert not any(t.startswith("Partie II") or t.startswith("Annexe") for t in texts)
    assert "[référence introuvable : fantome]" in "\n".join(c.text for t in document.tables for r in t.rows
                                                           for c in r.cells)
    assert b"[@" not in zipfile.ZipFile(out).read("word/document.xml")
    status = run("synthesis", "status", "--json")
    assert status.exit_code == 0
    assert json.loads(status.output)["unknown_keys"] == [{"key": "fantome", "where": "jugement pertinence"}]
    plain = run("synthesis", "status")
    assert "référence introuvable : « fantome » (jugement pertinence)" in plain.output
    bad = run("volume", "--out", str(out), "--only", "tout")
    assert bad.exit_code != 0 and "Traceback" not in bad.output
