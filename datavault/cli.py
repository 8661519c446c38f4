"""The ``datavault`` command: thin typer commands that parse options, call one function, and render its result.

Results go to standard output; progress, warnings and summaries to standard error. A problem the user can fix
is one line on standard error and exit status 1 (the ``@user_errors`` funnel); rich tracebacks with locals are
off, since locals hold personal messages.
"""

from __future__ import annotations

import functools
import json
import os
import shlex
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.text import Text

from datavault.errors import InterruptedAfterSave, UserError, VaultFault
from datavault.terminal import SafeConsole, terminal_stream

try:  # typer from 0.2x carries its own copy of click
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # pragma: no cover - typer with click as a separate package
    from click.exceptions import ClickException, UsageError

from typer.core import TyperGroup

VAULT_EPILOG = ("The vault: --vault PATH, before or after the command (datavault --vault V report, or datavault "
                "report --vault V), else $DATAVAULT_VAULT, else a file in your per-user data folder.")


def _vault_first(args: list[str], commands, ctx) -> list[str]:
    """``args`` with every ``--vault PATH`` / ``--vault=PATH`` given after the command moved before it, where the
    global option lives, in the order given (so the last one wins, as for any option). Nothing after ``--`` is
    touched: a file really called ``--vault`` is imported with ``datavault import -- --vault``."""
    position = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            return args
        if arg == "--vault":
            i += 2
            continue
        if arg in commands:
            position = i
            break
        i += 1
    if position is None:
        return args
    before, moved, rest = args[:position + 1], [], []
    i = position + 1
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg == "--vault":
            if i + 1 >= len(args) or args[i + 1] == "--":
                raise UsageError("--vault needs a PATH: datavault --vault PATH COMMAND, or COMMAND ... --vault PATH.",
                                 ctx=ctx)
            moved += [arg, args[i + 1]]
            i += 2
            continue
        if arg.startswith("--vault="):
            moved.append(arg)
        else:
            rest.append(arg)
        i += 1
    if not moved:
        return args
    return before[:position] + moved + before[position:] + rest


class _Group(TyperGroup):
    """The datavault command group: the global ``--vault`` is accepted after the command too."""

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, _vault_first(list(args), self.commands, ctx))


