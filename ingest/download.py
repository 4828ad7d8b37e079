"""Read an HTTP body with a size cap checked as it streams in, not after it is all in memory.

For any code that takes files from the web (the harvester): open the request with
`client.stream("GET", url)` and read the body with `read_capped(response, limit)`. A declared
Content-Length over the cap is refused before any byte is read; otherwise reading stops as
soon as the count passes the cap. The count is of decoded bytes, so a gzip bomb stops too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx


class TooLarge(ValueError):
    """The body passed the cap; `str()` is one line naming the URL, the size and the setting."""

    def __init__(
        self, url: str, size: str, limit: int, setting: str = "COUNCILPAPERS_MAX_FILE_BYTES"
    ) -> None:
        super().__init__(f"{url}: file is {size}, over the limit of {limit / 1e6:.1f} MB ({setting})")
        self.url = url
        self.limit = limit


def read_capped(response: httpx.Response, limit: int, setting: str = "COUNCILPAPERS_MAX_FILE_BYTES") -> bytes:
    """The whole body of a streamed response, or TooLarge (naming `setting`) as soon as it passes `limit` bytes."""
    url = str(response.request.url) if response.request else ""
    declared = response.headers.get("Content-Length", "")
    encoded = response.headers.get("Content-Encoding", "identity") not in ("", "identity")
    if declared.isdigit() and not encoded and int(declared) > limit:
        raise TooLarge(url, f"{int(declared) / 1e6:.1f} MB", limit, setting)
    chunks: list[bytes] = []
    seen = 0
    for chunk in response.iter_bytes():
        seen += len(chunk)
        if seen > limit:
            response.close()
            raise TooLarge(url, f"over {limit / 1e6:.1f} MB", limit, setting)
        chunks.append(chunk)
    return b"".join(chunks)
