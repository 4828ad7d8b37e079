"""A small classifier over passage vectors and words: the section role of passages no heading, label or cue names.

Where a paper has no headings (a web page, a short report, an excerpt starting mid-document, minutes),
`nlp.sections` gives a passage the body role of its layout (`background` in a report, `discussion` in
minutes). At ingest, where the passage's vector exists, this softmax regression (nlp/data/section_model.npz,
its config beside it in section_model.json: the embedding model, the dimension, the word features, the
roles, the roles each layout may give, the threshold, how it was trained and cross-validated) may give it
another role: when the role it finds most likely is one the layout has and its probability reaches the
threshold. Its input is the passage's vector, the counts of the word features of
nlp/data/section_features.jsonl (words that lean towards a role without deciding it: money, the law,
equality, talk at a meeting ...) and the paper's layout. `benchmarks/bench_sections.py --train` trains it
(the judged passages and, by distant supervision, every passage a heading names in the development papers)
and prints its figures held out by council, on whole papers and on excerpts; `extract` runs without
vectors and keeps the body role.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.datafiles import json_data, rule_rows

if TYPE_CHECKING:
    import numpy as np

DATA = Path(__file__).parent / "data"
WEIGHTS = DATA / "section_model.npz"
CONFIG = DATA / "section_model.json"
FEATURES = DATA / "section_features.jsonl"
LAYOUTS = ("report", "minutes", "decision")  # nlp.sections.LAYOUTS: one input each
_CAP = 3  # a feature counts its matches up to this many


@dataclass(frozen=True)
class SectionModel:
    roles: tuple[str, ...]
    weights: np.ndarray  # (dim, roles), float32
    bias: np.ndarray  # (roles,)
    allowed: dict[str, tuple[str, ...]]  # layout -> the roles the model may give its passages
    threshold: float  # the least probability at which the model's role replaces the body role
    model: str  # the embedding model whose vectors it reads
    dim: int  # of the vectors
    features: tuple[str, ...] = ()  # the word features (section_features.jsonl) it reads after the vector

    @property
    def inputs(self) -> int:
        return self.dim + len(self.features) + (len(LAYOUTS) if self.features else 0)


@lru_cache(maxsize=2)
def feature_rules(path: Path = FEATURES) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(name, pattern) of each word feature of nlp/data/section_features.jsonl, in file order."""
    out = []
    for n, row in rule_rows(path, "feature"):
        try:
            out.append((row["feature"], re.compile(row["pattern"], 0 if row.get("case") else re.I)))
        except re.error as e:
            raise ValueError(f"{path.name} line {n}: bad pattern: {e}") from None
    return tuple(out)


def inputs(
    model: SectionModel, vectors: np.ndarray, texts: Sequence[str], layouts: Sequence[str]
) -> np.ndarray:
    """The model's input rows: each passage's vector, then its word features and its paper's layout."""
    import numpy as np

    x = np.ascontiguousarray(vectors, dtype=np.float32)
    if x.ndim != 2 or x.shape[1] != model.dim:
        raise ValueError(f"section model: vectors of shape {x.shape}, the model reads dimension {model.dim}")
    if not model.features:
        return x
    return np.hstack([x, word_features(texts, model.features), layout_inputs(layouts)])


def word_features(texts: Sequence[str], names: Sequence[str]) -> np.ndarray:
    """(passages, features): each named feature's matches in each text, capped at _CAP, over _CAP."""
    import numpy as np

    rules = dict(feature_rules())
    missing = [n for n in names if n not in rules]
    if missing:
        raise ValueError(f"section model: word features {missing} are not in {FEATURES.name}")
    out = np.zeros((len(texts), len(names)), dtype=np.float32)
    for i, text in enumerate(texts):
        for j, name in enumerate(names):
            out[i, j] = min(len(rules[name].findall(text)), _CAP) / _CAP
    return out


def layout_inputs(layouts: Sequence[str]) -> np.ndarray:
    import numpy as np

    return np.asarray([[float(k == lay) for k in LAYOUTS] for lay in layouts], dtype=np.float32).reshape(
        -1, len(LAYOUTS)
    )


