"""The login off loopback, and where `serve` may listen.

- Failed logins lock the account name and the client address for a growing period (unit tests on an injected
  clock, and on a real `serve` process: the right password is refused during the lockout);
- an unknown user name costs the same PBKDF2 as a known one (no user enumeration by timing);
- weak or malformed ui_auth entries are refused when settings are read, in one line that never shows the hash;
- the PBKDF2 runs off the event loop: other users' requests are not held up while 20 logins run;
- `serve --host` takes loopback only as an IP literal (ipaddress's is_loopback) or exactly `localhost`; a name that
  does not resolve, an address not on this machine or a port in use is one error line and exit 2.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import socket
import statistics
import threading
import time

import httpx
import pytest

from assistant import auth
from assistant.auth import checker, hash_password, parse_users
from ingest.errors import PolicyAssistantError
from tests.conftest import AppServer, free_port, run_cli

FAST = 20_000   # iterations for the unit tests (allowed through min_iterations=, never through settings)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- lockout logic --------------------------------------------------------------------------------------------

def test_throttle_locks_after_repeated_failures_for_a_growing_period():
    clock = Clock()
    t = auth.Throttle(5, window_s=900, lockout_s=60, max_lockout_s=300, clock=clock)
    for _ in range(4):
        t.failure("anna")
        clock.now += 10
    assert t.locked_for("anna") == 0
    t.failure("anna")                                  # the 5th within 15 minutes
    assert t.locked_for("anna") == pytest.approx(60)
    assert t.locked_for("bertil") == 0 and t.locked_for(None) == 0
    clock.now += 59
    assert t.locked_for("anna") > 0
    clock.now += 1
    assert t.locked_for("anna") == 0
    for _ in range(5):
        t.failure("anna")
    assert t.locked_for("anna") == pytest.approx(120)  # the second lockout doubles
    for expected in (240, 300, 300):                   # ... up to the cap
        clock.now += 1000
        for _ in range(5):
            t.failure("anna")
        assert t.locked_for("anna") == pytest.approx(expected)


def test_throttle_counts_only_failures_within_the_window_and_success_clears():
    clock = Clock()
    t = auth.Throttle(5, window_s=900, lockout_s=60, clock=clock)
    for _ in range(4):
        t.failure("anna")
    clock.now += 901                                   # those four have aged out
    for _ in range(4):
        t.failure("anna")
    assert t.locked_for("anna") == 0
    t.success("anna")
    for _ in range(4):
        t.failure("anna")
    assert t.locked_for("anna") == 0
    t.failure("anna")
    assert t.locked_for("anna") > 0


def test_login_locks_the_account_and_the_address_and_hides_the_password_while_locked(monkeypatch):
    clock = Clock()
    entries = ["anna:" + hash_password("rätt lösen", iterations=FAST), "bertil:" + hash_password("hans lösen", iterations=FAST)]
    login = checker(entries, min_iterations=FAST, clock=clock, account_failures=5, address_failures=8, lockout_s=60)
    assert login.check("anna", "rätt lösen", "10.0.0.1")
    for n in range(5):
        assert not login.check("anna", f"fel {n}", "10.0.0.1")
    hashed = []
    monkeypatch.setattr(type(login), "verify", lambda self, u, p: hashed.append(u) or True)
    assert not login.check("anna", "rätt lösen", "10.0.0.2")      # locked account, from any address: refused ...
    assert hashed == []                                            # ... without looking at the password
    monkeypatch.undo()
    assert login.check("bertil", "hans lösen", "10.0.0.1")         # another account is not locked
    clock.now += 60
    assert login.check("anna", "rätt lösen", "10.0.0.1")           # the lockout ends

    for n in range(8):                                             # 8 failures from one address, spread over names
        assert not login.check(f"gissning{n}", "x", "10.0.0.9")
    assert not login.check("anna", "rätt lösen", "10.0.0.9")       # that address is locked for every account
    assert login.check("anna", "rätt lösen", "10.0.0.1")           # other addresses are not

    for n in range(5):                                             # unknown names lock like known ones
        login.check("okänd", f"fel {n}", f"10.1.0.{n}")
    assert login.locked_for("okänd") > 0


def test_authenticate_hashes_in_a_worker_thread_and_keeps_the_event_loop_free():
    entry = "anna:" + hash_password("rätt lösen", iterations=300_000)
    login = checker([entry], threads=1, account_failures=1000, address_failures=1000)
    singles = []
    for _ in range(3):
        t = time.perf_counter()
        login.verify("anna", "x")
        singles.append(time.perf_counter() - t)
    single = statistics.median(singles)             # one PBKDF2

    async def main():
        gaps, stop = [], False

        async def ticker():
            last = time.perf_counter()
            while not stop:
                await asyncio.sleep(0.005)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        tick = asyncio.create_task(ticker())
        results = await asyncio.gather(*(login.authenticate("anna", "rätt lösen" if n % 2 else "fel") for n in range(6)))
        stop = True
        await tick
        return results, gaps

    # In a thread of its own: a browser test earlier in the session may leave an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        results, gaps = pool.submit(asyncio.run, main()).result()
    assert results == [False, True] * 3
    assert max(gaps) < max(single * 0.6, 0.06), (max(gaps), single)   # never blocked for a whole PBKDF2


# --- constant time for unknown names -------------------------------------------------------------------------

def test_unknown_user_takes_as_long_as_a_known_user_with_a_wrong_password():
    login = checker(["anna:" + hash_password("rätt lösen", iterations=100_000)], account_failures=1000, address_failures=1000)

    def timed(user):
        t = time.perf_counter()
        assert not login.check(user, "fel lösen")
        return time.perf_counter() - t

    timed("anna")                                      # warm up
    known, unknown = [], []
    for n in range(9):                                 # interleaved, so a busy machine slows both alike
        known.append(timed("anna"))
        unknown.append(timed(f"okänd{n}"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2, (ratio, known, unknown)


# --- entries read from settings ------------------------------------------------------------------------------

def test_weak_hashes_are_refused_when_settings_are_read():
    assert auth.MIN_ITERATIONS >= 100_000
    good = hash_password("lösen")
    assert parse_users(["anna:" + good])
    weak = {
        "one iteration": "anna:" + hash_password("lösen", iterations=1),
        "too few": "anna:" + hash_password("lösen", iterations=auth.MIN_ITERATIONS - 1),
        "empty salt": "anna:pbkdf2_sha256$310000$$" + good.split("$")[3],
        "short salt": "anna:" + hash_password("lösen", salt=b"8 bytes!"),
    }
    for why, entry in weak.items():
        with pytest.raises(PolicyAssistantError) as err:
            parse_users(["bertil:" + good, entry])
        msg = str(err.value)
        assert "entry 2 ('anna')" in msg and "hash-password" in msg, why
        assert entry.split("$")[3] not in msg and "\n" not in msg, why
    # tests may lower the minimum through the parameter; settings cannot
    assert parse_users(["anna:" + hash_password("lösen", iterations=1000)], min_iterations=1000)


def test_malformed_entries_are_errors_not_crashes():
    digest = "ab" * 32
    salt = "cd" * 16
    for entry in (f"anna:pbkdf2_sha256$0${salt}${digest}", f"anna:pbkdf2_sha256$-5${salt}${digest}",
                  f"anna:pbkdf2_sha256$ 310000${salt}${digest}", f"anna:pbkdf2_sha256$99999999999${salt}${digest}",
                  f"anna:pbkdf2_sha256$310000$zz${digest}", f"anna:pbkdf2_sha256$310000${salt}$abcd",
                  f"anna:pbkdf2_sha256$310000${salt}${digest}$extra", f"anna:pbkdf2_sha1$310000${salt}${digest}",
                  f":pbkdf2_sha256$310000${salt}${digest}", "anna:hemligt", "anna", ""):
        with pytest.raises(PolicyAssistantError, match="hash-password") as err:
            parse_users([entry])
        assert digest not in str(err.value)
    with pytest.raises(PolicyAssistantError, match="more than once"):
        parse_users(["anna:" + hash_password("a"), "anna:" + hash_password("b")])


# --- a real serve process ------------------------------------------------------------------------------------

def _login(client: httpx.Client, user: str, password: str) -> int:
    return client.post("login", data={"username": user, "password": password}).status_code


def test_served_login_locks_out_and_does_not_stall_other_users(corpus_store, tmp_path):
    entries = ["anna:" + hash_password("rätt lösen"), "bertil:" + hash_password("hans lösen")]
    server = AppServer(corpus_store, tmp_path, POLICY_ASSISTANT_UI_AUTH=json.dumps(entries))
    try:
        user = httpx.Client(base_url=server.url, timeout=120)
        assert user.get("config").status_code == 401
        assert _login(user, "anna", "rätt lösen") == 200
        assert user.get("config").status_code == 200

        # Other users' requests while 20 logins run in parallel.
        def probe():
            t = time.perf_counter()
            assert user.get("config").status_code == 200
            return time.perf_counter() - t

        before = [probe() for _ in range(10)]
        during, done = [], threading.Event()

        def prober():
            while not done.is_set():
                during.append(probe())
                time.sleep(0.02)

        codes: list[int] = []

        def one_login():
            with httpx.Client(base_url=server.url, timeout=120) as c:
                codes.append(_login(c, "anna", "rätt lösen"))

        p = threading.Thread(target=prober)
        logins = [threading.Thread(target=one_login) for _ in range(20)]
        p.start()
        time.sleep(0.1)
        start = time.perf_counter()
        for t in logins:
            t.start()
        for t in logins:
            t.join()
        burst = time.perf_counter() - start
        done.set()
        p.join()
        assert codes == [200] * 20
        base, worst = statistics.median(before), max(during)
        print(f"GET /config: {base * 1000:.1f} ms before, worst {worst * 1000:.1f} ms (median "
              f"{statistics.median(during) * 1000:.1f} ms, {len(during)} requests) during 20 logins taking {burst:.2f} s; "
              f"ratio worst/before {worst / base:.1f}")
        assert len(during) >= 5, "the probe was held up for the whole burst"
        assert worst < max(0.25 * burst, 10 * base), (worst, burst, base)

        # Lockout: after 5 wrong passwords the right one is refused for that account, from any client.
        attacker = httpx.Client(base_url=server.url, timeout=120)
        for n in range(5):
            assert _login(attacker, "bertil", f"fel {n}") == 400
        assert _login(attacker, "bertil", "hans lösen") == 400
        assert _login(httpx.Client(base_url=server.url, timeout=120), "bertil", "hans lösen") == 400
        assert _login(attacker, "anna", "rätt lösen") == 200        # not the whole address yet
        # ... and after 20 failures from one address, every account is refused from it.
        for n in range(15):
            assert _login(attacker, f"gissning{n}", "x") == 400
        assert _login(attacker, "anna", "rätt lösen") == 400
        assert user.get("config").status_code == 200                 # a session already logged in goes on
    finally:
        server.stop()


def _one_line_error(result) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    return lines[0]


@pytest.mark.parametrize("host", ["::1234", "localhost.invalid", "127.0.0.1.evil.invalid"])
def test_serve_refuses_hosts_that_are_not_loopback_in_one_line(corpus_store, host):
    result = run_cli("serve", "--host", host, "--port", free_port(),
                     env_extra={"POLICY_ASSISTANT_DATA_DIR": str(corpus_store.data_dir)}, timeout=120)
    line = _one_line_error(result)
    assert "without login" in line or "resolves" in line


def test_serve_bind_failures_are_one_line(corpus_store):
    env = {"POLICY_ASSISTANT_DATA_DIR": str(corpus_store.data_dir),
           "POLICY_ASSISTANT_UI_AUTH": json.dumps(["anna:" + hash_password("rätt lösen")])}
    line = _one_line_error(run_cli("serve", "--host", "::1234", "--port", free_port(), env_extra=env, timeout=120))
    assert "cannot listen on ::1234" in line                        # an address not on this machine
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        line = _one_line_error(run_cli("serve", "--port", port, env_extra={"POLICY_ASSISTANT_DATA_DIR": str(corpus_store.data_dir)},
                                       timeout=120))
        assert f"port {port}" in line
