"""Bounded load test of POST /api/v1/screen on loopback.

Starts ``tiplens serve`` on 127.0.0.1 (a free port, no study), waits for /api/v1/health, then
keeps ``--connections`` keep-alive HTTP/1.1 connections busy for ``--seconds`` with a small
rotating set of English and Indonesian job ads, and prints requests per second, latency
percentiles and errors. The server is stopped afterwards. Nothing leaves 127.0.0.1.

The load generator is a minimal asyncio client (raw sockets, one process) so that it takes
as little CPU as possible from the server it measures; on a small machine both still share
the cores, so the figures are a lower bound for a dedicated server.

    python bench/web_load.py --seconds 60 --connections 8 [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"  # never any other address
ADS = [
    "URGENT HIRING: factory workers for Dubai. No experience needed. Pay a small registration fee of 300 USD. "
    "The employer will keep your passport. Contact us via WhatsApp +971 50 123 4567.",
    "Lowongan kerja di Malaysia, gaji besar, tanpa pengalaman. Biaya pendaftaran Rp 2.500.000 transfer dulu. "
    "Paspor dititipkan ke agen. Hubungi WA 0812-3456-7890.",
    "Example Logistics is hiring a warehouse associate in Surabaya. Written contract, paid leave, no fees charged "
    "to workers. Apply through our website.",
    "Dicari admin customer service untuk kantor di Kamboja, gaji 1000 USD, tiket dan visa ditanggung, "
    "interview via Telegram saja.",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    env.pop("TIPLENS_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "tiplens", "serve", "--host", HOST, "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {proc.stderr.read().decode(errors='replace')[-500:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/api/v1/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("the server did not answer /api/v1/health within 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def requests_for(port: int, country: str | None) -> list[bytes]:
    out = []
    for ad in ADS:
        body = json.dumps({"text": ad, **({"country": country} if country else {})}).encode()
        head = (f"POST /api/v1/screen HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        out.append(head + body)
    return out


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def worker(port: int, payloads: list[bytes], stop_at: float, warm_until: float, k: int,
                 latencies: list[float], errors: dict[str, int]) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    i = k
    try:
        while (now := time.perf_counter()) < stop_at:
            t0 = now
            writer.write(payloads[i % len(payloads)])
            i += 1
            try:
                status = await read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
                continue
            t1 = time.perf_counter()
            if t0 >= warm_until:
                latencies.append(t1 - t0)
                if status != 200:
                    errors[str(status)] = errors.get(str(status), 0) + 1
    finally:
        writer.close()


async def load(port: int, seconds: float, connections: int, warmup: float, country: str | None) -> dict:
    payloads = requests_for(port, country)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    start = time.perf_counter()
    warm_until = start + warmup
    stop_at = warm_until + seconds
    await asyncio.gather(*(worker(port, payloads, stop_at, warm_until, k, latencies, errors)
                           for k in range(connections)))
    elapsed = time.perf_counter() - warm_until
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return 1000 * lat[min(len(lat) - 1, int(p / 100 * len(lat)))] if lat else float("nan")

    return {"seconds": round(elapsed, 2), "connections": connections, "requests": len(lat),
            "requests_per_s": round(len(lat) / elapsed, 1), "p50_ms": round(pct(50), 2), "p90_ms": round(pct(90), 2),
            "p99_ms": round(pct(99), 2), "max_ms": round(1000 * lat[-1], 2) if lat else None,
            "errors": sum(errors.values()), "error_kinds": errors, "cpus": os.cpu_count(),
            "ads": len(ADS), "country": country}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="measured duration (default 60)")
    ap.add_argument("--connections", type=int, default=8, help="concurrent keep-alive connections (default 8)")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring (default 3)")
    ap.add_argument("--country", default="ID", help="country sent with every request ('' for none)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    if not 0 < args.seconds <= 600 or not 1 <= args.connections <= 256:
        ap.error("keep it bounded: 0 < --seconds <= 600 and 1 <= --connections <= 256")
    port = free_port()
    proc = start_server(port)
    try:
        result = asyncio.run(load(port, args.seconds, args.connections, args.warmup, args.country or None))
    finally:
        stop_server(proc)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"POST /api/v1/screen on {HOST}:{port}, {args.connections} connections, {result['seconds']} s "
              f"({result['cpus']} CPUs, shared with the load generator)")
        print(f"  requests  {result['requests']:,}  ({result['requests_per_s']:,} per second)")
        print(f"  latency   p50 {result['p50_ms']} ms  p90 {result['p90_ms']} ms  p99 {result['p99_ms']} ms  "
              f"max {result['max_ms']} ms")
        print(f"  errors    {result['errors']}" + (f" {result['error_kinds']}" if result["errors"] else ""))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
