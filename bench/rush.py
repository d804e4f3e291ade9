"""The deadline rush: many submitters at once before a close, with faults; prints JSON.

    python -m bench.rush                      # 200 submitters, then three fault phases (5-9 min)
    python -m bench.rush --submitters 50 --phases rush --close-after 60

Runs the service as in production (`inpractice serve`: gunicorn, several sync workers,
INPRACTICE_ENV=production, hashed static files collected) on loopback only, against PostgreSQL
in a dedicated, throwaway cluster that this script creates (initdb), so restarting PostgreSQL
never disturbs anybody else's database. Each simulated submitter is a whole browser journey
through the real pages: GET each page, read its CSRF token and version, POST the answers, check
answers, submit, read the reference on the confirmation page; it retries after errors the way a
person would (reload, send again).

Phases (each with its own call and its own counts):
- rush: all submitters race a close that comes a short time after they start (the last five
  minutes before a real close, compressed); some hold their final "send" until just before or
  just after the close to test that the close is enforced to the second.
- kill-worker: `kill -9` gunicorn workers that are in the middle of a request.
- restart-postgres: an immediate (crash-like) restart of PostgreSQL during the rush.
- full-disk: the email directory (a tmpfs) is filled while submitters submit and save.

After each phase the database is counted: every acknowledged submission (a reference shown to
the client) is stored exactly once, none is half-written, none was accepted after the close, and
a fresh journey after the fault succeeds without anybody repairing anything.

The service sits behind no proxy here, so the client plays the TLS-terminating proxy: it sends
`X-Forwarded-Proto: https` (production trusts it through SECURE_PROXY_SSL_HEADER) and an Origin
header as browsers do, and keeps its cookies itself (they are Secure, so a stock cookie jar would
not send them over plain loopback HTTP). Rate limits per client address are raised for the run
(RATELIMIT_SUBMIT, RATELIMIT_NOMINATE, RATELIMIT_EMAIL_PER_CLIENT), because every simulated
submitter comes from 127.0.0.1; the limit on emails per draft is left as it is.

Needs root (or the postgres user's tools in PATH) to create the cluster; the full-disk phase
needs root to mount a tmpfs. Everything is bounded (--timeout) and cleaned up on any exit:
gunicorn, the cluster, the mount and the temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import glob
import http.cookiejar
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "rush.json"
PHASES = ("rush", "kill-worker", "restart-postgres", "full-disk")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d*)"')
REFERENCE = re.compile(r'id="reference">(IP-[A-Z2-9]{4}-[A-Z2-9]{4})<')
CLOSED_PAGE = "This call has closed"
RECEIPT_FAILED = "could not send your receipt"
SAVE_FAILED = "could not email you a link"
BAD_REQUEST_PAGE = "Sorry, there is a problem with that request"


class BenchError(RuntimeError):
    """The bench itself could not run (not a finding about the service)."""


# --- the environment: a private PostgreSQL, a tmpfs for email, gunicorn ----------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], timeout: float = 120, check: bool = True, **kw):
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)  # noqa: S603
    if check and result.returncode != 0:
        raise BenchError(f"{' '.join(args)} failed: {result.stderr.strip()[-500:]}")
    return result


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on a loopback port, in the bench's temporary directory."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.data = workdir / "pgdata"
        self.sockets = workdir / "pgsock"
        self.log = workdir / "postgres.log"
        self.port = free_port()
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        self.bindir = Path(found[-1]).parent if found else None
        if self.bindir is None and shutil.which("initdb"):
            self.bindir = Path(shutil.which("initdb")).parent
        if self.bindir is None:
            raise BenchError("initdb not found: install PostgreSQL (apt-get install postgresql)")
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.started = False

    def _pg(self, tool: str, *args: str, timeout: float = 120):
        return run([*self.as_postgres, str(self.bindir / tool), *args], timeout=timeout)

    def start(self) -> None:
        for path in (self.data, self.sockets):
            path.mkdir()
            if self.as_postgres:
                shutil.chown(path, "postgres", "postgres")
        self.log.touch()
        if self.as_postgres:
            shutil.chown(self.log, "postgres", "postgres")
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.sockets} -c max_connections=60 "
            "-c shared_buffers=64MB"
        )
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        self.started = True
        self.wait_ready()
        run(
            [
                str(self.bindir / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-qc",
                "CREATE DATABASE inpractice_rush",
            ]
        )

    def wait_ready(self, limit: float = 60) -> float:
        started = time.monotonic()
        while time.monotonic() - started < limit:
            ready = run(
                [str(self.bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                check=False,
            )
            if ready.returncode == 0:
                return time.monotonic() - started
            time.sleep(0.1)
        raise BenchError("PostgreSQL did not come back within a minute")

    def restart(self, mode: str) -> dict:
        started = time.monotonic()
        # -l again: without it the new server would hold pg_ctl's output pipes open.
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", mode, "-w", "restart")
        self.wait_ready()
        return {"mode": mode, "down_for_s": round(time.monotonic() - started, 2)}

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(Exception):
                self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.started = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/inpractice_rush"


class MailDisk:
    """A small tmpfs for the email directory, which a phase can fill and free."""

    def __init__(self, path: Path, size: str = "16m"):
        self.path = path
        self.size = size
        self.mounted = False
        self.filler = path / "filler.bin"

    def mount(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            return
        result = run(
            ["mount", "-t", "tmpfs", "-o", f"size={self.size},mode=0777", "tmpfs", str(self.path)],
            check=False,
        )
        self.mounted = result.returncode == 0

    def fill(self) -> int:
        """Write until the device says it is full; returns bytes left free (0 when full)."""
        written = 0
        with self.filler.open("wb") as handle:
            block = b"\0" * 65536
            try:
                while True:
                    handle.write(block)
                    handle.flush()
                    written += len(block)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
        # Fill the last partial block too.
        with contextlib.suppress(OSError), self.filler.open("ab") as handle:
            while True:
                handle.write(b"\0" * 512)
                handle.flush()
        return shutil.disk_usage(self.path).free

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def unmount(self) -> None:
        if self.mounted:
            run(["umount", "-l", str(self.path)], check=False)
            self.mounted = False


class Service:
    """`inpractice serve` (gunicorn) in production mode, in its own process group."""

    def __init__(self, env: dict, port: int, workers: int, log: Path):
        self.env = env
        self.port = port
        self.workers = workers
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        started = time.monotonic()
        handle = self.log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
            [
                sys.executable,
                "-m",
                "inpractice.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"inpractice serve exited early; see {self.log}")
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{self.port}/",
                    headers={"X-Forwarded-Proto": "https"},
                    timeout=5,
                )
                if response.status_code == 200 and len(self.worker_pids()) == self.workers:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise BenchError("the service did not start within five minutes")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        if children.exists():
            return [int(p) for p in children.read_text().split()]
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                    pids.append(int(stat.parent.name))
        return pids

    def worker_mid_request(self) -> int | None:
        """A worker holding an accepted client connection right now (so mid-request)."""
        established = set()
        port_hex = f"{self.port:04X}"
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with contextlib.suppress(OSError):
                for line in Path(table).read_text().splitlines()[1:]:
                    parts = line.split()
                    if parts[1].endswith(":" + port_hex) and parts[3] == "01":
                        established.add(parts[9])
        if not established:
            return None
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for fd in Path(f"/proc/{pid}/fd").iterdir():
                    target = os.readlink(fd)
                    if target.startswith("socket:[") and target[8:-1] in established:
                        return pid
        return None

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        # Workers left behind by a master that was killed first.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None


# --- data: a small register, one call per phase, and the checks ------------------------------


@dataclass
class Register:
    one_school: list[int]
    urn_list: list[int]
    trust_code: str
    trust_schools: int
    la_code: str
    la_schools: int


def seed_register() -> Register:
    from inpractice.schools.models import LocalAuthority, School, Trust

    camden = LocalAuthority.objects.get(code="202")
    leeds = LocalAuthority.objects.get(code="383")
    trust = Trust.objects.create(code="TR09001", name="Rush Bench Academy Trust")
    schools = []
    for i in range(300):
        la = camden if i < 40 else leeds
        schools.append(
            School(
                urn=900001 + i,
                name=f"Rush Bench School {i + 1}",
                local_authority=la,
                trust=trust if 40 <= i < 65 else None,
                phase="primary" if i % 3 else "secondary",
                region=la.region,
                town="London" if la is camden else "Leeds",
                status="Open",
            )
        )
    School.objects.bulk_create(schools)
    return Register(
        one_school=[900001 + i for i in range(40, 300)],
        urn_list=[900001 + i for i in range(100, 300)],
        trust_code="TR09001",
        trust_schools=25,
        la_code="202",
        la_schools=40,
    )


def create_call(slug: str, closes_at: datetime):
    from inpractice.intake.models import CallForEvidence

    return CallForEvidence.objects.create(
        slug=slug,
        title="Inclusion in practice: deadline rush",
        introduction="A call made by bench/rush.py.",
        opens_at=datetime.now(UTC) - timedelta(hours=1),
        closes_at=closes_at,
    )


def answers_for(index: int, phase: str, register: Register) -> tuple[list[tuple[str, dict]], int]:
    """Valid answers for each page (the journey test's answers, varied), and schools expected."""
    rng = random.Random(f"{phase}-{index}")
    kind = ("one_school", "urn_list", "trust", "local_authority")[index % 4]
    if kind == "one_school":
        schools = {"coverage": "one_school", "school": str(rng.choice(register.one_school))}
        expected = 1
    elif kind == "urn_list":
        urns = rng.sample(register.urn_list, rng.randint(2, 12))
        schools = {"coverage": "urn_list", "urns": "\n".join(map(str, urns))}
        expected = len(urns)
    elif kind == "trust":
        schools = {"coverage": "trust", "trust": register.trust_code}
        expected = register.trust_schools
    else:
        schools = {"coverage": "local_authority", "local_authority": register.la_code}
        expected = register.la_schools
    pages = [
        (
            "about-you",
            {
                "respondent_name": f"Rush Submitter {index}",
                "respondent_email": email_for(phase, index),
                "respondent_role": "SENCO",
                "organisation_name": f"Rush Organisation {index}",
                "organisation_type": "school",
            },
        ),
        ("schools", schools),
        ("title", {"title": f"Rush {phase} example {index}"}),
        ("q-practice", {"answer": "Every morning pupils with sensory needs start in a calm room."}),
        (
            "needs",
            {
                "need_codes": ["ASD", "SEMH"],
                "need_description": "Autistic pupils in Key Stage 2 who find the noisy start "
                "of the day overwhelming",
            },
        ),
        ("practice-types", {"practice_types": ["other"], "practice_type_other": "Calm start"}),
        ("phases", {"phases": ["primary"]}),
        ("q-impact", {"answer": f"Attendance rose from 88% to 95% (submitter {index})."}),
        ("q-enablers", {"answer": "Governors funded a part-time learning mentor."}),
        ("q-advice", {"answer": ""}),
        ("consent", {"consent_publication": "anonymised", "consent_contact": "yes"}),
    ]
    return pages, expected


def email_for(phase: str, index: int) -> str:
    return f"rush-{phase}-{index}@example.org"


# --- one simulated person --------------------------------------------------------------------


class NoCookies(http.cookiejar.DefaultCookiePolicy):
    """httpx must not keep cookies itself: each Submitter keeps its own (see the module doc)."""

    def set_ok(self, cookie, request):
        return False

    def return_ok(self, cookie, request):
        return False


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    answered_at: list[float] = field(default_factory=list)  # wall clock, one per response
    statuses: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_times: list[float] = field(default_factory=list)
    told: dict[str, int] = field(default_factory=dict)
    # When each "This call has closed" answer arrived (wall clock, same machine as the server).
    closed_answers: list[float] = field(default_factory=list)

    def count(self, table: dict, key: str) -> None:
        table[key] = table.get(key, 0) + 1


@dataclass
class Outcome:
    index: int
    email: str
    expected_schools: int
    reference: str | None = None
    result: str = "unfinished"  # acknowledged, closed, failed
    detail: str = ""
    journey_s: float | None = None
    receipt_said_sent: bool | None = None
    saves: list[str] = field(default_factory=list)  # "sent" or "failed", as the page said
    submit_sent_at: float | None = None
    submit_answered_at: float | None = None
    retries: int = 0
    restarts: int = 0


class Retry(Exception):
    pass


class Closed(Exception):
    pass


class Submitter:
    MAX_ATTEMPTS = 12

    def __init__(self, client: httpx.AsyncClient, base: str, slug: str, stats: Stats):
        self.client = client
        self.base = base
        self.slug = slug
        self.stats = stats
        self.cookies: dict[str, str] = {}
        self.origin = base.replace("http://", "https://")

    async def request(self, method: str, path: str, data: dict | None = None) -> httpx.Response:
        headers = {"X-Forwarded-Proto": "https", "User-Agent": "inpractice-rush-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        started = time.perf_counter()
        try:
            response = await self.client.request(
                method, self.base + path, data=data, headers=headers
            )
        except httpx.HTTPError as exc:
            self.stats.count(self.stats.errors, f"transport: {type(exc).__name__}")
            self.stats.count(self.stats.statuses, "transport error")
            self.stats.error_times.append(time.time())
            raise Retry(type(exc).__name__) from None
        self.stats.latencies.append(time.perf_counter() - started)
        self.stats.answered_at.append(time.time())
        self.stats.count(self.stats.statuses, str(response.status_code))
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower() or not value:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        if response.status_code == 503 and SAVE_FAILED in response.text:
            # Not a failure of the bench's making: the service said truthfully that the email
            # with the link could not be sent (the answers are saved). Counted apart.
            self.stats.count(self.stats.told, "503: saved, but the link could not be emailed")
            return response
        if response.status_code >= 500:
            self.stats.count(self.stats.errors, f"HTTP {response.status_code} on {method}")
            self.stats.error_times.append(time.time())
            raise Retry(f"HTTP {response.status_code}")
        if response.status_code == 400 and BAD_REQUEST_PAGE in response.text:
            # Django's SessionMiddleware answers 400 when it cannot save the session because
            # the database has gone away; a person would go back and try again.
            self.stats.count(self.stats.errors, f"HTTP 400 (session not saved) on {method}")
            self.stats.error_times.append(time.time())
            raise Retry("HTTP 400")
        if response.status_code == 409 and CLOSED_PAGE in response.text:
            self.stats.closed_answers.append(time.time())
            raise Closed()
        return response

    def path(self, step: str) -> str:
        return f"/calls/{self.slug}/submit/{step}/"

    async def answer_page(self, step: str, data: dict, action: str = "continue") -> str:
        """Fill in one page; returns 'next', 'saved', 'save-failed' or 'restart'."""
        get = await self.request("GET", self.path(step))
        if get.status_code == 302:
            if "/submit/about-you/" in get.headers.get("location", "") and step != "about-you":
                return "restart"  # the draft was never tied to this browser (lost response)
            raise Retry(f"GET {step} redirected to {get.headers.get('location')}")
        if get.status_code != 200:
            raise Retry(f"GET {step}: {get.status_code}")
        token = CSRF.search(get.text)
        version = VERSION.search(get.text)
        if not token or not version:
            raise Retry(f"GET {step}: no form token")
        payload = {
            **data,
            "csrfmiddlewaretoken": token.group(1),
            "version": version.group(1),
            "action": action,
        }
        post = await self.request("POST", self.path(step), payload)
        if post.status_code == 302:
            return "next"
        if post.status_code == 200 and action == "save":
            return "saved"
        if post.status_code == 503 and SAVE_FAILED in post.text:
            return "save-failed"
        if post.status_code == 409:
            raise Retry("version conflict")
        if post.status_code == 400:
            raise RuntimeError(f"the page {step} refused valid answers ({post.status_code})")
        raise Retry(f"POST {step}: {post.status_code}")

    async def with_retries(self, outcome: Outcome, action):
        for attempt in range(self.MAX_ATTEMPTS):
            try:
                return await action()
            except Retry:
                outcome.retries += 1
                await asyncio.sleep(min(4.0, 0.25 * 2**attempt) * random.uniform(0.5, 1.0))
        raise RuntimeError("gave up after repeated errors")

    async def confirmation(self, outcome: Outcome) -> None:
        async def read():
            page = await self.request("GET", f"/calls/{self.slug}/submit/done/")
            found = REFERENCE.search(page.text) if page.status_code == 200 else None
            if not found:
                raise Retry("no reference on the confirmation page")
            outcome.reference = found.group(1)
            outcome.receipt_said_sent = RECEIPT_FAILED not in page.text

        await self.with_retries(outcome, read)

    async def submit(self, outcome: Outcome, send_at: float | None) -> None:
        async def attempt():
            check = await self.request("GET", f"/calls/{self.slug}/submit/check/")
            if check.status_code == 302 and "/submit/done/" in check.headers.get("location", ""):
                return "done"  # an earlier attempt was stored: the page says so
            if check.status_code != 200:
                raise Retry(f"check: {check.status_code}")
            token = CSRF.search(check.text)
            if not token:
                raise Retry("check: no form token")
            if send_at is not None and outcome.submit_sent_at is None:
                await asyncio.sleep(max(0.0, send_at - time.time()))
            outcome.submit_sent_at = time.time()
            try:
                post = await self.request(
                    "POST",
                    f"/calls/{self.slug}/submit/check/",
                    {"csrfmiddlewaretoken": token.group(1)},
                )
            finally:
                outcome.submit_answered_at = time.time()
            if post.status_code == 302:
                return "done"
            if post.status_code == 400:
                raise RuntimeError("check answers found problems in a complete draft")
            raise Retry(f"submit: {post.status_code}")

        await self.with_retries(outcome, attempt)
        await self.confirmation(outcome)

    async def journey(
        self, outcome: Outcome, pages: list, think: float, save_on: str | None, send_at
    ) -> None:
        started = time.perf_counter()
        try:
            step = 0
            while step < len(pages):
                name, data = pages[step]
                if save_on == name:
                    said = await self.with_retries(
                        outcome, lambda n=name, d=data: self.answer_page(n, d, "save")
                    )
                    outcome.saves.append("sent" if said == "saved" else "failed")
                result = await self.with_retries(
                    outcome, lambda n=name, d=data: self.answer_page(n, d)
                )
                if result == "restart":
                    outcome.restarts += 1
                    self.cookies.clear()
                    step = 0
                    continue
                step += 1
                if think:
                    await asyncio.sleep(random.uniform(0, 2 * think))
            await self.submit(outcome, send_at)
            outcome.result = "acknowledged"
            outcome.journey_s = time.perf_counter() - started
        except Closed:
            outcome.result = "closed"
        except Exception as exc:  # a finding, reported; never hides as success
            outcome.result = "failed"
            outcome.detail = str(exc)[:200]


# --- a phase ---------------------------------------------------------------------------------


async def progress(stats: Stats, expected: int, share: float) -> None:
    """Wait until a share of the phase's expected requests has been answered (the fault then
    lands in the middle of the rush, whatever the machine's speed)."""
    while len(stats.latencies) < share * expected:
        await asyncio.sleep(0.05)


def busiest(times: list[float], window: float) -> float | None:
    """The most responses answered in any `window` seconds, per second."""
    if not times:
        return None
    ordered = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(ordered):
        while t - ordered[start] > window:
            start += 1
        best = max(best, end - start + 1)
    return round(best / window, 1)


def quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


async def drive(
    base: str,
    slug: str,
    phase: str,
    register: Register,
    submitters: int,
    think: float,
    ramp: float,
    late: int = 0,
    closes_at: float | None = None,
    save_every: int = 0,
    fault=None,
) -> tuple[list[Outcome], Stats, dict]:
    stats = Stats()
    limits = httpx.Limits(max_connections=submitters + 10, max_keepalive_connections=0)
    async with httpx.AsyncClient(
        limits=limits,
        timeout=httpx.Timeout(90.0, connect=30.0),
        cookies=http.cookiejar.CookieJar(policy=NoCookies()),
        follow_redirects=False,
    ) as client:
        outcomes: list[Outcome] = []
        tasks = []
        # The late submitters' final "send" is spread evenly from 1 s before to 1 s after the close.
        late_offsets = [(-1.0 + 2.0 * k / max(1, late - 1)) for k in range(late)]
        for index in range(submitters):
            pages, expected = answers_for(index, phase, register)
            outcome = Outcome(index, email_for(phase, index), expected)
            outcomes.append(outcome)
            is_late = index >= submitters - late
            send_at = closes_at + late_offsets[index - (submitters - late)] if is_late else None
            save_on = "title" if save_every and index % save_every == 0 else None
            person = Submitter(client, base, slug, stats)

            async def one(person=person, outcome=outcome, pages=pages, save_on=save_on, s=send_at):
                await asyncio.sleep(random.uniform(0, ramp))
                await person.journey(outcome, pages, think, save_on, s)

            tasks.append(asyncio.create_task(one()))
        fault_report: dict = {}
        if fault is not None:
            fault_report = await fault(outcomes, stats)
        await asyncio.gather(*tasks)
    return outcomes, stats, fault_report


def verify(call, outcomes: list[Outcome], mail_dir: Path | None) -> dict:
    """Count the database against what the clients were told."""
    from django.db import connections
    from django.db.models import Count

    from inpractice.intake.models import Submission, SubmissionStatus

    connections.close_all()
    stored = list(
        Submission.objects.filter(call=call, status=SubmissionStatus.SUBMITTED).annotate(
            schools=Count("covered_schools")
        )
    )
    by_reference = {s.reference: s for s in stored}
    per_email: dict[str, int] = {}
    for s in stored:
        per_email[s.respondent_email] = per_email.get(s.respondent_email, 0) + 1
    acknowledged = [o for o in outcomes if o.result == "acknowledged"]
    expected = {o.email: o.expected_schools for o in outcomes}
    lost = [o.reference for o in acknowledged if o.reference not in by_reference]
    wrong_person = [
        o.reference
        for o in acknowledged
        if o.reference in by_reference and by_reference[o.reference].respondent_email != o.email
    ]
    acknowledged_emails = {o.email for o in acknowledged}
    half_written = [
        s.pk
        for s in stored
        if not s.reference
        or s.submitted_at is None
        or not s.title
        or s.schools == 0
        or s.schools != expected.get(s.respondent_email, -1)
        or set(s.answers) != {"practice", "impact", "enablers", "advice"}
        or not s.consent_publication
    ]
    after_close = [s.reference for s in stored if s.submitted_at >= call.closes_at]
    report = {
        "acknowledged": len(acknowledged),
        "stored": len(stored),
        "acknowledged_equals_stored": len(acknowledged) == len(stored) and not lost,
        "lost": len(lost),
        "duplicated": sum(n - 1 for n in per_email.values() if n > 1),
        "acknowledged_to_the_wrong_person": len(wrong_person),
        "stored_not_acknowledged": sum(
            1 for s in stored if s.respondent_email not in acknowledged_emails
        ),
        "half_written": len(half_written),
        "stored_after_close": len(after_close),
        "drafts_left_unsubmitted": Submission.objects.filter(
            call=call, status=SubmissionStatus.DRAFT
        ).count(),
    }
    if mail_dir is not None:
        report["emails"] = check_mail(mail_dir, outcomes)
    return report


def check_mail(mail_dir: Path, outcomes: list[Outcome]) -> dict:
    """Did the pages tell the truth about the emails? Compare with the files written."""
    receipts: set[str] = set()
    save_links: dict[str, int] = {}
    for path in mail_dir.glob("*.log"):
        with contextlib.suppress(OSError):
            text = path.read_text(errors="replace")
            receipts.update(re.findall(r"Subject: Receipt (IP-[A-Z2-9]{4}-[A-Z2-9]{4})", text))
            if "Subject: Your saved answers" in text:
                for to in re.findall(r"^To: (\S+)", text, flags=re.M):
                    save_links[to] = save_links.get(to, 0) + 1
    acknowledged = [o for o in outcomes if o.result == "acknowledged"]
    said_sent = [o for o in acknowledged if o.receipt_said_sent]
    said_failed = [o for o in acknowledged if o.receipt_said_sent is False]
    saves_said_sent = sum(o.saves.count("sent") for o in outcomes)
    saves_said_failed = sum(o.saves.count("failed") for o in outcomes)
    return {
        "receipts_said_sent": len(said_sent),
        "receipts_said_sent_but_missing": sum(1 for o in said_sent if o.reference not in receipts),
        "receipts_said_not_sent": len(said_failed),
        "save_links_said_sent": saves_said_sent,
        "save_links_said_sent_but_missing": sum(
            max(0, o.saves.count("sent") - save_links.get(o.email, 0)) for o in outcomes
        ),
        "save_links_said_not_sent": saves_said_failed,
    }


def summarise(
    name: str, outcomes: list[Outcome], stats: Stats, counts: dict, seconds: float
) -> dict:
    journeys = [o.journey_s for o in outcomes if o.journey_s is not None]
    results: dict[str, int] = {}
    for o in outcomes:
        results[o.result] = results.get(o.result, 0) + 1
    failures = sorted({o.detail for o in outcomes if o.result == "failed"})[:5]
    requests = len(stats.latencies) + stats.statuses.get("transport error", 0)
    return {
        "phase": name,
        "concurrency": len(outcomes),
        "seconds": round(seconds, 1),
        "requests": requests,
        "requests_per_second": round(requests / seconds, 1) if seconds else None,
        "requests_per_second_busiest_10s": busiest(stats.answered_at, 10.0),
        "latency_ms": {
            "p50": ms(quantile(stats.latencies, 0.50)),
            "p95": ms(quantile(stats.latencies, 0.95)),
            "p99": ms(quantile(stats.latencies, 0.99)),
            "max": ms(max(stats.latencies, default=None)),
        },
        "journey_s": {
            "p50": round(quantile(journeys, 0.5), 2) if journeys else None,
            "p95": round(quantile(journeys, 0.95), 2) if journeys else None,
            "max": round(max(journeys), 2) if journeys else None,
        },
        "responses": dict(sorted(stats.statuses.items())),
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(sorted(stats.errors.items())),
        "errors_seen_for_s": (
            round(max(stats.error_times) - min(stats.error_times), 2) if stats.error_times else 0
        ),
        "told_the_person": dict(stats.told),
        "journeys": results,
        "journey_failures": failures,
        "retries": sum(o.retries for o in outcomes),
        "journeys_restarted": sum(o.restarts for o in outcomes),
        **counts,
    }


async def probe(base: str, slug: str, register: Register) -> str:
    """One fresh journey after a fault: does the service work again with nobody's help?"""
    outcomes, _stats, _ = await drive(base, slug, "probe", register, 1, 0.0, 0.0)
    return outcomes[0].result if outcomes[0].result != "failed" else outcomes[0].detail


def server_log_counts(log: Path, offset: int) -> dict:
    text = log.read_bytes()[offset:].decode(errors="replace")
    return {
        "internal_server_errors_logged": text.count("Internal Server Error:"),
        "tracebacks_including_chained": text.count("Traceback (most recent call last)"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
        "workers_killed_by_signal": len(
            re.findall(r"was sent SIGKILL|Worker \(pid:\d+\) was sent", text)
        ),
    }


# --- the whole bench -------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submitters", type=int, default=200, help="concurrent in the rush")
    parser.add_argument("--late", type=int, default=20, help="of them, sending around the close")
    parser.add_argument(
        "--close-after", type=float, default=240.0, help="seconds from the start to the close"
    )
    parser.add_argument("--fault-submitters", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between pages, s")
    parser.add_argument("--ramp", type=float, default=5.0, help="start spread, s")
    parser.add_argument("--kills", type=int, default=3, help="workers killed in kill-worker")
    parser.add_argument("--restart-mode", choices=["immediate", "fast"], default="immediate")
    parser.add_argument("--phases", default=",".join(PHASES))
    parser.add_argument("--timeout", type=float, default=1200, help="hard limit for everything")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--keep-logs", type=Path, help="copy gunicorn and PostgreSQL logs here")
    args = parser.parse_args()
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = set(phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))} (known: {', '.join(PHASES)})")

    def on_signal(signum, frame):
        raise SystemExit(f"stopped by signal {signum} (cleaning up)")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGALRM, lambda s, f: on_signal(s, f))
    signal.alarm(int(args.timeout))

    workdir = Path(tempfile.mkdtemp(prefix="inpractice-rush-"))
    workdir.chmod(0o755)
    postgres = PrivatePostgres(workdir)
    mail = MailDisk(workdir / "mail")
    service: Service | None = None
    report: dict = {}
    try:
        started = time.monotonic()
        postgres.start()
        mail.mount()
        port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "PG"))},
            "INPRACTICE_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": postgres.url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "INPRACTICE_VAR_DIR": str(workdir / "var"),
            "STATIC_ROOT": str(workdir / "static"),
            "EMAIL_DELIVERY": "file",
            "EMAIL_FILE_PATH": str(mail.path),
            "SITE_URL": f"https://127.0.0.1:{port}",
            # Every simulated person comes from 127.0.0.1: per-address limits would stop them.
            "RATELIMIT_SUBMIT": "1000000/h",
            "RATELIMIT_NOMINATE": "1000000/h",
            "RATELIMIT_EMAIL_PER_CLIENT": "1000000/h",
            "LOG_LEVEL": "ERROR",
        }
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "inpractice.settings"
        # As an operator deploys: migrate, then serve (which collects static files first).
        subprocess.run(  # noqa: S603 - fixed argument list
            [sys.executable, "-m", "inpractice.cli", "migrate"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        service = Service(env, port, args.workers, workdir / "gunicorn.log")
        startup = service.start()
        import django

        django.setup()
        register = seed_register()
        base = f"http://127.0.0.1:{port}"
        report = {
            "bench": "rush",
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "postgres": postgres.bindir.parent.name,
            },
            "service": {
                "command": f"inpractice serve --workers {args.workers} (gunicorn sync workers)",
                "environment": "INPRACTICE_ENV=production, PostgreSQL (a private cluster), "
                "CONN_MAX_AGE=60 with CONN_HEALTH_CHECKS, email to files on a 16 MB tmpfs",
                "started_in_s": round(startup, 1),
                "rate_limits": "RATELIMIT_SUBMIT, RATELIMIT_NOMINATE and "
                "RATELIMIT_EMAIL_PER_CLIENT raised to 1000000/h: all clients share 127.0.0.1",
                "https": "the client sends X-Forwarded-Proto: https and Origin, as a TLS proxy "
                "and a browser would, and keeps its own (Secure) cookies",
                "think_time_s": args.think,
            },
            "phases": [],
        }
        for name in phases:
            print(f"phase {name} ...", file=sys.stderr, flush=True)
            result = run_phase(name, args, base, register, service, postgres, mail)
            report["phases"].append(result)
            print(json.dumps(result), file=sys.stderr, flush=True)
        totals = ("requests", "errors", "acknowledged", "stored", "lost", "duplicated")
        totals += ("half_written", "stored_after_close")
        report["totals"] = {key: sum(p.get(key, 0) for p in report["phases"]) for key in totals} | {
            "seconds": round(time.monotonic() - started, 1)
        }
        report["ok"] = all(p["ok"] for p in report["phases"])
    except (Exception, SystemExit) as exc:
        # The bench could not finish: say so in the JSON, and keep the logs to look at.
        report["ok"] = False
        report["error"] = f"{type(exc).__name__}: {exc}"[:1000]
        kept = Path(tempfile.gettempdir()) / f"inpractice-rush-logs-{os.getpid()}"
        kept.mkdir(exist_ok=True)
        for log in ("gunicorn.log", "postgres.log"):
            with contextlib.suppress(OSError):
                shutil.copy(workdir / log, kept / log)
        report["logs_kept_in"] = str(kept)
    finally:
        signal.alarm(0)
        if args.keep_logs:
            args.keep_logs.mkdir(parents=True, exist_ok=True)
            for log in ("gunicorn.log", "postgres.log"):
                with contextlib.suppress(OSError):
                    shutil.copy(workdir / log, args.keep_logs / log)
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if service is not None:
            service.stop()
        mail.free()
        mail.unmount()
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    sys.exit(0 if report.get("ok") else 1)


def run_phase(name, args, base, register, service: Service, postgres, mail: MailDisk) -> dict:
    log_offset = service.log.stat().st_size
    started = time.monotonic()
    fault = None
    fault_report: dict = {}
    late = 0
    closes_at = None
    submitters = args.fault_submitters
    save_every = 0
    if name == "rush":
        submitters, late = args.submitters, min(args.late, args.submitters)
        closes_at = time.time() + args.close_after
        save_every = 20
    elif name == "full-disk":
        save_every = 4
    close = (
        datetime.fromtimestamp(closes_at, UTC)
        if closes_at
        else datetime.now(UTC) + timedelta(hours=1)
    )
    call = create_call(f"rush-{name}", close)
    if closes_at is not None:
        # The call row holds whole microseconds; compare against exactly what was stored.
        closes_at = call.closes_at.timestamp()
    counter_before = len(service.worker_pids())
    # A journey is 25 requests: GET and POST of 11 pages, check answers, send, confirmation.
    expected = submitters * 25

    if name == "kill-worker":

        async def fault(outcomes, stats):
            kills = []
            await progress(stats, expected, 0.25)
            for _ in range(args.kills):
                deadline = time.monotonic() + 10
                pid = None
                while pid is None and time.monotonic() < deadline:
                    pid = service.worker_mid_request()
                    if pid is None:
                        await asyncio.sleep(0.005)
                if pid is None:
                    kills.append({"killed": None, "why": "no worker was mid-request"})
                    continue
                os.kill(pid, signal.SIGKILL)
                kills.append({"killed": pid, "mid_request": True})
                await asyncio.sleep(4)
            await asyncio.sleep(3)
            return {"what": f"kill -9 of {args.kills} gunicorn workers mid-request", "kills": kills}

    elif name == "restart-postgres":

        async def fault(outcomes, stats):
            await progress(stats, expected, 0.4)
            restarted = await asyncio.to_thread(postgres.restart, args.restart_mode)
            return {"what": f"pg_ctl restart -m {args.restart_mode} during the rush", **restarted}

    elif name == "full-disk":
        if not mail.mounted:
            return {
                "phase": name,
                "ok": True,
                "skipped": "needs root to mount a tmpfs for the email directory",
            }

        async def fault(outcomes, stats):
            await progress(stats, expected, 0.1)
            free = await asyncio.to_thread(mail.fill)
            # Stay full until every submitter has finished, then make room again.
            while any(o.result == "unfinished" for o in outcomes):
                await asyncio.sleep(0.5)
            mail.free()
            return {
                "what": "the email directory's disk (tmpfs) filled",
                "bytes_free_when_full": free,
            }

    outcomes, stats, fault_report = asyncio.run(
        drive(
            base,
            call.slug,
            name,
            register,
            submitters,
            args.think,
            args.ramp,
            late=late,
            closes_at=closes_at,
            save_every=save_every,
            fault=fault,
        )
    )
    seconds = time.monotonic() - started
    counts = verify(call, outcomes, mail.path)
    result = summarise(name, outcomes, stats, counts, seconds)
    result["server_log"] = server_log_counts(service.log, log_offset)
    if closes_at is not None:
        result["close"] = close_report(call, outcomes, stats, closes_at, late, args)
    if fault is not None:
        # Recovery: the workers are all back and a fresh journey works, with no repair.
        deadline = time.monotonic() + 30
        while len(service.worker_pids()) < counter_before and time.monotonic() < deadline:
            time.sleep(0.2)
        probe_call = create_call(f"rush-{name}-after", datetime.now(UTC) + timedelta(hours=1))
        fault_report["workers_after"] = len(service.worker_pids())
        fault_report["journey_after_the_fault"] = asyncio.run(
            probe(base, probe_call.slug, register)
        )
        fault_report["recovered"] = (
            fault_report["journey_after_the_fault"] == "acknowledged"
            and fault_report["workers_after"] == counter_before
        )
        result["fault"] = fault_report
    emails = counts.get("emails", {})
    result["ok"] = bool(
        counts["lost"] == 0
        and counts["duplicated"] == 0
        and counts["half_written"] == 0
        and counts["stored_after_close"] == 0
        and counts["acknowledged_to_the_wrong_person"] == 0
        and counts["stored_not_acknowledged"] == 0
        and emails.get("receipts_said_sent_but_missing", 0) == 0
        and emails.get("save_links_said_sent_but_missing", 0) == 0
        and result["journeys"].get("failed", 0) == 0
        and (fault is None or fault_report.get("recovered"))
        and (closes_at is None or result["close"]["enforced"])
    )
    return result


def close_report(
    call, outcomes: list[Outcome], stats: Stats, closes_at: float, late: int, args
) -> dict:
    late_outcomes = outcomes[len(outcomes) - late :] if late else []
    sent_after = [o for o in late_outcomes if o.submit_sent_at and o.submit_sent_at >= closes_at]
    accepted_after = [o for o in sent_after if o.result == "acknowledged"]
    refused_after = [o for o in sent_after if o.result == "closed"]
    # A refusal must never come back before the close: the server would have closed early.
    refused_early = [t for t in stats.closed_answers if t < closes_at]
    sent_before = [o for o in late_outcomes if o.submit_sent_at and o.submit_sent_at < closes_at]
    from inpractice.intake.models import Submission, SubmissionStatus

    latest = (
        Submission.objects.filter(call=call, status=SubmissionStatus.SUBMITTED)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    on_time = outcomes[: len(outcomes) - late]
    return {
        "compressed": "the last five minutes before a close, compressed to "
        f"{args.close_after:.0f} s",
        "closes_at": call.closes_at.isoformat(),
        "on_time_submitters": len(on_time),
        "on_time_acknowledged": sum(1 for o in on_time if o.result == "acknowledged"),
        "on_time_cut_off_by_the_close": sum(1 for o in on_time if o.result == "closed"),
        "late_submitters": late,
        "late_sent_before_close": len(sent_before),
        "late_sent_before_close_accepted": sum(
            1 for o in sent_before if o.result == "acknowledged"
        ),
        "late_sent_after_close": len(sent_after),
        "late_sent_after_close_refused_with_closed_page": len(refused_after),
        "late_sent_after_close_accepted": len(accepted_after),
        "closed_pages_served": len(stats.closed_answers),
        "closed_pages_served_before_the_close": len(refused_early),
        "first_closed_page_after_close_ms": (
            round((min(stats.closed_answers) - closes_at) * 1000, 1)
            if stats.closed_answers
            else None
        ),
        "last_accepted_before_close_ms": (
            round((call.closes_at - latest).total_seconds() * 1000, 1) if latest else None
        ),
        "enforced": not accepted_after
        and not refused_early
        and len(refused_after) == len(sent_after),
    }


if __name__ == "__main__":
    main()
