"""Login for the chat when it listens beyond loopback: users with PBKDF2-SHA256 password hashes from settings.

An entry in `ui_auth` reads `user:pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>`; `policy-assistant
hash-password` makes one. Plain-text passwords are never accepted in settings, nor hashes weaker than
MIN_ITERATIONS iterations or with a salt shorter than MIN_SALT_BYTES.

Checking a password:
- an unknown user name costs the same PBKDF2 as a known one (against a dummy hash), so timing does not tell
  which names exist;
- repeated failures lock the account name and the client address for a growing period (`Throttle`); while locked
  every attempt is refused without checking the password, so a right password found then reveals nothing;
- Gradio's login route is async and calls a plain auth callable on the event loop, so the app gets
  `Login.authenticate` (async: the PBKDF2 runs in a worker thread, at most `threads` at a time) and the
  `ClientAddress` middleware, which hands the client address to it (Gradio passes only user and password).
"""
from __future__ import annotations

import contextvars
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

from ingest.errors import PolicyAssistantError

SCHEME = "pbkdf2_sha256"
ITERATIONS = 310_000          # what hash-password writes (OWASP's figure for PBKDF2-HMAC-SHA256)
MIN_ITERATIONS = 100_000      # the weakest hash parse_users accepts
MIN_SALT_BYTES = 16
MAX_ITERATIONS = 10_000_000   # beyond this one login would take seconds: a typo, refused rather than run

