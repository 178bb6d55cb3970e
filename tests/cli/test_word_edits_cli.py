"""The import summary says what Word edits meant (issue 18): a deleted question heading, notes
read back, never "doublon ignoré" for an edit."""

from __future__ import annotations

import docx

from tests.unit.test_word_edits_said import delete, exported, heading, notes_cell, set_text


def test_the_import_command_prints_what_word_edits_meant(run, store, tmp_path):
    iid, path = exported(store, tmp_path)
    document = docx.Document(str(path))
    delete(heading(document, "1.2."))
    set_text(notes_cell(document).paragraphs[1], "Rappeler jeudi")
    document.save(str(path))
    store.close()
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    assert "doublon" not in result.stdout
    said = result.stdout.replace("\n", " ")
    assert "1.2" in said and "Notes" in said
