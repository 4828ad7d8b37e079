"""End-to-end ingest throughput, with the time of every stage and peak memory, in one run.

usage: python benchmarks/bench_ingest.py [--shared ../shared] [--only pdf|dev] [--repeat N]

Ingests into a new temporary store (so nothing is cached: the embedding cache starts empty):
- pdf: the 16 real PDFs of corpus/pdf;
- dev: the development set (the seeds, and the bodies of corpus/more after their `---` line).
Each ingest runs in a child process (`councilpapers ingest`'s library function, index.pipeline.ingest_paths,
with the default Settings: workers and embed_threads from the CPU count), whose process tree (the
parse workers included) is sampled every 50 ms for memory. Printed for each: pages/s and passages/s end to
end (model loading included, Python start-up not), the seconds of each stage, and the peak memory of
the tree: the sum of RSS (which counts pages shared by the forked workers once per process) and of
PSS (shared pages divided among the processes sharing them: the memory the tree really holds).

Stages: read, parse and extract run in the parse worker processes (seconds summed over the
workers, overlapping the rest); wait is the main process waiting for the next parsed paper; embed,
store (SQLite writes, entity resolution, paper links, saved searches) and index (FAISS adds and
saves, passage themes) run in the main process. The CPU seconds of the main process and of the
workers are printed too, with what they allow on idle cores (the machine is shared: wall-clock
figures measured under load are low). --repeat N runs each N times and prints the best.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _stats() -> dict[int, tuple[int, int]]:
    """Every process: pid -> (parent pid, CPU ticks used)."""
    out: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                out[int(entry)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
            except (OSError, IndexError, ValueError):
                continue
    return out


def tree_sample(root: int) -> tuple[int, int, dict[int, int]]:
    """(sum of RSS, sum of PSS) in bytes of a process and its descendants, and the CPU ticks of each."""
    stats = _stats()
    kids: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        kids.setdefault(ppid, []).append(pid)
    todo, rss, pss, ticks = [root], 0, 0, {}
    while todo:
        pid = todo.pop()
        todo += kids.get(pid, [])
        ticks[pid] = stats.get(pid, (0, 0))[1]
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except OSError:  # gone meanwhile
            continue
    return rss, pss, ticks


def run_child(kind: str, shared: Path, work: Path) -> dict:
    """Ingest one corpus in a child process, sampling its tree's memory; the child's figures."""
    out = work / f"{kind}.json"
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", kind, "--shared", str(shared), "--work", str(work)], cwd=ROOT
    )
    peak = [0, 0]
    ticks: dict[int, int] = {}

    def sample() -> None:
        while proc.poll() is None:
            rss, pss, now = tree_sample(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            ticks.update({pid: max(ticks.get(pid, 0), t) for pid, t in now.items()})
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if proc.wait() != 0:
        sys.exit(f"bench_ingest: the {kind} ingest failed (exit {proc.returncode})")
    sampler.join()
    result = json.loads(out.read_text(encoding="utf-8"))
    result["peak_rss"], result["peak_pss"] = peak
    # CPU of the processes the ingest started (the parse workers); the child's own comes from itself
    result["worker_cpu"] = sum(t for pid, t in ticks.items() if pid != proc.pid) / os.sysconf("SC_CLK_TCK")
    return result


def child(kind: str, shared: Path, work: Path) -> None:
    """In the child: ingest the corpus into a new store and write the summary as JSON."""
    from bench_search_cv import dev_papers

    from index.pipeline import ingest_paths
    from ingest.settings import Settings

    if kind == "pdf":
        papers = sorted((shared / "corpus" / "pdf").glob("*.pdf"))
    else:
        papers = dev_papers(shared, work / "dev-papers")
    store = work / f"store-{kind}"
    shutil.rmtree(store, ignore_errors=True)
    settings = Settings(store=store)
    t, cpu = time.perf_counter(), time.process_time()
    summary = ingest_paths(papers, settings, progress=False)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    from index.check import check_store

    (work / f"{kind}.json").write_text(
        json.dumps(
            {
                "files": len(papers),
                "papers": summary.papers,
                "pages": summary.pages,
                "passages": summary.passages,
                "vectors": summary.vectors,
                "embedded": summary.embedded,
                "failures": summary.failures,
                "seconds": seconds,
                "main_cpu": cpu,
                "stages": summary.stages,
                "workers": settings.workers,
                "embed_threads": settings.embed_threads,
                "check": check_store(settings),
            }
        ),
        encoding="utf-8",
    )


def report(kind: str, r: dict) -> None:
    s = r["seconds"]
    print(
        f"{kind}: {r['papers']}/{r['files']} papers, {r['pages']} pages, {r['passages']} passages, "
        f"{r['vectors']} vectors ({r['embedded']} embedded) in {s:.1f} s"
    )
    pages = f"{r['pages'] / s:.1f} pages/s, " if r["pages"] else ""  # text papers have no pages
    print(
        f"  end to end: {pages}{r['passages'] / s:.1f} passages/s"
        f"  (workers {r['workers']}, embed_threads {r['embed_threads']}, {os.cpu_count()} CPUs,"
        f" load average {os.getloadavg()[0]:.1f})"
    )
    st = r["stages"]
    print(
        "  stages (s): "
        + ", ".join(f"{k} {v:.2f}" for k, v in st.items() if not k.startswith("cpu "))
        + "  [read/parse/extract: worker-seconds, beside the rest]"
    )
    print(
        "  stages (CPU s): "
        + ", ".join(f"{k[4:]} {v:.2f}" for k, v in st.items() if k.startswith("cpu "))
        + "  [workers: read + parse + extract]"
    )
    cpu = r["main_cpu"] + r["worker_cpu"]
    cores = os.cpu_count() or 1
    print(
        f"  CPU: {r['main_cpu']:.1f} s main process + {r['worker_cpu']:.1f} s parse workers = {cpu:.1f} s;"
        f" on {cores} idle cores at least {cpu / cores:.1f} s, at most {r['passages'] * cores / cpu:.1f} passages/s"
        + (f", {r['pages'] * cores / cpu:.1f} pages/s" if r["pages"] else "")
        + f" (wall {s:.1f} s: {100 * cpu / (s * cores):.0f}% of the cores used)"
    )
    print(
        f"  peak memory of the process tree: RSS {r['peak_rss'] / 2**30:.2f} GB (shared pages counted per process),"
        f" PSS {r['peak_pss'] / 2**30:.2f} GB"
    )
    if r["failures"] or r["check"]:
        print(f"  failures: {r['failures']}; check: {r['check']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--only", choices=["pdf", "dev"])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--child", choices=["pdf", "dev"], help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.shared.resolve(), a.work)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench_ingest-") as tmp:
        for kind in [a.only] if a.only else ["pdf", "dev"]:
            runs = [run_child(kind, a.shared.resolve(), Path(tmp)) for _ in range(max(1, a.repeat))]
            report(kind, min(runs, key=lambda r: r["seconds"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
