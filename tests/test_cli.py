"""The command line's own behaviour (each command is tested with the module it drives)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_after_a_command_the_last_collections_skip_what_is_left():
    """Objects left at exit are frozen after the other exit handlers (a quick end of process)."""
    code = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('gelés', gc.get_freeze_count() > 0, flush=True))\n"
        "from maroc_eval.cli import main\n"
        "try:\n"
        "    main(['validate'], standalone_mode=False)\n"
        "except SystemExit as exc:\n"
        "    print('statut', exc.code, flush=True)\n"
        "print('gelés avant la fin', gc.get_freeze_count() > 0, flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    assert "statut 0" in lines
    assert "gelés avant la fin False" in lines  # nothing frozen while the command's caller runs
    assert lines[-1] == "gelés True"


def test_importing_the_command_line_changes_nothing_in_the_process():
    """No side effect at import: no language chosen from argv, no hook, no signal handler,
    ``sys.modules`` only gains modules actually imported."""
    code = ("import signal, sys\n"
            "sys.argv = ['maroc-eval', '--langue', 'en']\n"
            "from maroc_eval.base import i18n\n"
            "hook, term = sys.unraisablehook, signal.getsignal(signal.SIGTERM)\n"
            "import maroc_eval.cli\n"
            "print(i18n.language(), sys.unraisablehook is hook,\n"
            "      signal.getsignal(signal.SIGTERM) is term,\n"
            "      [n for n, m in sys.modules.items() if m is None])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "MAROC_EVAL_LANG": "", "LANG": "C"})
    assert done.stdout.split() == ["fr", "True", "True", "[]"]


def test_aide_works_on_a_command_first_invoked_on_its_own():
    """Click builds a command's help option once, from the first context it sees: a command
    invoked alone first (as a test or a script may) still answers « --aide » under the group."""
    from click.testing import CliRunner

    from maroc_eval.cli import main

    runner = CliRunner()
    for name in ("grille", "signer", "comparer"):
        alone = runner.invoke(main.commands[name], ["--aide"])
        assert alone.exit_code == 0 and "--aide" in alone.output, alone.output
        under = runner.invoke(main, [name, "--aide"])
        assert under.exit_code == 0 and "--aide" in under.output, under.output
