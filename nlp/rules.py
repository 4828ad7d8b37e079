"""Which rules fire: a trace the extraction benchmarks turn on to count, for every rule, the councils whose
papers it fires on, and to switch rules off for a leave-council-out run (benchmarks/bench_extract_cv.py).

A rule reports itself where it decides: `if condition and fired("metrics: age before"):`. With no trace
running (the default, and always in the pipeline) `fired` only looks up a context variable and returns
True; nothing is recorded. Rule ids are "<field>: <name>"; their list is what the benchmark prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class RuleTrace:
    """The rules that fired while a trace ran (rule id -> times), and the rules switched off in it."""

    disabled: frozenset[str] = frozenset()
    counts: Counter[str] = field(default_factory=Counter)


# a context variable, not a module-level list: each trace belongs to the code that runs it
_TRACE: ContextVar[RuleTrace | None] = ContextVar("councilpapers_rule_trace", default=None)


def fired(rule: str) -> bool:
    """Record that `rule` fired, if a trace runs; False when the running trace switches the rule off."""
    trace = _TRACE.get()
    if trace is None:
        return True
    if rule in trace.disabled:
        return False
    trace.counts[rule] += 1
    return True


@contextmanager
def tracing(disabled: frozenset[str] = frozenset()) -> Iterator[RuleTrace]:
    """Trace the rules that fire inside the block, with the rules in `disabled` switched off."""
    trace = RuleTrace(disabled)
    token = _TRACE.set(trace)
    try:
        yield trace
    finally:
        _TRACE.reset(token)
