"""The ``dockerlab`` command line: init, new, run, note, summarize, layers, index, check."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import sys
import tempfile
import tomllib
import unicodedata
from datetime import datetime
from pathlib import Path

import click

from . import __version__
from .config import CONFIG_NAME, Config, default_language, find_lab_root, load_config
from .dockercheck import check_dockerfile
from .errors import DockerlabError
from .fsutil import check_appendable, read_text
from .hadolint import HadolintFailed, find_hadolint, run_hadolint
from .i18n import LANGUAGES, t
from .layers import check_daemon, docker_binary, last_built_image, layer_commands
from .rawnotes import (
    RunEntry,
    append_note,
    append_raw,
    format_note_line,
    format_run_block,
    parse_raw,
)
from .readme_index import update_readme
from .redact import redact
from .runlog import SignalRelay, run_command
from .scaffold import init_lab, new_topic
from .state import DOCKERFILE_NAME, RAW_NAME, topic_title
from .summarize import summarize_topic
from .topics import Topic, parse_area, parse_number, resolve_topic

# Findings at these hadolint levels make `check` exit 1, like dockerlab's own findings.
HADOLINT_FAILING_LEVELS = {"error", "warning"}


class DockerlabGroup(click.Group):
    """A click group that turns ``DockerlabError`` into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context):  # noqa: D102 - click API
        try:
            return super().invoke(ctx)
        except DockerlabError as exc:
            lang = message_language(ctx)
            click.echo(f"{t(lang, 'cli.error_prefix')} {exc.render(lang)}", err=True)
            raise click.exceptions.Exit(2) from None
        except OSError as exc:
            # A file that cannot be read or written (permissions, full disk): one
            # line like any other error, not a traceback. Atomic writes mean the
            # file that failed is still as it was.
            where = f": {Path(exc.filename).name}" if exc.filename else ""
            prefix = t(message_language(ctx), "cli.error_prefix")
            click.echo(f"{prefix} {exc.strerror or exc}{where}", err=True)
            raise click.exceptions.Exit(2) from None


def message_language(ctx: click.Context) -> str:
    """The language for messages: the lab's (even when its config is otherwise broken).

    Outside a lab, or when even the language cannot be read, the locale decides.
    """
    lab = (ctx.obj or {}).get("lab")
    try:
        root = lab.resolve() if lab else find_lab_root(Path.cwd())
        if root is not None:
            language = tomllib.loads((root / CONFIG_NAME).read_text(encoding="utf-8")).get(
                "language"
            )
            if language in LANGUAGES:
                return language
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        pass
    return default_language()


def _config(ctx: click.Context) -> Config:
    """Load the lab config from --lab / DOCKERLAB_LAB, or the nearest lab above the cwd."""
    lab: Path | None = ctx.obj.get("lab")
    root = lab.resolve() if lab else find_lab_root(Path.cwd())
    if root is None:
        raise DockerlabError(
            "not inside a dockerlab lab (no dockerlab.toml here or above); run 'dockerlab init'"
        )
    return load_config(root)


def _rel(cfg: Config, path: Path) -> str:
    """A path relative to the lab root, for messages (no machine-specific prefixes)."""
    try:
        return path.resolve().relative_to(cfg.root.resolve()).as_posix()
    except ValueError:
        return path.name


def _binary_stdout():
    """The byte stream under stdout, so command output passes through undecoded."""
    sys.stdout.flush()  # anything printed as text so far goes first
    return getattr(sys.stdout, "buffer", None) or _TextAsBinary(sys.stdout)


