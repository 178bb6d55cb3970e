"""Pseudonymised outputs carry no name: every part of every output searched, on the fixture of
issue 10 (tests/unit/privacy_fixture.py); nothing but names changes; pseudonyms are stable.

The leak search opens every output the way a recipient could: each zip member of each .docx
decoded (XML as it is, and with its tags removed so a name split over two runs is found), the
compressed copy of the custom properties decompressed, the custom XML part unescaped, each JSON
file, and the file names. It looks for every word of every name (first names alone, surnames,
both parts of "Marie-Claire"), the e-mails' local parts and the phone numbers, accent-folded and
case-insensitive, as whole words. The sidecar lists (`*.a-verifier.txt`) are excluded: they are
for the evaluator and say so. The fixture's ordinary phrases ("Un petit nombre", "Petit à petit")
are removed before the search, and checked to be still there, word for word.
"""

from __future__ import annotations

import base64
import html
import json
import re
import zipfile
import zlib
from pathlib import Path

import pytest

from pi87_field.core.bundle import Bundle
from pi87_field.core.exchange.exporting import export_project_result, export_projects_results, store_register
from pi87_field.core.merge import merge_files
from pi87_field.core.merge.pipeline import volume_from_store
from pi87_field.core.privacy import PseudonymRegister, pseudonymise_bundles
from pi87_field.core.privacy.names import apply_spans
from pi87_field.core.privacy.pseudonymise import Pseudonymiser, _strings
from pi87_field.core.privacy.register import REGISTER_FILE
from pi87_field.core.text import fold
from pi87_field.core.word.format import PROP_PREFIX
from tests.unit.privacy_fixture import EVALUATORS, ORDINARY_PHRASE, ORGANISATION_WORDS, PEOPLE, build_store

ORDINARY = ["Un petit nombre", "Un petit groupe", "Petit à petit", "un petit nombre"]
CONTACTS = ["insup", "ml-lunevillois", "delatour", "mde-nancy", "12 34 56 78", "34.56", "example.org"]
PARTICLES = {"de", "la"}


def _forbidden(strict: bool) -> list[str]:
    words = {w for name in PEOPLE + EVALUATORS for w in re.findall(r"[^\W_]+", name) if fold(w) not in PARTICLES}
    return sorted(words) + CONTACTS + (ORGANISATION_WORDS if strict else [])


def _docx_parts(path: Path) -> dict[str, str]:
    """Every member of a .docx or .xlsx archive, as it is and as text."""
    parts: dict[str, str] = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            raw = z.read(name).decode("utf-8", "replace")
            parts[name] = raw
            parts[f"{name} (entités décodées)"] = html.unescape(raw)
            parts[f"{name} (texte)"] = html.unescape(re.sub(r"<[^>]+>", "", raw))
            parts[f"{name} (texte espacé)"] = html.unescape(re.sub(r"<[^>]+>", " ", raw))
            if name == "docProps/custom.xml":
                values = dict(re.findall(rf'name="{re.escape(PROP_PREFIX)}([^"]+)"><vt:lpwstr>([^<]*)<', raw))
                chunks = int(values.get("chunks", "0"))
                if chunks:
                    packed = "".join(values[f"data.{i:04d}"] for i in range(chunks))
                    parts[f"{name} (copie compressée)"] = zlib.decompress(base64.b64decode(packed)).decode("utf-8")
    return parts


def _output_parts(paths: list[Path]) -> dict[str, str]:
    parts: dict[str, str] = {}
    for path in paths:
        assert not path.name.endswith(".a-verifier.txt")
        parts[f"nom de fichier {path.name}"] = path.name
        if path.suffix in (".docx", ".xlsx"):
            parts.update({f"{path.name}:{k}": v for k, v in _docx_parts(path).items()})
        else:
            text = path.read_text(encoding="utf-8")
            parts[path.name] = text
            parts[f"{path.name} (json)"] = json.dumps(json.loads(text), ensure_ascii=False)
    return parts


def _leaks(parts: dict[str, str], strict: bool) -> list[tuple[str, str, str]]:
    found = []
    for where, text in parts.items():
        text = html.unescape(text)          # "&#233;" is "é" to a reader
        for phrase in ORDINARY:
            text = text.replace(phrase, " ")
        folded = fold(text)
        for word in _forbidden(strict):
            pattern = rf"(?<![^\W_]){re.escape(fold(word))}(?![^\W_])"
            for m in re.finditer(pattern, folded):
                found.append((where, word, folded[max(0, m.start() - 40):m.end() + 40]))
    return found


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy")
    store = build_store(root / "data")
    ids = [p.id for p in store.list_projects()]
    made: dict[str, list[Path]] = {"people": [], "strict": []}
    for level in ("people", "strict"):
        out = root / level
        for fmt in ("docx", "json"):
            results = export_projects_results(store, ids, out, fmt, pseudonymise=level)
            made[level] += [r.path for r in results]
        # a volume from the nominative write-ups, one named after a person, pseudonymised in the merge
        nominative = root / f"nominatif-{level}"
        plain = export_projects_results(store, ids, nominative, "docx")
        plain[0].path.rename(nominative / "CR Jean Dupont.docx")
        report = merge_files(sorted(nominative.glob("*.docx")), root / f"volume-{level}.docx",
                             root / f"volume-{level}.json", pseudonymise=level)
        made[level] += [report.out_docx, report.json_out]
        # and a volume of the pseudonymised write-ups themselves (no pseudonymisation needed)
        report = merge_files(sorted(out.glob("*.pseudonymise.docx")), root / f"volume2-{level}.docx",
                             root / f"volume2-{level}.json")
        made[level] += [report.out_docx, report.json_out]
        # and the team lead's volume and workbook from the store (`volume --pseudonymise`)
        content = volume_from_store(store, root / f"volume3-{level}.docx", root / f"volume3-{level}.xlsx",
                                    pseudonymise=level)
        made[level] += [content.out_docx, content.out_xlsx]
    return root, store, made


