"""`councilpapers serve [--host H] [--port P]`: the HTTP API and web app (127.0.0.1:8000 by default).

SIGTERM or Ctrl-C stops it within seconds: requests get `GRACE_SECONDS` to finish, then are cancelled (an
upload's parse worker is killed; an upload being stored is left as an interrupted write, which the next
ingest finishes), and whatever still runs after `FORCE_EXIT_SECONDS` is ended with the process. Upload
workers end with the server even on `kill -9` (ingest.isolated).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from typing import Any

from api.app import create_app
from api.cli import CommandError
from api.client import SERVER_FILE, advertised, local_url
from api.serving import http_protocol
from index.runtime import Runtime
from index.store import DB_NAME
from ingest.settings import Settings

GRACE_SECONDS = 3  # requests in flight when a stop is asked for get this long to finish
FORCE_EXIT_SECONDS = 8  # after a stop is asked for, the process ends by then whatever still runs


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("serve", help="serve the web app and the HTTP API (OpenAPI at /docs)")
    p.add_argument("--host", help="address to bind (default $COUNCILPAPERS_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default $COUNCILPAPERS_PORT or 8000)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (default 1; each loads the model and the vector index)",
    )
    return p


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    import uvicorn

    settings = runtime.settings
    changes = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = settings.model_copy(update=changes)
    if not 0 < settings.port < 65536:
        raise CommandError(f"--port {settings.port}: must be between 1 and 65535")
    if not (settings.store / DB_NAME).exists():
        raise CommandError(f"{settings.store}: no store here (run `councilpapers ingest` first)")
    _check_free(settings.host, settings.port)
    shown = f"[{settings.host}]" if ":" in settings.host else settings.host
    print(
        f"councilpapers: serving {settings.store} on http://{shown}:{settings.port} "
        f"(API docs at /docs; Ctrl-C stops)",
        flush=True,
    )
    if args.workers < 1:
        raise CommandError(f"--workers {args.workers}: must be at least 1")
    # `<store>/server.json` tells later commands on this machine to ask this server (api.client)
    with advertised(settings.store, local_url(settings.host, settings.port)):
        if args.workers == 1:
            config = uvicorn.Config(
                create_app(settings),
                host=settings.host,
                port=settings.port,
                log_level="warning",
                access_log=False,
                http=http_protocol(),
                timeout_graceful_shutdown=GRACE_SECONDS,
            )
            _stopping_server(uvicorn.Server, config, on_force=lambda: _forget(settings)).run()
            return 0
        # several processes each build the app from the environment (uvicorn imports the factory)
        os.environ.update(
            {
                "COUNCILPAPERS_STORE": str(settings.store.resolve()),
                "COUNCILPAPERS_HOST": settings.host,
                "COUNCILPAPERS_PORT": str(settings.port),
            }
        )
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=args.workers,
            log_level="warning",
            access_log=False,
            http=http_protocol(),
            timeout_graceful_shutdown=GRACE_SECONDS,
        )
    return 0


def _stopping_server(base: type, config: Any, on_force: Any) -> Any:
    """A uvicorn Server that, once asked to stop (SIGTERM, Ctrl-C), ends the process after FORCE_EXIT_SECONDS
    even if a request thread is still busy (uvicorn would wait for it, and Python would too at exit)."""

    class Server(base):  # type: ignore[misc, valid-type]
        def handle_exit(self, sig: int, frame: Any) -> None:
            super().handle_exit(sig, frame)
            if not getattr(self, "_deadline", None):
                self._deadline = threading.Timer(FORCE_EXIT_SECONDS, self._force)
                self._deadline.daemon = True
                self._deadline.start()

        def _force(self) -> None:
            on_force()
            print(
                "councilpapers serve: stopped (requests still running were ended)",
                file=sys.stderr,
                flush=True,
            )
            os._exit(0)

    return Server(config)


def _forget(settings: Settings) -> None:
    """What `advertised` would undo on a normal exit: later commands must not ask a server that is gone."""
    try:
        (settings.store / SERVER_FILE).unlink(missing_ok=True)
    except OSError:
        pass


def _check_free(host: str, port: int) -> None:
    """Fail in one line when the address is taken or not ours (uvicorn would log and exit)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as e:
            raise CommandError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
