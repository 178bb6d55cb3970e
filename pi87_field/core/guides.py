"""Interview guides: YAML files validated into immutable objects.

Every problem is reported with the file name and the line it was found on; a malformed
guide never raises anything but `GuideError`.

Question numbering is the guide's, one function everywhere (TUI, CLI, write-up, volume):
`Guide.number(question_id) -> str` gives the question's own `number:` when the guide states one
("1" … "5" in the qualitative grid), else "<section>.<question>" counted in the guide ("6.1");
`question_numbers(sections)` is the same rule for a guide rebuilt from stored question texts, and
`numbered(number, text)` the one way to write a numbered question ("6.1. Text").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pi87_field.core.errors import GuideError, os_reason
from pi87_field.core.model import QUESTION_ID_RE
from pi87_field.core.text import clean_text

ANSWER_KINDS = ("text", "short_text", "amount", "number")
# The evaluation framework (référentiel) lives beside the grids but is not a grid: its YAML says
# `kind: evaluation_framework`, and the guide library leaves it to `core.synthesis.framework`.
FRAMEWORK_KIND = "evaluation_framework"
_FRAMEWORK_LINE = re.compile(r"^kind:\s*[\"']?evaluation_framework[\"']?\s*(#.*)?$", re.MULTILINE)
_GUIDE_ID_RE = QUESTION_ID_RE
# Caps checked at the door (README, "Limits"): the file's size, and the number of YAML nodes once
# aliases are unfolded (a few KB of aliases can unfold into billions: the "billion laughs").
MAX_GUIDE_BYTES = 2_000_000
MAX_GUIDE_NODES = 100_000


@dataclass(frozen=True, slots=True)
class SubPoint:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    kind: str = "text"
    number: str = ""
    condition: str = ""
    subpoints: tuple[SubPoint, ...] = ()
    relances: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]
    intro: str = ""


@dataclass(frozen=True, slots=True)
class Guide:
    id: str
    version: str
    title: str
    sections: tuple[Section, ...]
    project_kind: str = ""
    source: str = ""
    description: str = ""
    path: Path | None = field(default=None, compare=False)

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    @property
    def question_ids(self) -> list[str]:
        return [q.id for s in self.sections for q in s.questions]

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def number(self, question_id: str) -> str:
        """The question's number as the guide defines it ("" for a question not in the guide)."""
        return question_numbers(self.sections).get(question_id, "")

    def question_texts(self) -> dict[str, str]:
        return {q.id: full_question_text(q) for q in self.questions}


def question_numbers(sections: tuple[Section, ...] | list[Section]) -> dict[str, str]:
    """question id -> number: its own `number:` if the guide gives one, else "<section>.<rank>"."""
    out: dict[str, str] = {}
    for si, section in enumerate(sections, start=1):
        for qi, q in enumerate(section.questions, start=1):
            out[q.id] = q.number or f"{si}.{qi}"
    return out


def numbered(number: str, text: str) -> str:
    """ "6.1. Text": how every face writes a numbered question."""
    return f"{number}. {text}" if number else text


def full_question_text(q: Question) -> str:
    """The question as one block of text, sub-points included (kept with each interview)."""
    lines = [q.text]
    lines += [f"{sp.id}. {sp.text}" for sp in q.subpoints]
    return "\n".join(lines)


# -- loading -----------------------------------------------------------------------------------

class _Problems:
    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, node: yaml.Node | None, message: str) -> None:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        self.items.append(f"{self.path}{line}: {message}")