class _TextAsBinary:
    """Adapter for a text-only stdout (some IDE consoles): decodes bytes before writing."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        """Write ``data`` decoded as UTF-8."""
        self.stream.write(data.decode("utf-8", errors="replace"))
        return len(data)

    def flush(self) -> None:
        """Flush the underlying stream."""
        self.stream.flush()


def _topic(cfg: Config, spec: str | None) -> Topic:
    return resolve_topic(cfg.topics_dir, spec, Path.cwd())


@click.group(cls=DockerlabGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--lab",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="DOCKERLAB_LAB",
    help="Lab folder (default: the nearest folder with dockerlab.toml, from the current one up).",
)
@click.version_option(__version__, prog_name="dockerlab")
@click.pass_context
def cli(ctx: click.Context, lab: Path | None) -> None:
    """Companion CLI for a hands-on Docker lab: from raw experiment notes to clean notes."""
    ctx.obj = {"lab": lab}


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    help="Language of notes and templates (default: from the locale).",
)
def init(directory: Path, lang: str | None) -> None:
    """Create a lab: README.md, topics/ and dockerlab.toml (existing files are kept)."""
    result = init_lab(directory, lang or default_language())
    for name in result.created:
        click.echo(f"created {name}")
    for name in result.kept:
        click.echo(f"kept existing {name}")


@cli.command()
@click.argument("title", nargs=-1, required=True)
@click.option("--number", "number_text", metavar="NNN", help="Use this topic number (e.g. 020).")
@click.option(
    "--area",
    "area_text",
    metavar="NNN",
    help="Take the first free number in this tens group (e.g. 020).",
)
@click.option("--goal", default="", help="Fill the goal line of notes-raw.md.")
@click.pass_context
def new(
    ctx: click.Context,
    title: tuple[str, ...],
    number_text: str | None,
    area_text: str | None,
    goal: str,
) -> None:
    """Create a topic folder with Dockerfile, notes-raw.md and notes.md from templates."""
    if number_text and area_text:
        raise click.UsageError("use either --number or --area, not both")
    cfg = _config(ctx)
    number = parse_number(number_text) if number_text else None
    area = parse_area(area_text) if area_text else None
    topic = new_topic(cfg, " ".join(title), number=number, area=area, goal=goal)
    click.echo(f"created {_rel(cfg, topic.path)}/")


@cli.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option(
    "--topic",
    "-t",
    "topic_spec",
    help="Topic number, slug or folder (default: the one you are in).",
)
@click.option(
    "--tty/--no-tty",
    default=True,
    help="Run the command on a pseudo-terminal, as when typed (default), or on a plain pipe.",
)
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@click.pass_context
def run(ctx: click.Context, topic_spec: str | None, tty: bool, command: tuple[str, ...]) -> None:
    """Run COMMAND in the topic folder and record it in notes-raw.md.

    Put the command after "--": dockerlab run -- docker build -t lab .
    """
    cfg = _config(ctx)
    topic = _topic(cfg, topic_spec)
    raw_path = topic.path / RAW_NAME
    try:
        # Find out now, not after a ten-minute build, that the record cannot be kept.
        check_appendable(raw_path)
    except OSError as exc:
        raise DockerlabError(
            "cannot record into {path}: {reason}; the command was not run",
            path=_rel(cfg, raw_path),
            reason=exc.strerror or str(exc),
        ) from None
    cwd = Path.cwd().resolve()
    folder = topic.path.resolve()
    # Inside the topic (or a sub-folder of it) run where the user is; elsewhere in the topic folder.
    workdir = cwd if (cwd == folder or folder in cwd.parents) else folder
    started = datetime.now()
    # Held until the record is written: no signal can stop dockerlab in between.
    with SignalRelay() as relay:
        outcome = run_command(
            list(command),
            workdir,
            _binary_stdout(),
            cfg.language,
            cfg.run.head_lines,
            cfg.run.tail_lines,
            cfg.run.max_line_chars,
            tty=tty,
            grace=cfg.run.grace_seconds,
            relay=relay,
        )
        entry = _redacted(cfg.language, outcome.entry)
        block = format_run_block(cfg.language, entry, started)
        where = _record(cfg, topic, block, started)
        _say(
            t(
                cfg.language,
                "cli.recorded",
                where=where,
                exit=outcome.exit_code,
                seconds=f"{outcome.entry.duration:.1f}",
            )
        )
    ctx.exit(outcome.exit_code)


def _redacted(lang: str, entry: RunEntry) -> RunEntry:
    """The entry with secrets masked in command and output, saying how many (before any write)."""
    command, in_command = redact(entry.command)
    output, in_output = redact(entry.output)
    count = in_command + in_output
    if count:
        output = (output + "\n" if output else "") + t(lang, "raw.redacted", count=count)
    return dataclasses.replace(entry, command=command, output=output)


def _say(message: str) -> None:
    """A status line on stderr; a closed stderr must not turn a recorded run into a failure."""
    try:
        click.echo(message, err=True)
    except OSError:
        pass


def _record(cfg: Config, topic: Topic, block: str, started: datetime) -> str:
    """Append a run block to notes-raw.md; if that fails, keep it elsewhere and say where.

    The command has already run: its record must survive a file that became
    unwritable meanwhile, so it goes next to notes-raw.md, else to the temporary
    folder, else to stderr, and the command's exit code is still returned.
    """
    raw_path = topic.path / RAW_NAME
    try:
        append_raw(
            topic.path,
            cfg.language,
            block,
            topic.label,
            topic_title(topic.path, topic.slug),
            started.date().isoformat(),
        )
        return _rel(cfg, raw_path)
    except (OSError, DockerlabError) as exc:
        if isinstance(exc, DockerlabError):
            reason = exc.render(cfg.language)
        else:
            reason = exc.strerror or str(exc)
        prefix = t(cfg.language, "cli.error_prefix")
        message = t(cfg.language, "cli.cannot_write", path=_rel(cfg, raw_path), reason=reason)
        _say(f"{prefix} {message}")
    name = f"notes-raw.unsaved-{started:%Y%m%d-%H%M%S}-{os.getpid()}.md"
    for folder in (topic.path, Path(tempfile.gettempdir())):
        try:
            with open(folder / name, "x", encoding="utf-8") as handle:
                handle.write(block.lstrip("\n"))
            return str(folder / name) if folder != topic.path else _rel(cfg, folder / name)
        except OSError:
            continue
    _say(block)
    return t(cfg.language, "cli.printed_here")


@cli.command()
@click.option(
    "--topic",
    "-t",
    "topic_spec",
    help="Topic number, slug or folder (default: the one you are in).",
)
@click.argument("text", nargs=-1, required=True)
@click.pass_context
def note(ctx: click.Context, topic_spec: str | None, text: tuple[str, ...]) -> None:
    """Append a timestamped line to the topic's notes-raw.md."""
    message = " ".join(text).strip()
    if not message:
        raise click.UsageError("the note is empty")
    message, masked = redact(message)
    cfg = _config(ctx)
    topic = _topic(cfg, topic_spec)
    now = datetime.now()
    append_note(
        topic.path,
        cfg.language,
        format_note_line(message, now),
        topic.label,
        topic_title(topic.path, topic.slug),
        now.date().isoformat(),
    )
    click.echo(t(cfg.language, "cli.noted", where=_rel(cfg, topic.path / RAW_NAME)))
    if masked:
        click.echo(t(cfg.language, "raw.redacted", count=masked), err=True)


