"""The Word write-up of one project: what the evaluation team reads, edits and sends around.

Layout: a cover page (title, facts table, evaluators, pseudonymisation notice), a table of
contents, then one chapter per interview (facts, then the guide's sections and questions with
their answers), answers to questions that left the guide in a section of their own.

Readable back (see `word/read.py`), through Word and through LibreOffice:
- the whole project (`pi87-field/1` bundle) is embedded as a custom XML part
  (`customXml/item1.xml`, related from the document part); a second copy, compressed and cut in
  250-character pieces, is kept in the custom document properties (`docProps/custom.xml`),
  which both Word and LibreOffice keep. (Checked with LibreOffice 7.4: custom XML parts, custom
  properties, bookmarks and hidden text survive a save; content-control tags and `w:docVars` are
  dropped, so neither is used.)
- each answer is marked by a hidden bookmark `_pi87_<hash of interview id and question id>`
  that starts at its question heading and ends after its last paragraph; the answer is the run of
  paragraphs under that heading. If a bookmark is lost, the heading text (kept in the payload)
  finds the question again.
- text convention: an answer's paragraphs are separated by a blank line ("\\n\\n") in the
  stored text, a single "\\n" is a line break inside a paragraph, "\\t" a tab. Unedited text
  reads back exactly. A state other than a plain answer is shown as a first paragraph
  "[non abordé]" (etc.); "[sans réponse]" marks an empty answer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
import zlib
from pathlib import Path
from typing import Any

from docx.opc.packuri import PackURI
from docx.opc.part import Part

from pi87_field.core.bundle import FORMAT, Bundle, bundle_from_dict, bundle_to_dict
from pi87_field.core.grid import Grid
from pi87_field.core.guides import GuideLibrary, Question, full_question_text
from pi87_field.core.model import (
    INTERVIEW_NOTES,
    Answer,
    AnswerState,
    AnswerVersion,
    Interview,
    InterviewStatus,
    Project,
    ProjectKind,
    ReviewNote,
)
from pi87_field.core.store.atomic import atomic_write_bytes
from pi87_field.core.summary import (
    interview_title,
    interview_fact_rows,
    timing_rows,
    ordered_interviews,
    interview_progress,
    project_fact_rows,
    project_heading,
    project_label,
)
from pi87_field.core.fr import agreed, fr_date, fr_datetime, fr_spaces
from pi87_field.core.text import clean_text, one_line
from pi87_field.core.transcript import question_passages, segment_line, transcript_of
from pi87_field.core.word import build as B
from pi87_field.core.word import style as S
from pi87_field.core.word.format import (  # noqa: F401 - re-exported for callers
    BOOKMARK_PREFIX,
    CT_CUSTOM_PROPS,
    CT_CUSTOM_XML_PROPS,
    CUSTOM_PROPS_FMTID,
    EDITION_CLIENT,
    EDITION_PROPERTY,
    EDITION_WORKING,
    EDITIONS,
    EMPTY_LABEL,
    LOG_ANNEX_TITLE,
    TRANSCRIPT_ANNEX_TITLE,
    ITEM_PART,
    ITEM_PROPS_PART,
    ORPHANS_TITLE,
    PAYLOAD_NS,
    PAYLOAD_VERSION,
    PROP_CHUNK,
    PROP_PREFIX,
    PSEUDONYMISED_MARK,
    PSEUDONYMISED_NO_IMPORT,
    PSEUDONYMISED_NOTICE,
    REVIEW_NOTE_LABEL,
    RT_CUSTOM_PROPS,
    RT_CUSTOM_XML,
    RT_CUSTOM_XML_PROPS,
    answer_bookmark,
    notes_bookmark,
    boundary_bookmark,
    slot_paragraphs,
    slot_text,
    state_label_text,
)


def _clean_tree(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean_tree(v) for v in value]
    return value


def clean_bundle(bundle: Bundle) -> Bundle:
    """A copy of `bundle` holding only text XML can carry (the body and the embedded copy agree)."""
    return bundle_from_dict(_clean_tree(bundle_to_dict(bundle)))


def evaluators(bundle: Bundle) -> list[str]:
    return list(dict.fromkeys(one_line(i.interviewer) for i in bundle.interviews if one_line(i.interviewer)))


def question_title(interview: Interview, q: Question, number: str) -> str:
    """"3. Présentation de la structure": the guide's number, then the text the interview kept."""
    stored = interview.question_texts.get(q.id, "")
    first = one_line(stored.split("\n", 1)[0]) if stored else one_line(q.text)
    return f"{number}. {first}"