# Lockout: after ACCOUNT_FAILURES failed logins for one user name (any name, known or not) within WINDOW_S, or
# ADDRESS_FAILURES from one client address (higher: an office's users often share one address), that name or
# address is refused for LOCKOUT_S, doubling with each further lockout up to MAX_LOCKOUT_S.
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
WINDOW_S = 15 * 60
LOCKOUT_S = 60.0
MAX_LOCKOUT_S = 60 * 60.0


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    if not password:
        raise PolicyAssistantError("empty password")
    salt = salt or secrets.token_bytes(MIN_SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def parse_users(entries: list[str], min_iterations: int = MIN_ITERATIONS) -> dict[str, tuple[int, bytes, bytes]]:
    """{user: (iterations, salt, hash)}; a malformed or weak entry is an error naming it (never the hash itself).

    `min_iterations` is a parameter for tests only (fast hashes); settings cannot lower it."""
    users = {}
    for n, entry in enumerate(entries, 1):
        user, _, hashed = entry.partition(":")
        parts = hashed.split("$")
        name = f"ui_auth entry {n} ('{user or '?'}')"
        try:
            if not user or len(parts) != 4 or parts[0] != SCHEME or not parts[1].isascii() or not parts[1].isdigit():
                raise ValueError
            iterations, salt, digest = int(parts[1]), bytes.fromhex(parts[2]), bytes.fromhex(parts[3])
            if len(digest) != hashlib.sha256().digest_size:
                raise ValueError
        except ValueError:
            raise PolicyAssistantError(f"{name} is not user:{SCHEME}$iterations$salt$hash; "
                                       "make one with `policy-assistant hash-password`") from None
        if iterations < max(min_iterations, 1) or iterations > MAX_ITERATIONS or len(salt) < MIN_SALT_BYTES:
            raise PolicyAssistantError(f"{name} is too weak or out of range: it needs {min_iterations:,}-{MAX_ITERATIONS:,} "
                                       f"iterations and a salt of at least {MIN_SALT_BYTES} bytes; make a new one with "
                                       "`policy-assistant hash-password`")
        if user in users:
            raise PolicyAssistantError(f"{name}: user '{user}' appears more than once")
        users[user] = (iterations, salt, digest)
    return users


@dataclass
class _Record:
    failures: deque = field(default_factory=deque)   # times of recent failures (within the window)
    strikes: int = 0                                  # lockouts so far; each doubles the next one
    locked_until: float = 0.0
    last: float = 0.0                                 # last failure


class Throttle:
    """Failed logins per key (an account name or a client address) and the lockouts they earn. Thread-safe; `clock`
    is injectable for tests. Strikes are forgotten after `forget_s` without a failure; memory stays bounded by
    dropping the stalest keys beyond `max_keys`."""

    def __init__(self, limit: int, window_s: float = WINDOW_S, lockout_s: float = LOCKOUT_S,
                 max_lockout_s: float = MAX_LOCKOUT_S, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000):
        self.limit, self.window_s, self.lockout_s, self.max_lockout_s = limit, window_s, lockout_s, max_lockout_s
        self.forget_s = max(window_s, max_lockout_s) * 2
        self.clock, self.max_keys = clock, max_keys
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def locked_for(self, key: str | None) -> float:
        """Seconds until `key` may try again (0.0: it may now)."""
        if key is None:
            return 0.0
        with self._lock:
            rec = self._records.get(key)
            return max(0.0, rec.locked_until - self.clock()) if rec else 0.0

    def failure(self, key: str | None) -> None:
        if key is None:
            return
        now = self.clock()
        with self._lock:
            rec = self._records.get(key)
            if rec is None:
                if len(self._records) >= self.max_keys:
                    self._prune(now)
                rec = self._records[key] = _Record()
            elif now - rec.last > self.forget_s:
                rec.strikes = 0
            rec.last = now
            while rec.failures and now - rec.failures[0] >= self.window_s:
                rec.failures.popleft()
            rec.failures.append(now)
            if len(rec.failures) >= self.limit:
                rec.strikes += 1
                rec.locked_until = now + min(self.lockout_s * 2 ** (rec.strikes - 1), self.max_lockout_s)
                rec.failures.clear()

    def success(self, key: str | None) -> None:
        """A right password (outside a lockout) clears the key's failures and strikes."""
        if key is not None:
            with self._lock:
                self._records.pop(key, None)

    def _prune(self, now: float) -> None:
        stale = [k for k, r in self._records.items() if r.locked_until <= now and now - r.last >= self.window_s]
        for k in stale:
            del self._records[k]
        if len(self._records) >= self.max_keys:   # still full: drop the least recently failed half
            for k, _ in sorted(self._records.items(), key=lambda kv: kv[1].last)[: len(self._records) // 2]:
                del self._records[k]


_client_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("policy_assistant_client", default=None)


class ClientAddress:
    """ASGI middleware: makes the client's address (after uvicorn's proxy-header handling) visible to
    `Login.authenticate`, which Gradio calls with the user name and password only."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope.get("type") == "http":
            client = scope.get("client")
            token = _client_address.set(str(client[0]) if client else None)
            try:
                await self.app(scope, receive, send)
            finally:
                _client_address.reset(token)
        else:
            await self.app(scope, receive, send)


class Login:
    """Checks logins against parsed ui_auth entries: constant time for unknown names, throttled per account name
    and per client address. `check` is synchronous (runs the PBKDF2 in the caller's thread); `authenticate` is what
    Gradio gets (`auth=`): async, PBKDF2 in a worker thread."""

    def __init__(self, entries: list[str], *, min_iterations: int = MIN_ITERATIONS, clock: Callable[[], float] = time.monotonic,
                 account_failures: int = ACCOUNT_FAILURES, address_failures: int = ADDRESS_FAILURES,
                 window_s: float = WINDOW_S, lockout_s: float = LOCKOUT_S, max_lockout_s: float = MAX_LOCKOUT_S,
                 threads: int | None = None):
        self.users = parse_users(entries, min_iterations=min_iterations)
        iterations = max((it for it, _, _ in self.users.values()), default=ITERATIONS)
        self._dummy = (iterations, secrets.token_bytes(MIN_SALT_BYTES), secrets.token_bytes(32))
        self.accounts = Throttle(account_failures, window_s, lockout_s, max_lockout_s, clock)
        self.addresses = Throttle(address_failures, window_s, lockout_s, max_lockout_s, clock)
        # At most this many PBKDF2 runs at once: half the cores, so the event loop and the chat keep a core.
        self.threads = threads or max(1, (os.cpu_count() or 2) // 2)
        self._limiter = None

    def verify(self, user: str, password: str) -> bool:
        """The password check alone: one PBKDF2 whether or not the user exists."""
        entry = self.users.get(user)
        iterations, salt, expected = entry or self._dummy
        got = hashlib.pbkdf2_hmac("sha256", (password or "").encode("utf-8", "surrogatepass"), salt, iterations)
        return hmac.compare_digest(got, expected) and entry is not None and bool(password)

    def locked_for(self, user: str, address: str | None = None) -> float:
        return max(self.accounts.locked_for(user), self.addresses.locked_for(address))

    def check(self, user: str, password: str, address: str | None = None) -> bool:
        """Throttled check: refused without a look at the password while the name or the address is locked."""
        if self.locked_for(user, address):
            return False
        if self.verify(user, password):
            self.accounts.success(user)
            return True
        self.accounts.failure(user)
        self.addresses.failure(address)
        return False

    __call__ = check

    async def authenticate(self, user: str, password: str) -> bool:
        """Gradio's auth callable. Refuses at once while locked; otherwise waits for a PBKDF2 thread, and checks
        the lock again before hashing (queued guesses after a lockout are refused without hashing)."""
        import anyio

        address = _client_address.get()
        if self.locked_for(user, address):
            return False
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.threads)
        return await anyio.to_thread.run_sync(self.check, user, password, address, limiter=self._limiter)

    def app_kwargs(self) -> dict:
        """For `demo.launch(app_kwargs=...)`: the middleware that gives `authenticate` the client address."""
        from starlette.middleware import Middleware

        return {"middleware": [Middleware(ClientAddress)]}


def checker(entries: list[str], **kw) -> Login:
    """The login for ui_auth entries; callable as (user, password) -> bool. Give Gradio `.authenticate`."""
    return Login(entries, **kw)
