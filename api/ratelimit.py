"""Rate limits of subscribing without the API key: so many an hour from one client address, and for one
e-mail address (so nobody can flood an inbox with confirmation e-mails). Kept in memory by the app
(`create_app` makes one `SubscribeLimits`): a restart forgets them, which costs at most one hour's allowance."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW = 3600.0  # seconds: the limits are per hour
MAX_KEYS = 100_000  # past this many clients or addresses tracked, the stalest are forgotten


class SlidingWindow:
    """At most `limit` hits per key in any `window` seconds."""

    def __init__(
        self, limit: int, window: float = WINDOW, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Count a hit; None when it is allowed, else the seconds until one will be."""
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1.0, hits[0] + self.window - now)
            hits.append(now)
            if len(self._hits) > MAX_KEYS:
                self._forget(now)
            return None

    def _forget(self, now: float) -> None:
        for key in [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]:
            del self._hits[key]
        while len(self._hits) > MAX_KEYS:  # all recent: drop the oldest inserted
            del self._hits[next(iter(self._hits))]


class SubscribeLimits:
    def __init__(self, per_client: int, per_address: int) -> None:
        self.clients = SlidingWindow(per_client)
        self.addresses = SlidingWindow(per_address)

    def check(self, client: str, address: str) -> tuple[float, str] | None:
        """None when this subscription may go ahead, else (seconds to wait, what is over its limit)."""
        wait = self.clients.hit(client)
        if wait is not None:
            return wait, "too many subscriptions from this client; try again later"
        wait = self.addresses.hit(address)
        if wait is not None:
            return wait, "too many subscriptions for this e-mail address; try again later"
        return None
