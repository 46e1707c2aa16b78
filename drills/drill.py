"""Load and crash drills: gunicorn on SQLite, autosaving clients, kill -9.

Run with ``make drill`` (or ``.venv/bin/python drills/drill.py``). On a
throwaway SQLite database in a temporary folder (migrated, the demo account
loaded, static files collected) it starts gunicorn with 2 workers on
127.0.0.1 in production settings, then:

1. load: 50 clients, each with its own session and its own entry, autosave
   the entry's body as fast as the server answers for 60 s (``--seconds``).
   Passes with zero 5xx answers and no "database is locked" in the server log.
2. crash: 10 times (``--kills``) the server is killed with SIGKILL, master
   and workers, while the clients are saving, and started again. After each
   kill ``PRAGMA integrity_check`` must say ``ok``, and every save a client
   saw acknowledged (204 with version v) must be in the database: the
   stored version is at least v, and at v the stored text is the one sent.

Prints the figures and exits 1 on any failure. Loopback only; bounded in
time (a watchdog ends the drill after ``--limit`` seconds).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
YEAR = 2024

SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from timeline.models import Entry

user = get_user_model().objects.get(username="demo")
out = []
for n in range(CLIENTS):
    entry = Entry.objects.create(owner=user, title=f"Drill {n}", started_on="YEAR-06-01")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    out.append({"session": session.session_key, "entry": entry.pk})
print(json.dumps(out))
"""


@dataclass
class Ack:
    version: int
    text: str


