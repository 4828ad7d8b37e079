"""The one error a reader raises for a paper it cannot read; its message is one line for users."""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be ingested; `str()` names the file and the reason on one line. `lasting`: it will
    fail the same way, at a cost, every time (a time or memory limit), so later ingests skip it."""

    def __init__(self, source: str, reason: str, lasting: bool = False) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
        self.lasting = lasting

    def __reduce__(self):  # noqa: ANN204 - picklable across worker processes
        return (IngestError, (self.source, self.reason, self.lasting))
