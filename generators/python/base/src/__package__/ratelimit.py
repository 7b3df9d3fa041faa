"""Rate limiting per client on the `limits` library: its fixed-window strategy and its storage.

Each client's window opens with its first request and lasts a minute; an expired window is
forgotten by the storage, so the table holds only the clients seen within the last window.
Clients are keyed by address, IPv6 ones by their /64 network: a single host usually owns a
whole /64 and could otherwise take a fresh bucket (and a fresh table entry) per request.

The storage is `async+memory://` by default: state in this process, so each worker or replica
limits on its own. `RATE_LIMIT_STORAGE_URI=async+redis://host:6379` shares one limit between
them (install `limits[async-redis]` for the driver).
"""

from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import ConfigurationError
from limits.storage import storage_from_string

DEFAULT_STORAGE_URI = "async+memory://"
# A key for requests without a peer address (a Unix socket): they share one bucket.
UNKNOWN_CLIENT = "unknown"


@dataclass(frozen=True, slots=True)
class RateLimitDecision:
    """The outcome of one request against its client's window."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int


def async_storage(uri: str) -> Storage:
    """The `limits` storage of `uri`; `redis://…` is read as its asyncio twin `async+redis://…`.

    Raises `ValueError` for a scheme `limits` does not know or whose driver is not installed.
    """
    if "://" in uri and not uri.startswith("async+"):
        uri = f"async+{uri}"
    try:
        storage = storage_from_string(uri)
    except ConfigurationError:  # an unknown scheme, or its driver is not installed
        # Not limits' own message: it quotes the URI, password included.
        raise ValueError(
            "is not a storage `limits` can use here: async+memory://, or async+redis://... "
            "with `limits[async-redis]` installed"
        ) from None
    if not isinstance(storage, Storage):  # pragma: no cover - every async+ scheme is async
        raise ValueError("must name an asyncio storage (async+memory://, async+redis://...)")
    return storage


def client_key(host: str | None) -> str:
    """The bucket of a peer address: IPv4 as it is, IPv6 by its /64 (an IPv4-mapped IPv6
    address as the IPv4 it carries); anything else (a test client's name) verbatim."""
    if not host:
        return UNKNOWN_CLIENT
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class RateLimiter:
    """`limit` requests per minute and client, counted by `limits` in `storage`."""

    def __init__(self, limit: int, storage: Storage | None = None) -> None:
        self.limit = limit
        self.storage = storage if storage is not None else async_storage(DEFAULT_STORAGE_URI)
        self._item = RateLimitItemPerMinute(limit)
        self._strategy = FixedWindowRateLimiter(self.storage)

    async def hit(self, key: str) -> RateLimitDecision:
        """Count one request for `key` and say whether it may proceed."""
        allowed = await self._strategy.hit(self._item, key)
        stats = await self._strategy.get_window_stats(self._item, key)
        # `limits` keeps expiries on the wall clock (time.time), so the reset is measured on it.
        reset = max(1, math.ceil(stats.reset_time - time.time()))
        return RateLimitDecision(
            allowed=allowed, limit=self.limit, remaining=stats.remaining, reset_seconds=reset
        )
