"""Kernel clients their executor can stop: nbclient leaves running the channels of a client whose
kernel manager it was given, and each left running pings its dead kernel every second.

The kernel managers of :mod:`maroc_eval.run.kernel_pool` name :class:`RecordedClient` as their
``client_class`` (a configurable trait of jupyter_client's ``KernelManager``); the client records
itself under its manager (``parent``), and :func:`stop_clients` stops them with the kernel.
Imported by jupyter_client only when a client is made (the executors stay light to import).
"""

from __future__ import annotations

import contextlib
import threading

from jupyter_client.asynchronous import AsyncKernelClient

_CLIENTS: dict[int, list] = {}  # the clients of each live kernel manager, by its id
_LOCK = threading.Lock()


class RecordedClient(AsyncKernelClient):
    """An asynchronous kernel client recorded under its kernel manager."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with _LOCK:
            _CLIENTS.setdefault(id(self.parent), []).append(self)


def stop_clients(km) -> None:
    """Stop the channels of every client of kernel manager ``km`` and forget them."""
    with _LOCK:
        clients = _CLIENTS.pop(id(km), [])
    for kc in clients:
        with contextlib.suppress(Exception):
            kc.stop_channels()
