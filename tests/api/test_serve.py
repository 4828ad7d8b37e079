"""`councilpapers serve`: prints its address, answers on 127.0.0.1, fails in one line without a store; parses
uploads in a bounded pool apart from the request threads; stops within seconds, its workers with it."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from api.serving import free_port
from ingest.settings import Settings

CLI = str(Path(sys.executable).parent / "councilpapers")


def test_serve_prints_the_address_and_answers(seed_settings: Settings) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [CLI, "serve", "--store", str(seed_settings.store), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert f"on http://127.0.0.1:{port} " in line
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
                time.sleep(0.2)
        assert r.json()["documents"] == 6 and r.json()["writes_enabled"] is False
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_without_a_store_is_one_line(tmp_path: Path) -> None:
    r = subprocess.run(
        [CLI, "serve", "--store", str(tmp_path / "none")], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 1
    assert (
        r.stderr.strip()
        == f"councilpapers serve: {tmp_path / 'none'}: no store here (run `councilpapers ingest` first)"
    )


# --- uploads apart from the request threads; stopping ------------------------------------------------------------

KEY = {"X-API-Key": "test-key-5f2c9a"}


def slow_extract(document):  # noqa: ANN001, ANN201 - run in the upload worker (imported there by name)
    """Extraction that takes seconds, as a large paper's does."""
    import time

    from index.pipeline import extract_paper

    time.sleep(6)
    return extract_paper(document)


def _paper(n: int) -> bytes:
    return (
        f"Licensing Committee\n\n1. Purpose\n\n1.1 Members are asked to note report {n} on the Pubwatch scheme"
        f" run with Operation Lantern {n}.\n"
    ).encode()


def test_uploads_wait_in_a_bounded_pool_and_the_server_keeps_answering(fresh_copy: Settings) -> None:
    """4 uploads that take seconds each to parse: one parses, one waits, two are refused at once with 503 and
    Retry-After; meanwhile /health and /search answer at once (the request threads are not held)."""
    from api.app import create_app
    from api.serving import background_server
    from ingest.isolated import IsolatedParser

    settings = fresh_copy.model_copy(update={"upload_workers": 1, "upload_queue": 1})
    app = create_app(settings)
    app.state.parser = IsolatedParser(settings, then=slow_extract)
    answers: dict[int, httpx.Response] = {}
    with background_server(settings, app=app) as url:

        def upload(n: int) -> None:
            answers[n] = httpx.post(
                f"{url}/documents", files={"file": (f"r{n}.txt", _paper(n))}, headers=KEY, timeout=120
            )

        threads = [threading.Thread(target=upload, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
            time.sleep(0.3)
        deadline = time.monotonic() + 5
        while len(answers) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        refused = [r for r in answers.values() if r.status_code == 503]
        assert len(refused) == 2, {n: r.text for n, r in answers.items()}
        assert all(
            r.headers["Retry-After"] == "10" and "COUNCILPAPERS_UPLOAD_QUEUE" in r.json()["error"]["message"]
            for r in refused
        )
        for _ in range(5):  # while one upload parses and one waits
            t0 = time.monotonic()
            assert httpx.get(f"{url}/health", timeout=5).status_code == 200
            assert httpx.get(f"{url}/search", params={"q": "parking levy"}, timeout=10).status_code == 200
            assert time.monotonic() - t0 < 3
        for t in threads:
            t.join(timeout=120)
    created = [r for r in answers.values() if r.status_code == 201]
    assert len(created) == 2, {n: r.text for n, r in answers.items()}


def _session_alive(sid: int) -> list[str]:
    """Live (not zombie) processes of a session, as "pid name"."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid and fields[0] != "Z":  # fields: state, ppid, pgrp, session, ...
            alive.append(f"{stat.parent.name} {name}")
    return alive


def _serve_with_a_slow_upload(store: Path, port: int) -> tuple[subprocess.Popen, threading.Thread]:
    """`serve` in a session of its own, parsing an upload that takes tens of seconds (a 12 MB one-line paper);
    returns once its upload worker is busy."""
    import os

    from tests.ingest.test_limits import one_line

    env = {**os.environ, "COUNCILPAPERS_API_KEY": KEY["X-API-Key"], "COUNCILPAPERS_PARSE_TIMEOUT": "300"}
    proc = subprocess.Popen(
        [CLI, "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
            time.sleep(0.2)
    data = one_line(1_500_000, stop=True).encode()  # about 12 MB, one line

    def upload() -> None:
        try:
            httpx.post(
                f"http://127.0.0.1:{port}/documents",
                headers=KEY,
                files={"file": ("huge.txt", data)},
                timeout=600,
            )
        except httpx.HTTPError:  # the server is stopped under it: that is the test
            pass

    thread = threading.Thread(target=upload, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while (
        len(_session_alive(proc.pid)) < 3
    ):  # serve, its fork server, the upload worker (and resource tracker)
        assert time.monotonic() < deadline, f"no upload worker started: {_session_alive(proc.pid)}"
        time.sleep(0.2)
    time.sleep(3)  # into the parse
    return proc, thread


def test_serve_stops_within_seconds_on_sigterm_while_an_upload_parses(fresh_copy: Settings) -> None:
    import signal

    proc, _ = _serve_with_a_slow_upload(fresh_copy.store, free_port())
    try:
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        took = time.monotonic() - started
        deadline = time.monotonic() + 5
        while _session_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = _session_alive(proc.pid)
    finally:
        if proc.poll() is None or _session_alive(proc.pid):
            import os

            os.killpg(proc.pid, signal.SIGKILL)
    assert took < 12, f"serve took {took:.1f} s to stop"
    assert left == [], left
    assert not (fresh_copy.store / "server.json").exists()


def test_after_kill_9_of_serve_its_upload_workers_die_too(fresh_copy: Settings) -> None:
    import os
    import signal

    proc, _ = _serve_with_a_slow_upload(fresh_copy.store, free_port())
    before = _session_alive(proc.pid)
    try:
        os.kill(
            proc.pid, signal.SIGKILL
        )  # serve only: the fork server, resource tracker and workers must follow
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _session_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = _session_alive(proc.pid)
    finally:
        if _session_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    assert len(before) >= 3, before  # serve, the fork server and a worker at least
    assert left == [], f"outlived serve: {left}"