app = typer.Typer(
    name="datavault",
    cls=_Group,
    help="See yourself as a citizen scorer would: import your own data exports (WhatsApp, Google Takeout, "
         "Facebook) into a local vault, and read what they reveal. Everything stays on this computer.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# markup and emoji codes off: a plain string is printed exactly as it is, so imported text ("[/]", "[link=...]",
# ":smile:") in a name or a message can neither crash the output nor restyle it; styles come from Text objects;
# SafeConsole drops the escape sequences and control characters imported text may hold (datavault/terminal.py)
err = SafeConsole(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)
out = SafeConsole(highlight=False, soft_wrap=True, markup=False, emoji=False)


def _error_line(label: str, message: object) -> Text:
    return Text.assemble((label, "bold red"), " ", str(message))


class _State:
    vault_option: Optional[Path] = None
    saved: bool = False  # an import was committed: an error after that must not claim the vault is unchanged


state = _State()


def _told(exc: UserError) -> str:
    """A user error, saying what is true of the vault: an error after the import committed must not claim that
    nothing was changed."""
    if isinstance(exc, VaultFault):
        return exc.told(state.saved)
    if not state.saved:
        return str(exc)
    return f"{exc} (the import itself was saved; the report's index is completed by the next command)"


def user_errors(fn):
    """The one error funnel: a UserError becomes one line on stderr and exit 1; anything unexpected becomes
    one line too (the traceback only with DATAVAULT_DEBUG=1, since it can hold personal data)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except UserError as exc:
            err.print(_error_line("Error:", _told(exc)))
            raise typer.Exit(1) from None
        except KeyboardInterrupt as exc:
            saved = state.saved or isinstance(exc, InterruptedAfterSave)  # after the commit, before we knew
            err.print("Interrupted: " + ("the import was saved; the report's index catches up at the next report."
                                         if saved else "nothing was changed in the vault."))
            raise typer.Exit(1) from None
        except BrokenPipeError:  # `datavault export messages | head`: the reader has had enough
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort, SystemExit, ClickException):  # a usage error: click says it, exit 2
            raise
        except Exception as exc:
            if os.environ.get("DATAVAULT_DEBUG"):
                raise
            from datavault.faults import explain

            if (fault := explain(exc, vault_path())) is not None:  # locked, read-only, full, damaged
                err.print(_error_line("Error:", _told(fault)))
                raise typer.Exit(1) from None
            done = "the import itself was saved" if state.saved else "the vault is unchanged"
            err.print(_error_line("Internal error:", f"{exc.__class__.__name__}: {str(exc)[:200]} ({done}; run "
                                  "with DATAVAULT_DEBUG=1 for details, and please report it)"))
            raise typer.Exit(1) from None

    return wrapper


def vault_path() -> Path:
    from datavault.layout import resolve_vault_path

    return resolve_vault_path(state.vault_option)


def _show_version(value: bool) -> None:
    if value:
        from datavault import __version__

        print(f"datavault {__version__}")
        raise typer.Exit(0)


@app.callback()
def _global(
    vault: Annotated[Optional[Path], typer.Option(
        "--vault", metavar="PATH", help="The vault file (default: $DATAVAULT_VAULT, else a file in your "
                                        "per-user data folder); also accepted after the command.")] = None,
    version: Annotated[bool, typer.Option(
        "--version", is_eager=True, callback=_show_version, help="Show datavault's version and exit.")] = False,
) -> None:
    state.vault_option = vault
    state.saved = False
    os.umask(0o077)  # everything datavault writes is for the owner's eyes only


# ---------------------------------------------------------------------------------------------------------------
# import


class TextOrJson(str, Enum):
    text = "text"
    json = "json"


FormatOption = Annotated[Optional[TextOrJson], typer.Option("--format", help="text (a summary for people, the "
                                                            "default) or json (one JSON object on standard output).",
                                                            show_default=False)]


def _json_wanted(as_json: bool, fmt: Optional[TextOrJson]) -> bool:
    """``--json`` (kept from the first releases) is ``--format json``; both may be given, not with text."""
    if as_json and fmt is TextOrJson.text:
        raise UsageError("--json is the same as --format json: give one of them, or --format text.")
    return as_json or fmt is TextOrJson.json


def _no_empty_paths(paths: list[str]) -> list[str]:
    """An empty argument (an unset shell variable, ``"$EXPORT"``) is a usage error, not the current folder."""
    if any(not p for p in paths or []):
        raise typer.BadParameter("an empty path was given (an unset shell variable?); name an export to import.")
    return paths


@app.command("import")
@user_errors
def import_(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH...", help="Exports to import: a .zip, the parts of a multi-part zip set together, a folder, "
                                "or a single file such as a WhatsApp chat .txt.", show_default=False,
        callback=_no_empty_paths)],
    me: Annotated[Optional[str], typer.Option(
        help="Your name as it appears in the data (as a chat sender), so your own messages are told apart.")] = None,
    tz: Annotated[Optional[str], typer.Option(
        help="Time zone of wall-clock times that carry none (WhatsApp chats), e.g. Europe/Berlin. Without it "
             "they are kept exactly as written.")] = None,
    fmt: FormatOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object (the same as "
                                                         "--format json).")] = False,
    allow_large: Annotated[bool, typer.Option(
        "--allow-large", help="Import a zip whose files inflate to far more than the zip itself (over 100 times "
                              "and 256 MB), which is otherwise refused as a likely zip bomb.")] = False,
) -> None:
    """Import exports into the vault. Importing the same export again adds nothing."""
    from datavault.pipeline import import_paths

    as_json = _json_wanted(as_json, fmt)

    with _progress() as progress:
        result = import_paths(vault_path(), paths, me=me, tz=tz, progress=progress, allow_large=allow_large)
    state.saved = any(source.id is not None for source in result.sources)
    if as_json:
        out.print_json(data=result.as_json()) if sys.stdout.isatty() else print(
            json.dumps(result.as_json(), ensure_ascii=False))
    for source in result.sources:
        if source.error:
            err.print(_error_line("Error:", source.error))
            continue
        stored = sum(source.records.values())
        new = sum(source.new_records.values())
        tables = ", ".join(f"{n:,} {t}" for t, n in sorted(source.records.items())) or "no records"
        again = _again(source)
        line = Text.assemble("Imported ", (source.label, "bold"),
                             f" as source {source.id} ({source.platform}){again}: {tables}; {new:,} new of {stored:,}; "
                             f"{source.files} file(s) ({', '.join(f'{n} {s}' for s, n in sorted(source.statuses.items()))})")
        if source.problems:
            line.append("; ")
            line.append(f"{source.problems} problem(s)", style="yellow")
            line.append(", see `datavault inventory`")
        err.print(line)
        for owner in [o for o in source.notes.get("owner", []) if o["sender"] is not None][:3]:
            err.print(f"  Owner in {owner['conversation'] or 'these chats'}: {owner['sender']} ({owner['basis']})")
        if "owner_unknown" in source.notes:
            err.print(f"  Owner not decided: {source.notes['owner_unknown']}")
        for warning in source.notes.get("warnings", []):
            err.print(f"  Warning: {warning}")
    if state.saved and result.changed:  # nothing changed: the report's cache is as valid as it was
        from datavault.report import prepare_vault

        with _progress() as progress:
            prepare_vault(vault_path(), progress=progress)  # so the first `report` and `score` only read the cache
    if result.errors:
        raise typer.Exit(1)


def _again(source) -> str:
    """What the summary line says of an export imported before (whether its files were read again), or of one
    that continues chats imported before (read on from where those ended)."""
    if not source.already_imported:
        return (f" (continues {source.continued_files:,} chat(s) imported before: read on from where they ended)"
                if source.continued_files else "")
    if source.unchanged_files and not source.read_files:
        return " (already imported before: unchanged, not read again)"
    if source.unchanged_files:
        return f" (already imported before: {source.unchanged_files:,} unchanged file(s) not read again)"
    return " (already imported before)"


class _progress:
    """``with _progress() as progress``: the core's progress drawn on stderr while the block runs (a terminal
    only), gone when it ends."""

    def __enter__(self):
        from datavault.richprogress import RichProgress

        self.display = RichProgress(err)
        self.display.progress.start()
        return self.display

    def __exit__(self, *exc):
        self.display.end()
        self.display.progress.stop()


# ---------------------------------------------------------------------------------------------------------------
# inventory, export, forget


@app.command()
@user_errors
def inventory(
    fmt: FormatOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the inventory as one JSON object (the same as "
                                                         "--format json).")] = False,
) -> None:
    """What the vault holds: each imported export, each of its files with its status, counts and dates."""
    from datavault.inventory import read_inventory, render_inventory

    as_json = _json_wanted(as_json, fmt)
    data = read_inventory(vault_path())
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2), file=terminal_stream(sys.stdout))
    else:
        render_inventory(data, out)


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"  # the one spelling of the JSON switch across commands: here it is jsonl
    csv = "csv"


@app.command()
@user_errors
def export(
    table: Annotated[str, typer.Argument(help="messages, activities, locations, people, purchases, "
                                              "platform_inferences, profile or posts.", show_default=False)],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="jsonl (one JSON object a line; json is the same) "
                                                               "or csv.")] = ExportFormat.jsonl,
    raw: Annotated[bool, typer.Option("--raw", help="csv: write every cell exactly as stored (by default a cell "
                                                    "starting with = + - @ gets a leading ' so a spreadsheet "
                                                    "does not run it as a formula).")] = False,
    bom: Annotated[bool, typer.Option("--bom", help="csv: start with a UTF-8 byte order mark, so spreadsheet "
                                                    "programs (Excel) show accents right.")] = False,
    original: Annotated[bool, typer.Option("--original", help="add each record's original text, as it was read "
                                                              "from the export (the field `original`).")] = False,
) -> None:
    """Every record of one table, oldest first, on standard output."""
    from datavault.exporting import export_table

    if fmt is not ExportFormat.csv and (raw or bom):
        raise UsageError(f"{'--raw' if raw else '--bom'} is for CSV: add --format csv.")
    stream = sys.stdout if raw else terminal_stream(sys.stdout)
    export_table(vault_path(), table, "csv" if fmt is ExportFormat.csv else "jsonl", stream, raw=raw, bom=bom,
                 original=original)


@app.command()
@user_errors
def forget(
    source_id: Annotated[Optional[int], typer.Argument(metavar="[SOURCE_ID]", help="The import to remove (its id "
                                                       "is in `datavault inventory`).", show_default=False)] = None,
    everything: Annotated[bool, typer.Option("--all", help="Delete the whole vault file.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation on a terminal (for "
                                      "scripts; without a terminal nothing is asked anyway).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would be removed; change nothing.")]
        = False,
    outputs: Annotated[bool, typer.Option("--remove-outputs", help="Also overwrite and delete the reports and demo "
                                          "files datavault wrote elsewhere that hold this data.")] = False,
) -> None:
    """Remove one import, or the whole vault, for good (deleted data is overwritten, not just unlinked). On a
    terminal it first says what would go and asks."""
    from datavault import forgetting

    if everything == (source_id is not None):
        raise UsageError("Give either a SOURCE_ID (see `datavault inventory`) or --all, not both.")
    path = vault_path()
    if everything and not path.exists():
        raise UserError(f"There is no vault at {path}.")
    plan = forgetting.plan(path, None if everything else source_id)
    what = (f"the whole vault {path} ({plan.removed:,} record(s))" if everything else
            f"import {source_id} ({plan.label}): {plan.removed:,} record(s) removed, {plan.kept:,} kept because "
            "another import also holds them")
    err.print(Text(f"{'Would forget' if dry_run else 'To forget'}: {what}."))
    for written, kind in plan.outputs:
        err.print(Text(f"  still holding this data: {written} ({kind})"))
    if dry_run:
        err.print("Nothing was changed (--dry-run).")
        return
    asking = not yes and _on_terminal()
    if asking and not typer.confirm("Forget this for good? It cannot be undone", default=False, err=True):
        err.print("Nothing was changed.")
        raise typer.Exit(1)
    if plan.outputs and not outputs and asking:
        outputs = typer.confirm(f"Also overwrite and delete the {len(plan.outputs)} file(s) above?", default=False,
                                err=True)
    if everything:
        forgetting.forget_all(path)
        err.print(f"Deleted the vault {path}.")
    else:
        summary = forgetting.forget_source(path, source_id)
        err.print(f"Forgot source {source_id} ({summary['label']}): {summary['removed']:,} record(s) removed, "
                  f"{summary['kept']:,} kept because another import also holds them.")
    if plan.outputs and outputs:
        failed = forgetting.remove_outputs(plan.outputs)
        err.print(f"Deleted {len(plan.outputs) - len(failed)} file(s) datavault wrote elsewhere."
                  + (f" Could not delete: {', '.join(map(str, failed))}." if failed else ""))
    elif plan.outputs:
        err.print(Text(f"{len(plan.outputs)} file(s) datavault wrote elsewhere still hold this data (listed above): "
                       "delete them yourself (--remove-outputs has forget do it)."))


def _on_terminal() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


# ---------------------------------------------------------------------------------------------------------------
# bias


people_app = typer.Typer(
    cls=_Group,
    help="The people in your exports, one person per human: each identity (a WhatsApp number, a Facebook "
         "friend, a contact card, a mail address) and why it was joined to the others. 'merge' and 'split' "
         "record your own decision; it survives re-imports.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(people_app, name="people")


def _person_json(person) -> dict:
    return person.as_dict()


def _show_person(person) -> None:
    from datavault.people import Phones

    platforms = ", ".join(sorted({i.platform for i in person.identities}))
    line = Text(person.id, style="bold")
    line.append(f"  {person.name}  ({platforms})")
    out.print(line)
    for i in person.identities:
        bits = [f"    {i.key}"]
        if i.name and i.kind == "card":
            bits.append(f"card '{i.name}'")
        elif i.name:
            bits.append(f"'{i.name}'")
        bits += [Phones.pretty(n) if n.startswith("+") else n for n in sorted(i.phones)] + sorted(i.emails)
        if i.messages:
            bits.append(f"{i.messages} messages")
        out.print("  ".join(bits))
    for reason in person.reasons:
        out.print(f"    why: {reason}")


@people_app.callback()
@user_errors
def people(
    ctx: typer.Context,
    fmt: FormatOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the persons as one JSON object (the same as "
                                                         "--format json).")] = False,
) -> None:
    """Lists the persons: their identities across platforms and the reason of every merge."""
    if ctx.invoked_subcommand is not None:
        return
    from datavault.people import list_persons

    as_json = _json_wanted(as_json, fmt)
    persons = list_persons(vault_path())
    if as_json:
        print(json.dumps({"persons": [_person_json(p) for p in persons]}, ensure_ascii=False, indent=2),
              file=terminal_stream(sys.stdout))
        return
    if not persons:
        err.print("No people in the vault yet: import a chat, contacts or friends first.")
    for p in persons:
        _show_person(p)


@people_app.command("merge")
@user_errors
def people_merge(
    a: Annotated[str, typer.Argument(help="A person id (p1a2b3c4d, or a unique prefix) or an identity "
                                          "(whatsapp:+4915123456789) as 'datavault people' lists them.")],
    b: Annotated[str, typer.Argument(help="The person or identity to join to A.")],
    fmt: FormatOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the merged person as JSON.")] = False,
) -> None:
    """Records that A and B are the same human; kept across re-imports."""
    from datavault.people import decide

    as_json = _json_wanted(as_json, fmt)
    person = decide(vault_path(), "merge", a, b)
    if as_json:
        print(json.dumps(_person_json(person), ensure_ascii=False, indent=2), file=terminal_stream(sys.stdout))
    else:
        _show_person(person)


@people_app.command("split")
@user_errors
def people_split(
    a: Annotated[str, typer.Argument(help="An identity (whatsapp:+4915123456789): it stands alone from now on; "
                                          "or a person id: each of its identities stands alone.")],
    fmt: FormatOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the person A now belongs to as JSON.")] = False,
) -> None:
    """Records that A is not the same human as the others it was joined to; kept across re-imports."""
    from datavault.people import decide

    as_json = _json_wanted(as_json, fmt)
    person = decide(vault_path(), "split", a)
    if as_json:
        print(json.dumps(_person_json(person), ensure_ascii=False, indent=2), file=terminal_stream(sys.stdout))
    else:
        _show_person(person)


class TextJsonMd(str, Enum):
    """--format of the commands that print text, JSON or Markdown (bias, changes)."""

    text = "text"
    json = "json"
    md = "md"


@app.command()
@user_errors
def bias(
    scorer: Annotated[Optional[str], typer.Option(
        metavar="MODULE:FUNCTION", help="Audit your own model: any Python function that takes a text and returns "
                                        "a number (e.g. mymodel:score, or path/to/model.py:score). Default: the "
                                        "shipped VADER model.")] = None,
    fmt: Annotated[TextJsonMd, typer.Option("--format", help="text, json or md.")] = TextJsonMd.text,
    timeout: Annotated[float, typer.Option(help="Seconds a --scorer may take for one sentence before it is "
                                                "stopped and the audit goes on.")] = 5.0,
    suite: Annotated[Optional[Path], typer.Option(
        metavar="DIR", help="A folder with your own identity_terms.csv, templates.csv, fillers.csv, "
                            "political_terms.csv or political_templates.csv (e.g. in another language); "
                            "files it lacks come from the shipped suite.")] = None,
) -> None:
    """Identity-term bias audit of a sentiment scorer: does it rate "I am gay" below "I am straight"? Offline."""
    from datavault.bias.audit import audit_scorer_spec
    from datavault.bias.render import render

    if scorer:
        err.print(f"Auditing {scorer} (one sentence at a time, at most {timeout:g} s each; nothing leaves "
                  f"this computer) ...")
    result = audit_scorer_spec(scorer, timeout=timeout, suite_dir=suite)
    for failure in result["failures"]:
        err.print(f"Warning: {failure['count']} sentence(s) not scored ({failure['kind']}): "
                  f"{failure['examples'][0]['detail']}")
    terminal_stream(sys.stdout).write(render(result, fmt.value))


# ---------------------------------------------------------------------------------------------------------------
# demo


@app.command()
@user_errors
def demo(
    out_dir: Annotated[Optional[Path], typer.Option("--out", metavar="DIR", help="Where to write the demo exports "
                                                    "and the demo vault (default: a demo folder beside your "
                                                    "vault's default place).")] = None,
    seed: Annotated[int, typer.Option(help="Same seed, same persona, same files.")] = 7,
    scale: Annotated[int, typer.Option(min=1, help="Multiply the volume (for benchmarks).")] = 1,
) -> None:
    """Build a synthetic persona's exports, import them into a separate demo vault, and show the result."""
    from datavault.demo.run import run_demo

    with _progress() as progress:
        run_demo(out_dir, seed=seed, scale=scale, out=out, err=err, progress=progress)


