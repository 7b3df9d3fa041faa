"""Fixed-window rate limiting per client address, in process memory."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimitDecision:
    """The outcome of one request against its client's window."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int


class FixedWindowRateLimiter:
    """Counts requests per key in fixed windows.

    `hit` never awaits, so under asyncio a read-modify-write of a counter cannot interleave
    with another request's. Expired windows are swept at most once per window, which keeps
    memory bounded by the number of distinct clients seen within one window.

    State lives in this process: with several workers or replicas each enforces its own
    limit; put a shared store (or the proxy's limiter) in front for a global one.
    """

    def __init__(
        self,
        limit: int,
        window_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._clock = clock
        # key -> (window start, requests counted in that window)
        self._windows: dict[str, tuple[float, int]] = {}
        self._last_sweep = clock()

    def __len__(self) -> int:
        return len(self._windows)

    def hit(self, key: str) -> RateLimitDecision:
        """Count one request for `key` and say whether it may proceed."""
        now = self._clock()
        self._sweep(now)
        # No expiry check needed here: a window opened after the last sweep cannot close
        # before the next sweep is due, so every window that survived the sweep is open.
        start, count = self._windows.get(key, (now, 0))
        allowed = count < self.limit
        if allowed:
            count += 1
        self._windows[key] = (start, count)
        # Elapsed time first: `start + window - now` can round to just above the window (61).
        reset = max(1, math.ceil(self.window_seconds - (now - start)))
        return RateLimitDecision(
            allowed=allowed,
            limit=self.limit,
            remaining=self.limit - count,
            reset_seconds=reset,
        )

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < self.window_seconds:
            return
        self._last_sweep = now
        expired = [
            key
            for key, (start, _count) in self._windows.items()
            if now - start >= self.window_seconds
        ]
        for key in expired:
            del self._windows[key]