def load_model(weights: Path = WEIGHTS, config: Path = CONFIG) -> SectionModel | None:
    """The saved model, or None when there is none; a config that does not match its weights raises
    ValueError naming the file and both sizes."""
    if not weights.exists() or not config.exists():
        return None
    return _load(str(weights), str(config), weights.stat().st_mtime_ns, config.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load(weights: str, config: str, *stamps: int) -> SectionModel:
    """Read once per version of the files (`stamps`: their modification times)."""
    import numpy as np

    meta = json_data(Path(config))
    with np.load(weights) as data:
        w, b = (
            np.ascontiguousarray(data["weights"], dtype=np.float32),
            np.asarray(data["bias"], dtype=np.float32),
        )
    roles = tuple(meta["roles"])
    model = SectionModel(
        roles,
        w,
        b,
        {k: tuple(v) for k, v in meta["allowed"].items()},
        float(meta["threshold"]),
        meta["model"],
        int(meta["dim"]),
        tuple(meta.get("features", ())),
    )
    if w.shape != (model.inputs, len(roles)) or b.shape != (len(roles),):
        raise ValueError(
            f"{Path(config).name}: weights {w.shape} and bias {b.shape} do not fit {model.inputs} inputs "
            f"(dimension {meta['dim']} and {len(model.features)} features) and {len(roles)} roles"
        )
    return model


def probabilities(model: SectionModel, x: np.ndarray) -> np.ndarray:
    """(passages, roles) probabilities of each role for each input row (`inputs`)."""
    import numpy as np

    z = x @ model.weights + model.bias
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def refine(
    model: SectionModel,
    vectors: np.ndarray,
    texts: Sequence[str],
    layouts: Sequence[str],
    threshold: float | None = None,
) -> list[str | None]:
    """For each passage (its vector, its text and its paper's layout) the role the model gives it, or None
    when the body role stands (no role of the layout reaches the threshold)."""
    import numpy as np

    if not len(layouts):
        return []
    probs = probabilities(model, inputs(model, vectors, texts, layouts))
    limit = model.threshold if threshold is None else threshold
    out: list[str | None] = []
    for row, layout in zip(probs, layouts, strict=True):
        allowed = [i for i, r in enumerate(model.roles) if r in model.allowed.get(layout, ())]
        best = max(allowed, key=lambda i: row[i], default=None)
        out.append(
            model.roles[best]
            if best is not None and row[best] / max(float(np.sum(row[allowed])), 1e-12) >= limit
            else None
        )
    return out


def train(
    x: np.ndarray,
    y: list[str],
    roles: tuple[str, ...],
    l2: float = 1e-3,
    steps: int = 300,
    rate: float = 20.0,
    balance: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression by full-batch gradient descent (weights, bias); classes weighted by the inverse of
    their frequency, so that a common role does not drown the rare ones. The step size, steps and L2 were
    chosen by held-out accuracy by paper on the judged passages among (5, 20, 50) x (300, 600) x (1e-3, 1e-4):
    unit-length vectors need large weights before a role's probability stands out."""
    import numpy as np

    index = {r: i for i, r in enumerate(roles)}
    t = np.zeros((len(y), len(roles)), dtype=np.float32)
    t[np.arange(len(y)), [index[r] for r in y]] = 1.0
    counts = t.sum(axis=0)
    weight = (t @ np.where(counts > 0, (len(y) / (len(roles) * np.maximum(counts, 1))) ** balance, 0)).astype(
        np.float32
    )
    w = np.zeros((x.shape[1], len(roles)), dtype=np.float32)
    b = np.zeros(len(roles), dtype=np.float32)
    for _ in range(steps):
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - t) * weight[:, None] / weight.sum()
        w -= rate * (x.T @ g + l2 * w)
        b -= rate * g.sum(axis=0)
    return w, b


def save_model(
    weights: np.ndarray, bias: np.ndarray, meta: dict[str, Any], path: Path = WEIGHTS, config: Path = CONFIG
) -> None:
    import numpy as np

    np.savez(path, weights=weights.astype(np.float32), bias=bias.astype(np.float32))
    config.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    _load.cache_clear()
