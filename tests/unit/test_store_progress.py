"""The store keeps what progress needs of every interview (`core/store/progress.py`): the home's
figures at programme scale without opening every interview, and always those of the files."""

from __future__ import annotations

from datetime import datetime

from pi87_field.core.store.progress import PROGRESS_FILE
from pi87_field.core.summary import project_progress

AT = datetime.fromisoformat("2019-10-14T10:00:00+02:00")


def _case(store):
    project = next(p for p in store.list_projects() if p.guide_id == "etude-de-cas")
    return project, store.list_interviews(project.id)[0]


def _figures(store, project_id):
    return project_progress(store.progress_facts(project_id), store.guides)


def _truth(store, project_id):
    return project_progress(store.list_interviews(project_id), store.guides)


def test_saves_and_life_cycle_changes_keep_the_figures_true(make_store):
    store = make_store()
    project, interview = _case(store)
    assert _figures(store, project.id) == _truth(store, project.id)
    store.save_answer(project.id, interview.id, "structure.presentation", "Une ML rurale.", author="A")
    assert _figures(store, project.id).answered == 1 == _truth(store, project.id).answered
    store.save_answer(project.id, interview.id, "structure.effectifs", "", state="declined", author="A")
    store.save_answer(project.id, interview.id, "structure.presentation", "", author="A")   # emptied
    assert _figures(store, project.id) == _truth(store, project.id)
    assert _figures(store, project.id).answered == 1
    store.life_cycle.finish(project.id, interview.id, AT)
    assert _figures(store, project.id).done == 1 == _truth(store, project.id).done


def test_the_home_opens_only_the_interviews_changed_since_they_were_noted(make_store, data_dir, monkeypatch):
    store = make_store()
    project, interview = _case(store)
    store.save_answer(project.id, interview.id, "structure.presentation", "Texte.", author="A")
    store.close()
    reopened = make_store()
    reads: list[str] = []
    real = type(reopened)._read_interview

    def counting(self, path, project_id):
        reads.append(path.name)
        return real(self, path, project_id)

    monkeypatch.setattr(type(reopened), "_read_interview", counting)
    figures = _figures(reopened, project.id)
    assert reads == [] and figures.answered == 1
    # an interview file changed by another way (another program, a restored copy): read again
    other = reopened.get_interview(project.id, interview.id)
    reads.clear()
    other.answers.clear()
    reopened.progress = type(reopened.progress)(reopened.projects_dir, writer=True)  # a fresh process
    path = reopened.interview_file(project.id, interview.id)
    text = path.read_text(encoding="utf-8").replace("Texte.", "")
    path.write_text(text, encoding="utf-8")
    assert _figures(reopened, project.id).answered == 0
    assert reads == [path.name]


def test_a_damaged_or_missing_progress_file_is_rebuilt(make_store, data_dir):
    store = make_store()
    project, interview = _case(store)
    store.save_answer(project.id, interview.id, "structure.presentation", "Texte.", author="A")
    store.close()
    kept = data_dir / "projects" / project.id / PROGRESS_FILE
    assert kept.is_file()
    kept.write_text("{pas du json", encoding="utf-8")
    reopened = make_store()
    assert _figures(reopened, project.id) == _truth(reopened, project.id)
    kept.unlink()
    reopened.progress = type(reopened.progress)(reopened.projects_dir, writer=True)
    assert _figures(reopened, project.id) == _truth(reopened, project.id)


def test_a_trashed_interview_leaves_the_figures(make_store):
    store = make_store()
    project, interview = _case(store)
    before = _figures(store, project.id).total
    store.trash.put(project.id, interview.id, AT)
    assert _figures(store, project.id).total == before - 1 == _truth(store, project.id).total
