"""Click's own texts in French: usage lines, help option, unknown commands and options, bad values.

Built on Click's public extension points (command classes, ``format_usage``, ``get_help_option``,
``resolve_command``, the fields of its exceptions), so that no English sentence of Click reaches
the user: « Commande inconnue « reprot ». Vouliez-vous dire « report » ? ».
"""

from __future__ import annotations

import difflib
import sys

import click

# Raised by Click (8.2+) for a group called without a command; shown as the group's help.
_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())


def _closest(name: str, choices) -> str | None:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return close[0] if close else None


def _usage_message(exc: click.UsageError) -> str:
    """Click's usage errors in French, from the exceptions' public fields."""
    if isinstance(exc, click.NoSuchOption):
        message = f"Option inconnue « {exc.option_name} »."
        if exc.possibilities:
            message += f" Vouliez-vous dire « {sorted(exc.possibilities)[0]} » ?"
        return message
    if isinstance(exc, click.MissingParameter):
        what = "argument" if isinstance(exc.param, click.Argument) else "option"
        name = exc.param.human_readable_name if exc.param is not None else ""
        return f"{what.capitalize()} manquant{'e' if what == 'option' else ''} : {name}."
    if isinstance(exc, click.BadOptionUsage):
        return f"Option « {exc.option_name} » mal employée : elle attend une valeur."
    if isinstance(exc, click.BadParameter):
        hint = exc.param_hint or (exc.param.human_readable_name if exc.param else "")
        if isinstance(exc.param, click.Option) and exc.param.opts:
            hint = " / ".join(exc.param.opts)
        if isinstance(getattr(exc.param, "type", None), click.Choice):
            return (f"Valeur invalide pour {hint} : choisir parmi "
                    f"{', '.join(map(str, exc.param.type.choices))}.")
        if isinstance(getattr(exc.param, "type", None), PositiveInt):
            return f"Valeur invalide pour {hint} : {exc.message}"
        return f"Valeur invalide pour {hint}."
    if "unexpected extra argument" in exc.message:
        return "Argument en trop : " + exc.message.split("(", 1)[-1].rstrip(")") + "."
    return exc.message


class PositiveInt(click.ParamType):
    """A whole number of at least 1, refused in French."""

    name = "N"

    def convert(self, value, param, ctx):
        """Read ``value`` as an integer ≥ 1."""
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number < 1:
            self.fail(f"« {value} » : un nombre entier d'au moins 1 est attendu.", param, ctx)
        return number


class FrenchCommand(click.Command):
    """A command whose usage line and help option speak French."""

    def format_usage(self, ctx, formatter) -> None:
        """Write the usage line, prefixed « Utilisation : »."""
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix="Utilisation : ")

    def get_help_option(self, ctx):
        """The ``-h/--help/--aide`` option, with a French help text."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Afficher cette aide et quitter."
        return option


class FrenchGroup(FrenchCommand, click.Group):
    """The command group: French texts, a suggestion for an unknown command, French usage errors."""

    command_class = FrenchCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        super().__init__(*args, **kwargs)

    def resolve_command(self, ctx, args):
        """Find the command named by ``args[0]``; refuse an unknown name with the closest one."""
        name = args[0] if args else None
        if name is not None and not name.startswith("-") and self.get_command(ctx, name) is None:
            hint = _closest(name, self.list_commands(ctx))
            message = f"Commande inconnue « {name} »."
            if hint:
                message += f" Vouliez-vous dire « {hint} » ?"
            ctx.fail(message)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx, formatter) -> None:
        """List the subcommands under « Commandes »."""
        rows = [(name, self.get_command(ctx, name).get_short_help_str(limit=60))
                for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commandes"):
                formatter.write_dl(rows)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Run the CLI; Click's own errors are printed in French (exit status 2)."""
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
                click.echo(f"Aide : « {exc.ctx.command_path} --aide ».", err=True)
            click.echo(f"Erreur : {_usage_message(exc)}", err=True)
            sys.exit(2)
        except click.Abort:
            click.echo("Interrompu.", err=True)
            sys.exit(130)
        except click.ClickException as exc:
            click.echo(f"Erreur : {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        sys.exit(0)
