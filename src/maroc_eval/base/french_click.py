"""Click's own texts in the user's language: usage lines, help option, unknown commands and
options, bad values.

Built on Click's public extension points (command classes, ``format_usage``, ``get_help_option``,
``resolve_command``, ``parse_args``, the fields of its exceptions and the public attributes of its
commands and parameters), never on Click's English messages. Help texts, metavars and short
helps are French catalogue messages (``N_``), given in the user's language by :func:`localise`
when the command line runs (:meth:`LocalGroup.main`), not when the module is imported. The texts
are the toolkit's catalogue messages (:mod:`maroc_eval.base.i18n`), French first — « Commande
inconnue « reprot ». Vouliez-vous dire « report » ? » — and in English Click's own wording
(« No such command 'reprot'. »).
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable

import click

from .i18n import N_, _

# Raised by Click (8.2+) for a group called without a command; shown as the group's help.
_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())


def _closest(name: str, choices) -> str | None:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return close[0] if close else None


def _usage_message(exc: click.UsageError) -> str:
    """Click's usage errors in the user's language, from the exceptions' public fields."""
    if isinstance(exc, click.NoSuchOption):
        message = _("Option inconnue « {name} ».").format(name=exc.option_name)
        if exc.possibilities:
            message += " " + _("Vouliez-vous dire « {hint} » ?").format(
                hint=sorted(exc.possibilities)[0])
        return message
    if isinstance(exc, click.MissingParameter):
        name = exc.param.human_readable_name if exc.param is not None else ""
        if isinstance(exc.param, click.Argument):
            return _("Argument manquant : {name}.").format(name=name)
        return _("Option manquante : {name}.").format(name=name)
    if isinstance(exc, click.BadOptionUsage):
        return _("Option « {name} » mal employée : elle attend une valeur.").format(
            name=exc.option_name)
    if isinstance(exc, click.BadParameter):
        hint = exc.param_hint or (exc.param.human_readable_name if exc.param else "")
        if isinstance(exc.param, click.Option) and exc.param.opts:
            hint = " / ".join(exc.param.opts)
        if isinstance(getattr(exc.param, "type", None), click.Choice):
            return _("Valeur invalide pour {option} : choisir parmi {choices}.").format(
                option=hint, choices=", ".join(map(str, exc.param.type.choices)))
        if isinstance(getattr(exc.param, "type", None), PositiveInt):
            return _("Valeur invalide pour {option} : {problem}").format(option=hint,
                                                                         problem=exc.message)
        return _("Valeur invalide pour {option}.").format(option=hint)
    return exc.message


_SOURCES: dict[tuple[int, str], str] = {}  # each text's French source, by (object, attribute)
_FORMATS: dict[int, dict] = {}  # the values some sources are formatted with, by object
_TEXTS = ("help", "short_help", "metavar", "subcommand_metavar")


def localised_later(obj, **values) -> None:
    """Format ``obj``'s texts with ``values`` whenever :func:`localise` gives them."""
    _FORMATS[id(obj)] = values


def _walk(command: click.Command):
    yield command
    yield from command.params
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _walk(sub)


def localise(command: click.Command) -> None:
    """Give the help texts, metavars and short helps of ``command`` and everything under it in
    the current language (their French sources kept, so a later call may change language)."""
    for obj in _walk(command):
        for attr in _TEXTS:
            key = (id(obj), attr)
            if key not in _SOURCES:
                value = getattr(obj, attr, None)
                if not isinstance(value, str) or not value:
                    continue
                _SOURCES[key] = value
            text = _(_SOURCES[key])
            if id(obj) in _FORMATS:
                text = text.format(**_FORMATS[id(obj)])
            setattr(obj, attr, text)


class PositiveInt(click.ParamType):
    """A whole number of at least 1, refused in the user's language."""

    name = "N"

    def convert(self, value, param, ctx):
        """Read ``value`` as an integer ≥ 1."""
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number < 1:
            self.fail(_("« {value} » : un nombre entier d'au moins 1 est attendu.").format(
                value=value), param, ctx)
        return number


