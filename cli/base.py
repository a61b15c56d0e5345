"""What every duban command is built on: help texts and Click's own messages through duban's
catalog, query terms that start with `-`, and option types that take Chinese words.

Help texts are written in English in the code and translated when help is shown, not when
the module is imported, so `duban --lang zh list --help` and `DUBAN_LANG=zh duban --help`
are Chinese while importing the CLI costs nothing extra.
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import os
from collections.abc import Iterator
from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils

from duban import i18n, vocabulary
from duban.cli.help_format import HelpFormatter
from duban.i18n import _


def use_catalog_for_click() -> None:
    """Click marks its messages ("Usage:", "Missing option", "is not a valid float") with
    the standard gettext functions of the default domain; make them duban's catalog."""
    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
        click.utils,
    ):
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]


# The names Click gives its types and puts into messages ("'abc' is not a valid integer
# range."), fixed in English when Click is imported: given again in the chosen language.
_TYPE_NAMES: dict[type[click.ParamType], str] = {
    click.types.IntParamType: "integer",
    click.types.IntRange: "integer range",
    click.types.FloatParamType: "float",
    click.types.FloatRange: "float range",
    click.types.BoolParamType: "boolean",
    click.types.DateTime: "datetime",
}


def _path_kind(path: click.Path) -> str:
    if path.file_okay and not path.dir_okay:
        return "file"
    return "directory" if path.dir_okay and not path.file_okay else "path"


def translate_type_names(command: click.Command) -> None:
    """Click's type names, in the language set now, for `command` and every subcommand."""
    for kind, english in _TYPE_NAMES.items():
        kind.name = _(english)
    for param in command.params:
        if isinstance(param.type, click.Path):
            param.type.name = _(_path_kind(param.type))
    for sub in getattr(command, "commands", {}).values():
        translate_type_names(sub)


class EnvOption(click.Option):
    """An option also read from an environment variable, named in an error in the chosen language."""

    def get_error_hint(self, ctx: click.Context | None) -> str:
        hint = click.Parameter.get_error_hint(self, ctx)
        if self.envvar:
            names = [self.envvar] if isinstance(self.envvar, str) else list(self.envvar)
            hint += " (" + _("env var: {var}").format(var=", ".join(f"'{name}'" for name in names)) + ")"
        return hint


class OneLineUsageError(click.UsageError):
    """A usage error said as duban says its own errors: one line on stderr, in the chosen
    language, with where to find help, instead of Click's usage block (exit 2 all the same)."""

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(error.format_message(), error.ctx)  # exit code 2, as every usage error's

    def show(self, file: Any = None) -> None:
        command = self.ctx.command_path if self.ctx is not None else "duban"
        click.echo(
            _("duban: error: {error}").format(error=self.format_message())
            + " ("
            + _("`{command} --help` shows how").format(command=command)
            + ")",
            file=file,
            err=file is None,
        )


@contextlib.contextmanager
def usage_errors_in_one_line() -> Iterator[None]:
    try:
        yield
    except OneLineUsageError:
        raise
    except click.UsageError as error:
        raise OneLineUsageError(error) from None