def question_details(interview: Interview, q: Question) -> list[str]:
    """The lines under a question heading: condition, sub-points a/b/c, relances."""
    stored = interview.question_texts.get(q.id) or full_question_text(q)
    lines = [one_line(x) for x in stored.split("\n")[1:] if one_line(x)]
    if q.condition:
        lines.insert(0, f"Condition : {q.condition}")
    lines += [f"Relance : {r}" for r in q.relances]
    return lines


def answer_paragraphs(answer: Answer | None, style: str = S.ANSWER) -> list[str]:
    """An answer slot's paragraphs (a state label in its character style, then the text). The
    spaces French holds to their neighbour are written no-break (`fr.fr_spaces`: « never ends
    a line alone); the reader takes them as given (`read._visible`)."""
    out = []
    for text, is_label in slot_paragraphs(answer):
        runs = [B.run(text, style=S.STATE_CHAR)] if is_label else ([B.run(fr_spaces(text))] if text else [])
        out.append(B.paragraph(runs, style))
    return out


def concurrent_paragraphs(version: AnswerVersion) -> list[str]:
    """A concurrent version: a head line (who, when, from which file), then its text."""
    who = ", ".join(x for x in (one_line(version.author), fr_datetime(version.updated_at),
                                one_line(version.source)) if x)
    head = B.paragraph([B.run("Version concurrente", "<w:b/>"), B.run(f" — {who}" if who else "")],
                       S.CONCURRENT, ppr="<w:keepNext/>")
    return [head, *answer_paragraphs(Answer(text=version.text, state=version.state), S.CONCURRENT)]


def review_note_paragraphs(note: ReviewNote) -> list[str]:
    """"Note de relecture — Auteur, date : texte" (not read back: the embedded copy carries notes)."""
    who = ", ".join(x for x in (one_line(note.author), fr_datetime(note.date) if note.date else "") if x)
    texts = [t for t in note.text.split("\n\n") if t.strip()] or [""]
    head = [B.run(REVIEW_NOTE_LABEL, "<w:b/>"), B.run(f" — {who} : " if who else " : "), B.run(texts[0])]
    return [B.paragraph(head, S.REVIEW_NOTE), *(B.paragraph([B.run(t)], S.REVIEW_NOTE) for t in texts[1:])]


# -- the write-up ---------------------------------------------------------------------------------

def check_edition(edition: str) -> str:
    if edition not in EDITIONS:
        from pi87_field.core.errors import FieldError

        raise FieldError(f"Édition inconnue : « {one_line(edition)} » (travail ou client)")
    return edition


def held(interview: Interview) -> bool:
    """Whether an interview has anything to show: a planned (or cancelled) interview with no
    answer yet would print its whole grid as "[sans réponse]"."""
    return interview.status not in (InterviewStatus.PLANNED, InterviewStatus.CANCELLED) or any(
        a.text.strip() or a.state != AnswerState.ANSWERED for a in interview.answers.values())