@pytest.mark.parametrize("level", ["people", "strict"])
def test_no_name_anywhere_in_any_pseudonymised_output(outputs, level):
    root, _store, made = outputs
    paths = made[level]
    assert len(paths) == 16       # 5 write-ups, 5 bundles, 3 volumes, 2 merged JSON, 1 workbook
    assert all(".pseudonymise." in p.name for p in paths)
    parts = _output_parts(paths)
    assert len(parts) > 200
    assert _leaks(parts, strict=level == "strict") == []
    # the search does find names where they are: the nominative write-ups
    nominative = _output_parts(sorted((root / f"nominatif-{level}").glob("*.docx")))
    assert {w for _, w, _ in _leaks(nominative, strict=True)} >= set(_forbidden(strict=True)) - {
        "Thibault", "Garnier", "12 34 56 78", "34.56", "example.org"} - set(CONTACTS)


def test_ordinary_words_stay_word_for_word(outputs):
    _root, _store, made = outputs
    text = "\n".join(p.read_text(encoding="utf-8") for p in made["people"] if p.suffix == ".json")
    assert text.count(ORDINARY_PHRASE) >= 3          # bundle, merged JSON ×2
    assert "Petit à petit, l'équipe a grandi." in text
    assert "Un petit groupe de jeunes" in text
    assert "Un petit nombre de cas reste ouvert." in text


def test_outputs_are_marked_and_named_apart(outputs):
    root, _store, made = outputs
    for path in made["people"]:
        if path.suffix == ".xlsx":
            continue
        if path.suffix != ".docx":
            assert json.loads(path.read_text(encoding="utf-8"))["pseudonymised"] is True
            continue
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode()
            headers = [z.read(n).decode() for n in z.namelist() if re.match(r"word/(header|footer)\d*\.xml", n)]
            settings = z.read("word/document.xml").decode()
        assert "pseudonymisé" in core
        assert headers and all("pseudonymis" in h.lower() for h in headers)
        assert "ne peut pas être réimporté" in settings
    merged = json.loads((root / "volume-people.pseudonymise.json").read_text(encoding="utf-8"))
    assert merged["pseudonymised"] is True and merged["pseudonymisation"] == "people"
    assert all(b["pseudonymised"] is True for b in merged["bundles"])
    # the nominative files are still there, under their own names
    assert (root / "nominatif-people" / "ec02-privacy.docx").exists()
    sidecars = sorted((root / "people").glob("*.a-verifier.txt"))
    assert len(sidecars) == 10 and all(p.stat().st_mode & 0o077 == 0 for p in sidecars)
    assert "Petit" in (root / "people" / "ec01-privacy.pseudonymise.docx.a-verifier.txt").read_text(encoding="utf-8")


def test_nothing_but_names_changes(outputs):
    """Every text of the store, pseudonymised; the replaced spans put back give the original
    byte for byte, and every span replaced a name, an e-mail or a phone number."""
    _root, store, _made = outputs
    register = store_register(store)
    texts = [s for p in store.list_projects() for i in store.list_interviews(p.id)
             for s in _strings({"answers": {q: {"text": a.text, "c": [v.text for v in a.concurrent],
                                                  "extra": a.extra} for q, a in i.answers.items()},
                                "notes": i.notes})]
    assert len(texts) >= 12
    ps = Pseudonymiser(register, "people")
    names = {fold(w) for n in PEOPLE + EVALUATORS for w in re.findall(r"[^\W_]+", n)} - PARTICLES
    changed = 0
    for text in texts:
        spans, _left = ps.spans(text)
        result = apply_spans(text, spans)
        # put the spans back, walking the output
        rebuilt, pos = [], 0
        for span in spans:
            start = span.start + sum(len(s.replacement) - len(s.original) for s in spans if s.start < span.start)
            assert result[start:start + len(span.replacement)] == span.replacement
            rebuilt.append(result[pos:start])
            rebuilt.append(span.original)
            pos = start + len(span.replacement)
        rebuilt.append(result[pos:])
        assert "".join(rebuilt).encode() == text.encode()
        for span in spans:
            words = set(re.findall(r"[^\W_]+", fold(span.original)))
            assert words & names or span.kind in ("email", "phone"), span
        changed += bool(spans)
    assert changed >= 10


