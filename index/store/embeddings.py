"""The store's embedding cache: a passage's vector by its content key (index.embedcache)."""

from __future__ import annotations

from index.store.base import StoreBase


class EmbeddingCacheMixin(StoreBase):
    def cached_vectors(self, keys: list[bytes]) -> dict[bytes, bytes]:
        """The cached vectors (float32 bytes) of those content keys that have one."""
        out: dict[bytes, bytes] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(
                self.conn.execute(f"SELECT key, vector FROM embedding_cache WHERE key IN ({marks})", chunk)
            )
        return out

    def cache_vectors(self, rows: list[tuple[bytes, bytes]]) -> None:
        """Keep (content key, float32 vector bytes) rows, in one transaction (a key's vector depends only on
        the key, so a row already there stays); the count of rows (`cache_size`) is kept with them."""
        if rows:
            with self.transaction():
                size = self.cache_size()
                added = self.conn.executemany(
                    "INSERT OR IGNORE INTO embedding_cache (key, vector) VALUES (?, ?)", rows
                ).rowcount
                self.set_meta("cache_rows", str(size + max(0, added)))

    def cache_size(self) -> int:
        """Rows of the embedding cache: kept in `meta` as rows are added and dropped (counting them reads
        every 1.5 KB row), counted once for a store made before that."""
        kept = self.meta("cache_rows")
        if kept is None:
            kept = str(self.conn.execute("SELECT count(*) FROM embedding_cache").fetchone()[0])
            self.set_meta("cache_rows", kept)
        return int(kept)

    def keep_cached(self, keys: set[bytes]) -> int:
        """Drop every cached vector but those of `keys`, in one transaction; returns the rows dropped."""
        with self.transaction():
            size = self.cache_size()
            self.conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS cache_keep (key BLOB PRIMARY KEY) WITHOUT ROWID"
            )
            self.conn.execute("DELETE FROM cache_keep")
            self.conn.executemany("INSERT OR IGNORE INTO cache_keep (key) VALUES (?)", ((k,) for k in keys))
            dropped = int(
                self.conn.execute(
                    "DELETE FROM embedding_cache WHERE key NOT IN (SELECT key FROM cache_keep)"
                ).rowcount
            )
            self.conn.execute("DELETE FROM cache_keep")
            self.set_meta("cache_rows", str(size - dropped))
        return dropped

    def cache_problems(self) -> list[str]:
        """Cached vectors of more than one size (the model's dimension is one), as a line."""
        sizes = [
            r[0] for r in self.conn.execute("SELECT DISTINCT length(vector) FROM embedding_cache LIMIT 2")
        ]
        return (
            [f"embedding cache holds vectors of {len(sizes)}+ sizes (bytes: {sizes})"]
            if len(sizes) > 1
            else []
        )
