"""The community-safety themes a passage is about: keyword rules plus similarity to the theme descriptions.

A passage is about a theme when a keyword rule of nlp/data/themes.jsonl names it (fallback rows
left out: "crime" alone says nothing about a passage) and its vector is at least `RULE_FLOOR`
similar to the theme's description (the label of nlp/data/themes.json, i.e. eval/themes.json),
or when the similarity alone reaches `SIMILARITY_ONLY`. Vectors are the passage vectors ingest
computes anyway (index.pipeline), so nothing is embedded twice.

Measured on the passages holding the development gold's stated priorities (benchmarks/bench_compare.py,
5 folds by paper, both thresholds chosen on the other folds: rule floor 0.15-0.25, similarity 0.55 in
every fold): held-out precision 0.61, recall 0.88 against the priorities' themes. Precision is a
floor: those passages often discuss other themes too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.datafiles import json_data, rule_rows
from nlp.themes import theme_labels, theme_rules, themes_for

if TYPE_CHECKING:
    import numpy as np

RULE_FLOOR = (
    0.2  # cosine a keyword hit needs (a passage naming a theme in passing, off its subject, is not about it)
)
SIMILARITY_ONLY = 0.55  # cosine that makes a theme without any keyword
RULE_BONUS = 0.25  # added to the score of a theme a keyword names, so those passages are cited first


@dataclass(frozen=True)
class PassageTheme:
    theme: str
    score: float  # cosine to the theme description, plus RULE_BONUS when a keyword named it


def theme_descriptions() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(theme ids, the descriptions that are embedded), in nlp/data/themes.json order."""
    labels = theme_labels()
    return tuple(labels), tuple(labels.values())


def rule_themes(text: str) -> frozenset[str]:
    """Themes the keyword rules name in a passage (words one rule matched are not seen by later rules)."""
    rest = text.replace("\u2019", "'")
    found: set[str] = set()
    for rule in theme_rules():
        if rule.fallback:
            continue
        for m in rule.pattern.finditer(rest):
            if m.group(0).strip():
                found.add(rule.theme)
                if not rule.keep:
                    rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end() :]
    return frozenset(found)


def classify(
    texts: list[str],
    vectors: np.ndarray,
    theme_vectors: np.ndarray,
    theme_ids: tuple[str, ...],
    rule_floor: float = RULE_FLOOR,
    similarity_only: float = SIMILARITY_ONLY,
) -> list[tuple[PassageTheme, ...]]:
    """Each passage's themes, best first. `vectors[i]` is the unit vector of `texts[i]`; `theme_vectors`
    are the unit vectors of the theme descriptions, in `theme_ids` order."""
    import numpy as np

    if not len(texts):
        return []
    sims = np.asarray(vectors, dtype=np.float32) @ np.asarray(theme_vectors, dtype=np.float32).T
    out = []
    for i, text in enumerate(texts):
        named = rule_themes(text)
        found = []
        for j, theme in enumerate(theme_ids):
            s = float(sims[i, j])
            if (theme in named and s >= rule_floor) or s >= similarity_only:
                found.append(PassageTheme(theme, round(s + (RULE_BONUS if theme in named else 0.0), 4)))
        out.append(tuple(sorted(found, key=lambda t: -t.score)))
    return out


def query_themes(query: str) -> frozenset[str]:
    """Themes a short query names by keyword ("knife crime in parks" -> serious_violence)."""
    return frozenset(themes_for(query)) - {"public_safety"} if re.search(r"\w", query) else frozenset()


DATA = Path(__file__).parent / "data"
EXEMPLARS = DATA / "priority_exemplars.jsonl"  # stated priorities with their themes ([] for other business)
PRIORITY_VECTORS = DATA / "priority_themes.npz"  # their vectors, in file order
PRIORITY_CONFIG = (
    DATA / "priority_themes.json"
)  # embedding model, dimension, threshold, margin, how they were chosen


@dataclass(frozen=True)
class PriorityThemeModel:
    """Nearest stated priorities: a priority whose words no keyword row names takes the theme of the written
    priorities its vector is most like, when that is at least `threshold` similar and `margin` more similar
    than the most similar priority of other council business ("Value for money", "Levelling up")."""

    themes: tuple[tuple[str, ...], ...]  # of each exemplar
    vectors: np.ndarray  # (exemplars, dim) unit vectors
    threshold: float
    margin: float
    model: str  # the embedding model the vectors come from (index.embed.model_name)
    dim: int


def exemplar_rows(path: Path = EXEMPLARS) -> list[tuple[str, tuple[str, ...]]]:
    """(text, themes) of each exemplar priority, in file order."""
    return [(row["text"], tuple(row["themes"])) for _, row in rule_rows(path, "text")]


def load_priority_model(
    weights: Path = PRIORITY_VECTORS, config: Path = PRIORITY_CONFIG, exemplars: Path = EXEMPLARS
) -> PriorityThemeModel | None:
    """The saved model, or None when there is none; vectors that do not match the exemplars raise ValueError."""
    if not weights.exists() or not config.exists():
        return None
    return _load_priority(
        str(weights), str(config), str(exemplars), weights.stat().st_mtime_ns, config.stat().st_mtime_ns
    )


@lru_cache(maxsize=2)
def _load_priority(weights: str, config: str, exemplars: str, *stamps: int) -> PriorityThemeModel:
    import numpy as np

    meta = json_data(Path(config))
    rows = exemplar_rows(Path(exemplars))
    with np.load(weights) as data:
        vectors = np.ascontiguousarray(data["vectors"], dtype=np.float32)
    if vectors.shape != (len(rows), int(meta["dim"])):
        raise ValueError(
            f"{Path(weights).name}: {vectors.shape} vectors for {len(rows)} exemplars of "
            f"{Path(exemplars).name} (dimension {meta['dim']}); run benchmarks/train_priority_themes.py"
        )
    return PriorityThemeModel(
        tuple(t for _, t in rows),
        vectors,
        float(meta["threshold"]),
        float(meta["margin"]),
        meta["model"],
        int(meta["dim"]),
    )


def nearest_themes(
    model: PriorityThemeModel, vectors: np.ndarray, skip: np.ndarray | None = None
) -> list[tuple[str, ...]]:
    """The theme (at most one) of each priority vector by its nearest exemplars, () when none is near enough
    or other council business is nearer. `skip[i]`: an exemplar row left out for vector i (leave-one-out)."""
    import numpy as np

    sims = np.asarray(vectors, dtype=np.float32) @ model.vectors.T
    if skip is not None:
        sims[np.arange(len(sims)), skip] = -2.0
    out: list[tuple[str, ...]] = []
    for row in sims:
        best: dict[str, float] = {}
        for j in np.argsort(-row)[:20]:
            for theme in model.themes[j] or ("",):
                best.setdefault(theme, float(row[j]))
        other = best.pop("", -1.0)
        theme, score = max(best.items(), key=lambda kv: kv[1], default=("", -1.0))
        out.append((theme,) if score >= model.threshold and score >= other + model.margin else ())
    return out