def test_same_person_same_pseudonym_across_projects_and_exports(outputs, tmp_path):
    _root, store, _made = outputs
    first = export_project_result(store, "ec01-privacy", tmp_path / "a", "json", pseudonymise=True)
    second = export_project_result(store, "ec05-privacy", tmp_path / "a", "json", pseudonymise=True)
    again = export_project_result(store, "ec01-privacy", tmp_path / "b", "json", pseudonymise=True)
    a = json.loads(first.path.read_text(encoding="utf-8"))
    b = json.loads(second.path.read_text(encoding="utf-8"))
    c = json.loads(again.path.read_text(encoding="utf-8"))
    petit_ec01 = a["interviews"][0]["interviewees"][1]["name"]
    # Nathalie Petit is interviewed in ec01 and in ec05: one label
    labels_ec05 = {p["name"] for i in b["interviews"] for p in i["interviewees"]}
    assert petit_ec01.startswith("Personne ") and petit_ec01 in labels_ec05
    assert a["interviews"] == c["interviews"]            # two successive exports: the same
    # Jean Dupont, named in ec03's text, has ec01's label there
    ec03 = json.loads(export_project_result(store, "ec03-privacy", tmp_path / "a", "json",
                                            pseudonymise=True).path.read_text(encoding="utf-8"))
    dupont = a["interviews"][0]["interviewees"][0]["name"]
    assert f"avec {dupont} continuent" in ec03["interviews"][0]["answers"]["structure.presentation"]["text"]


def test_two_people_never_share_a_pseudonym(outputs):
    _root, store, _made = outputs
    register = store_register(store)
    labels = [e.label for e in register.entries()]
    assert len(labels) == len(set(labels)) == len(PEOPLE) + len(EVALUATORS)
    # and in one chapter with two people, two labels
    bundle = Bundle(project=store.get_project("ec01-privacy"), interviews=store.list_interviews("ec01-privacy"))
    (out,), _ = pseudonymise_bundles([bundle], register)
    names = [p.name for p in out.interviews[0].interviewees]
    assert len(set(names)) == 2 and all(n.startswith("Personne ") for n in names)


def test_register_is_private_persistent_and_never_gives_a_number_twice(tmp_path):
    register = PseudonymRegister.of_store(tmp_path)
    register.register([("Jean Dupont", "person"), ("Nathalie Petit", "person")])
    path = tmp_path / REGISTER_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    # another process adds someone meanwhile: a second register object sees the file again
    other = PseudonymRegister.of_store(tmp_path)
    other.register([("Karim Benali", "person")])
    register.register([("DUPONT Jean", "person"), ("Amélie Lefèvre", "person")])
    assert register.label_for("Jean Dupont") == register.label_for("dupont jean") == "Personne 01"
    assert register.label_for("Karim Benali") == "Personne 03"
    assert register.label_for("Amélie Lefèvre") == "Personne 04"
    again = PseudonymRegister.of_store(tmp_path)
    assert [e.label for e in again.entries()] == ["Personne 01", "Personne 02", "Personne 03", "Personne 04"]


def test_damaged_register_is_never_written_over(tmp_path):
    from pi87_field.core.errors import StoreError

    (tmp_path / REGISTER_FILE).write_text("{pas du json", encoding="utf-8")
    with pytest.raises(StoreError, match="Registre des pseudonymes endommagé"):
        PseudonymRegister.of_store(tmp_path)
    assert (tmp_path / REGISTER_FILE).read_text(encoding="utf-8") == "{pas du json"


def test_merge_refuses_nominative_and_pseudonymised_versions_of_one_project(outputs, tmp_path):
    from pi87_field.core.errors import FieldError

    root, _store, _made = outputs
    plain = root / "nominatif-people" / "ec02-privacy.docx"
    masked = root / "people" / "ec02-privacy.pseudonymise.docx"
    with pytest.raises(FieldError) as info:
        merge_files([plain, masked], tmp_path / "v.docx")
    message = str(info.value)
    assert "\n" not in message and "ec02-privacy.docx" in message and "ec02-privacy.pseudonymise.docx" in message
    with pytest.raises(FieldError):
        merge_files([plain, masked], tmp_path / "v.docx", pseudonymise=True)
    # different projects, some nominative: refused without --pseudonymise, consistent with it
    other = root / "people" / "ec03-privacy.pseudonymise.docx"
    with pytest.raises(FieldError, match="--pseudonymise"):
        merge_files([plain, other], tmp_path / "v.docx")
    report = merge_files([plain, other], tmp_path / "v.docx", pseudonymise=True)
    assert report.out_docx.name == "v.pseudonymise.docx" and not (tmp_path / "v.docx").exists()


def test_register_is_backed_up_like_the_other_store_files(tmp_path):
    register = PseudonymRegister.of_store(tmp_path)
    register.register([("Jean Dupont", "person")])
    register.register([("Nathalie Petit", "person")])      # the second write keeps the first version
    backups = list((tmp_path / "backups").rglob("*.json"))
    assert backups and json.loads(backups[0].read_text(encoding="utf-8"))["people"]["1"]["name"] == "Jean Dupont"
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in backups)
