"""Limits on *failed* attempts (wrong password, unknown join code), keyed by client address,
and on requests that mail someone (a password reset), which count whatever their outcome.

Only failures count for logins and joins, so a whole class behind one museum Wi-Fi address can
log in or join at once, while guessing stays hopeless. An IPv4 address is one client; an IPv6
client is its /64, which one connection gets whole. By default the counters live in one SQLite
file in the instance folder, so every worker of `make run` shares one budget; several hosts
share Redis (`RATELIMIT_STORAGE_URI`).

What staff write for others to read (messages, news) counts whole too, per user from
anywhere (`spend`): a runaway script or a stolen session floods no thread.
"""

import ipaddress
import sqlite3
import time
from contextlib import closing, contextmanager

from flask import Flask, current_app, request
from limits import parse
from limits.storage import MovingWindowSupport, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from openparcours.errors import RateLimited


class SQLiteStorage(Storage, MovingWindowSupport):
    """`sqlite:////path/to/file`: counters every process on one host shares, without a server."""

    STORAGE_SCHEME = ["sqlite"]
    SCHEMA = """
        CREATE TABLE IF NOT EXISTS entries (key TEXT NOT NULL, at REAL NOT NULL,
                                            expires_at REAL NOT NULL);
        CREATE INDEX IF NOT EXISTS entries_key ON entries (key, at);
        CREATE INDEX IF NOT EXISTS entries_expiry ON entries (expires_at);
        CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL,
                                             expires_at REAL NOT NULL);
    """

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions, **options)
        self.path = uri.removeprefix("sqlite:///")
        # Workers that start together set up a new file at once; switching it to WAL does not
        # wait for the other (SQLite's busy timeout does not cover it), so try again briefly.
        deadline = time.monotonic() + 10
        while True:
            try:
                with closing(self._connect()) as connection:
                    connection.execute("PRAGMA journal_mode=WAL")
                    connection.executescript(self.SCHEMA)
                return
            except sqlite3.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _connect(self) -> sqlite3.Connection:
        # A connection per call: workers fork, and the dev server answers in threads.
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)

    @contextmanager
    def _writing(self):
        """One write transaction, taken before reading, so two processes never both see room."""
        with closing(self._connect()) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        now = time.time()
        with self._writing() as connection:
            connection.execute("DELETE FROM entries WHERE expires_at <= ?", (now,))
            (count,) = connection.execute(
                "SELECT count(*) FROM entries WHERE key = ?", (key,)
            ).fetchone()
            if count + amount > limit:
                return False
            connection.executemany(
                "INSERT INTO entries VALUES (?, ?, ?)", [(key, now, now + expiry)] * amount
            )
            return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        with closing(self._connect()) as connection:
            oldest, count = connection.execute(
                "SELECT min(at), count(*) FROM entries WHERE key = ? AND at > ?",
                (key, now - expiry),
            ).fetchone()
        return (oldest, count) if count else (now, 0)

    # The fixed-window part of the storage contract.
    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._writing() as connection:
            connection.execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
            connection.execute(
                "INSERT INTO counters VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
                (key, amount, now + expiry),
            )
            return connection.execute(
                "SELECT value FROM counters WHERE key = ?", (key,)
            ).fetchone()[0]

    def _counter(self, key: str) -> tuple[int, float] | None:
        with closing(self._connect()) as connection:
            return connection.execute(
                "SELECT value, expires_at FROM counters WHERE key = ? AND expires_at > ?",
                (key, time.time()),
            ).fetchone()

    def get(self, key: str) -> int:
        counter = self._counter(key)
        return counter[0] if counter else 0

    def get_expiry(self, key: str) -> float:
        counter = self._counter(key)
        return counter[1] if counter else time.time()

    def check(self) -> bool:
        try:
            with closing(self._connect()) as connection:
                connection.execute("SELECT 1 FROM entries LIMIT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int:
        with self._writing() as connection:
            return sum(
                connection.execute(f"DELETE FROM {table}").rowcount
                for table in ("entries", "counters")
            )

    def clear(self, key: str) -> None:
        with self._writing() as connection:
            for table in ("entries", "counters"):
                connection.execute(f"DELETE FROM {table} WHERE key = ?", (key,))


def client_key(address: str | None) -> str:
    """The client whose failures count: an IPv4 address, or an IPv6 address's /64."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


class FailureLimiter:
    def init_app(self, app: Flask) -> None:
        storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
        app.extensions["failure_limiter"] = MovingWindowRateLimiter(storage)
        if not app.config["TRUSTED_PROXIES"]:
            app.before_request(_warn_of_untrusted_proxy)

    @staticmethod
    def _limit(scope: str):
        return parse(current_app.config["RATELIMITS"][scope])

    @staticmethod
    def _strategy() -> MovingWindowRateLimiter:
        return current_app.extensions["failure_limiter"]

    @staticmethod
    def _key(scope: str, within: tuple[str, ...], anywhere: bool) -> tuple[str, ...]:
        return (scope, *within) if anywhere else (scope, client_key(request.remote_addr), *within)

    def check(self, scope: str, *within: str, anywhere: bool = False) -> None:
        """Raise `RateLimited` when the client has used up its failures for `scope` (and
        `within`, e.g. one account); `anywhere`: from all clients together."""
        limit = self._limit(scope)
        key = self._key(scope, within, anywhere)
        if not self._strategy().test(limit, *key):
            reset_at = self._strategy().get_window_stats(limit, *key).reset_time
            raise RateLimited(retry_after=max(1, int(reset_at - time.time())))

    def record_failure(self, scope: str, *within: str, anywhere: bool = False) -> None:
        self._strategy().hit(self._limit(scope), *self._key(scope, within, anywhere))

    def spend(self, scope: str, *within: str, anywhere: bool = False) -> None:
        """For a request that costs whatever its outcome (a mail): check, then count it."""
        self.check(scope, *within, anywhere=anywhere)
        self.record_failure(scope, *within, anywhere=anywhere)


def _warn_of_untrusted_proxy() -> None:
    """Once per process: a proxy sends X-Forwarded-For, yet the app trusts none, so every
    client has the proxy's address and shares one budget of failures."""
    if "X-Forwarded-For" not in request.headers or current_app.extensions.get("proxy_warned"):
        return
    current_app.extensions["proxy_warned"] = True
    current_app.logger.warning(
        "A request from %s carries X-Forwarded-For, but TRUSTED_PROXIES is 0: every client "
        "behind that proxy counts as %s, and one client's failed logins and join codes lock "
        "out all of them. Set TRUSTED_PROXIES to the number of proxies in front of the app.",
        request.remote_addr,
        request.remote_addr,
    )
