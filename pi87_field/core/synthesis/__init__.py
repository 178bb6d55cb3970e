"""The team lead's synthesis: from case studies to evaluative judgements (chain of evidence).

question asked (grid) → answer given (store) → passage cited (evidence) → judgement (framework).

Public API (the TUI, the CLI, the consolidated volume and the workbook read through it)::

    from pi87_field.core.synthesis import Workspace

    ws = Workspace(store)                  # ProjectStore, writer or read-only; loads the framework
    ws.framework                           # Framework: id, version, scale ("+", "++", "+++"),
                                           #   not_rated ("non évalué"), questions
    for eq in ws.framework.questions:      # EvaluativeQuestion: id ("pertinence", "efficacite",
        eq.registre, eq.text, eq.criteria  #   "efficience", "coherence", "innovation"), number,
        ws.grid_questions(eq)              #   [(guide id, grid question id, text)] it is mapped to
        j = ws.judgement(eq.id)            # Judgement: rating ("" = non évalué), explanation,
                                           #   author, updated_at, concurrent (conflict versions)
        ws.framework.rating_label(j.rating)
        for v in ws.evidence_for(eq.id):   # EvidenceView: .evidence (project_id, interview_id,
            v.state, v.project_label       #   question_id, quote, tags, supports, author, rev),
                                           #   .state "à jour" | "preuve modifiée" | "réponse introuvable"
    ws.status()                            # [QuestionStatus]: rating_label, evidence_count,
                                           #   cases_cited, cases_mapped, stale [StaleItem], conflicts;
                                           #   .to_dict() is the `synthesis status --json` row
    ws.projects, ws.label(pid)             # projects (case studies first), short labels
    ws.interviews(pid), ws.cell(pid, gq)   # [CellAnswer(interview, answer)] non-empty answers
    ws.summary(pid, gq)                    # CellSummary | None: text, tags, author, updated_at,
    ws.summary_state(summary)              #   sources; state "à jour" | "à revoir"
    ws.synthesis.codebook()                # [Tag(name, description, group)]: seeds + lead's tags
    ws.refresh()                           # re-read what changed on disk (cheap)

Writing (needs the writer store, i.e. the data folder's lock)::

    ws.synthesis.pin_evidence(pid, iid, gq, quote, supports=["pertinence"], tags=[...], author=...)
    ws.synthesis.update_evidence(evidence_id, tags=..., supports=...)   # no support left: removed
    ws.synthesis.save_judgement("pertinence", "+++", "Explications…", author=..., scale=fw.scale)
    ws.synthesis.save_summary(pid, gq, "text", ["tag"], author=...)     # records answer revisions
    ws.synthesis.save_tag("name", "description", author=...)

Exchange: `exchange.export_synthesis(ws)` / `write_synthesis_file(ws, path)` (format
`pi87-field-synthesis/1`), `exchange.read_synthesis_file(path)` + `merge_synthesis(ws, parsed)`
(used by `core.exchange.importing` for `pi87-field import`).

Modules: `framework` (référentiel YAML, validation), `objects` (objects and stored form),
`codebook` (seed tags from the report's vocabularies), `store` (`SynthesisStore`, durable files),
`workspace` (`Workspace`, states and status), `exchange` (interchange format).
"""

from pi87_field.core.synthesis.framework import (
    FRAMEWORK_ID,
    NOT_RATED,
    QUESTION_IDS,
    SCALE,
    EvaluativeQuestion,
    Framework,
    MappedQuestion,
    find_framework,
    load_framework_file,
    parse_framework,
)
from pi87_field.core.synthesis.objects import CellSummary, Evidence, Judgement, Tag, Version
from pi87_field.core.synthesis.store import SynthesisStore
from pi87_field.core.synthesis.workspace import (
    EVIDENCE_CHANGED,
    EVIDENCE_OK,
    EVIDENCE_UNKNOWN,
    SUMMARY_OK,
    SUMMARY_REVIEW,
    CellAnswer,
    EvidenceView,
    QuestionStatus,
    StaleItem,
    Workspace,
    framework_for,
)

__all__ = [
    "EVIDENCE_CHANGED", "EVIDENCE_OK", "EVIDENCE_UNKNOWN", "FRAMEWORK_ID", "NOT_RATED", "QUESTION_IDS",
    "SCALE", "SUMMARY_OK", "SUMMARY_REVIEW", "CellAnswer", "CellSummary", "EvaluativeQuestion", "Evidence",
    "EvidenceView", "Framework", "Judgement", "MappedQuestion", "QuestionStatus", "StaleItem",
    "SynthesisStore", "Tag", "Version", "Workspace", "find_framework", "framework_for",
    "load_framework_file", "parse_framework",
]
