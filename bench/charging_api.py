"""Benchmark: the care cost calculator's JSON API under load (never a test).

Starts CareAssure on loopback exactly as production serves it (``python -m
careassure.config.server``: granian, production settings, one worker per core), then drives 50
concurrent connections at ``POST /api/charging/estimate`` and at the trivial
``GET /healthz`` in the same run, with wrk (Debian package ``wrk``) or, when wrk is missing, an
asyncio client from the standard library. Reports p50/p95/p99 of the estimate, the p95 of
/healthz, their ratio and requests per second; the target is a p95 under 30 ms.

Writes ``bench/results/charging_api.json`` and prints one summary line.
``python -m bench.run charging_api`` or ``python -m bench.charging_api``.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
EXAMPLE = (
    ROOT / "tests" / "core" / "charging" / "data" / "examples" / "example-4-leeds-care-home.json"
)
CONNECTIONS = 50
DURATION_SECONDS = 10
WARMUP_REQUESTS = 200
TARGET_P95_MS = 30.0
WRK_INSTALL = "sudo apt-get install wrk  (Debian/Ubuntu)"

WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
  io.write(string.format(
    'WRK_JSON {{"requests": %d, "duration_us": %d, "errors": %d, "non_2xx": %d, '
    .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}}\\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "careassure.config.settings.production",
        "CAREASSURE_SECRET_KEY": "benchmark-only-" + "x" * 40,
        "CAREASSURE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CAREASSURE_LOG_LEVEL": "WARNING",
        "CAREASSURE_SERVER_HOST": "127.0.0.1",
        "CAREASSURE_SERVER_PORT": str(port),
    }
    command = [sys.executable, "-m", "careassure.config.server"]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603


def _server_description() -> str:
    """The production server's settings, as ``careassure.config.server`` sees this environment."""
    from careassure.config.server import server

    configured = server()
    return (
        f"granian WSGI, {configured.workers} workers x {configured.blocking_threads} thread, "
        f"{configured.runtime_mode.value} runtime, HTTP/1.1, loopback"
    )


def _wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not answer /healthz within 60 seconds")


def _post(base: str, body: bytes) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310
        f"{base}/api/charging/estimate",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        result: dict[str, Any] = json.loads(response.read())
        return result


def _server_cpu_seconds(server: subprocess.Popen[bytes]) -> float | None:
    """CPU seconds (user + system) used so far by every process of the server's session (the
    server was started in a new session), from /proc; ``None`` where there is no /proc."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    ticks = 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == server.pid:  # the session id
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _run_wrk(url: str, method: str, body: bytes | None) -> dict[str, float]:
    lua_body = json.dumps(body.decode()) if body else "nil"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.format(method=method, body=lua_body))
    try:
        completed = subprocess.run(  # noqa: S603
            [
                "wrk",
                "--threads",
                "2",
                "--connections",
                str(CONNECTIONS),
                "--duration",
                f"{DURATION_SECONDS}s",
                "--timeout",
                "5s",
                "--script",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=DURATION_SECONDS + 60,
        )
    finally:
        Path(script.name).unlink()
    line = next(
        (line for line in completed.stdout.splitlines() if line.startswith("WRK_JSON ")), None
    )
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{completed.stdout}\n{completed.stderr}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds = raw["duration_us"] / 1_000_000
    return {
        "requests": raw["requests"],
        "errors": raw["errors"] + raw["non_2xx"],
        "requests_per_second": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
    }


async def _client(
    host: str, port: int, request: bytes, stop_at: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while (header := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = header.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - started) * 1000)
            if b" 200 " not in status_line:
                errors.append(1)
    finally:
        writer.close()


async def _load_asyncio(port: int, path: str, method: str, body: bytes | None) -> dict[str, float]:
    payload = body or b""
    request = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode() + payload
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    stop_at = started + DURATION_SECONDS
    await asyncio.gather(
        *(
            _client("127.0.0.1", port, request, stop_at, latencies, errors)
            for _ in range(CONNECTIONS)
        )
    )
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": cuts[49],
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
        "max_ms": max(latencies),
    }


def _measure(tool: str, port: int, path: str, method: str, body: bytes | None) -> dict[str, float]:
    if tool == "wrk":
        return _run_wrk(f"http://127.0.0.1:{port}{path}", method, body)
    return asyncio.run(_load_asyncio(port, path, method, body))


def main() -> dict[str, Any]:
    tool = "wrk" if shutil.which("wrk") else "asyncio"
    if tool == "asyncio":
        print(f"wrk is not installed ({WRK_INSTALL}); using the asyncio client instead.")
    body = json.dumps(json.loads(EXAMPLE.read_text(encoding="utf-8"))).encode()
    load_before = [round(x, 2) for x in os.getloadavg()]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start_server(port)
    try:
        _wait_ready(base, server)
        check = _post(base, body)
        if check.get("weekly_charge") != "205.33":
            raise RuntimeError(f"the estimate is wrong: {check.get('weekly_charge')}")
        for _ in range(WARMUP_REQUESTS):
            _post(base, body)
        cpu = [_server_cpu_seconds(server)]
        estimate = _measure(tool, port, "/api/charging/estimate", "POST", body)
        cpu.append(_server_cpu_seconds(server))
        healthz = _measure(tool, port, "/healthz", "GET", None)
        cpu.append(_server_cpu_seconds(server))
    finally:
        _stop(server)
    for figures, (before, after) in ((estimate, cpu[0:2]), (healthz, cpu[1:3])):
        if before is not None and after is not None and figures["requests"]:
            # Server CPU per request: comparable between runs even when other work shares the
            # machine and stretches the latencies.
            figures["server_cpu_us_per_request"] = (after - before) / figures["requests"] * 1e6
    ratio = round(estimate["p95_ms"] / healthz["p95_ms"], 2) if healthz["p95_ms"] else None
    result: dict[str, Any] = {
        "tool": tool,
        "server": _server_description(),
        "connections": CONNECTIONS,
        "duration_seconds": DURATION_SECONDS,
        "request": "POST /api/charging/estimate (worked example 4, care home, 2024-25)",
        "estimate": {k: round(v, 2) for k, v in estimate.items()},
        "healthz": {k: round(v, 2) for k, v in healthz.items()},
        "p95_ratio_estimate_to_healthz": ratio,
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": estimate["p95_ms"] < TARGET_P95_MS,
        "cpu_count": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "charging_api.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"charging_api: estimate p50 {estimate['p50_ms']:.1f} ms, p95 {estimate['p95_ms']:.1f} ms, "
        f"p99 {estimate['p99_ms']:.1f} ms, {estimate['requests_per_second']:.0f} req/s; "
        f"/healthz p95 {healthz['p95_ms']:.1f} ms; ratio {ratio}; server CPU per request "
        f"{estimate.get('server_cpu_us_per_request', float('nan')):.0f} / "
        f"{healthz.get('server_cpu_us_per_request', float('nan')):.0f} µs; target p95 < "
        f"{TARGET_P95_MS:.0f} ms: {'met' if result['meets_target'] else 'NOT met'} "
        f"({tool}, {CONNECTIONS} connections; load average {load_before[0]:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, on "
        f"{os.cpu_count()} cores)"
    )
    return result


if __name__ == "__main__":
    main()
