"""The one error a reader raises for a paper it cannot read; its message is one line for users."""
from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be ingested; `str()` names the file and the reason on one line."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self):  # noqa: ANN204 - picklable across worker processes
        return (IngestError, (self.source, self.reason))