class _Writer:
    def __init__(self, bundle: Bundle, guides: GuideLibrary, pseudonymised: bool,
                 edition: str = EDITION_WORKING, with_transcript: bool = False) -> None:
        self.bundle = bundle
        self.guides = guides
        self.pseudonymised = pseudonymised
        self.edition = check_edition(edition)
        # the working edition carries what re-importing needs and the evaluators' own record
        self.working = edition == EDITION_WORKING
        # recordings' transcripts: in the working edition's annex, only when asked (DESIGN §8)
        self.with_transcript = with_transcript and self.working
        self.body = B.Body()
        self.slots: list[list[str]] = []
        interviews = ordered_interviews(bundle.interviews)
        # the client receives the interviews that took place, not the campaign's plans
        self.interviews = interviews if self.working else [i for i in interviews if held(i)]
        self.boundaries = 0

    def p(self, content: str | list[str] = "", style: str | None = None, **kw: str) -> None:
        self.body.p(content, style, **kw)

    def chapter(self, level: int, text: str) -> None:
        """A chapter (1) or section (2) heading: its bookmark, also the contents' link, tells the
        reader that the answer before it ends here (`read._regions`)."""
        self.boundaries += 1
        self.body.heading(level, text, toc_level=2, anchor=boundary_bookmark(self.boundaries))

    def kicker(self, text: str, before: int, after: int) -> None:
        self.p([B.run(text, B.rpr(bold=True, color=S.ACCENT, spacing=10))], S.SMALL,
               ppr=f'<w:spacing w:before="{before}" w:after="{after}"/>')

    # document parts
    def cover(self) -> None:
        project = self.bundle.project
        kicker = "Évaluation de la PI 8.7 du FSE · Compte rendu de terrain"
        self.p([B.run(kicker.upper(), B.rpr(color=S.MUTED, spacing=10))], S.SMALL,
               ppr='<w:spacing w:before="720" w:after="360"/>')
        self.p(project_heading(project), S.TITLE)
        subtitle = project.kind.label
        if project.kind == ProjectKind.CASE_STUDY and project.carrier:
            subtitle += f" · {one_line(project.title)}"
        self.p(subtitle, S.SUBTITLE)
        if self.pseudonymised:
            notice = PSEUDONYMISED_NOTICE.split(" : ", 1)[1]
            self.p([B.run("Document pseudonymisé. ", "<w:b/>"), B.run(notice[0].upper() + notice[1:])], S.NOTICE)
        self.kicker("FICHE DU PROJET", 240, 80)
        self.body.facts(self.project_facts(project))
        if self.interviews:
            self.kicker("ENTRETIENS", 120, 80)
            rows = [["N°", "Date", "Personnes interrogées", "Enquêteur·rice", "Avancement"]]
            for n, interview in enumerate(self.interviews, start=1):
                done, total = interview_progress(interview, self.guides.get(interview.guide_id))
                people = "\n".join(
                    one_line(p.name) + (f" ({one_line(p.organisation)})" if p.organisation and p.name else one_line(p.organisation) if not p.name else "")
                    for p in interview.interviewees) or "—"
                rows.append([str(n), (fr_date(interview.date) or "à fixer"), people,
                             one_line(interview.interviewer) or "—",
                             f"{done} / {total} · {interview.status.label}"])
            self.body.add(B.text_table(rows, [500, 1150, 3720, 1700, 2000], header=True))
            self.p("", S.SMALL)
        names = evaluators(self.bundle)
        info = [
            f"{agreed(len(names), 'Évaluateur·rice')} : {', '.join(names) or 'non renseigné'}",
            f"Exporté le {fr_datetime(self.bundle.exported_at)}" if self.working
            else f"Document établi le {fr_datetime(self.bundle.exported_at[:10])}",
            *([f"Identifiant : {project.id}"] if self.working else []),
        ]
        self.p(" · ".join(x for x in info if x), S.SMALL)
        if not self.working:
            return
        if self.pseudonymised:
            self.p([B.run(PSEUDONYMISED_NO_IMPORT, "<w:b/>")], S.SMALL)
        else:
            self.p("Les réponses sont reproduites telles que saisies. Ce document peut être modifié dans "
                   "Word ou LibreOffice puis réimporté (pi87-field import) : les réponses corrigées sont "
                   "reconnues.", S.SMALL)

    def project_facts(self, project: Project) -> list[tuple[str, str]]:
        guide = self.guides.get(project.guide_id) if project.guide_id else None
        statuses: dict[str, int] = {}
        for interview in self.interviews:
            statuses[interview.status.label] = statuses.get(interview.status.label, 0) + 1
        count = len(self.interviews)
        interviews = f"{count} ({', '.join(f'{n} {label}' for label, n in statuses.items())})" if count else "aucun"
        return [
            *project_fact_rows(project),
            ("Grille d’entretien", f"{guide.title} (version {guide.version})" if guide else project.guide_id),
            ("Entretiens", "" if count else interviews),    # else detailed in the table below
        ]

    def interview(self, n: int, interview: Interview) -> None:
        guide = self.guides.get(interview.guide_id)
        self.chapter(1, f"Entretien {n} — {interview_title(self.bundle.project, interview)}")
        self.body.facts(interview_fact_rows(interview, guide, log=False, notes=self.working),
                        anchors={"Notes": notes_bookmark(interview.id)} if self.working else None)
        if self.working:
            for note in interview.review_notes.get(INTERVIEW_NOTES, []):
                self.body.parts.extend(review_note_paragraphs(note))
        if not held(interview):
            self.p("Entretien prévu : aucune réponse n’est encore saisie.", S.QUESTION_DETAIL)
            return
        for section in Grid.of(interview, guide).sections:
            if section.orphan:
                self.chapter(2, ORPHANS_TITLE)
                self.p("Réponses à des questions qui ne figurent pas dans la grille actuelle "
                       f"« {guide.title if guide else interview.guide_id} » : elles sont conservées.",
                       S.QUESTION_DETAIL)
                for q in section.questions:
                    self.question(interview, q.qid, q.text, [*q.detail_lines, f"Identifiant : {q.qid}"])
                continue
            self.chapter(2, section.title)
            if section.intro:
                self.p(section.intro, S.QUESTION_DETAIL)
            for q in section.questions:
                assert q.question is not None
                self.question(interview, q.qid, question_title(interview, q.question, q.number),
                              question_details(interview, q.question))

    def question(self, interview: Interview, qid: str, title: str, details: list[str]) -> None:
        answer = interview.answers.get(qid)
        paragraphs = answer_paragraphs(answer)
        if not self.working:    # no slot: the client edition is not read back
            self.p(title, S.HEADINGS[3])
            for line in details:
                self.p(line, S.QUESTION_DETAIL)
            self.body.parts.extend(paragraphs)
            return
        start, end = self.body.bookmark(answer_bookmark(interview.id, qid))
        self.p(title, S.HEADINGS[3], before=start)
        self.slots.append([interview.id, qid, title])
        for line in details:
            self.p(line, S.QUESTION_DETAIL)
        # the slot ends after the answer's last paragraph
        paragraphs[-1] = paragraphs[-1][:-len("</w:p>")] + end + "</w:p>"
        self.body.parts.extend(paragraphs)
        if answer is not None:
            for version in answer.concurrent:
                self.body.parts.extend(concurrent_paragraphs(version))
        for note in interview.review_notes.get(qid, []):
            self.body.parts.extend(review_note_paragraphs(note))

    def log_annex(self) -> None:
        """The interview log (hours, duration, time per question), working edition only: what
        the evaluators measured, kept out of the interviews' fact sheets."""
        logs = [(n, interview, rows) for n, interview in enumerate(self.interviews, start=1)
                if (rows := timing_rows(interview, self.guides.get(interview.guide_id)))]
        if not logs:
            return
        self.chapter(1, LOG_ANNEX_TITLE)
        self.p("Relevé du poste de l’enquêteur·rice (heures de saisie, temps passé sur chaque question) : "
               "pour l’équipe d’évaluation, absent de l’édition client.", S.QUESTION_DETAIL)
        for n, interview, rows in logs:
            self.chapter(2, f"Entretien {n} — {interview_title(self.bundle.project, interview)}")
            self.body.facts(rows)

    def transcript_annex(self) -> None:
        """The transcripts, question by question, each passage with its time in the recording and
        its speaker: what was said, beside what was written."""
        held = [(n, interview, t) for n, interview in enumerate(self.interviews, start=1)
                if (t := transcript_of(interview)) is not None and t.segments]
        if not held:
            return
        self.chapter(1, TRANSCRIPT_ANNEX_TITLE)
        self.p("Transcriptions horodatées des enregistrements, découpées selon les questions affichées à "
               "chaque moment de l’entretien ; l’heure est celle de l’enregistrement. Pour l’équipe "
               "d’évaluation, absentes de l’édition client.", S.QUESTION_DETAIL)
        for n, interview, transcript in held:
            self.chapter(2, f"Entretien {n} — {interview_title(self.bundle.project, interview)}")
            self.p(f"Source : {one_line(transcript.source) or 'sans nom'} · début de l’enregistrement : "
                   f"{fr_datetime(transcript.started_at) or 'inconnu'}", S.QUESTION_DETAIL)
            for group in question_passages(interview, transcript, self.guides.get(interview.guide_id)):
                self.p([B.run(group.heading, "<w:b/>")], ppr="<w:keepNext/>")
                for segment in group.segments:
                    self.p(segment_line(segment))

    def build(self) -> list[str]:
        self.cover()
        head = self.body.flush()
        for n, interview in enumerate(self.interviews, start=1):
            self.interview(n, interview)
        if not self.interviews:
            self.chapter(1, "Entretiens")
            self.p("Aucun entretien n’est encore enregistré pour ce projet.")
        if self.working:
            self.log_annex()
        if self.with_transcript:
            self.transcript_annex()
        chapters = self.body.flush()
        return [head, B.page_break(), B.toc(self.body.toc_entries), chapters]


