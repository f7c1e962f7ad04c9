"""Issue 18's targets, checked where the figures are printed: each benchmark ends with a summary.

A benchmark records each figure it has a target for (`Scorecard.check`) beside its JSON lines,
and ends with one JSON line `{"summary": ..., "passed": n, "failed": [...], "ok": ...}`; its
exit status is 1 when a target was missed, so `make bench` runs them all and fails at the end.
Figures without a target (or one beyond Telegram's own limits) stay in the JSON lines only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class Scorecard:
    """The targets one benchmark run met or missed."""

    benchmark: str
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def check(self, name: str, ok: bool, value: object, target: str) -> bool:
        """Record `name` (its value and the target, as text) as met or missed."""
        (self.passed if ok else self.failed).append(f"{name}: {value} (target {target})")
        return ok

    def at_most(self, name: str, value: float | None, limit: float) -> bool:
        return self.check(name, value is not None and value <= limit, value, f"<= {limit}")

    def below(self, name: str, value: float | None, limit: float) -> bool:
        return self.check(name, value is not None and value < limit, value, f"< {limit}")

    def at_least(self, name: str, value: float | None, limit: float) -> bool:
        return self.check(name, value is not None and value >= limit, value, f">= {limit}")

    def summary(self, note: str | None = None) -> int:
        """Print the summary line; 0 when every target was met, else 1 (an exit status)."""
        line: dict[str, object] = {
            "summary": self.benchmark,
            "passed": len(self.passed),
            "failed": self.failed,
            "ok": not self.failed,
            "met": self.passed,
        }
        if note:
            line["note"] = note
        print(json.dumps(line), flush=True)
        return 0 if not self.failed else 1
