"""The command line's own behaviour (each command is tested with the module it drives)."""

from __future__ import annotations

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


def test_the_entry_point_spares_jsonschema_its_iri_grammars():
    """The package leaves ``sys.modules`` alone; the command line marks ``rfc3987_syntax`` absent
    before any command imports nbformat (and with it jsonschema)."""
    code = ("import sys, maroc_eval\n"
            "print('rfc3987_syntax' in sys.modules)\n"
            "import maroc_eval.cli\n"
            "print(sys.modules['rfc3987_syntax'], 'nbformat' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["False", "None False"]