# ---------------------------------------------------------------------------------------------------------------
# report and score


class ReportFormat(str, Enum):
    text = "text"
    html = "html"
    json = "json"
    md = "md"


class ScoreFormat(str, Enum):
    text = "text"
    json = "json"


TzOption = Annotated[Optional[str], typer.Option("--tz", metavar="ZONE", help="Your time zone for hours of the day "
                                                 "(e.g. Europe/London; default: this computer's).")]
RulesOption = Annotated[Optional[Path], typer.Option("--rules", metavar="DIR", help="A folder of .toml rules files "
                                                     "adding lexicon words, place categories or thresholds.")]


@app.command()
@user_errors
def report(
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="text (terminal), html, json or md.")]
        = ReportFormat.text,
    out_file: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="FILE", help="Write to FILE (readable "
                                                     "by you only) instead of standard output.")] = None,
    redact: Annotated[bool, typer.Option("--redact", help="Replace other people's names, numbers and addresses "
                                         "with pseudonyms (Contact 7), e.g. for a workshop projector.")] = False,
    tz: TzOption = None,
    rules: RulesOption = None,
    profile: Annotated[Optional[str], typer.Option("--profile", metavar="FILE", help="Scorer profile for the "
                                                   "illustrative score (sesame-like, landlord, insurer or a .toml file).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="SOURCE|DATE", help="The report as it stood "
                                                 "then: only what the exports made up to that import id, or by that "
                                                 "date (YYYY-MM-DD), held.")] = None,
) -> None:
    """The scorer's-eye report: what a scorer could conclude from your data, with the records behind it."""
    from datavault.render import render
    from datavault.render.text import render_text
    from datavault.report import build_report, write_private

    result = build_report(vault_path(), tz=tz, rules_dir=rules, profile=profile, redact=redact, as_of=as_of,
                          all_evidence=format is ReportFormat.html)  # the web page lists every record
    if format is ReportFormat.text and out_file is None:
        render_text(result, out)
        return
    document = render(result, format.value)
    if out_file is None:
        terminal_stream(sys.stdout).write(document)
        return
    write_private(out_file, document)
    from datavault.forgetting import remember_written

    remember_written(vault_path(), out_file, "report")  # so that forget can say this file holds the data
    err.print(f"Report written to {out_file} (readable by you only).")


