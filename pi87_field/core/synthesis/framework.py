"""The evaluation framework (référentiel): evaluative questions, rating scale, and the mapping from
each evaluative question to the grid questions (annexes 5.1 and 5.2) that inform it.

The built-in framework is `interview_guides/referentiel-pi87.yaml`; a framework with the same id
in `<data dir>/guides/` replaces it (the lead's own edits). Validation reports every problem as
`file:line: message`, like the guides: unknown keys, an unknown guide or grid question id in the
mapping, an evaluative question with nothing mapped, a duplicate id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pi87_field.core.errors import GuideError
from pi87_field.core.labels import NOT_RATED, RATING_SCALE
from pi87_field.core.guides import (
    GuideLibrary,
    _check_id,
    _check_keys,
    _mapping,
    _Problems,
    _scalar,
    _sequence,
    is_framework_text,
    read_yaml_text,
)

FRAMEWORK_ID = "referentiel-pi87"
QUESTION_IDS = ("pertinence", "efficacite", "efficience", "coherence", "innovation")
SCALE = RATING_SCALE                 # the report's (§4.1), from core.labels


@dataclass(frozen=True, slots=True)
class MappedQuestion:
    """One grid question that informs an evaluative question."""

    guide_id: str
    question_id: str


@dataclass(frozen=True, slots=True)
class EvaluativeQuestion:
    id: str
    registre: str
    text: str
    number: str = ""
    criteria: tuple[str, ...] = ()
    mapping: tuple[MappedQuestion, ...] = ()

    @property
    def mapped_ids(self) -> list[str]:
        return [m.question_id for m in self.mapping]


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    version: str
    title: str
    questions: tuple[EvaluativeQuestion, ...]
    scale: tuple[str, ...] = SCALE
    not_rated: str = NOT_RATED
    source: str = ""
    path: Path | None = field(default=None, compare=False)

    def question(self, qid: str) -> EvaluativeQuestion | None:
        return next((q for q in self.questions if q.id == qid), None)

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def rating_label(self, rating: str) -> str:
        return rating if rating in self.scale else self.not_rated


_TOP_KEYS = {"kind", "id", "version", "title", "source", "scale", "not_rated", "questions"}
_QUESTION_KEYS = {"id", "number", "registre", "text", "criteria", "mapping"}


def parse_framework(text: str, path: str = "<référentiel>", guides: GuideLibrary | None = None) -> Framework:
    """Parse and validate a framework; raise GuideError listing every problem (file:line: message).

    With `guides`, each mapped grid question must exist in its guide.
    """
    problems = _Problems(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise GuideError(f"{path}{line}: YAML illisible ({reason})") from None
    if root is None:
        raise GuideError(f"{path}:1: fichier vide")
    top = _mapping(root, problems, "référentiel")
    if top is None:
        raise GuideError("\n".join(problems.items))
    _check_keys(top, _TOP_KEYS, problems, "référentiel")
    fid = _scalar(top, "id", problems, root, "référentiel")
    _check_id(fid, top.get("id"), problems, "référentiel")
    version = _scalar(top, "version", problems, root, "référentiel")
    title = _scalar(top, "title", problems, root, "référentiel")
    scale: list[str] = []
    for node in _sequence(top, "scale", problems, "référentiel"):
        value = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        if not value or value in scale:
            problems.add(node, "référentiel : chaque niveau de l'échelle doit être un texte unique")
        else:
            scale.append(value)
    if "scale" in top and not scale:
        problems.add(top["scale"], "référentiel : l'échelle doit compter au moins un niveau")
    not_rated = _scalar(top, "not_rated", problems, root, "référentiel", required=False, default=NOT_RATED)
    questions: list[EvaluativeQuestion] = []
    seen: set[str] = set()
    q_nodes = _sequence(top, "questions", problems, "référentiel")
    if not q_nodes:
        problems.add(top.get("questions", root), "référentiel : au moins une question évaluative est attendue")
    for q_node in q_nodes:
        qm = _mapping(q_node, problems, "question évaluative")
        if qm is None:
            continue
        _check_keys(qm, _QUESTION_KEYS, problems, "question évaluative")
        qid = _scalar(qm, "id", problems, q_node, "question évaluative")
        _check_id(qid, qm.get("id"), problems, "question évaluative")
        if qid in seen:
            problems.add(qm.get("id"), f"question évaluative : identifiant « {qid} » en double")
        seen.add(qid)
        criteria: list[str] = []
        for c_node in _sequence(qm, "criteria", problems, f"question évaluative {qid}"):
            if not isinstance(c_node, yaml.ScalarNode) or not str(c_node.value).strip():
                problems.add(c_node, f"question évaluative {qid} : chaque critère doit être un texte")
            else:
                criteria.append(" ".join(str(c_node.value).split()))
        mapping = _parse_mapping(qm.get("mapping"), qid, q_node, problems, guides)
        questions.append(EvaluativeQuestion(
            id=qid, registre=_scalar(qm, "registre", problems, q_node, f"question évaluative {qid}"),
            text=" ".join(_scalar(qm, "text", problems, q_node, f"question évaluative {qid}").split()),
            number=_scalar(qm, "number", problems, q_node, "question évaluative", required=False),
            criteria=tuple(criteria), mapping=tuple(mapping),
        ))
    if problems.items:
        raise GuideError("\n".join(problems.items))
    return Framework(
        id=fid, version=version, title=title, questions=tuple(questions),
        scale=tuple(scale) or SCALE, not_rated=not_rated,
        source=_scalar(top, "source", problems, root, "référentiel", required=False),
        path=Path(path) if not path.startswith("<") else None,
    )


def _parse_mapping(node: yaml.Node | None, qid: str, q_node: yaml.Node, problems: _Problems,
                   guides: GuideLibrary | None) -> list[MappedQuestion]:
    what = f"question évaluative {qid}"
    if node is None or (isinstance(node, yaml.ScalarNode) and not node.value):
        problems.add(node or q_node, f"{what} : aucune question de grille associée (« mapping » vide)")
        return []
    before = len(problems.items)
    by_guide = _mapping(node, problems, f"{what}, mapping")
    if by_guide is None:
        return []
    out: list[MappedQuestion] = []
    for guide_id, list_node in by_guide.items():
        guide = guides.get(guide_id) if guides is not None else None
        if guides is not None and guide is None:
            problems.add(list_node, f"{what} : guide inconnu « {guide_id} »")
        if not isinstance(list_node, yaml.SequenceNode):
            problems.add(list_node, f"{what} : la liste des questions de « {guide_id} » est attendue")
            continue
        for item in list_node.value:
            gq = str(item.value).strip() if isinstance(item, yaml.ScalarNode) else ""
            if not gq:
                problems.add(item, f"{what} : identifiant de question de grille attendu")
                continue
            if guide is not None and guide.question(gq) is None:
                problems.add(item, f"{what} : question « {gq} » inconnue dans la grille « {guide_id} »")
                continue
            if any(m.question_id == gq for m in out):
                problems.add(item, f"{what} : question « {gq} » associée deux fois")
                continue
            out.append(MappedQuestion(guide_id, gq))
    if not out and len(problems.items) == before:
        problems.add(node, f"{what} : aucune question de grille associée")
    return out


def load_framework_file(path: Path, guides: GuideLibrary | None = None) -> Framework:
    return parse_framework(read_yaml_text(path), str(path), guides)


def find_framework(folders: list[Path], guides: GuideLibrary | None = None,
                   framework_id: str = FRAMEWORK_ID) -> Framework:
    """The framework `framework_id` from `folders` (later folders win: built-in, then the user's).

    A broken user framework is an error (never silently replaced by the built-in one). A file
    that cannot even be read (unreadable, oversized, not UTF-8) is no framework: it is skipped
    here, and the guide library names it (`GuideLibrary.problems`).
    """
    found: Framework | None = None
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.y*ml")):
            try:
                text = read_yaml_text(path)
            except GuideError:
                continue
            if not is_framework_text(text):
                continue
            framework = parse_framework(text, str(path), guides)
            if framework.id == framework_id:
                found = framework
    if found is None:
        raise GuideError(f"Référentiel « {framework_id} » introuvable dans {', '.join(map(str, folders))}")
    return found
