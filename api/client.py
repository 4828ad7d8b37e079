"""The command line as a client of a running server: find it, and ask it for JSON.

`councilpapers serve` writes `<store>/server.json` ({"url", "pid"}) while it serves; a command
given `--server URL`, or finding that file with a live process and a server answering
`HEAD /health` within a fraction of a second for the same store (its `STORE_HEADER`: a file
left by a server that died, whose port another server over another store took since, is not
believed), asks the server (which has the model and the index in memory) instead of loading
them itself. Only the standard library is imported here:
the point is a fresh process that answers in well under half a second.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

SERVER_FILE = "server.json"
PROBE_SECONDS = 0.3  # a health check on the loopback answers in milliseconds
OFF = ("off", "none", "local")
STORE_HEADER = "X-Councilpapers-Store"  # HEAD /health names the store it serves (`store_tag`)


def store_tag(store_folder: Path) -> str:
    """A short tag of a store folder (its resolved path, hashed: fit for a header whatever its characters)."""
    import hashlib

    return hashlib.sha256(str(Path(store_folder).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]


class ServerError(Exception):
    """The server refused the request (its one-line message) or could not be reached."""


@contextmanager
def advertised(store_folder: Path, url: str) -> Iterator[None]:
    """While serving: `<store>/server.json` names the URL and this process; removed on exit."""
    path = store_folder / SERVER_FILE
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        yield  # a read-only store: commands simply run locally
        return
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        # uvicorn re-raises the SIGTERM it caught once it has shut down: exit through `finally`, not at once
        signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                path.unlink()
        except (OSError, ValueError):
            pass


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


def local_url(host: str, port: int) -> str:
    """The URL a client on this machine uses for a server bound to host:port."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def find_server(store_folder: Path, explicit: str | None) -> str | None:
    """The base URL of the server to ask, or None to work locally.

    `explicit` (--server): that URL, which must answer; "off" forces local work. Otherwise the URL in
    `<store>/server.json` when its process is alive and the server answers its health check."""
    if explicit:
        if explicit.lower() in OFF:
            return None
        url = explicit.rstrip("/")
        if not healthy(url):
            raise ServerError(f"--server {explicit}: no councilpapers server answers there")
        return url
    try:
        info = json.loads((store_folder / SERVER_FILE).read_text(encoding="utf-8"))
        url, pid = str(info["url"]).rstrip("/"), int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _alive(pid):
        return None
    return url if healthy(url, store_tag(store_folder)) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: it exists
    return True


def healthy(url: str, store: str | None = None) -> bool:
    """Does a councilpapers server answer at `url` (serving the store tagged `store`, when given)?"""
    try:
        with urlopen(Request(url + "/health", method="HEAD"), timeout=PROBE_SECONDS) as r:  # noqa: S310
            return r.status == 200 and (store is None or r.headers.get(STORE_HEADER) == store)
    except (OSError, ValueError):
        return False


def get_json(base: str, path: str, params: list[tuple[str, Any]], timeout: float = 120.0) -> Any:
    """GET base+path?params as JSON; a refusal is a ServerError with the API's one-line message."""
    query = urlencode([(k, v) for k, v in params if v not in (None, "")])
    try:
        with urlopen(f"{base}{path}?{query}", timeout=timeout) as r:  # noqa: S310 - http(s) URL of --server
            return json.loads(r.read().decode("utf-8"))
    except HTTPError as e:
        try:
            message = json.loads(e.read().decode("utf-8"))["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = f"HTTP {e.code}"
        raise ServerError(message) from None
    except (URLError, OSError, ValueError) as e:
        raise ServerError(f"{base}: the server did not answer ({getattr(e, 'reason', e)})") from None