@app.command()
@user_errors
def score(
    profile: Annotated[Optional[str], typer.Option("--profile", metavar="FILE", help="Scorer profile: sesame-like "
                                                   "(default), landlord, insurer, or a .toml file.")] = None,
    format: Annotated[ScoreFormat, typer.Option("--format", "-f", help="text or json.")] = ScoreFormat.text,
    tz: TzOption = None,
    rules: RulesOption = None,
) -> None:
    """An illustrative 350-950 score with its whole formula: the same findings, judged by a scorer profile."""
    from datavault.render.text import render_score_text
    from datavault.report import build_score

    result = build_score(vault_path(), tz=tz, rules_dir=rules, profile=profile)
    if format is ScoreFormat.json:
        terminal_stream(sys.stdout).write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        render_score_text(result, out)


@app.command()
@user_errors
def changes(
    older: Annotated[Optional[str], typer.Argument(metavar="OLDER", help="An import id (as `datavault inventory` "
                                                   "shows it); with NEWER. Default: the last two exports of each "
                                                   "account.", show_default=False)] = None,
    newer: Annotated[Optional[str], typer.Argument(metavar="NEWER", help="A later import id of the same account.",
                                                   show_default=False)] = None,
    platform: Annotated[Optional[str], typer.Option("--platform", metavar="P", help="Only exports of this platform "
                                                    "(google, facebook, instagram, whatsapp).")] = None,
    fmt: Annotated[TextJsonMd, typer.Option("--format", help="text, json or md.")] = TextJsonMd.text,
) -> None:
    """What changed between two exports of one account.

    Labels that appeared or disappeared, records the newer one lacks (per table, month), new records, settings."""
    from datavault.changes import compare, resolve
    from datavault.render.changes import render_changes_md, render_changes_text
    from datavault.report import open_vault

    conn = open_vault(vault_path())
    try:
        pairs, notes = resolve(conn, older, newer, platform.strip().lower() if platform else None)
        results = [compare(conn, a, b) for a, b in pairs]
    finally:
        conn.close()
    for result in results:
        result["notes"] = notes + result["notes"]
    stream = terminal_stream(sys.stdout)
    if fmt is TextJsonMd.json:
        body = results[0] if len(results) == 1 else {"comparisons": results}
        stream.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    elif fmt is TextJsonMd.md:
        stream.write(render_changes_md(results))
    else:
        stream.write(render_changes_text(results))


class EvidenceFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"
    json = "json"  # as for export: one object a line
    csv = "csv"


EVIDENCE_FIELDS = ("table", "time", "source_file", "locator", "excerpt")


@app.command()
@user_errors
def evidence(
    finding_id: Annotated[str, typer.Argument(metavar="FINDING_ID", help="The finding, as its id in `datavault "
                                              "report --format json` (e.g. parent, health, closest_ties).",
                                              show_default=False)],
    fmt: Annotated[EvidenceFormat, typer.Option("--format", help="text, jsonl (one record a line; json is the "
                                                "same) or csv.")] = EvidenceFormat.text,
    bom: Annotated[bool, typer.Option("--bom", help="csv: start with a UTF-8 byte order mark (Excel).")] = False,
    tz: TzOption = None,
    rules: RulesOption = None,
) -> None:
    """Every record behind one finding, where the report shows a few. For keyword findings: every supporting
    record, the word index read in full, not sampled."""
    from datavault.exporting import spreadsheet_cell
    from datavault.report import finding_evidence

    if bom and fmt is not EvidenceFormat.csv:
        raise UsageError("--bom is for CSV: add --format csv.")
    finding = finding_evidence(vault_path(), finding_id, tz=tz, rules_dir=rules)
    records = finding["evidence"]
    stream = terminal_stream(sys.stdout)
    if fmt is EvidenceFormat.csv:
        import csv

        if bom:
            stream.write("\ufeff")
        writer = csv.writer(stream, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        writer.writerow(EVIDENCE_FIELDS)
        writer.writerows([spreadsheet_cell(r.get(k), k) for k in EVIDENCE_FIELDS] for r in records)
    elif fmt is EvidenceFormat.text:
        out.print(Text(f"{finding['title']} ({finding['strength']}): {len(records):,} record(s)"))
        for r in records:
            out.print(Text(f"  {r.get('time') or 'no date'}  {r.get('source_file') or ''} {r.get('locator') or ''}"))
            out.print(Text(f"      {r['excerpt']}"))
    else:
        for r in records:
            stream.write(json.dumps({k: r.get(k) for k in EVIDENCE_FIELDS}, ensure_ascii=False) + "\n")
    counted = finding.get("evidence_total")
    if counted and counted > len(records):  # a finding that counts hours, events or messages, not records cited
        err.print(Text(f"The finding counts {counted:,} (its measure: hours, events or messages); these are the "
                       f"{len(records):,} records it cites. Its details table is in `datavault report --format json`."))


# ---------------------------------------------------------------------------------------------------------------
# request


# the choices of datavault.rights.letters (KINDS, LANGS, FORMATS), spelled out so that every command's start does
# not import the letters; a test keeps them equal
class RequestKind(str, Enum):
    access = "access"
    erasure = "erasure"
    objection = "objection"
    restriction = "restriction"


class RequestLang(str, Enum):
    en = "en"
    de = "de"
    fr = "fr"
    es = "es"


class RequestFormat(str, Enum):
    md = "md"
    text = "text"


@app.command()
@user_errors
def request(
    controller: Annotated[str, typer.Option("--controller", metavar="NAME",
                                            help="Whom the letter is for: google, meta (Facebook and Instagram), "
                                                 "whatsapp, advertisers (one letter per advertiser Facebook or "
                                                 "Instagram lists as using your information) or any other name "
                                                 "(a letter whose address you fill in).", show_default=False)],
    kind: Annotated[RequestKind, typer.Option("--kind", help="access (Art. 15), erasure (Art. 17), objection "
                                              "(Art. 21 and 22) or restriction (Art. 18).", show_default=False)],
    lang: Annotated[RequestLang, typer.Option("--lang", help="The letter's language: en, de, fr or es.")]
        = RequestLang.en,
    fmt: Annotated[RequestFormat, typer.Option("--format", help="md (Markdown) or text.")] = RequestFormat.md,
    out_file: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="FILE", help="Write to FILE (readable "
                                                     "by you only) instead of standard output; with --controller "
                                                     "advertisers a folder, one file per advertiser.")] = None,
) -> None:
    """A GDPR request letter (access, erasure, objection, restriction), filled from your vault. Offline."""
    from datavault.forgetting import remember_written
    from datavault.report import write_private
    from datavault.rights.letters import ADVERTISERS, file_name, render_letter, write_letters

    letters = write_letters(vault_path(), controller, kind.value, lang.value, fmt.value)
    documents = [render_letter(letter, fmt.value) for letter in letters]
    many = controller.strip().casefold() == ADVERTISERS
    if out_file is None:
        terminal_stream(sys.stdout).write(("\n" + "=" * 72 + "\n\n").join(documents))
    elif not many:
        write_private(out_file, documents[0])
        remember_written(vault_path(), out_file, "request letter")  # so that forget can say this file holds the data
        err.print(Text(f"Letter to {letters[0].addressee} written to {out_file} (readable by you only)."))
    else:
        if out_file.exists() and not out_file.is_dir():
            raise UserError(f"Cannot write the letters to {out_file}: it is a file; name a folder (one letter per "
                            "advertiser goes in it).")
        try:
            out_file.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise UserError(f"Cannot make the folder {out_file}: {exc.strerror or exc}.") from None
        taken: set[str] = set()
        for letter, document in zip(letters, documents):
            write_private(out_file / file_name(letter.addressee, fmt.value, taken), document)
        remember_written(vault_path(), out_file, "request letters")
        err.print(Text(f"{len(letters)} letter(s), one per advertiser, written to {out_file} (readable by you only)."))
    err.print(Text("A template, not legal advice: read it, fill in what is in [brackets], and check the address "
                   "before sending."))


