"""The `pi87-field` command. A thin face over the core; imports the TUI only to open it."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from pi87_field import __version__
from pi87_field.cli_fr import install as install_french_click
from pi87_field.core.errors import FieldError, GuideError
from pi87_field.core.fr import plural
from pi87_field.core.text import clip_words
from pi87_field.locations import data_dir as resolve_data_dir

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


def plain(value: object) -> Text:
    """User text or a path for a Rich table or title: shown as it is, never read as markup
    (a title "[/b]" or a file "x[y].json" would otherwise crash Rich or lose its brackets)."""
    return Text(str(value))


def warn(label: str, message: object, *, style: str = "yellow") -> None:
    """One line on stderr: a styled French label, then the message as plain text."""
    err.print(f"[{style}]{label}[/] ", end="")
    err.print(str(message), markup=False, soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    err.print("[bold red]Erreur :[/] ", end="")
    err.print(str(message), markup=False, soft_wrap=True)
    sys.exit(code)


def guarded(func: Callable) -> Callable:
    """Turn every error into one clear line on stderr and a non-zero exit, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FieldError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            fail("interrompu.", 130)
        except OSError as exc:
            from pi87_field.core.errors import os_reason

            fail(f"{exc.filename or ''} : {os_reason(exc)}".strip(" :"))
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
            fail(f"erreur inattendue ({type(exc).__name__}: {exc})", 2)

    return wrapper


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=False,
    )


def _set_data_dir(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        root = ctx.find_root()
        root.ensure_object(dict)
        root.obj["data_dir"] = resolve_data_dir(value)


def data_dir_option(func: Callable) -> Callable:
    """`--data-dir` accepted after the subcommand as well (`pi87-field trash list --data-dir X`).
    Every command gets it from its group (`FrenchGroup.add_command`): none can forget it."""
    return click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                        expose_value=False, is_eager=True, callback=_set_data_dir,
                        help="Dossier des données (comme avant la commande).")(func)


def _open_store(ctx: click.Context, *, writer: bool):
    from pi87_field.core.store import ProjectStore

    store = ProjectStore.open(ctx.obj["data_dir"], writer=writer)
    for notice in store.notices:  # a damaged metadata file set aside: the data still opens
        warn("Attention :", notice)
    return store


def _warn_guides(store: Any) -> None:
    """Guide files skipped (unreadable, oversized, invalid), named as `guides list` does."""
    for problem in store.guides.problems:
        warn("Guide ignoré :", problem)


def _fail_if_damaged(what: str, *damaged_lists: list) -> None:
    """Name each damaged store file once on stderr and exit non-zero: what was made left them out."""
    named: dict[str, Any] = {}
    for damaged in (d for lst in damaged_lists for d in lst):
        named.setdefault(str(getattr(damaged, "path", damaged)), damaged)
    if not named:
        return
    for damaged in named.values():
        warn("Laissé de côté :", damaged)
    fail(f"{what} : {plural(len(named), 'fichier endommagé laissé', 'fichiers endommagés laissés')} de côté.")