@cli.command()
@click.argument("topic_spec", metavar="[TOPIC]", required=False)
@click.option("--offline", is_flag=True, help="Make a deterministic draft without any LLM.")
@click.option(
    "--force", is_flag=True, help="Replace a hand-edited notes.md (a backup copy is kept)."
)
@click.pass_context
def summarize(ctx: click.Context, topic_spec: str | None, offline: bool, force: bool) -> None:
    """Write the topic's notes.md from its notes-raw.md through the configured LLM."""
    cfg = _config(ctx)
    topic = _topic(cfg, topic_spec)
    result = summarize_topic(cfg, topic, offline=offline, force=force)
    for message in result.messages:
        click.echo(message, err=True)
    if result.backup:
        click.echo(t(cfg.language, "cli.backed_up", where=_rel(cfg, result.backup)))
    how = (
        t(cfg.language, "cli.offline")
        if offline
        else t(cfg.language, "cli.model", model=cfg.llm.model)
    )
    click.echo(t(cfg.language, "cli.wrote", where=_rel(cfg, result.notes), how=how))


@cli.command()
@click.option(
    "--topic",
    "-t",
    "topic_spec",
    help="Topic number, slug or folder (default: the one you are in).",
)
@click.argument("image", required=False)
@click.pass_context
def layers(ctx: click.Context, topic_spec: str | None, image: str | None) -> None:
    """Record IMAGE's layers in notes-raw.md: docker history --no-trunc, and dive --ci if installed.

    Without IMAGE, the image of the last `docker build -t NAME` recorded in the topic.
    """
    cfg = _config(ctx)
    topic = _topic(cfg, topic_spec)
    lang = cfg.language
    raw_path = topic.path / RAW_NAME
    try:
        check_appendable(raw_path)
    except OSError as exc:
        raise DockerlabError(
            "cannot record into {path}: {reason}",
            path=_rel(cfg, raw_path),
            reason=exc.strerror or str(exc),
        ) from None
    # The daemon first: without one, that is the thing to fix, whatever the image.
    check_daemon(docker_binary())
    if image is None:
        recorded = parse_raw(read_text(raw_path)) if raw_path.exists() else None
        image = last_built_image(recorded) if recorded else None
        if image is None:
            raise DockerlabError(t(lang, "layers.no_image", topic=topic.name))
    commands, has_dive = layer_commands(image)
    status = 0
    with SignalRelay() as relay:
        for number, argv in enumerate(commands):
            started = datetime.now()
            outcome = run_command(
                argv,
                topic.path,
                _binary_stdout(),
                lang,
                cfg.run.head_lines,
                cfg.run.tail_lines,
                cfg.run.max_line_chars,
                tty=False,  # tables, not progress bars: the plain output is the record
                grace=cfg.run.grace_seconds,
                relay=relay,
            )
            entry = _redacted(lang, outcome.entry)
            if number == 0:
                status = outcome.exit_code
                if not has_dive:
                    entry = dataclasses.replace(
                        entry, output=entry.output + "\n" + t(lang, "layers.no_dive")
                    )
            where = _record(cfg, topic, format_run_block(lang, entry, started), started)
            _say(
                t(
                    lang,
                    "cli.recorded_command",
                    command=shlex.join(argv),
                    where=where,
                    exit=outcome.exit_code,
                )
            )
            if relay.received:
                break  # interrupted: do not start the next tool
    ctx.exit(status)