def _mapping(node: yaml.Node, problems: _Problems, what: str) -> dict[str, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        problems.add(node, f"{what} : un dictionnaire (clé: valeur) est attendu")
        return None
    out: dict[str, yaml.Node] = {}
    for key, value in node.value:
        k = key.value if isinstance(key, yaml.ScalarNode) else None
        if not isinstance(k, str):
            problems.add(key, f"{what} : clé invalide")
            continue
        if k in out:
            problems.add(key, f"{what} : clé « {k} » en double")
        out[k] = value
    return out


def _scalar(m: dict, key: str, problems: _Problems, parent: yaml.Node, what: str,
            required: bool = True, default: str = "") -> str:
    node = m.get(key)
    if node is None:
        if required:
            problems.add(parent, f"{what} : champ « {key} » manquant")
        return default
    if not isinstance(node, yaml.ScalarNode) or node.value in ("", None):
        if required or not isinstance(node, yaml.ScalarNode):
            problems.add(node, f"{what} : « {key} » doit être un texte non vide")
        return default
    return clean_text(str(node.value)).strip()


def _sequence(m: dict, key: str, problems: _Problems, what: str) -> list[yaml.Node]:
    node = m.get(key)
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.add(node, f"{what} : « {key} » doit être une liste")
        return []
    return list(node.value)


def _check_keys(m: dict, allowed: set[str], problems: _Problems, what: str) -> None:
    for key, node in m.items():
        if key not in allowed:
            problems.add(node, f"{what} : champ inconnu « {key} » (attendus : {', '.join(sorted(allowed))})")


def _check_id(value: str, node: yaml.Node | None, problems: _Problems, what: str) -> None:
    if value and not _GUIDE_ID_RE.match(value):
        problems.add(node, f"{what} : identifiant « {value} » invalide (minuscules, chiffres, . - _)")


def _unfolded_size(root: yaml.Node) -> int:
    """How many nodes the document has once every alias is unfolded, computed on the shared node
    graph (each node once, children first, no recursion) and stopped as soon as it is too many."""
    size: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in size:
            continue
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            size[key] = 1
            continue
        if not done:
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in size)
            continue
        size[key] = min(MAX_GUIDE_NODES + 1, 1 + sum(size.get(id(child), 1) for child in children))
    return size[id(root)]


# PyYAML's parser messages (its `problem`), in French; an unknown one says "erreur de syntaxe".
_YAML_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), f) for p, f in (
    (r"^mapping values are not allowed here$",
     "« : » inattendu ici (un texte qui contient « : » doit être entre guillemets)"),
    (r"^could not find expected ':'$", "« : » attendu après la clé"),
    (r"^found character (.+) that cannot start any token$",
     r"caractère \1 interdit à cet endroit (une tabulation ? indentez avec des espaces)"),
    (r"^expected <block end>, but found (.+)$", r"indentation incohérente (trouvé \1)"),
    (r"^expected the node content, but found (.+)$", r"valeur attendue, trouvé \1"),
    (r"^expected ',' or '\]', but got (.+)$", r"« , » ou « ] » attendu, trouvé \1"),
    (r"^expected ',' or '\}', but got (.+)$", r"« , » ou « } » attendu, trouvé \1"),
    (r"^expected a comment or a line break, but found (.+)$", r"commentaire ou fin de ligne attendu, trouvé \1"),
    (r"^expected alphabetic or numeric character, but found (.+)$", r"lettre ou chiffre attendu, trouvé \1"),
    (r"^expected a single document in the stream$", "un seul document attendu (un « --- » de trop ?)"),
    (r"^found unexpected end of stream$", "fin de fichier inattendue (guillemet ou crochet non fermé ?)"),
    (r"^found unexpected document separator$", "séparateur de document « --- » inattendu"),
    (r"^found undefined alias (.+)$", r"alias \1 non défini"),
    (r"^found duplicate anchor (.+?); first occurrence$", r"ancre \1 définie deux fois"),
    (r"^found unknown escape character (.+)$", r"séquence d'échappement inconnue \1"),
    (r"^found undefined tag handle (.+)$", r"étiquette \1 non définie"),
    (r"^found unhashable key$", "clé invalide (une liste ou un dictionnaire ne peut pas servir de clé)"),
    (r"^mapping keys are not allowed here$", "clé inattendue ici"),
    (r"^invalid indentation or unclosed '\[' or '\{'$", "indentation incorrecte, ou « [ » ou « { » non fermé"),
    (r"^unacceptable character (#x[0-9a-fA-F]+)", r"caractère interdit \1"),
))
_YAML_TOKENS = {"'<scalar>'": "un texte", "'<block mapping start>'": "un début de dictionnaire",
                "'<block sequence start>'": "un début de liste", "'<block end>'": "une fin de bloc",
                "'<block entry>'": "un élément de liste « - »", "'<key>'": "une clé", "'<value>'": "« : »",
                "'<anchor>'": "une ancre", "'<alias>'": "un alias", "'<tag>'": "une étiquette",
                "'<flow mapping start>'": "« { »", "'<flow sequence start>'": "« [ »",
                "'<flow mapping end>'": "« } »", "'<flow sequence end>'": "« ] »",
                "'<document start>'": "« --- »", "'<document end>'": "« ... »", "'<stream end>'": "la fin du fichier"}