def payload_dict(bundle: Bundle, slots: list[list[str]]) -> dict[str, Any]:
    return {"bundle": bundle_to_dict(bundle), "slots": slots}


def _payload_xml(payload: dict[str, Any]) -> bytes:
    bundle_json = json.dumps(payload["bundle"], ensure_ascii=False, separators=(",", ":"))
    slots_json = json.dumps(payload["slots"], ensure_ascii=False, separators=(",", ":"))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pi87:writeup xmlns:pi87="{PAYLOAD_NS}" version="{PAYLOAD_VERSION}" format="{FORMAT}">'
        f"<pi87:bundle>{B.esc(bundle_json)}</pi87:bundle>"
        f"<pi87:slots>{B.esc(slots_json)}</pi87:slots>"
        "</pi87:writeup>"
    ).encode()


def _custom_props_xml(payload: dict[str, Any], pseudonymised: bool = False) -> bytes:
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packed = base64.b64encode(zlib.compress(raw, 6)).decode("ascii")
    chunks = [packed[i:i + PROP_CHUNK] for i in range(0, len(packed), PROP_CHUNK)] or [""]
    props = [("format", FORMAT), ("chunks", str(len(chunks))), ("sha256", hashlib.sha256(raw).hexdigest())]
    props += [(f"data.{i:04d}", chunk) for i, chunk in enumerate(chunks)]
    if pseudonymised:
        props.append(("pseudonymised", "true"))
    body = "".join(
        f'<property fmtid="{CUSTOM_PROPS_FMTID}" pid="{pid}" name="{PROP_PREFIX}{name}">'
        f"<vt:lpwstr>{B.esc(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props, start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{body}</Properties>"
    ).encode()


