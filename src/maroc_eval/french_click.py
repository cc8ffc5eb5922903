"""Click's own texts in the user's language: usage lines, help option, unknown commands and
options, bad values.

Built on Click's public extension points (command classes, ``format_usage``, ``get_help_option``,
``resolve_command``, the fields of its exceptions). The texts are the toolkit's catalogue
messages (:mod:`maroc_eval.i18n`), French first — « Commande inconnue « reprot ». Vouliez-vous
dire « report » ? » — and in English Click's own wording (« No such command 'reprot'. »).
"""

from __future__ import annotations

import difflib
import sys

import click

from .i18n import _

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
    if "unexpected extra argument" in exc.message:  # Click's own (English) message
        return _("Argument en trop : {arguments}.").format(
            arguments=exc.message.split("(", 1)[-1].rstrip(")"))
    return exc.message


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

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", _("COMMANDE [ARGUMENTS]..."))
        super().__init__(*args, **kwargs)

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
