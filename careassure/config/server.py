"""How CareAssure is served in production: granian's WSGI interface (ADR 0008).

``python -m careassure.config.server`` serves ``careassure.config.wsgi:application`` (production
settings) over HTTP/1.1. The care cost API benchmark (``bench/charging_api.py``) starts this same
command, so the figures in README.md are for this configuration.

Each worker process runs the application on ``CAREASSURE_SERVER_THREADS`` threads (default 1)
with a single-threaded granian runtime: with one Python thread per process no two threads wait
for the same interpreter lock, which measured fastest on 2 cores. Connections and requests
waiting for a thread are held by granian's Rust side. A worker runs one request at a time per
thread, so a slow page (a PDF report) holds its worker until it finishes: raise the threads when
slow pages must not hold up quick ones.

Environment (read through ``careassure.config.env``):

* ``CAREASSURE_SERVER_HOST`` (default ``127.0.0.1``) and ``CAREASSURE_SERVER_PORT`` (``8000``);
* ``CAREASSURE_SERVER_WORKERS``: worker processes (default: one per CPU core);
* ``CAREASSURE_SERVER_THREADS``: application threads per worker (default 1);
* ``CAREASSURE_LOG_LEVEL``: granian's log level as well as the application's.
"""

from __future__ import annotations

import os

from granian.constants import HTTPModes, Interfaces, RuntimeModes
from granian.log import LogLevels
from granian.server import MPServer

from careassure.config.env import env_int, env_str

APPLICATION = "careassure.config.wsgi:application"


def server() -> MPServer:
    """The production server, configured from the environment (granian's process-based
    server, as used by its command line on a Python with the interpreter lock)."""
    return MPServer(
        APPLICATION,
        address=env_str("CAREASSURE_SERVER_HOST", "127.0.0.1"),
        port=env_int("CAREASSURE_SERVER_PORT", 8000),
        interface=Interfaces.WSGI,
        workers=env_int("CAREASSURE_SERVER_WORKERS", os.cpu_count() or 1),
        blocking_threads=env_int("CAREASSURE_SERVER_THREADS", 1),
        runtime_mode=RuntimeModes.st,
        http=HTTPModes.http1,
        websockets=False,
        log_level=LogLevels(env_str("CAREASSURE_LOG_LEVEL", "INFO").lower()),
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careassure.config.settings.production")
    server().serve()
