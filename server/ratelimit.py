"""Limits on *failed* attempts (wrong password, unknown join code), keyed by client address.

Only failures count, so a whole class behind one museum Wi-Fi address can log in or join at
once, while guessing stays hopeless. The counters live in memory by default and in Redis in
production (`RATELIMIT_STORAGE_URI`), so several app processes share one budget.
"""

import time

from flask import Flask, current_app, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from server.errors import RateLimited


class FailureLimiter:
    def init_app(self, app: Flask) -> None:
        storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
        app.extensions["failure_limiter"] = MovingWindowRateLimiter(storage)

    @staticmethod
    def _limit(scope: str):
        return parse(current_app.config["RATELIMITS"][scope])

    @staticmethod
    def _strategy() -> MovingWindowRateLimiter:
        return current_app.extensions["failure_limiter"]

    def check(self, scope: str, key: str | None = None) -> None:
        """Raise `RateLimited` when the client has used up its failures for `scope`."""
        key = key or request.remote_addr or "unknown"
        limit = self._limit(scope)
        if not self._strategy().test(limit, scope, key):
            reset_at = self._strategy().get_window_stats(limit, scope, key).reset_time
            raise RateLimited(retry_after=max(1, int(reset_at - time.time())))

    def record_failure(self, scope: str, key: str | None = None) -> None:
        key = key or request.remote_addr or "unknown"
        self._strategy().hit(self._limit(scope), scope, key)