class FrenchGroup(click.Group):
    """The `pi87-field` group. Click's own words (usage, errors) are put in French when the
    command runs, from the console script or click's CliRunner alike, not when this module is
    imported (see cli_fr)."""

    group_class = type          # sub-groups (`trash`, `guides`…) are FrenchGroups too

    def main(self, *args: Any, **kwargs: Any) -> Any:
        install_french_click()
        return super().main(*args, **kwargs)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Each command and sub-group takes `--data-dir` after its name as well."""
        if not any(p.name == "data_dir" for p in cmd.params):
            data_dir_option(cmd)
        super().add_command(cmd, name)


@click.group(cls=FrenchGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Dossier des données (par défaut : $PI87_FIELD_DATA_DIR, sinon le dossier de données de l'utilisateur).")
@click.version_option(__version__, prog_name="pi87-field", message="%(prog)s %(version)s",
                      help="Affiche la version et quitte.")
@click.pass_context
@guarded
def main(ctx: click.Context, data_dir: Path | None) -> None:
    """pi87-field : grilles d'entretien, magasin local durable et comptes rendus Word pour
    l'évaluation de la PI 8.7 du FSE.

    Sans commande, ouvre l'application de l'enquêteur (interface plein écran).
    """
    ctx.ensure_object(dict)
    ctx.obj["data_dir"] = resolve_data_dir(data_dir)
    if ctx.invoked_subcommand is None:
        store = _open_store(ctx, writer=True)
        from pi87_field.tui.app import run

        sys.exit(run(store))


# -- projects ----------------------------------------------------------------------------------

@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Liste JSON des projets (pour les scripts).")
@click.pass_context
@guarded
def projects(ctx: click.Context, as_json: bool) -> None:
    """Liste les projets du magasin local (« projects add » en crée un hors campagne)."""
    if ctx.invoked_subcommand is not None:
        return
    from pi87_field.core.fr import format_amount
    from pi87_field.core.serialize import project_to_dict
    from pi87_field.core.summary import project_label, project_progress

    store = _open_store(ctx, writer=False)
    scan = store.scan()
    if as_json:
        for p in scan.projects:         # reading the interviews is how a damaged one is found
            store.list_interviews(p.id)
        _warn_damaged(store)
        click.echo(json.dumps([project_to_dict(p) for p in scan.projects], ensure_ascii=False, indent=1))
        return
    wide = out.width >= 120
    table = Table(title=plain(f"Projets — {store.root}"), title_justify="left", expand=False,
                  box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1))
    id_w = max((len(p.id) for p in scan.projects), default=2)
    fixed = {"Id": id_w, "Type": 12, "OS": 2, "Montant FSE": 12, "Entr.": 5, "Compl.": 6}
    columns = ["Id", "Type", "OS", "Projet", "Intitulé", "Montant FSE", "Entr.", "Compl."]
    if not wide:   # at 80 columns the short label tells the projects apart; the title waits for 120
        columns = [c for c in columns if c not in ("Type", "Intitulé", "OS")]
    free = max(10, out.width - sum(fixed.get(c, 0) for c in columns) - (3 * len(columns) - 1))
    flexible = {"Projet": free // 3, "Intitulé": free - free // 3} if wide else {"Projet": free}
    for col in columns:
        table.add_column(col, width=fixed.get(col) or flexible[col], no_wrap=True, overflow="ellipsis",
                         justify="right" if col in ("Montant FSE", "Entr.", "Compl.") else "left")
    for p in scan.projects:
        s = project_progress(store.list_interviews(p.id), store.guides)
        cells = [p.id, *([p.kind.label, str(p.os or "—")] if wide else []),
                 project_label(p), *([p.title] if wide else []),
                 format_amount(p.fse_amount) or "—", s.done_label, s.percent_label]
        table.add_row(*map(plain, cells))
    out.print(table)
    _warn_damaged(store)


def _warn_damaged(store: Any) -> None:
    """Name each damaged file once (project files, then interview files met while reading)."""
    named: set[str] = set()
    for damaged in store.damaged:
        if str(damaged.path) not in named:
            named.add(str(damaged.path))
            warn("Attention :", damaged)


@projects.command("add")
@click.option("--kind", type=click.Choice(["case_study", "interview_series"]), default="case_study",
              show_default=True, help="Étude de cas (case_study) ou série d'entretiens (interview_series).")
@click.option("--title", required=True, help="Intitulé de l'opération (ou de la série).")
@click.option("--label", default="", help="Nom court qui le distingue à l'écran (« Épinal · Plateforme »).")
@click.option("--carrier", default="", help="Porteur de projet.")
@click.option("--os", "os_", type=click.Choice(["1", "2"]), default=None, help="Objectif spécifique.")
@click.option("--amount", default="", help="Montant FSE programmé, à la française (« 21 914,89 € »).")
@click.option("--characteristics", default="", help="Caractéristiques retenues pour l'étude de cas.")
@click.option("--id", "project_id", default=None,
              help="Identifiant (minuscules, chiffres, - et _) ; par défaut tiré du nom court.")
@click.option("--json", "as_json", is_flag=True, help="Affiche le projet créé en JSON.")
@click.pass_context
@guarded
def projects_add(ctx: click.Context, kind: str, title: str, label: str, carrier: str, os_: str | None,
                amount: str, characteristics: str, project_id: str | None, as_json: bool) -> None:
    """Crée une étude de cas ou une série d'entretiens hors campagne."""
    from pi87_field.core.fr import parse_amount
    from pi87_field.core.money import AmountError
    from pi87_field.core.serialize import project_to_dict
    from pi87_field.core.summary import project_label

    try:
        fse_amount = parse_amount(amount)
    except AmountError as exc:
        fail(str(exc))
        return
    store = _open_store(ctx, writer=True)
    try:
        project = store.create_project(kind, title, label=label, carrier=carrier,
                                       os=int(os_) if os_ else None, fse_amount=fse_amount,
                                       characteristics=characteristics, project_id=project_id)
    finally:
        store.close()
    if as_json:
        out.print_json(data=project_to_dict(project))
        return
    out.print(f"Projet créé : {project.id} ({project.kind.label}, « {project_label(project)} »)", markup=False)


# -- guides ------------------------------------------------------------------------------------

@main.group()
def guides() -> None:
    """Grilles d'entretien : lister, afficher, valider."""


def _library(ctx: click.Context):
    from pi87_field.core.guides import GuideLibrary
    from pi87_field.locations import builtin_guides_dir

    return GuideLibrary([builtin_guides_dir(), ctx.obj["data_dir"] / "guides"])


