"""Login for the chat when it listens beyond loopback: users with PBKDF2-SHA256 password hashes from settings.

An entry in `ui_auth` reads `user:pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>`; `policy-assistant
hash-password` makes one. Plain-text passwords are never accepted in settings.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from ingest.errors import PolicyAssistantError

SCHEME = "pbkdf2_sha256"
ITERATIONS = 310_000


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    if not password:
        raise PolicyAssistantError("empty password")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def parse_users(entries: list[str]) -> dict[str, tuple[int, bytes, bytes]]:
    """{user: (iterations, salt, hash)}; a malformed entry is an error naming it (never the hash itself)."""
    users = {}
    for n, entry in enumerate(entries, 1):
        user, _, hashed = entry.partition(":")
        parts = hashed.split("$")
        try:
            if not user or len(parts) != 4 or parts[0] != SCHEME:
                raise ValueError
            users[user] = (int(parts[1]), bytes.fromhex(parts[2]), bytes.fromhex(parts[3]))
        except ValueError:
            raise PolicyAssistantError(f"ui_auth entry {n} ('{user or '?'}') is not user:{SCHEME}$iterations$salt$hash; "
                                       "make one with `policy-assistant hash-password`") from None
    return users


def checker(entries: list[str]):
    """A Gradio auth callable: (user, password) -> bool, in constant time for a known user."""
    users = parse_users(entries)

    def check(user: str, password: str) -> bool:
        known = users.get(user)
        if known is None or not password:
            return False
        iterations, salt, expected = known
        got = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
        return hmac.compare_digest(got, expected)

    return check
