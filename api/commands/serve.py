"""`councilpapers serve [--host H] [--port P]`: the HTTP API and web app (127.0.0.1:8000 by default)."""
from __future__ import annotations

import argparse
import os

from api.cli import CommandError
from ingest.settings import Settings


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("serve", help="serve the web app and the HTTP API (OpenAPI at /docs)")
    p.add_argument("--host", help="address to bind (default $COUNCILPAPERS_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default $COUNCILPAPERS_PORT or 8000)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes (default 1; each loads the model and the vector index)")
    return p


def run(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    from api.client import advertised, local_url
    from api.serving import http_protocol
    from index.store import DB_NAME

    changes = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = settings.model_copy(update=changes)
    if not 0 < settings.port < 65536:
        raise CommandError(f"--port {settings.port}: must be between 1 and 65535")
    if not (settings.store / DB_NAME).exists():
        raise CommandError(f"{settings.store}: no store here (run `councilpapers ingest` first)")
    _check_free(settings.host, settings.port)
    shown = f"[{settings.host}]" if ":" in settings.host else settings.host
    print(f"councilpapers: serving {settings.store} on http://{shown}:{settings.port} "
          f"(API docs at /docs; Ctrl-C stops)", flush=True)
    if args.workers < 1:
        raise CommandError(f"--workers {args.workers}: must be at least 1")
    # `<store>/server.json` tells later commands on this machine to ask this server (api.client)
    with advertised(settings.store, local_url(settings.host, settings.port)):
        if args.workers == 1:
            uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning",
                        access_log=False, http=http_protocol())
            return 0
        # several processes each build the app from the environment (uvicorn imports the factory)
        os.environ.update({"COUNCILPAPERS_STORE": str(settings.store.resolve()), "COUNCILPAPERS_HOST": settings.host,
                           "COUNCILPAPERS_PORT": str(settings.port)})
        uvicorn.run("api.app:create_app", factory=True, host=settings.host, port=settings.port,
                    workers=args.workers, log_level="warning", access_log=False, http=http_protocol())
    return 0


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