@guides.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@guarded
def guides_list(ctx: click.Context, as_json: bool) -> None:
    """Liste les grilles disponibles."""
    lib = _library(ctx)
    for problem in lib.problems:
        warn("Guide ignoré :", problem)
    if as_json:
        click.echo(json.dumps([{"id": g.id, "version": g.version, "title": g.title,
                                "project_kind": g.project_kind, "sections": len(g.sections),
                                "questions": len(g.questions), "path": str(g.path or "")} for g in lib],
                              ensure_ascii=False, indent=1))
        return
    table = Table(title="Guides d'entretien", title_justify="left")
    for col in ("Id", "Version", "Titre", "Sections", "Questions"):
        table.add_column(col)
    for g in lib:
        table.add_row(*map(plain, (g.id, g.version, g.title, len(g.sections), len(g.questions))))
    out.print(table)


@guides.command("show")
@click.argument("guide_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@guarded
def guides_show(ctx: click.Context, guide_id: str, as_json: bool) -> None:
    """Affiche une grille, question par question."""
    from pi87_field.core.guides import guide_to_dict, question_numbers

    guide = _library(ctx).get(guide_id)
    if guide is None:
        raise FieldError(f"Guide inconnu : « {guide_id} » (voir « pi87-field guides list »)")
    if as_json:
        click.echo(json.dumps(guide_to_dict(guide), ensure_ascii=False, indent=1))
        return
    e = escape   # every piece of the guide is user text: escaped inside our markup
    out.print(f"[bold]{e(guide.title)}[/] ({e(guide.id)}, version {e(guide.version)})", soft_wrap=True)
    if guide.source:
        out.print(f"[dim]{e(guide.source)}[/]", soft_wrap=True)
    numbers = question_numbers(guide.sections)
    for s in guide.sections:
        out.print(f"\n[bold cyan]{e(s.title)}[/]  [dim]{e(s.id)}[/]", soft_wrap=True)
        for q in s.questions:
            num = f"{numbers[q.id]}. "
            cond = f" [dim](si {e(q.condition)})[/]" if q.condition else ""
            out.print(f"  {e(num + q.text)}{cond}  [dim]{e(q.id)}[/]", soft_wrap=True)
            for sp in q.subpoints:
                out.print(f"      {sp.id}. {sp.text}", soft_wrap=True, markup=False)
            for r in q.relances:
                out.print(f"      [italic]relance :[/] {e(r)}", soft_wrap=True)


@guides.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
@guarded
def guides_validate(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Vérifie des fichiers de grille ou de référentiel ; chaque problème est signalé avec fichier et ligne."""
    from pi87_field.core.guides import is_framework_text, load_guide_file, read_yaml_text
    from pi87_field.core.synthesis.framework import parse_framework

    bad = 0
    library = _library(ctx)
    frameworks: list[tuple[Path, str]] = []
    for path in files:
        try:
            text = read_yaml_text(path)
            if is_framework_text(text):  # checked once the grids given beside it are known
                frameworks.append((path, text))
                continue
            guide = load_guide_file(path)
        except GuideError as exc:
            bad += 1
            for line in str(exc).splitlines():
                err.print(line, soft_wrap=True, markup=False)
            continue
        library.guides[guide.id] = guide
        out.print(f"{path}: OK — {guide.id} v{guide.version}, {plural(len(guide.sections), 'section')}, "
                  f"{plural(len(guide.questions), 'question')}", soft_wrap=True, markup=False)
    for path, text in frameworks:
        try:
            fw = parse_framework(text, str(path), library)
        except GuideError as exc:
            bad += 1
            for line in str(exc).splitlines():
                err.print(line, soft_wrap=True, markup=False)
            continue
        mapped = sum(len(q.mapping) for q in fw.questions)
        out.print(f"{path}: OK — référentiel {fw.id} v{fw.version}, {len(fw.questions)} questions "
                  f"évaluatives, {mapped} questions de grille associées", soft_wrap=True, markup=False)
    if bad:
        sys.exit(1)


# -- import / export ---------------------------------------------------------------------------

# -- trash ---------------------------------------------------------------------------------------

@main.group()
def trash() -> None:
    """Corbeille : entretiens supprimés, récupérables jusqu'à ce qu'elle soit vidée."""


@trash.command("list")
@click.pass_context
@guarded
def trash_list(ctx: click.Context) -> None:
    """Liste les entretiens de la corbeille."""
    from pi87_field.core.summary import interview_title

    with _open_store(ctx, writer=False) as store:
        items = store.trash.items()
    if not items:
        out.print("La corbeille est vide.")
        return
    for item in items:  # one line each, ids whole: they are what `restore` takes
        when = item.trashed_at[:16].replace("T", " ")
        out.print(f"{item.project_id} {item.interview.id}  {interview_title(None, item.interview)} · supprimé le {when}",
                  markup=False, soft_wrap=True)
    out.print(f"{plural(len(items), 'entretien')} dans la corbeille · "
              "pi87-field trash restore PROJET ID · pi87-field trash empty --yes", markup=False)


@trash.command("restore")
@click.argument("project_id")
@click.argument("interview_id")
@click.pass_context
@guarded
def trash_restore(ctx: click.Context, project_id: str, interview_id: str) -> None:
    """Remet un entretien de la corbeille dans son projet."""
    from pi87_field.core.summary import interview_title

    with _open_store(ctx, writer=True) as store:
        interview = store.trash.restore(project_id, interview_id)
    out.print(f"Restauré : {interview_title(None, interview)} ({project_id})", markup=False)


@trash.command("empty")
@click.option("--yes", is_flag=True, help="Confirme la suppression définitive.")
@click.option("--including-unique-answers", "unique", is_flag=True,
              help="Avec --yes : détruit aussi les réponses qui n'existent nulle part ailleurs (elles sont nommées "
                   "sans cette option).")
@click.pass_context
@guarded
def trash_empty(ctx: click.Context, yes: bool, unique: bool) -> None:
    """Supprime définitivement les entretiens de la corbeille."""
    from pi87_field.core.store.project_store import describe_unique

    with _open_store(ctx, writer=yes) as store:
        held = store.trash.unique_answers()
        if not yes:
            lost = f" dont {describe_unique(held)}" if held else ""
            fail(f"vider la corbeille efface définitivement ses entretiens{lost} : relancez avec --yes"
                 + (" --including-unique-answers." if held else "."))
        if held and not unique:
            fail(f"la corbeille contient {describe_unique(held)} : rien n'a été supprimé ; restaurez ce qu'il "
                 "faut garder (trash restore), ou relancez avec --yes --including-unique-answers.")
        count = store.trash.empty(destroy_unique=unique)
    out.print(f"Corbeille vidée : {plural(count, 'entretien supprimé', 'entretiens supprimés')} "
              "définitivement.")


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
@guarded
def import_(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Importe des paquets .json, des comptes rendus .docx (même modifiés dans Word ou LibreOffice)
    et des synthèses d'équipe (.json, pi87-field-synthesis/1). Un dossier donne ses fichiers .json et .docx.

    Code de sortie : 0 si tout est importé, 1 si un fichier au moins n'a pas pu l'être (les autres
    sont importés et le résumé le dit)."""
    from pi87_field.core.exchange.importing import expand_inputs, import_files
    from pi87_field.core.exchange.reconcile import Outcome, conflict_place, conflicts_by_kind

    paths = expand_inputs(list(files))
    empty = [f for f in files if f.is_dir() and not any(p.parent == f for p in paths)]
    for folder in empty:
        warn("Attention :", f"{folder} : aucun fichier .json ou .docx dans ce dossier")
    if not paths:
        raise FieldError("rien à importer.")
    store = _open_store(ctx, writer=True)
    try:
        with _progress() as bar:
            task = bar.add_task("Import", total=len(paths))
            report = import_files(store, paths, progress=lambda _p: bar.advance(task))
    finally:
        store.close()
    table = Table(title="Résumé de l'import", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("Fichier", overflow="fold", ratio=2)
    table.add_column("Projet", overflow="fold", ratio=2)
    table.add_column("Résultat", overflow="fold", ratio=3)
    for f in report.files:
        if f.error:
            table.add_row(plain(f.path.name), "", Text("erreur (voir ci-dessous)", style="red"))
            continue
        counts = f.counts
        parts = [o.count_label(counts[o]) for o in Outcome if counts.get(o)]
        if f.edited:
            parts.append(f"{plural(f.edited, 'modifiée', 'modifiées')} dans Word")
        table.add_row(plain(f.path.name), plain(f.project_id), plain(", ".join(parts) or "rien à faire"))
    totals = report.totals()
    failed = len(report.errors)
    total = ", ".join(o.count_label(totals[o]) for o in Outcome if totals.get(o)) or "rien"
    imported = len(report.files) - failed
    table.caption = plain(f"Total : {total} ({plural(imported, 'fichier lu', 'fichiers lus')}"
                          + (f", {plural(failed, 'en erreur', 'en erreur')})" if failed else ")"))
    table.caption_justify = "left"
    out.print(table)
    for kind, conflicts in conflicts_by_kind(report.conflicts).items():
        out.print(Text.assemble((kind.heading, "bold yellow"), f" ({kind.kept} ; {kind.settle}) :"))
        for c in conflicts:
            out.print(f"  • {conflict_place(store, c)}", soft_wrap=True, markup=False)
    for f in report.files:  # what the Word edits meant: read back, or why not
        for notice in f.notices:
            out.print(f"  • {f.path.name} : {notice}", soft_wrap=True, markup=False)
    for f in report.errors:
        warn("Erreur :", f.error, style="red")
    repairs = [(f, path) for f in report.files for path in f.damaged]
    for f, path in repairs:  # the local copy cannot be read: never written over, said aloud
        warn("Non importé :", f"{path} : fichier endommagé, conservé tel quel ; l'entretien de {f.path.name} "
             "n'y a pas été écrit. Déplacez ce fichier hors du magasin puis relancez l'import pour le "
             "remplacer par cette copie.", style="red")
    if report.errors or repairs:
        sys.exit(1)


@main.command()
@click.argument("ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Tous les projets du magasin.")
@click.option("--format", "fmt", type=click.Choice(["docx", "json"]), default="docx", show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Dossier de sortie (par défaut : ./exports/).")
@click.option("--pseudonymise", is_flag=True,
              help="Fichiers pseudonymisés (<id>.pseudonymise.docx) : chaque personne reçoit le pseudonyme "
                   "que lui donne le registre du magasin, partout et d'un export à l'autre.")
@click.option("--strict", is_flag=True,
              help="Avec --pseudonymise (qu'il implique) : fonctions et organismes ramenés à leur catégorie.")
@click.option("--edition", type=click.Choice(["travail", "client"]), default="travail", show_default=True,
              help="travail : tout, pour l'équipe et la réimportation (journal des entretiens en annexe) ; "
                   "client (Word seulement, <id>.client.docx) : sans journal, notes ni copie intégrée, "
                   "pour le commanditaire.")
@click.option("--with-transcript", is_flag=True,
              help="Édition de travail : les transcriptions des enregistrements en annexe, question par question.")
@click.pass_context
@guarded
def export(ctx: click.Context, ids: tuple[str, ...], all_: bool, fmt: str, out_dir: Path | None,
           pseudonymise: bool, strict: bool, edition: str, with_transcript: bool) -> None:
    """Écrit un fichier par projet (compte rendu Word ou paquet JSON)."""
    from pi87_field.core.exchange.exporting import (
        check_edition,
        check_with_transcript,
        export_project_result,
        store_register,
    )
    from pi87_field.core.model import check_project_id
    from pi87_field.locations import default_exports_dir

    level = "strict" if strict else "people" if pseudonymise else None
    check_edition(fmt, edition)
    check_with_transcript(fmt, edition, with_transcript)
    store = _open_store(ctx, writer=False)
    if all_:
        wanted = [p.id for p in store.list_projects()]  # damaged project files go to store.damaged
    elif ids:
        wanted = [check_project_id(i) for i in ids]
        for pid in wanted:
            store.get_project(pid)  # unknown id: one line, nothing written
    else:
        raise FieldError("Indiquez un ou plusieurs identifiants de projet, ou --all.")
    target = out_dir or default_exports_dir()
    written = []
    register = store_register(store) if level else None
    with _progress() as bar:
        task = bar.add_task(f"Export {fmt}", total=len(wanted))
        for pid in wanted:
            written.append(export_project_result(store, pid, target, fmt, pseudonymise=level or False,
                                                 register=register, edition=edition,
                                                 with_transcript=with_transcript))
            bar.advance(task)
    _warn_guides(store)
    for result in written:
        out.print(str(result.path), markup=False, soft_wrap=True)
        if result.report is not None:
            _print_residual(result.report, result.sidecar)
    if store.damaged:  # what could not be read was left out: say which files, and fail
        for damaged in store.damaged:
            warn("Non exporté :", damaged)
        fail(f"export incomplet : {plural(len(store.damaged), 'fichier endommagé laissé', 'fichiers endommagés laissés')} "
             "de côté.")


def _print_residual(report: Any, sidecar: Path | None) -> None:
    """The residual-risk list of a pseudonymised output: on the terminal, and where its file is."""
    for line in report.lines():
        out.print(line, markup=False, soft_wrap=True)
    if sidecar is not None:
        out.print(f"  (liste enregistrée à côté, à ne pas transmettre : {sidecar})", markup=False, soft_wrap=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--pseudonymise", is_flag=True,
              help="Volume pseudonymisé (VOLUME.pseudonymise.docx) : un seul registre pour tous les chapitres.")
@click.option("--strict", is_flag=True,
              help="Avec --pseudonymise (qu'il implique) : fonctions et organismes ramenés à leur catégorie.")
@click.option("--store-register", is_flag=True,
              help="Avec --pseudonymise : utilise (et complète) le registre des pseudonymes du magasin "
                   "(--data-dir), pour les mêmes pseudonymes que ses exports. Sans cette option, le registre "
                   "ne vit que le temps de la fusion.")
@click.pass_context
@guarded
def merge(ctx: click.Context, files: tuple[Path, ...], out_file: Path, json_file: Path | None,
          pseudonymise: bool, strict: bool, store_register: bool) -> None:
    """Construit un volume consolidé à partir de plusieurs comptes rendus, sans toucher au magasin.
    Un dossier donne ses fichiers .json et .docx.

    Code de sortie : 0 si tout est fusionné, 1 si un fichier au moins n'a pas pu l'être (le volume
    est fait avec les autres et le résumé le dit)."""
    from pi87_field.core.exchange.importing import expand_inputs
    from pi87_field.core.merge import merge_files

    if out_file.suffix.lower() != ".docx":
        raise FieldError(f"Le volume doit être un fichier .docx : {out_file}")
    level = "strict" if strict else "people" if pseudonymise or store_register else None
    register = None
    if store_register:
        from pi87_field.core.privacy import PseudonymRegister
        from pi87_field.core.store.atomic import ensure_dir

        register = PseudonymRegister.of_store(ensure_dir(ctx.obj["data_dir"]))
    paths = expand_inputs(list(files))
    with _progress() as bar:
        task = bar.add_task("Fusion", total=len(paths))
        report = merge_files(paths, out_file, json_file, progress=lambda _p: bar.advance(task),
                             pseudonymise=level or False, register=register)
    _print_merge_report(report)
    out.print(str(report.out_docx), markup=False)
    if report.json_out is not None:
        out.print(str(report.json_out), markup=False)
    if report.residual is not None:
        _print_residual(report.residual, report.sidecar)
    if report.errors:
        sys.exit(1)


@main.command()
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Le volume consolidé (.docx).")
@click.option("--xlsx", "xlsx_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Le classeur d'analyse (.xlsx) : matrice, extraits, jugements, couverture.")
@click.option("--pseudonymise", is_flag=True,
              help="Volume et classeur pseudonymisés (VOLUME.pseudonymise.docx) avec le registre du magasin.")
@click.option("--strict", is_flag=True,
              help="Avec --pseudonymise (qu'il implique) : fonctions et organismes ramenés à leur catégorie.")
@click.option("--only", "only", type=click.Choice(["conclusions"]), default=None,
              help="conclusions : la partie I seule (chapitre 4 du rapport : conclusions, jugements, "
                   "préconisations), à coller dans le rapport.")
@click.pass_context
@guarded
def volume(ctx: click.Context, out_file: Path, xlsx_file: Path | None, pseudonymise: bool, strict: bool,
           only: str | None) -> None:
    """Construit le volume consolidé (et le classeur d'analyse) à partir du magasin, synthèse comprise."""
    from pi87_field.core.merge.pipeline import volume_from_store

    level = "strict" if strict else "people" if pseudonymise else ""
    store = _open_store(ctx, writer=False)
    try:
        with _progress() as bar:
            tasks: dict[str, Any] = {}

            def progress(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=total)
                bar.update(tasks[step], completed=done)

            content = volume_from_store(store, out_file, xlsx_file, pseudonymise=level, progress=progress,
                                        only=only or "")
        _warn_guides(store)
    finally:
        store.close()
    answered = sum(len(c.answered) for c in content.cases)
    out.print(f"{len(content.cases)} projets, {answered} entretiens avec réponses ; "
              + ("synthèse incluse." if content.synthesis else "pas de synthèse dans le magasin."))
    out.print(str(content.out_docx), markup=False)
    if content.out_xlsx is not None:
        out.print(str(content.out_xlsx), markup=False)
    if content.residual is not None and content.out_docx is not None:
        from pi87_field.core.privacy import sidecar_path

        _print_residual(content.residual, sidecar_path(content.out_docx))
    _fail_if_damaged("volume incomplet", content.damaged, store.damaged)


def _print_merge_report(report: Any) -> None:
    from pi87_field.core.merge import InputStatus

    table = Table(title="Fichiers fusionnés", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("Fichier", overflow="fold")
    table.add_column("État", no_wrap=True)
    table.add_column("Projet", overflow="fold")
    table.add_column("Évaluateur", overflow="fold")
    table.add_column("Entr.", justify="right", no_wrap=True)
    table.add_column("Rép.", justify="right", no_wrap=True)
    if out.width >= 110:
        table.add_column("SHA-256", no_wrap=True)
    labels = {InputStatus.OK: Text("fusionné", style="green"), InputStatus.DUPLICATE: Text("doublon", style="yellow"),
              InputStatus.ERROR: Text("erreur", style="red")}
    for row in report.rows:
        cells: list[Text] = [plain(row.file), labels[row.status]]
        if row.status == InputStatus.OK:
            cells += map(plain, (row.project_id, row.evaluator, row.interviews, row.answers))
        elif row.status == InputStatus.DUPLICATE:
            cells += map(plain, (f"= {row.duplicate_of.name if row.duplicate_of else ''}", "", "", ""))
        else:
            cells += map(plain, ("voir ci-dessous", "", "", ""))
        if out.width >= 110:
            cells.append(plain(row.sha256_short))
        table.add_row(*cells)
    out.print(table)
    c = report.counts
    out.print(f"{plural(c.projects, 'projet')}, {plural(c.interviews, 'entretien')}, {plural(c.answers, 'réponse')} ; "
              f"{c.conflicts} en conflit, {plural(c.duplicates, 'doublon')}, {plural(c.errors, 'erreur')}.",
              markup=False)
    for conflict in report.conflicts:
        out.print(f"  • conflit : {conflict.project_id} / {conflict.interview_label} / {conflict.question_id}",
                  soft_wrap=True, markup=False)
    for row in report.errors:
        warn("Erreur :", f"{row.file} : {row.reason}", style="red")


# -- synthesis (the team lead's work) ------------------------------------------------------------

@main.group()
def synthesis() -> None:
    """Synthèse de l'équipe : jugements par question évaluative, preuves citées, cellules."""


@synthesis.command("status")
@click.option("--json", "as_json", is_flag=True, help="Une ligne JSON par question évaluative, dans une liste.")
@click.pass_context
@guarded
def synthesis_status(ctx: click.Context, as_json: bool) -> None:
    """Par question évaluative : registre, niveau d'atteinte, preuves, cas cités / cas associés, éléments à revoir."""
    from pi87_field.core.synthesis import Workspace

    store = _open_store(ctx, writer=False)
    try:
        ws = Workspace(store)
        rows = ws.status()
        _warn_guides(store)
        unknown = ws.synthesis.unknown_keys()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"framework": {"id": ws.framework.id, "version": ws.framework.version},
                               "questions": [r.to_dict() for r in rows],
                               "unknown_keys": [{"key": k, "where": w} for k, w in unknown]},
                              ensure_ascii=False, indent=1))
        _fail_if_damaged("synthèse incomplète", ws.damaged, store.damaged)
        return
    table = Table(title=f"Synthèse — {ws.framework.title}", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("Question", overflow="fold")
    table.add_column("Registre", overflow="fold")
    table.add_column("Niveau", no_wrap=True)
    table.add_column("Preuves", justify="right", no_wrap=True)
    table.add_column("Cas cités", justify="right", no_wrap=True)
    table.add_column("À revoir", justify="right", no_wrap=True)
    for r in rows:
        table.add_row(r.question.id, r.question.registre, r.rating_label, str(r.evidence_count),
                      f"{r.cases_cited}/{r.cases_mapped}",
                      str(len(r.stale)) if r.stale else "—")
    out.print(table)
    out.print("Cas cités / concernés : un cas est un projet (étude de cas ou série d'entretiens) ; il est concerné "
              "quand sa grille porte une des questions rattachées, entretien fait ou non.", soft_wrap=True, markup=False)
    for r in rows:
        for item in r.stale:
            out.print(f"  • {r.question.id} : {item.state} — {ws.label(item.project_id)} / {item.question_id} : "
                      f"« {clip_words(item.text, 60)} »", soft_wrap=True, markup=False)
        if r.conflicts:
            out.print(f"  • {r.question.id} : {plural(r.conflicts, 'version concurrente', 'versions concurrentes')} à arbitrer",
                      soft_wrap=True, markup=False)
    for key, where in unknown:
        out.print(f"  • référence introuvable : « {key} » ({where})", soft_wrap=True, markup=False)
    _fail_if_damaged("synthèse incomplète", ws.damaged, store.damaged)


@synthesis.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
@guarded
def synthesis_export(ctx: click.Context, file: Path) -> None:
    """Écrit la synthèse (jugements, preuves citées, synthèses de cellules) au format pi87-field-synthesis/1."""
    from pi87_field.core.labels import RATING_SCALE
    from pi87_field.core.synthesis import Workspace
    from pi87_field.core.synthesis.exchange import write_synthesis_file

    store = _open_store(ctx, writer=False)
    try:
        ws = Workspace(store)
        doc = write_synthesis_file(ws, file)
        _warn_guides(store)
    finally:
        store.close()
    cited = sum(len(j["evidence"]) for j in doc["judgements"])
    rated = sum(1 for j in doc["judgements"] if j["rating"] in RATING_SCALE or j["explanation"])
    out.print(f"{file} : {plural(rated, 'jugement')}, {plural(cited, 'preuve citée', 'preuves citées')}, "
              f"{plural(len(doc['summaries']), 'synthèse de cellule', 'synthèses de cellule')}.",
              soft_wrap=True, markup=False)
    _fail_if_damaged("synthèse exportée incomplète", ws.damaged, store.damaged)


# -- demo --------------------------------------------------------------------------------------

@main.command()
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Dossier de la démonstration (par défaut : un dossier à part, jamais celui des vraies données).")
@click.option("--reset", is_flag=True, help="Repartir d'une démonstration neuve (efface le dossier de démonstration).")
@click.option("--no-open", is_flag=True, help="Préparer le dossier sans ouvrir l'application.")
@click.pass_context
@guarded
def demo(ctx: click.Context, folder: Path | None, reset: bool, no_open: bool) -> None:
    """Ouvre l'application sur une démonstration : la campagne PI 8.7 avec des entretiens remplis
    (reconstitués à partir du rapport), dans un dossier à part, pour essayer la synthèse."""
    import shutil

    from pi87_field.core.demo import DEMO_MARKER, fill_demo
    from pi87_field.core.store import ProjectStore
    from pi87_field.locations import demo_dir

    target = demo_dir(folder)
    real = ctx.obj["data_dir"]
    if target.resolve() == Path(real).resolve():
        raise FieldError(f"{target} est le dossier des vraies données : la démonstration utilise un dossier à part.")
    marker = target / DEMO_MARKER
    if target.exists() and any(target.iterdir()) and not marker.exists():
        raise FieldError(f"{target} contient déjà des données qui ne sont pas une démonstration : "
                         "choisissez un autre --folder.")
    if reset and marker.exists():
        shutil.rmtree(target)
    store = ProjectStore.open(target, writer=True)
    try:
        if not marker.exists():
            from pi87_field.core.store.atomic import atomic_write_bytes

            fill_demo(store)
            atomic_write_bytes(marker, "Dossier de démonstration de pi87-field (données reconstituées).\n".encode())
        out.print(f"Démonstration : {target}", soft_wrap=True, markup=False)
        if no_open:
            return
        from pi87_field.tui.app import run
    except BaseException:
        store.close()
        raise
    sys.exit(run(store))


# -- transcript of a recording (DESIGN §8) ---------------------------------------------------------

@main.group()
def transcript() -> None:
    """Transcription horodatée d'un enregistrement (WebVTT, SubRip, JSON de Whisper), découpée par question."""


def _find_interview(store: Any, interview_id: str) -> tuple[Any, Any]:
    """The project and interview of `interview_id` (the whole id, or its first 8 characters or more)."""
    wanted = interview_id.strip().lower()
    found = [(p, i) for p, i in store.finder.iter_interviews()
             if i.id == wanted or (len(wanted) >= 8 and i.id.startswith(wanted))]
    if not found:
        raise FieldError(f"Entretien introuvable : « {interview_id} » (son identifiant : voir `pi87-field projects --json` "
                         "ou la fiche de l'entretien)")
    if len(found) > 1:
        raise FieldError(f"« {interview_id} » désigne plusieurs entretiens : donnez l'identifiant complet.")
    return found[0]


def _transcript_summary(interview: Any) -> str:
    from pi87_field.core.transcript import transcript_of

    held = transcript_of(interview)
    if held is None:
        return ""
    placed = [s for s in held.segments if s.question]
    questions = len({s.question for s in placed})
    outside = len(held.segments) - len(placed)
    return (f"{held.source} : {plural(len(held.segments), 'segment')}, {plural(len(placed), 'placé')} dans "
            f"{plural(questions, 'question')}, {outside} hors question")


@transcript.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--interview", "interview_id", required=True, help="Identifiant de l'entretien enregistré.")
@click.option("--started-at", default=None,
              help="Heure de début de l'enregistrement, ISO 8601 (par défaut : début de la première séance).")
@click.option("--replace", is_flag=True, help="Remplacer la transcription déjà attachée par cette nouvelle version.")
@click.pass_context
@guarded
def transcript_import(ctx: click.Context, file: Path, interview_id: str, started_at: str | None, replace: bool) -> None:
    """Attache une transcription à un entretien, découpée par les passages sur chaque question."""
    from pi87_field.core.transcript import parse_started_at, read_transcript_file

    start = parse_started_at(started_at) if started_at is not None else None
    parsed = read_transcript_file(file)       # checked at the door before the store is opened
    with _open_store(ctx, writer=True) as store:
        project, interview = _find_interview(store, interview_id)
        interview, outcome = store.life_cycle.attach_transcript(project.id, interview.id, parsed, started_at=start,
                                                     replace=replace)
    out.print(f"{outcome.label.capitalize()} ({_transcript_summary(interview)}).", markup=False, soft_wrap=True)


@transcript.command("shift")
@click.argument("interview_id")
@click.option("--by", "seconds", type=float, required=True,
              help="Secondes à ajouter à l'heure de début (négatif : plus tôt), par exemple --by -12.")
@click.pass_context
@guarded
def transcript_shift(ctx: click.Context, interview_id: str, seconds: float) -> None:
    """Décale la transcription de ±N secondes sur l'horloge de l'entretien et refait le découpage."""
    with _open_store(ctx, writer=True) as store:
        project, interview = _find_interview(store, interview_id)
        interview = store.life_cycle.shift_transcript(project.id, interview.id, seconds)
    sign = "+" if seconds >= 0 else "−"
    out.print(f"Transcription décalée de {sign}{abs(seconds):g}\u00a0s ({_transcript_summary(interview)}).",
              markup=False, soft_wrap=True)


@transcript.command("show")
@click.argument("interview_id")
@click.option("--json", "as_json", is_flag=True, help="La transcription telle qu'elle voyage dans l'export JSON.")
@click.pass_context
@guarded
def transcript_show(ctx: click.Context, interview_id: str, as_json: bool) -> None:
    """La transcription d'un entretien, question par question."""
    from pi87_field.core.fr import fr_datetime
    from pi87_field.core.transcript import question_passages, segment_line, transcript_of

    with _open_store(ctx, writer=False) as store:
        _project, interview = _find_interview(store, interview_id)
        guide = store.guide_for(interview.guide_id)
    held = transcript_of(interview)
    if held is None:
        raise FieldError("Cet entretien n'a pas de transcription (pi87-field transcript import FICHIER --interview ID).")
    if as_json:
        click.echo(json.dumps(held.to_dict(), ensure_ascii=False, indent=1))
        return
    out.print(f"Transcription {_transcript_summary(interview)} · début {fr_datetime(held.started_at)}", markup=False,
              soft_wrap=True)
    for group in question_passages(interview, held, guide):
        out.print()
        out.print(Text(group.heading, style="bold"), soft_wrap=True)
        for segment in group.segments:
            out.print(segment_line(segment), markup=False, soft_wrap=True)