@app.command()
@user_errors
def owner(
    source_id: Annotated[Optional[int], typer.Argument(metavar="SOURCE_ID", help="The import whose WhatsApp "
                                                       "chats get a new owner (its id in `datavault owner` or "
                                                       "`datavault inventory`).", show_default=False)] = None,
    me: Annotated[Optional[str], typer.Option("--me", metavar="NAME", help="Your name as a sender of those chats, "
                                              "exactly as the chat writes it.", show_default=False)] = None,
    fmt: FormatOption = None,
) -> None:
    """Lists who owns each imported WhatsApp chat, or changes it.

    With SOURCE_ID --me NAME, the chats of that import are decided again without reading the export."""
    from datavault.owner import list_owners, set_owner

    if (source_id is None) != (me is None):
        raise UsageError("give both SOURCE_ID and --me NAME to change an owner (datavault owner 3 --me 'Sam "
                         "Rivera'), or neither to list the owners.")
    if source_id is not None:
        changed = set_owner(vault_path(), source_id, me)
        err.print(Text(f"Owner of source {source_id} is now {me}: {changed:,} message(s) decided again."
                       if changed else f"Owner of source {source_id} is {me}, as before: no message changed."))
    owners = list_owners(vault_path())
    if fmt is TextOrJson.json:
        print(json.dumps({"sources": owners}, ensure_ascii=False, indent=2), file=terminal_stream(sys.stdout))
        return
    if not owners:
        err.print("No WhatsApp chat in the vault: only a WhatsApp chat's owner is decided by a name.")
    for o in owners if source_id is None else [o for o in owners if o["id"] == source_id]:
        who = (f"{', '.join(o['owner'])} ({o['basis']})" if o["owner"] else f"not decided ({o['undecided']})")
        senders = ", ".join(f"{name} ({n:,})" for name, n in o["senders"][:8])
        more = f", and {len(o['senders']) - 8} more" if len(o["senders"]) > 8 else ""
        out.print(Text(f"Source {o['id']} · {o['label']} · owner: {who} · senders: {senders}{more}"))
    if owners and source_id is None:
        err.print("To change one: datavault owner SOURCE_ID --me NAME")