@cli.command()
@click.pass_context
def index(ctx: click.Context) -> None:
    """Regenerate the README's table of topics."""
    cfg = _config(ctx)
    changed, count = update_readme(cfg)
    state = "updated" if changed else "already up to date"
    click.echo(f"README.md {state} ({count} topic{'s' if count != 1 else ''})")


@cli.command()
@click.argument("topic_spec", metavar="[TOPIC]", required=False)
@click.option("--no-hadolint", is_flag=True, help="Do not run hadolint even if it is installed.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
def check(ctx: click.Context, topic_spec: str | None, no_hadolint: bool, as_json: bool) -> None:
    """Review the topic's Dockerfile; exit 1 when something is found."""
    cfg = _config(ctx)
    topic = _topic(cfg, topic_spec)
    lang = cfg.language
    dockerfile = topic.path / DOCKERFILE_NAME
    findings = check_dockerfile(dockerfile, lang)
    shown = _rel(cfg, dockerfile)

    hadolint_findings = None
    hadolint_error = None
    binary = None if no_hadolint else find_hadolint()
    if binary:
        try:
            hadolint_findings = run_hadolint(binary, dockerfile)
        except HadolintFailed as exc:
            hadolint_error = str(exc)

    if as_json:
        click.echo(
            json.dumps(
                {
                    "dockerfile": shown,
                    "findings": [f.__dict__ for f in findings],
                    "hadolint": None
                    if hadolint_findings is None
                    else [h.__dict__ for h in hadolint_findings],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _print_findings(lang, shown, findings, hadolint_findings)
        if hadolint_error:
            click.echo(f"dockerlab: hadolint failed: {hadolint_error}", err=True)
        elif binary is None and not no_hadolint:
            click.echo(t(lang, "check.hadolint_absent"), err=True)

    failing = bool(findings) or any(
        h.level in HADOLINT_FAILING_LEVELS for h in hadolint_findings or []
    )
    ctx.exit(1 if failing else 0)


def _print_findings(lang: str, shown: str, findings, hadolint_findings) -> None:
    if not findings:
        click.echo(t(lang, "check.no_findings", dockerfile=shown))
    explained: set[str] = set()
    for finding in findings:
        click.echo(f"{shown}:{finding.line}: [{finding.rule}] {finding.title}")
        # The same lesson found on several lines is explained once, at its first line.
        if finding.explanation not in explained:
            explained.add(finding.explanation)
            click.echo(wrap_display(finding.explanation, width=100, indent="    "))
        click.echo("")
    if hadolint_findings:
        click.echo(f"{t(lang, 'check.hadolint_heading')}:")
        for item in hadolint_findings:
            click.echo(f"{shown}:{item.line}: {item.code} ({item.level}) {item.message}")


def _display_width(text: str) -> int:
    # Hangul and other wide characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_display(text: str, width: int, indent: str) -> str:
    """Wrap ``text`` at spaces to ``width`` terminal columns (wide characters count as two)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and _display_width(indent + candidate) > width:
            lines.append(indent + current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(indent + current)
    return "\n".join(lines)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="dockerlab")
    finally:
        _quiet_closed_stdout()


def _quiet_closed_stdout() -> None:
    # After `dockerlab run -- cmd | head`, stdout is a closed pipe: flushing it at
    # exit would print "Exception ignored ... BrokenPipeError". Point it at
    # /dev/null instead; the record was written already.
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
