"""HTTP benchmark: drive the running server from this (second) process on loopback.

    python benchmarks/bench_http.py [--store DIR | --shared ../shared/corpus] [--requests 3000]
                                    [--clients 32] [--seconds 120]

Starts `councilpapers serve` on 127.0.0.1 and a free port over the store (without --store, a
temporary store is built first: of the bundled corpus/, or with --shared of the development
corpus: the seeds, the bodies of more/ with their council and date, the PDFs, and the longest
papers of more/ split in two, which makes 40 papers), warms it up, then sends a mix of search
requests (realistic queries; a third filtered by council, date range or theme; some in the web
app) and document requests (a paper's JSON, its page, the paper list, entities) from 32
concurrent clients, bounded in count and time. Prints throughput, p50/p95/p99 latency per kind
and the error count (non-2xx answers and transport errors). Targets: zero errors, p95 search < 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUERIES = [
    "county lines",
    "domestic abuse",
    "anti-social behaviour in the town centre",
    "serious violence duty",
    "knife crime young people",
    "modern slavery",
    "fraud and scams against older people",
    "CSP",
    "hate crime reporting",
    "drug and alcohol treatment",
    "prevent duty radicalisation",
    "violence against women and girls",
    "workplace parking levy",
    "rural crime",
    "street drinking",
    "exploitation of children",
    "community safety partnership priorities",
    '"county lines"',
    "shoplifting",
    "reoffending rates",
    "youth offending",
    "neighbourhood policing",
    "what did the partnership spend",
    "night-time economy",
    "cuckooing",
]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def build_corpus_store() -> Path:
    from index.pipeline import ingest_paths
    from ingest.settings import Settings

    folder = Path(tempfile.mkdtemp(prefix="bench_http_")) / "store"
    summary = ingest_paths([ROOT / "corpus"], Settings(store=folder), progress=False)
    print(f"built a store of the bundled corpus: {summary.line()}", file=sys.stderr)
    return folder


SPLIT = 6  # the longest papers of more/ split in two: 5 seeds + 13 + 6 more + 16 PDFs = 40 papers


def shared_papers(corpus: Path, out: Path) -> Path:
    """The development corpus as papers to ingest, with a manifest giving council, date and title."""
    import csv
    import shutil

    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for path in sorted((corpus / "seeds").glob("*.txt")) + sorted((corpus / "pdf").glob("*.pdf")):
        shutil.copy(path, out / path.name)
    more = sorted((corpus / "more").glob("*.txt"), key=lambda p: p.stat().st_size)
    for n, path in enumerate(more):
        head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        lines = body.splitlines(keepends=True)
        parts = [lines] if n < len(more) - SPLIT else [lines[: len(lines) // 2], lines[len(lines) // 2 :]]
        for i, part in enumerate(parts):
            name = f"{path.stem}-{i + 1}.txt" if len(parts) > 1 else path.name
            (out / name).write_text("".join(part), encoding="utf-8")
            rows.append(
                {
                    "file": name,
                    "council": meta.get("COUNCIL", ""),
                    "meeting_date": meta.get("DATE", ""),
                    "title": meta.get("TITLE", "") + (f" (part {i + 1})" if len(parts) > 1 else ""),
                }
            )
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["file", "council", "meeting_date", "title"])
        writer.writeheader()
        writer.writerows(rows)
    return out


def build_store(papers: Path) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="bench_http_")) / "store"
    cli = Path(sys.executable).parent / "councilpapers"
    subprocess.run([str(cli), "ingest", "--quiet", "--store", str(folder), str(papers)], check=True)
    return folder


def start_server(store: Path, port: int, log: Path, workers: int) -> subprocess.Popen[str]:
    cli = Path(sys.executable).parent / "councilpapers"
    # the server's log goes to a file: a pipe nobody reads would block the server once full
    with log.open("w") as out:
        return subprocess.Popen(
            [str(cli), "serve", "--store", str(store), "--port", str(port), "--workers", str(workers)],
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )


def plan(
    n: int, docs: list[dict], entities: list[dict], councils: list[str], themes: list[str], seed: int
) -> list[tuple[str, str]]:
    """(kind, path) of each request: half searches (a third of them filtered), half document reads."""
    from urllib.parse import quote, urlencode

    rng = random.Random(seed)
    dates = sorted(d["meeting_date"] for d in docs if d["meeting_date"])
    out: list[tuple[str, str]] = []
    for _ in range(n):
        roll = rng.random()
        q = rng.choice(QUERIES)
        if roll < 0.35:
            params: dict[str, str | int] = {"q": q, "limit": 10}
            which = rng.random()
            if which < 0.12 and councils:
                params["council"] = rng.choice(councils)
            elif which < 0.24 and dates:
                lo, hi = sorted(rng.sample(dates, 2)) if len(dates) > 1 else (dates[0], dates[0])
                params["from"], params["to"] = lo, hi
            elif which < 0.36 and themes:
                params["theme"] = rng.choice(themes)
            if rng.random() < 0.2:
                params["mode"] = rng.choice(["keyword", "dense"])
            out.append(("search", "/search?" + urlencode(params)))
        elif roll < 0.5:
            params = {"q": q}
            if councils and rng.random() < 0.3:
                params["council"] = rng.choice(councils)
            out.append(("search", "/app/search?" + urlencode(params)))
        elif roll < 0.7:
            out.append(("document", f"/documents/{rng.choice(docs)['id']}"))
        elif roll < 0.85:
            out.append(("document", f"/app/papers/{rng.choice(docs)['id']}"))
        elif roll < 0.93 or not entities:
            out.append(("document", "/documents?limit=50"))
        else:
            out.append(("document", "/entities/" + quote(rng.choice(entities)["id"], safe=":")))
    return out


class Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams: the load generator must cost the
    2-core machine as little CPU as possible, or it measures itself rather than the server."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
        if "content-length" not in headers:
            raise ValueError(f"{path}: no Content-Length (chunked answers are not expected)")
        body = await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def drive(host: str, port: int, requests: list[tuple[str, str]], clients: int, seconds: float) -> dict:
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for r in requests:
        queue.put_nowait(r)
    latencies: dict[str, list[float]] = {"search": [], "document": []}
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    async def client() -> None:
        conn = Connection(host, port)
        while time.monotonic() < deadline:
            try:
                kind, path = queue.get_nowait()
            except asyncio.QueueEmpty:
                break
            t0 = time.perf_counter()
            try:
                status, _ = await asyncio.wait_for(conn.get(path), timeout=30)
                if status >= 400:
                    errors.append(f"{status} {path}")
            except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError) as e:
                errors.append(f"{type(e).__name__} {path}")
                await conn.close()
            latencies[kind].append((time.perf_counter() - t0) * 1000)
        await conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return {"latencies": latencies, "errors": errors, "elapsed": time.perf_counter() - started}


def main() -> int:
    import httpx

    from api.serving import free_port

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a built store (default: build one of corpus/)")
    parser.add_argument(
        "--shared",
        type=Path,
        metavar="CORPUS",
        help="build the store of this development corpus (../shared/corpus: 40 papers) instead of corpus/",
    )
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=120.0, help="stop sending after this long")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (councilpapers serve --workers)"
    )
    args = parser.parse_args()
    if args.store:
        store = args.store
    elif args.shared:
        store = build_store(shared_papers(args.shared, Path(tempfile.mkdtemp(prefix="bench_http_papers_"))))
    else:
        store = build_corpus_store()
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="bench_http_log_")) / "server.log"
    server = start_server(store, port, log, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        docs = httpx.get(base + "/documents?limit=500").json()["documents"]
        entities = httpx.get(base + "/entities?limit=200").json()["entities"]
        councils = sorted({d["council"] for d in docs if d["council"]})
        themes: set[str] = set()
        for q in QUERIES[: max(8, 3 * args.workers)]:  # warm-up (the model loads on a worker's first query)
            # and the themes to filter by, from the facets
            themes |= set(
                httpx.get(base + "/search", params={"q": q}, timeout=120).json()["facets"].get("theme", {})
            )
        requests = plan(args.requests, docs, entities, councils, sorted(themes), args.seed)
        result = asyncio.run(drive("127.0.0.1", port, requests, args.clients, args.seconds))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"server log: {log} ({log.stat().st_size} bytes)", file=sys.stderr)
    lat = result["latencies"]
    done = sum(len(v) for v in lat.values())
    print(f"store: {store} ({len(docs)} papers, {len(councils)} councils, {len(themes)} themes in filters)")
    print(
        f"{done} requests from {args.clients} concurrent clients in {result['elapsed']:.1f} s: "
        f"{done / result['elapsed']:.0f} requests/s"
    )
    for kind, values in [*lat.items(), ("all", [v for vs in lat.values() for v in vs])]:
        print(
            f"{kind:>9}: n={len(values):5d}  p50 {percentile(values, 50):6.1f} ms  p95 {percentile(values, 95):6.1f}"
            f" ms  p99 {percentile(values, 99):6.1f} ms"
        )
    print(
        f"errors: {len(result['errors'])}" + (f" (first: {result['errors'][:3]})" if result["errors"] else "")
    )
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
