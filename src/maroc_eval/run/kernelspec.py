"""The ``maroc-eval`` Jupyter kernel spec: Python with warm kernel starts.

Installed in the virtual environment by ``make venv`` (``python -m maroc_eval.run.kernelspec``),
beside the plain ``python3`` spec: the same ``ipykernel`` command, with the provisioner of
:mod:`maroc_eval.run.provisioner` named in its metadata. ``maroc-eval run`` uses it, and so can
``papermill -k maroc-eval`` and JupyterLab.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

WARM_KERNEL = "maroc-eval"
PLAIN_KERNEL = "python3"
PROVISIONER = "maroc-eval-warm"


def kernel_json() -> dict:
    """The spec's ``kernel.json``."""
    return {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (maroc-eval, rapide)",
        "language": "python",
        "metadata": {"debugger": True,
                     "kernel_provisioner": {"provisioner_name": PROVISIONER, "config": {}}},
    }


def installed_path(prefix: str = sys.prefix) -> Path:
    """Where :func:`install` puts the spec for ``prefix``."""
    return Path(prefix) / "share" / "jupyter" / "kernels" / WARM_KERNEL / "kernel.json"


def install(prefix: str = sys.prefix) -> Path:
    """Install (or refresh) the spec in ``prefix`` (the virtual environment by default)."""
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory(prefix="maroc-eval-") as folder:
        (Path(folder) / "kernel.json").write_text(json.dumps(kernel_json(), indent=1), "utf-8")
        KernelSpecManager().install_kernel_spec(folder, WARM_KERNEL, prefix=prefix)
    return installed_path(prefix)


def ensure_installed() -> str:
    """The warm kernel's name, its spec installed in this environment if no spec of that name
    is found (a virtual environment set up without ``make venv``)."""
    path = installed_path()
    if path.is_file() and json.loads(path.read_text("utf-8")) == kernel_json():
        return WARM_KERNEL
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(WARM_KERNEL)
    except NoSuchKernel:
        install()
    return WARM_KERNEL


if __name__ == "__main__":
    print(install())