def yaml_problem_in_french(problem: str) -> str:
    """One of PyYAML's parser messages, said in French (never its English text)."""
    text = problem.strip()
    for pattern, french in _YAML_PROBLEMS:
        match = pattern.search(text)
        if match:
            said = match.expand(french)
            for token, word in _YAML_TOKENS.items():
                said = said.replace(token, word)
            return said
    return "erreur de syntaxe"


def parse_guide(text: str, path: str = "<guide>") -> Guide:
    """Parse and validate a guide; raise GuideError listing every problem (file:line: message)."""
    problems = _Problems(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        reason = yaml_problem_in_french(getattr(exc, "problem", None) or "")
        raise GuideError(f"{path}{line}: YAML illisible : {reason}") from None
    except RecursionError:
        raise GuideError(f"{path}:1: YAML refusé (imbrication trop profonde)") from None
    if root is None:
        raise GuideError(f"{path}:1: fichier vide")
    unfolded = _unfolded_size(root)
    if unfolded > MAX_GUIDE_NODES:
        raise GuideError(f"{path}:1: YAML refusé : ses alias (*) le déplieraient en plus de "
                         f"{MAX_GUIDE_NODES:,} éléments".replace(",", "\u00a0"))
    top = _mapping(root, problems, "guide")
    if top is None:
        raise GuideError("\n".join(problems.items))
    _check_keys(top, {"id", "version", "title", "source", "project_kind", "description", "sections"},
                problems, "guide")
    gid = _scalar(top, "id", problems, root, "guide")
    _check_id(gid, top.get("id"), problems, "guide")
    version = _scalar(top, "version", problems, root, "guide")
    title = _scalar(top, "title", problems, root, "guide")
    kind = _scalar(top, "project_kind", problems, root, "guide", required=False)
    if kind and kind not in ("case_study", "interview_series"):
        problems.add(top.get("project_kind"), "guide : project_kind doit valoir case_study ou interview_series")
    sections: list[Section] = []
    seen_sections: set[str] = set()
    seen_questions: set[str] = set()
    section_nodes = _sequence(top, "sections", problems, "guide")
    if not section_nodes:
        problems.add(top.get("sections", root), "guide : au moins une section est attendue")
    for s_node in section_nodes:
        sm = _mapping(s_node, problems, "section")
        if sm is None:
            continue
        _check_keys(sm, {"id", "title", "intro", "questions"}, problems, "section")
        sid = _scalar(sm, "id", problems, s_node, "section")
        _check_id(sid, sm.get("id"), problems, "section")
        if sid in seen_sections:
            problems.add(sm.get("id"), f"section : identifiant « {sid} » en double")
        seen_sections.add(sid)
        questions: list[Question] = []
        q_nodes = _sequence(sm, "questions", problems, f"section {sid}")
        if not q_nodes:
            problems.add(s_node, f"section {sid} : au moins une question est attendue")
        for q_node in q_nodes:
            qm = _mapping(q_node, problems, "question")
            if qm is None:
                continue
            _check_keys(qm, {"id", "text", "kind", "number", "condition", "subpoints", "relances"},
                        problems, "question")
            qid = _scalar(qm, "id", problems, q_node, "question")
            _check_id(qid, qm.get("id"), problems, "question")
            if qid in seen_questions:
                problems.add(qm.get("id"), f"question : identifiant « {qid} » en double")
            seen_questions.add(qid)
            qkind = _scalar(qm, "kind", problems, q_node, "question", required=False, default="text")
            if qkind not in ANSWER_KINDS:
                problems.add(qm.get("kind"), f"question {qid} : type de réponse « {qkind} » inconnu "
                             f"(attendus : {', '.join(ANSWER_KINDS)})")
            subpoints: list[SubPoint] = []
            seen_sp: set[str] = set()
            for sp_node in _sequence(qm, "subpoints", problems, f"question {qid}"):
                spm = _mapping(sp_node, problems, "sous-point")
                if spm is None:
                    continue
                _check_keys(spm, {"id", "text"}, problems, "sous-point")
                spid = _scalar(spm, "id", problems, sp_node, f"sous-point de {qid}")
                if spid in seen_sp:
                    problems.add(spm.get("id"), f"sous-point « {spid} » en double dans {qid}")
                seen_sp.add(spid)
                subpoints.append(SubPoint(spid, _scalar(spm, "text", problems, sp_node, f"sous-point {spid}")))
            relances = []
            for r_node in _sequence(qm, "relances", problems, f"question {qid}"):
                if not isinstance(r_node, yaml.ScalarNode) or not str(r_node.value).strip():
                    problems.add(r_node, f"question {qid} : chaque relance doit être un texte")
                else:
                    relances.append(clean_text(str(r_node.value)).strip())
            questions.append(Question(
                id=qid, text=_scalar(qm, "text", problems, q_node, f"question {qid}"), kind=qkind,
                number=_scalar(qm, "number", problems, q_node, "question", required=False),
                condition=_scalar(qm, "condition", problems, q_node, "question", required=False),
                subpoints=tuple(subpoints), relances=tuple(relances),
            ))
        sections.append(Section(
            id=sid, title=_scalar(sm, "title", problems, s_node, f"section {sid}"),
            intro=_scalar(sm, "intro", problems, s_node, "section", required=False),
            questions=tuple(questions),
        ))
    if problems.items:
        raise GuideError("\n".join(problems.items))
    return Guide(
        id=gid, version=version, title=title, sections=tuple(sections), project_kind=kind,
        source=_scalar(top, "source", problems, root, "guide", required=False),
        description=_scalar(top, "description", problems, root, "guide", required=False),
        path=Path(path) if path != "<guide>" else None,
    )


def is_framework_text(text: str) -> bool:
    """True for an evaluation framework file (top-level `kind: evaluation_framework`)."""
    return bool(_FRAMEWORK_LINE.search(text))


def read_yaml_text(path: Path) -> str:
    """A guide or framework file's text; GuideError (file:line) if unreadable, huge or not UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GuideError(f"{path}: illisible ({exc.strerror})") from None
    if len(raw) > MAX_GUIDE_BYTES:
        raise GuideError(f"{path}: fichier trop volumineux pour un guide")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise GuideError(f"{path}:{line}: le fichier n'est pas en UTF-8") from None


def load_guide_file(path: Path) -> Guide:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GuideError(f"{path}: illisible ({os_reason(exc)})") from None
    if len(raw) > MAX_GUIDE_BYTES:
        raise GuideError(f"{path}: fichier trop volumineux pour un guide")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise GuideError(f"{path}:{line}: le fichier n'est pas en UTF-8") from None
    return parse_guide(text, str(path))


class GuideLibrary:
    """Guides found in the built-in folder and the user's data directory (user guides win)."""

    def __init__(self, folders: list[Path]) -> None:
        self.guides: dict[str, Guide] = {}
        self.problems: list[str] = []
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.y*ml")):
                try:
                    if is_framework_text(read_yaml_text(path)):
                        continue  # the référentiel: loaded by core.synthesis.framework
                    guide = load_guide_file(path)
                except GuideError as exc:
                    self.problems.append(str(exc))
                    continue
                self.guides[guide.id] = guide

    def get(self, guide_id: str) -> Guide | None:
        return self.guides.get(guide_id)

    def for_kind(self, kind: str) -> list[Guide]:
        return [g for g in self.guides.values() if g.project_kind in ("", kind)]

    def __iter__(self):
        return iter(sorted(self.guides.values(), key=lambda g: g.id))

    def __len__(self) -> int:
        return len(self.guides)


def guide_to_dict(g: Guide) -> dict:
    return {
        "id": g.id, "version": g.version, "title": g.title, "project_kind": g.project_kind,
        "source": g.source, "description": g.description,
        "sections": [
            {"id": s.id, "title": s.title, **({"intro": s.intro} if s.intro else {}),
             "questions": [
                 {"id": q.id, "text": q.text, "kind": q.kind,
                  **({"number": q.number} if q.number else {}),
                  **({"condition": q.condition} if q.condition else {}),
                  "subpoints": [{"id": sp.id, "text": sp.text} for sp in q.subpoints],
                  "relances": list(q.relances)}
                 for q in s.questions]}
            for s in g.sections
        ],
    }


def builtin_guides_dir() -> Path:
    """Guides shipped with the program: inside the wheel, or at the top of a source checkout."""
    package = Path(__file__).resolve().parent.parent  # pi87_field/
    packaged = package / "interview_guides"
    if packaged.is_dir():
        return packaged
    return package.parent / "interview_guides"