@dataclass
class Client:
    session: str
    entry: int
    csrf: str = ""
    version: int = 0
    serial: int = 0
    acks: list[Ack] = field(default_factory=list)


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int | None, seconds: float, error: str = "") -> None:
        with self.lock:
            if status is None:
                self.errors[error] += 1
            else:
                self.statuses[status] += 1
                self.latencies.append(seconds)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn in production settings; the drill started it and ends it by its pids."""

    def __init__(self, env: dict, port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen | None = None
        self.killed = 0

    def start(self) -> None:
        command = [
            str(GUNICORN), "config.wsgi:application", "--workers", "2",
            "--bind", f"{HOST}:{self.port}", "--error-logfile", str(self.log),
            "--capture-output", "--timeout", "30", "--graceful-timeout", "5",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _, _ = request(self.port, "GET", "/accounts/login/", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer within 30 s")

    def pids(self) -> list[int]:
        """The master and its workers (children found through /proc)."""
        assert self.process is not None
        master = self.process.pid
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == master:
                children.append(int(entry.name))
        return [master, *children]

    def kill(self) -> int:
        """SIGKILL to the master and every worker at once; returns how many died."""
        pids = self.pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.killed = len(pids)
        assert self.process is not None
        self.process.wait(timeout=10)
        for pid in pids[1:]:  # workers are reaped by init once their master is gone
            deadline = time.monotonic() + 5
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                if _zombie(pid):
                    break
                time.sleep(0.02)
        return len(pids)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def request(port, method, path, body=None, headers=None, timeout=30.0):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, response.msg, data
    finally:
        connection.close()


def csrf_token(port: int, client: Client) -> str:
    _, headers, _ = request(
        port, "GET", f"/{YEAR}/", headers={"Cookie": f"sessionid={client.session}"}
    )
    for cookie in headers.get_all("Set-Cookie") or []:
        if cookie.startswith("csrftoken="):
            return cookie.split(";")[0].split("=", 1)[1]
    raise RuntimeError("no csrftoken cookie on the year page")


def save(port: int, client: Client, tally: Tally) -> None:
    client.serial += 1
    text = f"Drill save {client.serial} of entry {client.entry}: 今天写了第 {client.serial} 段。"
    body = urlencode({"text": text, "version": client.version, "year": YEAR})
    headers = {
        "Cookie": f"sessionid={client.session}; csrftoken={client.csrf}",
        "X-CSRFToken": client.csrf,
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    started = time.monotonic()
    try:
        status, response_headers, _ = request(
            port, "POST", f"/text/entry/{client.entry}/body/save/", body, headers
        )
    except (OSError, http.client.HTTPException) as error:
        tally.add(None, 0, type(error).__name__)
        time.sleep(0.05)  # the server is down: try again shortly
        return
    tally.add(status, time.monotonic() - started)
    if status == 204:
        client.version = int(response_headers["X-Text-Version"])
        client.acks.append(Ack(client.version, text))


def run_clients(port: int, clients: list[Client], seconds: float, tally: Tally) -> None:
    stop = time.monotonic() + seconds

    def loop(client: Client) -> None:
        while time.monotonic() < stop:
            save(port, client, tally)

    threads = [threading.Thread(target=loop, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 40)


def stored(db: Path) -> dict[int, tuple[str, int]]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT id, body, COALESCE(json_extract(text_versions, '$.body'), 0)"
            " FROM timeline_entry"
        ).fetchall()
    return {pk: (body, int(version)) for pk, body, version in rows}


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def lost_acks(db: Path, clients: list[Client]) -> list[str]:
    """Acknowledged saves the database does not hold."""
    now = stored(db)
    problems = []
    for client in clients:
        if not client.acks:
            continue
        last = client.acks[-1]
        text, version = now[client.entry]
        if version < last.version:
            problems.append(
                f"entry {client.entry}: acknowledged v{last.version}, stored v{version}"
            )
        elif version == last.version and text != last.text:
            problems.append(f"entry {client.entry}: v{version} holds another text")
    return problems


def figures_of(tally: Tally, seconds: float) -> dict:
    latencies = sorted(tally.latencies)
    total = sum(tally.statuses.values())

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    return {
        "requests": total,
        "per_second": round(total / seconds, 1) if seconds else 0,
        "statuses": dict(sorted(tally.statuses.items())),
        "connection_errors": dict(tally.errors),
        "latency_ms": {"p50": pct(0.5), "p95": pct(0.95), "p99": pct(0.99), "max": pct(1.0)}
        if latencies
        else {},
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0,
    }


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("DRILL_SECONDS", 60))
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--limit", type=float, default=290, help="watchdog, seconds")
    options = parser.parse_args()

    def watchdog(*_):
        print(f"FAIL: the drill took longer than {options.limit:.0f} s", flush=True)
        os._exit(1)

    signal.signal(signal.SIGALRM, watchdog)
    signal.alarm(int(options.limit))
    began = time.monotonic()

    folder = Path(tempfile.mkdtemp(prefix="almanac-drill-"))
    db = folder / "drill.sqlite3"
    log = folder / "gunicorn.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{db}",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        ALMANAC_MEDIA_ROOT=str(folder / "media"),
    )
    print(f"Drill folder: {folder}")
    manage(env, "migrate", "--no-input")
    manage(env, "createcachetable")
    manage(env, "demo")
    manage(env, "collectstatic", "--no-input")
    script = SETUP.replace("CLIENTS", str(options.clients)).replace("YEAR", str(YEAR))
    setup = json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])
    clients = [Client(row["session"], row["entry"]) for row in setup]
    print(f"Setup: {len(clients)} clients, each with a session and an entry "
          f"({time.monotonic() - began:.1f} s)")  # fmt: skip

    port = free_port()
    server = Server(env, port, log)
    failures: list[str] = []
    try:
        server.start()
        for client in clients:
            client.csrf = csrf_token(port, client)

        # 1. Load.
        load = Tally()
        run_clients(port, clients, options.seconds, load)
        load_figures = figures_of(load, options.seconds)
        server_errors = sum(n for status, n in load.statuses.items() if status >= 500)
        locked = log.read_text(errors="replace").count("database is locked")
        acked = sum(len(c.acks) for c in clients)
        print(f"\n== Load: {len(clients)} clients autosaving for {options.seconds:.0f} s ==")
        print(json.dumps(load_figures, indent=1))
        print(f"acknowledged saves: {acked}; 5xx: {server_errors}; "
              f"'database is locked' in the log: {locked}")  # fmt: skip
        if server_errors:
            failures.append(f"load: {server_errors} answers were 5xx")
        if locked:
            failures.append(f"load: 'database is locked' {locked} times in the server log")
        if load.errors:
            failures.append(f"load: connection errors {dict(load.errors)}")
        lost = lost_acks(db, clients)
        if lost:
            failures.append(f"load: {len(lost)} acknowledged saves missing: {lost[:3]}")

        # 2. Crash.
        print(f"\n== Crash: kill -9 of master and workers, {options.kills} times ==")
        crash = Tally()
        for n in range(options.kills):
            if n:
                server.start()
            for client in clients:  # a save cut off by the last kill may have landed
                client.version = stored(db)[client.entry][1]
            before = sum(len(c.acks) for c in clients)
            killer = threading.Timer(random.uniform(0.5, 1.5), server.kill)
            killer.start()
            run_clients(port, clients, 2.0, crash)
            killer.join()
            checked = integrity(db)
            missing = lost_acks(db, clients)
            acked_now = sum(len(c.acks) for c in clients) - before
            print(
                f"kill {n + 1} ({server.killed} processes): {acked_now} saves acknowledged;"
                f" integrity_check: {checked}; acknowledged saves missing: {len(missing)}"
            )
            if checked != "ok":
                failures.append(f"kill {n + 1}: integrity_check says {checked}")
            if missing:
                failures.append(f"kill {n + 1}: {missing[:3]}")
        crash_errors = sum(n for status, n in crash.statuses.items() if status >= 500)
        print(f"answers during the crash rounds: {dict(sorted(crash.statuses.items()))}; "
              f"requests cut off or refused: {dict(crash.errors)}")  # fmt: skip
        if crash_errors:
            failures.append(f"crash: {crash_errors} answers were 5xx")
        total_acked = sum(len(c.acks) for c in clients)
        print(f"\nAll acknowledged saves checked: {total_acked}")
    finally:
        server.stop()
    print(f"Drill time: {time.monotonic() - began:.0f} s")
    if failures:
        print(f"\nFAIL (the database and gunicorn.log are kept in {folder})")
        for failure in failures:
            print(f"- {failure}")
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    print("\nPASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