class LocalCommand(click.Command):
    """A command whose usage line, option headings and help option speak the user's language."""

    def format_usage(self, ctx, formatter) -> None:
        """Write the usage line, prefixed « Utilisation : » (« Usage: »)."""
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=_("Utilisation : "))

    def format_options(self, ctx, formatter) -> None:
        """List the options under « Options »."""
        rows = [row for row in (p.get_help_record(ctx) for p in self.get_params(ctx)
                                if not isinstance(p, click.Argument)) if row]
        if rows:
            with formatter.section(_("Options")):
                formatter.write_dl(rows)

    def parse_args(self, ctx, args):
        """Parse as Click does; arguments left over are refused in the user's language."""
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            ctx.fail(_("Argument en trop : {arguments}.").format(arguments=" ".join(rest)))
        return rest

    def get_help_option(self, ctx):
        """The ``-h/--help/--aide`` option, with a help text in the user's language."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _("Afficher cette aide et quitter.")
        return option


class LocalGroup(LocalCommand, click.Group):
    """The command group: texts in the user's language, a suggestion for an unknown command,
    usage errors in the user's language."""

    command_class = LocalCommand
    prepare: Callable[[list[str]], None] | None = None
    """Called with the command line's arguments before Click parses them (language, texts)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", N_("COMMANDE [ARGUMENTS]..."))
        super().__init__(*args, **kwargs)

    def add_command(self, cmd, name=None) -> None:
        """Add a subcommand that answers the group's help option names itself: Click builds a
        command's help option once, from the first context it is given, which may be the
        command's own (a command invoked alone first would otherwise lose « --aide »)."""
        names = self.context_settings.get("help_option_names")
        if names:
            cmd.context_settings.setdefault("help_option_names", names)
        super().add_command(cmd, name)

    def resolve_command(self, ctx, args):
        """Find the command named by ``args[0]``; refuse an unknown name with the closest one."""
        name = args[0] if args else None
        if name is not None and not name.startswith("-") and self.get_command(ctx, name) is None:
            hint = _closest(name, self.list_commands(ctx))
            message = _("Commande inconnue « {name} ».").format(name=name)
            if hint:
                message += " " + _("Vouliez-vous dire « {hint} » ?").format(hint=hint)
            ctx.fail(message)
        return super().resolve_command(ctx, args)

    def format_options(self, ctx, formatter) -> None:
        """List the options, then the subcommands."""
        LocalCommand.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx, formatter) -> None:
        """List the subcommands under « Commandes » (« Commands »)."""
        rows = [(name, self.get_command(ctx, name).get_short_help_str(limit=60))
                for name in self.list_commands(ctx)]
        if rows:
            with formatter.section(_("Commandes")):
                formatter.write_dl(rows)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Run the CLI; Click's own errors are printed in the user's language (exit status 2)."""
        if self.prepare is not None:
            self.prepare(list(sys.argv[1:] if args is None else args))
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            if isinstance(exc, _NO_ARGS) and exc.ctx is not None:  # bare command: its help
                click.echo(exc.ctx.get_help(), err=True)
                sys.exit(2)
            if exc.ctx is not None:
                click.echo(exc.ctx.get_usage(), err=True)
                click.echo(_("Aide : « {command} --aide ».").format(command=exc.ctx.command_path),
                           err=True)
            click.echo(_("Erreur : {message}").format(message=_usage_message(exc)), err=True)
            sys.exit(2)
        except click.Abort:
            click.echo(_("Interrompu."), err=True)
            sys.exit(130)
        except click.ClickException as exc:
            click.echo(_("Erreur : {message}").format(message=exc.format_message()), err=True)
            sys.exit(exc.exit_code)
        sys.exit(0)
