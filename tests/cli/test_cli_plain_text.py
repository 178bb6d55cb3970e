"""User text and paths are never Rich markup, in any command: titles, carriers, evaluator names,
guide titles and texts, file and folder names with brackets are shown exactly as they are."""

from __future__ import annotations

import json
import re
import shutil

from pi87_field.core.model import InterviewStatus
from pi87_field.core.store import ProjectStore
from tests.support.paths import REPO

PID = "ec08-insup"
TITLE = "[/b] Titre [b]x"
CARRIER = "Porteur [/]"
EVALUATOR = "[b]Anne[/b] [/i]"
GUIDE_TITLE = "[/i] Grille [b]"
QUESTION = "Question [/] avec [red]crochets"


def hostile_store(data_dir) -> str:
    with ProjectStore.open(data_dir) as store:
        project = store.get_project(PID)
        project.title, project.carrier, project.label = TITLE, CARRIER, "Label [/x]"
        store.save_project(project)
        interview = store.list_interviews(PID)[0]
        interview.interviewer, interview.consent = EVALUATOR, True
        interview.status = InterviewStatus.IN_PROGRESS
        store.save_interview(interview)
        qid = next(iter(store.guide_for(interview.guide_id).question_ids))
        store.save_answer(PID, interview.id, qid, "Réponse [/b] libre", author=EVALUATOR)
    return interview.id


def hostile_guide(folder):
    text = (REPO / "interview_guides" / "etude-de-cas.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^id: .*$", "id: grille-hostile", text, count=1, flags=re.M)
    text = re.sub(r"^title: .*$", f"title: {json.dumps(GUIDE_TITLE)}", text, count=1, flags=re.M)
    text = re.sub(r"^(\s+text: ).*$", lambda m: m.group(1) + json.dumps(QUESTION), text, count=1, flags=re.M)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "grille[1].yaml"
    path.write_text(text, encoding="utf-8")
    return path


def no_crash(result) -> None:
    assert "Traceback" not in result.output and "inattendue" not in result.output, result.output


def test_every_command_shows_hostile_text_and_bracketed_paths_as_they_are(run, data_dir, tmp_path):
    hostile_store(data_dir)
    guide = hostile_guide(data_dir / "guides")

    projects = run("projects")
    no_crash(projects)
    assert projects.exit_code == 0 and "Label [/x]" in projects.stdout   # the short label, at 80 columns

    listed = run("guides", "list")
    no_crash(listed)
    assert listed.exit_code == 0 and GUIDE_TITLE in listed.stdout
    shown = run("guides", "show", "grille-hostile")
    no_crash(shown)
    assert shown.exit_code == 0 and GUIDE_TITLE in shown.stdout and QUESTION in shown.stdout
    validated = run("guides", "validate", str(guide))
    no_crash(validated)
    assert validated.exit_code == 0 and "grille[1].yaml: OK" in validated.stdout

    out = tmp_path / "sortie[1]"
    exported = run("export", PID, "--format", "json", "--out", str(out))
    no_crash(exported)
    assert exported.exit_code == 0 and str(out / f"{PID}.json") in exported.stdout.replace("\n", "")
    bundle = out / f"{PID}.json"
    renamed = tmp_path / "x[y].json"
    shutil.copy(bundle, renamed)
    bad = tmp_path / "bad[2].docx"
    bad.write_bytes(b"pas un zip")
    imported = run("import", str(renamed), str(bad))
    no_crash(imported)
    assert "x[y].json" in imported.stdout and "bad[2].docx" in imported.stdout
    assert "bad[2].docx" in imported.stderr.replace("\n", "")

    merged = run("merge", str(renamed), str(bad), "--out", str(tmp_path / "vol[1].docx"))
    no_crash(merged)
    assert "x[y].json" in merged.stdout and "[b]Anne[/b]" in merged.stdout
    assert "bad[2].docx" in merged.stderr.replace("\n", "")
    assert str(tmp_path / "vol[1].docx") in merged.stdout.replace("\n", "")