def language_in(args: list[str]) -> str | None:
    """The language `args` or $DUBAN_LANG ask for, before Click has read them, so that help
    and usage errors printed while reading the command line are already in that language."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = (
            args[index + 1]
            if arg == "--lang" and index + 1 < len(args)
            else (arg.split("=", 1)[1] if arg.startswith("--lang=") else None)
        )
        if value in i18n.LANGUAGES:
            return value
    value = os.environ.get("DUBAN_LANG")
    return value if value in i18n.LANGUAGES else None


@contextlib.contextmanager
def _translated(command: click.Command, ctx: click.Context | None) -> Iterator[None]:
    """The command's and its options' help in the interface language, for as long as help is written."""
    saved: list[tuple[Any, str, Any]] = []

    def swap(owner: Any, name: str) -> None:
        text = getattr(owner, name, None)
        if text:
            saved.append((owner, name, text))
            setattr(owner, name, _(inspect.cleandoc(text)))  # the catalog holds docstrings cleaned

    for name in ("help", "short_help", "epilog", "options_metavar", "subcommand_metavar"):
        swap(command, name)  # the usage line's [OPTIONS] too: a clerk's help has no English left in it
    if ctx is not None:
        for param in command.get_params(ctx):
            swap(param, "help")
    try:
        yield
    finally:
        for owner, name, text in reversed(saved):
            setattr(owner, name, text)


class Context(click.Context):
    formatter_class = HelpFormatter  # wraps help in terminal cells: a Chinese character takes two


class TranslatedHelp:
    """Mixin for Command and Group: help and the one-line summaries through the catalog."""

    context_class: type[click.Context] = Context

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self, ctx):  # type: ignore[arg-type]
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None and not getattr(option, "_duban_english", False):
            # Click makes it once, in the language of that moment: keep it English, for
            # _translated() to translate whenever help is shown.
            option.help = "Show this message and exit."
            option._duban_english = True
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated(self, None):  # type: ignore[arg-type]
            return super().get_short_help_str(limit)  # type: ignore[misc]


class Command(TranslatedHelp, click.Command):
    """A duban command. One whose arguments are a QUERY also takes `-term` (a negation) and
    `--term` without `--`: any word that starts with `-` and is not one of its options is
    a query term, kept in its place among the others."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if any(param.name == "query" for param in self.params):
            args = self._terms_after_options(ctx, args)
        return super().parse_args(ctx, args)

    def _terms_after_options(self, ctx: click.Context, args: list[str]) -> list[str]:
        known: set[str] = set()
        with_value: set[str] = set()
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                names = (*param.opts, *param.secondary_opts)
                known.update(names)
                if not param.is_flag and not param.count:
                    with_value.update(names)
        options: list[str] = []
        terms: list[str] = []
        arguments = iter(args)
        for arg in arguments:
            if arg == "--":
                terms.extend(arguments)
                break
            name = arg.split("=", 1)[0] if arg.startswith("--") else arg
            # --lead:fgw is a term written as an option; --nope is a mistyped option, for Click.
            is_term = (
                arg.startswith("--")
                and any(op in arg for op in ":<>：＜＞")
                or (arg.startswith("-") and not arg.startswith("--") and len(arg) > 1)
            )
            if arg.startswith("-") and (name in known or not is_term):
                options.append(arg)
                if arg in with_value:
                    options.extend(list(itertools.islice(arguments, 1)))  # none: Click says it is missing
            else:
                terms.append(arg)
        # Option values start with "-" rarely enough; a term never becomes an option this way.
        return [*options, "--", *terms] if terms else options


class Percent(click.ParamType):
    """A percentage: 50, 50%, 50 %, or with full-width digits and ％."""

    name = "percent"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "0-100"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)):
            return float(value)
        # Deferred: loads duban.text.numbers only when this runs
        from duban.text.numbers import parse_percent

        try:
            return parse_percent(str(value))
        except ValueError:
            self.fail(_("{value!r} is not a percentage; write 50 or 50%").format(value=value), param, ctx)


class Figure(click.ParamType):
    """A reported figure: 169.36, 1,200, full-width digits, or with 万 or 亿 (1.2万)."""

    name = "figure"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "NUMBER"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)):
            return float(value)
        # Deferred: loads duban.text.numbers only when this runs
        from duban.text.numbers import parse_figure

        try:
            return parse_figure(str(value))
        except ValueError:
            self.fail(_("{value!r} is not a number; write 169.36, 1200 or 1.2万").format(value=value), param, ctx)


class Word(click.ParamType):
    """One of a vocabulary's words: the stored key, a Chinese word, or its pinyin initials."""

    def __init__(self, kind: str, among: tuple[str, ...] | None = None) -> None:
        self.kind = kind
        self.among = among
        self.name = kind

    def keys(self) -> tuple[str, ...]:
        return self.among or vocabulary.keys(self.kind)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        # The keys: Click aligns help by characters, and Chinese ones are two cells wide. The
        # option's help names the Chinese words.
        return "[" + "|".join(self.keys()) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        key = vocabulary.resolve(self.kind, str(value), self.keys())
        if key is not None and key in self.keys():
            return key
        close = vocabulary.suggest(self.kind, str(value), self.keys())
        message = _("{value!r} is not one of {choices}").format(
            value=value, choices=vocabulary.choices(self.kind, self.keys())
        )
        self.fail(message + (" " + _("(did you mean {word}?)").format(word=close) if close else ""), param, ctx)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        # Deferred: loads click.shell_completion only when this runs
        from click.shell_completion import CompletionItem

        found = []
        for key in self.keys():
            for spelling in (key, *next(w.chinese for w in vocabulary.TABLE[self.kind] if w.key == key)):
                if spelling.startswith(incomplete):
                    found.append(CompletionItem(spelling, help=vocabulary.shown(self.kind, key)))
        return found
