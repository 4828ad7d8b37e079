"""`councilpapers serve`: prints its address, answers on 127.0.0.1, and fails in one line without a store."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from api.serving import free_port
from ingest.settings import Settings

CLI = str(Path(sys.executable).parent / "councilpapers")


def test_serve_prints_the_address_and_answers(seed_settings: Settings) -> None:
    port = free_port()
    proc = subprocess.Popen([CLI, "serve", "--store", str(seed_settings.store),
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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
    r = subprocess.run([CLI, "serve", "--store", str(tmp_path / "none")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert r.stderr.strip() == f"councilpapers serve: {tmp_path / 'none'}: no store here (run `councilpapers ingest` first)"
