"""Hostile files beside a good paper: time, peak memory, what was stored, and the next ordinary ingest.

usage: python benchmarks/bench_hostile.py [--only one-line|sentences|giant-page] [--mb 30]

Each case is a folder holding one hostile file and a good paper (a bundled seed), ingested into a new store
by `councilpapers ingest` in a child process with the default settings, whose process tree (parse
workers included) is sampled every 50 ms for memory (sum of RSS, and of PSS: shared pages divided among
the processes sharing them). Then an unrelated paper (another seed) is ingested into the same store: the
"next ordinary ingest", which must not be held up by the hostile one. Targets (issue 30): each case under
5 minutes and 2.5 GB, the good paper stored, the next ingest under 2 minutes.

- one-line: a 30 MB text file that is one line of words with no full stop (before: one 30-million-character
  passage; the ingest ran past 900 s at 4.1 GB and every later ingest hung re-embedding it);
- sentences: the same size of one line of full sentences (the most texts to embed: a sentence vector each);
- giant-page: a PDF whose one page is 14,400 points square and holds only an image (before: rendered for
  OCR at 300 dpi, past 8 GB in 32 s).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ingest import tree_sample  # noqa: E402

CLI = str(Path(sys.executable).parent / "councilpapers")
SEEDS = sorted((ROOT / "corpus").glob("0*.txt"))
CASES = ("one-line", "sentences", "giant-page")


def one_line(path: Path, size: int, stops: bool, seed: int = 30) -> None:
    """A one-line file of `size` bytes of the seed papers' words, with full stops (and capitals) or none."""
    words = sorted(
        {
            w.strip(".,;:()\"'").lower()
            for s in SEEDS
            for w in s.read_text(encoding="utf-8").split()
            if w.strip(".,;:()\"'").isalpha()
        }
    )
    rng = random.Random(seed)
    out, n = [], 0
    while n < size:
        k = rng.randint(8, 30)
        sentence = " ".join(rng.choice(words) for _ in range(k))
        sentence = sentence.capitalize() + ". " if stops else sentence + " "
        out.append(sentence)
        n += len(sentence)
    path.write_text("".join(out)[:size], encoding="utf-8")


def giant_page(path: Path) -> None:
    """A PDF whose one page is 200 inches (14,400 points) square: a noisy greyscale image, no text layer."""
    from PIL import Image

    rng = random.Random(5)
    image = Image.new("L", (600, 600))
    image.putdata([rng.randrange(256) for _ in range(600 * 600)])
    image.save(path, "PDF", resolution=3.0)


def run(argv: list[str], timeout: float = 1800) -> tuple[int, float, int, int, str]:
    """A command in a child process: (exit status, seconds, peak RSS and PSS of its tree in bytes, stderr)."""
    started = time.monotonic()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]

    def sample() -> None:
        while proc.poll() is None:
            rss, pss, _ = tree_sample(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    sampler.join()
    return proc.returncode, time.monotonic() - started, peak[0], peak[1], err


def case(name: str, work: Path, mb: float) -> None:
    folder = work / name / "papers"
    folder.mkdir(parents=True)
    good = folder / SEEDS[0].name
    good.write_bytes(SEEDS[0].read_bytes())
    if name == "giant-page":
        giant_page(folder / "poster.pdf")
    else:
        one_line(folder / "one-line.txt", int(mb * 1_000_000), stops=name == "sentences")
    store = work / name / "store"
    code, seconds, rss, pss, err = run([CLI, "ingest", "--quiet", str(folder), "--store", str(store)])
    lines = err.strip().splitlines()
    print(f"{name}: {seconds:.1f} s, peak RSS {rss / 1e9:.2f} GB (PSS {pss / 1e9:.2f} GB), exit {code}")
    for line in lines:
        print(f"    {line[:300]}")
    from index.store import Store
    from ingest.settings import Settings

    with Store.open(Settings(store=store), create=False) as s:
        stored = {Path(d.source).name for d in s.list_documents()}
    print(f"    good paper stored: {good.name in stored}; stored: {sorted(stored)}")
    nxt = work / name / SEEDS[1].name
    nxt.write_bytes(SEEDS[1].read_bytes())
    code, seconds, rss, pss, err = run([CLI, "ingest", "--quiet", str(nxt), "--store", str(store)])
    print(
        f"    next ordinary ingest: {seconds:.1f} s, peak RSS {rss / 1e9:.2f} GB, exit {code}: "
        f"{err.strip().splitlines()[-1] if err.strip() else ''}"
    )
    code, _, _, _, err = run([CLI, "check", "--store", str(store)])
    for line in err.strip().splitlines() or ["ok"]:
        print(f"    check: {line[:300]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=CASES)
    ap.add_argument("--mb", type=float, default=30.0, help="size of the one-line files (default 30 MB)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        for name in [args.only] if args.only else CASES:
            case(name, Path(tmp), args.mb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