def _embed(document: Any, project_id: str, payload: dict[str, Any], *, pseudonymised: bool = False) -> None:
    package = document.part.package
    item = Part(PackURI(ITEM_PART), "application/xml", _payload_xml(payload), package)
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"pi87-field:{project_id}")).upper() + "}"
    props = Part(
        PackURI(ITEM_PROPS_PART), CT_CUSTOM_XML_PROPS,
        ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
         f'<ds:datastoreItem ds:itemID="{item_id}" '
         'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
         f'<ds:schemaRefs><ds:schemaRef ds:uri="{PAYLOAD_NS}"/></ds:schemaRefs></ds:datastoreItem>').encode(),
        package,
    )
    item.relate_to(props, RT_CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT_CUSTOM_XML)
    custom = Part(PackURI("/docProps/custom.xml"), CT_CUSTOM_PROPS, _custom_props_xml(payload, pseudonymised), package)
    package.relate_to(custom, RT_CUSTOM_PROPS)


def build_project_docx(bundle: Bundle, guides: GuideLibrary, *, pseudonymised: bool = False,
                       edition: str = EDITION_WORKING, with_transcript: bool = False) -> bytes:
    """The write-up as bytes (nothing touches the disk).

    `edition`: "travail" (default) or "client" (no interview log, notes, review notes, concurrent
    versions, re-import note or embedded copy: a document for the commissioning body).

    `with_transcript`: the recordings' transcripts in an annex (working edition only; the embedded
    copy carries them in any case).

    `pseudonymised`: the bundle is pseudonymised here if the caller did not (with a throw-away
    register: callers that send files use the store's, see `exchange.exporting`), and every page
    (running header and footer, the cover included), the document properties and the cover say so.
    """
    if pseudonymised and not bundle.extra.get("pseudonymised"):
        from pi87_field.core.privacy.pseudonymise import pseudonymise_bundle

        bundle = pseudonymise_bundle(bundle)
    pseudonymised = pseudonymised or bool(bundle.extra.get("pseudonymised"))
    bundle = clean_bundle(bundle)
    project = bundle.project
    writer = _Writer(bundle, guides, pseudonymised, edition, with_transcript)
    body = writer.build()
    names = evaluators(bundle)
    title = project_heading(project)
    mark = f" ({PSEUDONYMISED_MARK})" if pseudonymised else ""
    document = S.new_document(
        title=f"{title} — {project.kind.label}{mark}",
        subject="Évaluation de la PI 8.7 du FSE : compte rendu de terrain" + mark,
        author=", ".join(names),
        identifier=project.id,
        created=bundle.exported_at,
        keywords=f"PI 8.7; FSE; {project.kind.label}; {project.id}" + (f"; {PSEUDONYMISED_MARK}" if pseudonymised else ""),
        description=f"{project.kind.label} « {one_line(project.title)} »"
                    + (" — document pseudonymisé, non réimportable" if pseudonymised else ""),
        category=project.kind.label + (f" · {PSEUDONYMISED_MARK}" if pseudonymised else ""),
    )
    footer_left = project_label(project) + (" · PSEUDONYMISÉ" if pseudonymised else "")
    # a shorter header when pseudonymised: the mark fits on the line (checked in LibreOffice)
    header = ("PI 8.7 du FSE · compte rendu pseudonymisé" if pseudonymised
              else "Évaluation de la PI 8.7 du FSE · compte rendu de terrain")
    B.page_number_footer(document.sections[0], footer_left, header_text=header, first_page_plain=not pseudonymised)
    if writer.working:
        _embed(document, project.id, payload_dict(bundle, writer.slots), pseudonymised=pseudonymised)
    else:
        _mark_client_edition(document)
    return B.document_bytes_with_body(document, body)


def _mark_client_edition(document: Any) -> None:
    """One custom property, so that importing a client edition says what it is."""
    body = (f'<property fmtid="{CUSTOM_PROPS_FMTID}" pid="2" name="{PROP_PREFIX}{EDITION_PROPERTY}">'
            f"<vt:lpwstr>{EDITION_CLIENT}</vt:lpwstr></property>")
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           f"{body}</Properties>").encode()
    package = document.part.package
    package.relate_to(Part(PackURI("/docProps/custom.xml"), CT_CUSTOM_PROPS, xml, package), RT_CUSTOM_PROPS)


def write_project_docx(bundle: Bundle, guides: GuideLibrary, path: Path, *, pseudonymised: bool = False,
                       edition: str = EDITION_WORKING, with_transcript: bool = False) -> Path:
    """Write the project's write-up to `path`, atomically (an existing file is replaced whole)."""
    data = build_project_docx(bundle, guides, pseudonymised=pseudonymised, edition=edition,
                              with_transcript=with_transcript)
    path = Path(path)
    atomic_write_bytes(path, data, sweep=True)
    return path