@app.command("datasette-metadata")
@user_errors
def datasette_metadata(
    out_file: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="FILE", help="Write to FILE instead of "
                                                     "standard output.")] = None,
) -> None:
    """Metadata for browsing the vault with Datasette (then: datasette VAULT -m FILE).

    The eight views are described, the internal tables hidden, and the search box works on messages, activities,
    posts and purchases."""
    from datavault.datasette import metadata
    from datavault.findings import textindex
    from datavault.report import open_vault
    from datavault.store import Vault

    Vault.open(vault_path(), create=False, writable=False).close()  # the views as this datavault writes them
    conn = open_vault(vault_path())
    try:
        if textindex.refresh(conn) != "main":
            err.print("The vault is read-only: search finds what its word index held after the last import.")
        document = json.dumps(metadata(conn, vault_path()), ensure_ascii=False, indent=2) + "\n"
    finally:
        conn.close()
    if out_file is None:
        terminal_stream(sys.stdout).write(document)
        return
    try:
        out_file.write_text(document, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"Cannot write {out_file}: {exc.strerror or exc}.") from None
    err.print(Text(f"Datasette metadata written to {out_file}. Browse the vault with: datasette "
                   f"{shlex.quote(str(vault_path()))} -m {shlex.quote(str(out_file))}"))


for _command in app.registered_commands + people_app.registered_commands:  # where the global --vault goes
    _command.epilog = _command.epilog or VAULT_EPILOG


def main() -> None:
    app()


if __name__ == "__main__":
    main()
