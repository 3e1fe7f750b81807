#!/usr/bin/env python3
"""Soak test of the example server: hours-long stability in minutes (see ./run for usage).

Starts the example (release build, THREADS=1, pinned to core 0 when there are two cores or
more) and holds it under mixed load for --duration seconds, everything else on core 1:

  wrk        one wrk process per scenario, for the whole duration, --wrk-connections each:
             the five bench scenarios (plaintext, get-pet, list-pets, post-valid, post-invalid;
             ../shared/bench/run.py) and "invalid", a cycle of bad bodies, malformed path and
             query values, unknown paths and wrong methods, which must each get a 4xx on a
             connection that stays open (soak.lua counts every answer's status).
  slow       --slow sockets, a quarter each: a request head dripped byte by byte, a POST body
             dripped byte by byte, a head that stops halfway and waits, and a client that
             pipelines 300 GET /pets?limit=100 and never reads (receive buffer 4 KiB).
  malformed  two loops of requests the HTTP parser must refuse (garbage request line, a header
             too large, too many headers, Content-Length and Transfer-Encoding together, a bad
             Content-Length, a NUL in a header, a path that is not UTF-8, a bad chunk size):
             each must get a 4xx, or the connection closed, never a 5xx.
  churn      two loops of GET /pets/7 with Connection: close (a connection per request).
  idle       --idle sockets opened over the first seconds and left silent; when the server
             closes one (its idle timeout) it is counted, with how long it lived, and reopened.
  probe      one keep-alive connection doing GET /pets/7, one request each --probe-gap seconds.

Every --interval seconds it samples the server's RSS (VmRSS), open descriptors (/proc/PID/fd),
threads, and the probe's p50/p99/max over the interval. At the end it writes samples.csv,
soak.png (RSS, descriptors, probe p99 against time), summary.json, the wrk outputs and the
server's log into --out, and prints a summary. Errors are split into expected ones (4xx to
invalid and malformed requests, slow and idle sockets closed by the server) and unexpected ones
(5xx anywhere, a wrong status to a valid request, socket errors or timeouts of wrk, the probe or
the churn loops, connections refused, the server exiting); the exit status is 1 when there is
any unexpected one. Everything started is stopped on exit, Ctrl-C included (children also get
SIGTERM through PR_SET_PDEATHSIG should this process be killed outright).
"""
import argparse, asyncio, collections, csv, ctypes, http.client, json, multiprocessing as mp
import os, re, signal, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = "127.0.0.1"
WRK_SCENARIOS = ["plaintext", "get-pet", "list-pets", "post-valid", "post-invalid", "invalid"]
WANTS_4XX = {"post-invalid", "invalid"}
GAUGES = ["idle_open", "idle_closed", "slow_closed"]  # live counters the clients process shares

VALID_BODY = b'{"name":"Rex","tag":"dog","age":3,"status":"available","tags":["good","brown"],"weight":12.5,"code":"ABC-1234"}'
MALFORMED = {
    "garbage": b"GARBAGE\r\n\r\n",
    "header-too-large": b"GET /pets/7 HTTP/1.1\r\nHost: soak\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n",
    "too-many-headers": b"GET /pets/7 HTTP/1.1\r\nHost: soak\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(150)) + b"\r\n",
    "length-and-chunked": b"POST /pets HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "bad-content-length": b"POST /pets HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}",
    "nul-in-header": b"GET /pets/7 HTTP/1.1\r\nHost: soak\r\nX-A: a\x00b\r\n\r\n",
    "path-not-utf8": b"GET /pets/\xff\xfe HTTP/1.1\r\nHost: soak\r\n\r\n",
    "bad-chunk-size": b"POST /pets HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n",
}


def die_with_parent():
    """preexec_fn: the child gets SIGTERM when this process dies, however it dies."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def proc_status(pid):
    """(RSS MB, threads) from /proc/PID/status, (None, None) once the process is gone."""
    rss = threads = None
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"): rss = int(line.split()[1]) / 1024
            elif line.startswith("Threads:"): threads = int(line.split()[1])
    except OSError: pass
    return rss, threads


def fd_count(pid):
    try: return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError: return None


def fmt(value, spec=""):
    return "-" if value is None else format(value, spec)


def percentile(values, p):
    """Nearest-rank percentile; None for no values."""
    if not values: return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


# --- slow, malformed, churn and idle clients: one asyncio loop in a child process -----------

class Clients:
    """The misbehaving clients. Events go to a Counter of (category, detail) written to
    --out/clients.json at the end; the gauges in GAUGES are shared live with the sampler."""

    def __init__(self, port, args, gauges, stop):
        self.port, self.args, self.gauges, self.stop = port, args, gauges, stop
        self.events = collections.Counter()
        self.lifetimes = []  # seconds an idle socket lived before the server closed it
        self.open_ages = []  # seconds the idle sockets still open at the end had been open

    def count(self, category, detail, n=1):
        self.events[(category, detail)] += n

    def gauge(self, name, delta):
        self.gauges[GAUGES.index(name)] += delta

    async def connect(self, category, rcvbuf=None):
        sock = socket.socket()
        sock.setblocking(False)
        if rcvbuf: sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        try:
            await asyncio.wait_for(asyncio.get_running_loop().sock_connect(sock, (HOST, self.port)), 10)
            return sock
        except (OSError, asyncio.TimeoutError) as error:
            sock.close()
            self.count("unexpected", f"{category}: connect failed ({type(error).__name__})")
            await asyncio.sleep(1)
            return None

    @staticmethod
    async def answer(sock, timeout):
        """Reads one answer: (status, rest-of-buffer) or (None, b"") when the server closed
        first. Raises asyncio.TimeoutError when nothing complete came within timeout."""
        loop, data, deadline = asyncio.get_running_loop(), b"", time.monotonic() + timeout
        while True:
            end = data.find(b"\r\n\r\n")
            if end >= 0:
                head = data[:end]
                m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
                if m is None or len(data) >= end + 4 + int(m.group(1)):
                    return int(head.split(b" ", 2)[1]), data[end + 4 + (int(m.group(1)) if m else 0):]
            try:
                chunk = await asyncio.wait_for(loop.sock_recv(sock, 65536), max(0.01, deadline - time.monotonic()))
            except ConnectionError:
                return None, b""
            if not chunk: return None, b""
            data += chunk

    @staticmethod
    async def until_closed(sock, timeout):
        """Waits, reading and dropping anything, for the server to close: True if it did,
        False if it had not within timeout seconds (None: no limit)."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else time.monotonic() + timeout
        while deadline is None or time.monotonic() < deadline:
            try:
                left = None if deadline is None else deadline - time.monotonic()
                if not await asyncio.wait_for(loop.sock_recv(sock, 65536), left): return True
            except ConnectionError: return True
            except asyncio.TimeoutError: return False
        return False

    def judge(self, category, status, wanted):
        """Counts an answer: the wanted class is fine, another 4xx is the server refusing (an
        expected error), a 5xx or a success where a refusal was due is unexpected."""
        if status is not None: self.count("requests", category.split(" ")[0])
        if status is None: self.count("expected", f"{category}: closed by the server before an answer")
        elif status // 100 == wanted == 4: self.count("expected", f"{category}: answered {status}")
        elif status // 100 == wanted: self.count("ok", category)
        elif status // 100 == 4: self.count("expected", f"{category}: answered {status}")
        else: self.count("unexpected", f"{category}: answered {status}")

    async def slow(self, kind):
        """One slow client of the given kind, from connect to close."""
        loop, drip, hold = asyncio.get_running_loop(), self.args.drip, self.args.hold
        category = f"slow {kind}"
        sock = await self.connect(category, rcvbuf=4096 if kind == "never-read" else None)
        if sock is None: return
        closed_by_server = False
        try:
            if kind in ("drip-head", "drip-body"):
                if kind == "drip-head":
                    head, body = b"GET /pets/7 HTTP/1.1\r\nHost: soak\r\nUser-Agent: soak-drip\r\n\r\n", b""
                else:
                    body = VALID_BODY
                    head = b"POST /pets HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
                    await loop.sock_sendall(sock, head)
                    head = b""
                for i in range(len(head + body)):
                    await loop.sock_sendall(sock, (head + body)[i:i + 1])
                    await asyncio.sleep(drip)
                try:
                    status, _ = await self.answer(sock, 30)
                except asyncio.TimeoutError:
                    self.count("unexpected", f"{category}: no answer 30 s after the whole request was sent")
                    return
                closed_by_server = status is None
                self.judge(category, status, 2)
            elif kind == "stalled-head":
                await loop.sock_sendall(sock, b"GET /pets/7 HTTP/1.1\r\nHost: soak\r\n")
                closed_by_server = await self.until_closed(sock, hold)
                self.count("expected" if closed_by_server else "info",
                           f"{category}: {'closed by the server' if closed_by_server else f'still open after {hold:.0f} s, closed by the client'}")
            elif kind == "never-read":
                request = b"GET /pets?limit=100 HTTP/1.1\r\nHost: soak\r\n\r\n"
                sender = asyncio.ensure_future(loop.sock_sendall(sock, request * 300))
                deadline = time.monotonic() + hold
                while time.monotonic() < deadline and not closed_by_server:
                    await asyncio.sleep(1)
                    # Never reading, the server's FIN cannot arrive; an abort (RST) shows as CLOSE.
                    state = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]
                    closed_by_server = state in (7, 8)  # TCP_CLOSE, TCP_CLOSE_WAIT
                    if sender.done() and sender.exception(): closed_by_server = True
                sender.cancel()
                self.count("expected" if closed_by_server else "info",
                           f"{category}: {'closed by the server' if closed_by_server else f'still open after {hold:.0f} s, closed by the client'}")
        except ConnectionError:
            closed_by_server = True
            self.count("expected", f"{category}: closed by the server while sending")
        except asyncio.CancelledError:
            self.count("info", f"{category}: still open when the run ended")
            raise
        finally:
            sock.close()
            if closed_by_server: self.gauge("slow_closed", 1)

    async def slow_loop(self, kind):
        while not self.stop.is_set():
            await self.slow(kind)
            await asyncio.sleep(0.5)

    async def malformed_loop(self, offset):
        names = list(MALFORMED)
        loop, i = asyncio.get_running_loop(), offset
        while not self.stop.is_set():
            name = names[i % len(names)]; i += 1
            category = f"malformed {name}"
            sock = await self.connect(category)
            if sock is None: continue
            try:
                await loop.sock_sendall(sock, MALFORMED[name])
                status, _ = await self.answer(sock, 10)
                self.judge(category, status, 4)
                if status is not None and not await self.until_closed(sock, 5):
                    self.count("info", f"{category}: connection left open after the answer")
            except ConnectionError:
                self.count("expected", f"{category}: closed by the server while sending")
            except asyncio.TimeoutError:
                self.count("unexpected", f"{category}: no answer in 10 s")
            finally:
                sock.close()
            await asyncio.sleep(0.05)

    async def churn_loop(self):
        loop = asyncio.get_running_loop()
        while not self.stop.is_set():
            sock = await self.connect("churn")
            if sock is None: continue
            try:
                await loop.sock_sendall(sock, b"GET /pets/7 HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n")
                status, _ = await self.answer(sock, 10)
                if status is not None: self.count("requests", "churn")
                if status == 200 and await self.until_closed(sock, 10): self.count("ok", "churn")
                elif status == 200: self.count("unexpected", "churn: connection not closed after Connection: close")
                else: self.count("unexpected", f"churn: {'closed before an answer' if status is None else f'answered {status}'}")
            except (OSError, asyncio.TimeoutError) as error:
                self.count("unexpected", f"churn: {type(error).__name__}")
            finally:
                sock.close()

    async def idle(self, delay):
        await asyncio.sleep(delay)
        while not self.stop.is_set():
            sock = await self.connect("idle")
            if sock is None: continue
            opened = time.monotonic()
            self.gauge("idle_open", 1)
            try:
                if await self.until_closed(sock, None):
                    self.lifetimes.append(time.monotonic() - opened)
                    self.gauge("idle_closed", 1)
                    self.count("expected", "idle: closed by the server")
            except asyncio.CancelledError:
                self.open_ages.append(time.monotonic() - opened)
                raise
            finally:
                self.gauge("idle_open", -1)
                sock.close()

    async def main(self):
        a = self.args
        kinds = ["drip-head", "drip-body", "stalled-head", "never-read"]
        ramp = min(10.0, a.duration / 6)
        tasks = [asyncio.ensure_future(self.slow_loop(kinds[i % 4])) for i in range(a.slow)]
        tasks += [asyncio.ensure_future(self.malformed_loop(i * 4)) for i in range(2)]
        tasks += [asyncio.ensure_future(self.churn_loop()) for _ in range(2)]
        tasks += [asyncio.ensure_future(self.idle(ramp * i / max(1, a.idle))) for i in range(a.idle)]
        while not self.stop.is_set():
            await asyncio.sleep(0.2)
        for t in tasks: t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def run_clients(port, args, gauges, stop, out_path):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    die_with_parent()
    os.nice(10)  # let the probe, on the same core, go first
    clients = Clients(port, args, gauges, stop)
    try:
        asyncio.run(clients.main())
    finally:
        json.dump({"events": [[c, d, n] for (c, d), n in clients.events.items()],
                   "idle_lifetimes": clients.lifetimes, "idle_open_ages": clients.open_ages}, open(out_path, "w"))


# --- the probe: sequential keep-alive GET /pets/7, timed -----------------------------------

class Probe(threading.Thread):
    def __init__(self, port, gap):
        super().__init__(daemon=True)
        self.port, self.gap = port, gap
        self.lock, self.latencies, self.errors = threading.Lock(), [], collections.Counter()
        self.requests, self.stopping = 0, threading.Event()

    def take(self):
        with self.lock:
            values, self.latencies = self.latencies, []
        return values

    def run(self):
        conn = None
        while not self.stopping.is_set():
            try:
                conn = conn or http.client.HTTPConnection(HOST, self.port, timeout=5)
                start = time.perf_counter()
                conn.request("GET", "/pets/7")
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - start
                with self.lock:
                    self.latencies.append(elapsed * 1000)
                    self.requests += 1
                    if response.status != 200: self.errors[f"probe: answered {response.status}"] += 1
            except (OSError, http.client.HTTPException) as error:
                with self.lock: self.errors[f"probe: {type(error).__name__}"] += 1
                if conn: conn.close()
                conn = None
            self.stopping.wait(self.gap)


# --- the run -------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=float, default=600)
    ap.add_argument("--interval", type=float, default=5)
    ap.add_argument("--out")
    ap.add_argument("--binary", default=os.environ.get("TRELLIS_BINARY"))
    ap.add_argument("--port", type=int, default=0, help="default: a free one")
    ap.add_argument("--threads", type=int, default=1, help="the server's THREADS")
    ap.add_argument("--wrk-connections", type=int, default=8, help="per wrk process (one per scenario)")
    ap.add_argument("--slow", type=int, default=32, help="slow clients (a quarter of each kind)")
    ap.add_argument("--idle", type=int, default=300, help="idle sockets")
    ap.add_argument("--drip", type=float, default=0.3, help="seconds between the bytes a slow client drips")
    ap.add_argument("--hold", type=float, default=120, help="longest a stalled or never-reading client waits to be closed")
    ap.add_argument("--probe-gap", type=float, default=0.02, help="seconds between probe requests")
    a = ap.parse_args()
    if not a.binary or not os.access(a.binary, os.X_OK): sys.exit(f"soak.py: no server binary at {a.binary!r}")
    out = a.out or tempfile.mkdtemp(prefix="trellis-soak-")
    os.makedirs(out, exist_ok=True)
    port = a.port or free_port()
    pinned = len(os.sched_getaffinity(0)) >= 2
    print(f"== soak: {a.duration:.0f} s, sampled every {a.interval:g} s; results in {out}", flush=True)

    for sig in (signal.SIGTERM, signal.SIGHUP): signal.signal(sig, signal.default_int_handler)
    server = clients = probe = None
    wrks = {}
    samples, interrupted = [], False
    stop = mp.Event()
    gauges = mp.Array("q", len(GAUGES))
    try:
        env = dict(os.environ, PORT=str(port), THREADS=str(a.threads), LOG_LEVEL=os.environ.get("LOG_LEVEL", "warning"),
                   SHELTER_DATABASE=os.path.join(out, "shelter.sqlite"))
        server = subprocess.Popen((["taskset", "-c", "0"] if pinned else []) + [a.binary], env=env,
                                  stdout=open(os.path.join(out, "server.log"), "w"), stderr=subprocess.STDOUT,
                                  start_new_session=True, preexec_fn=die_with_parent)
        deadline = time.time() + 60
        while True:
            if server.poll() is not None: sys.exit(f"soak.py: the server exited with {server.returncode}; see {out}/server.log")
            try:
                if urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1).status == 200: break
            except OSError: pass
            if time.time() > deadline: sys.exit("soak.py: the server did not answer /healthz within 60 s")
            time.sleep(0.2)
        print(f"== server pid {server.pid} on port {port}" + (" (core 0; load on core 1)" if pinned else ""), flush=True)
        if pinned: os.sched_setaffinity(0, {1})

        clients = mp.Process(target=run_clients, args=(port, a, gauges, stop, os.path.join(out, "clients.json")))
        clients.start()
        for sc in WRK_SCENARIOS:
            cmd = ["nice", "-n", "10", "wrk", "-t1", f"-c{a.wrk_connections}", f"-d{int(a.duration)}s", "--timeout", "5s",
                   "-s", os.path.join(HERE, "soak.lua"), f"http://{HOST}:{port}/", "--", sc]
            wrks[sc] = subprocess.Popen(cmd, stdout=open(os.path.join(out, f"wrk-{sc}.txt"), "w"), stderr=subprocess.STDOUT,
                                        start_new_session=True, preexec_fn=die_with_parent)
        probe = Probe(port, a.probe_gap)
        probe.start()

        start = time.monotonic()
        next_tick, last_print = start + a.interval, start
        while True:
            time.sleep(max(0, next_tick - time.monotonic()))
            next_tick += a.interval
            t = time.monotonic() - start
            rss, threads = proc_status(server.pid)
            lat = probe.take()
            row = {"t_s": round(t, 1), "rss_mb": rss, "fds": fd_count(server.pid), "threads": threads,
                   "probe_n": len(lat), "probe_p50_ms": percentile(lat, 50), "probe_p99_ms": percentile(lat, 99),
                   "probe_max_ms": max(lat) if lat else None, "probe_errors": sum(probe.errors.values()),
                   **{g: gauges[i] for i, g in enumerate(GAUGES)}}
            samples.append(row)
            if server.poll() is not None:
                print(f"!! the server exited with {server.returncode} at {t:.0f} s", flush=True)
                break
            if time.monotonic() - last_print >= 30 or t >= a.duration - 0.01:
                last_print = time.monotonic()
                print(f"   {t:6.0f} s  RSS {fmt(rss, '.1f')} MB  fds {fmt(row['fds'])}  threads {fmt(threads)}  "
                      f"probe p99 {fmt(row['probe_p99_ms'], '.2f')} ms  idle sockets open {row['idle_open']}, "
                      f"closed by the server {row['idle_closed']}", flush=True)
            if t >= a.duration - 0.01: break
    except KeyboardInterrupt:
        interrupted = True
        print("\n!! interrupted: stopping everything, then reporting what was measured", flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if probe: probe.stopping.set()
        for p in wrks.values():  # SIGINT: wrk stops and still prints its results
            if p.poll() is None: p.send_signal(signal.SIGINT)
        stop.set()
        for p in wrks.values():
            try: p.wait(15)
            except subprocess.TimeoutExpired: p.kill(); p.wait()
        if clients:
            clients.join(15)
            if clients.is_alive(): clients.terminate(); clients.join()
        if probe: probe.join(10)
        server_died = server is not None and server.poll() is not None
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try: server.wait(20)
            except subprocess.TimeoutExpired: os.killpg(server.pid, signal.SIGKILL); server.wait()
    if server is None: sys.exit(1)
    sys.exit(report(a, out, samples, wrks, probe, server_died, server, interrupted))


def report(a, out, samples, wrks, probe, server_died, server, interrupted):
    if samples:
        with open(os.path.join(out, "samples.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(samples[0]))
            w.writeheader(); w.writerows(samples)
        plot(samples, os.path.join(out, "soak.png"))

    expected, unexpected, info, ok = (collections.Counter() for _ in range(4))
    requests = collections.Counter()
    for sc, p in wrks.items():
        text = open(os.path.join(out, f"wrk-{sc}.txt")).read()
        m = re.search(r"^SOAK-JSON (.*)$", text, re.M)
        if not m:
            unexpected[f"wrk {sc}: no result (wrk exited with {p.returncode})"] += 1
            continue
        r = json.loads(m.group(1))
        requests[f"wrk {sc}"] += r["requests"]
        want = 4 if sc in WANTS_4XX else 2
        for status, n in r["statuses"].items():
            status = int(status)
            if status // 100 == want and want == 4: expected[f"wrk {sc}: {status}"] += n
            elif status // 100 != want: unexpected[f"wrk {sc}: answered {status}"] += n
        # Requests never answered are no timeout for wrk; about one per connection is in flight at the end.
        if r["sent"] - r["requests"] > a.wrk_connections + 1:
            unexpected[f"wrk {sc}: requests never answered"] += r["sent"] - r["requests"] - a.wrk_connections - 1
        for kind in ("connect", "read", "write", "timeout"):
            if r[kind]: unexpected[f"wrk {sc}: socket {kind} errors" if kind != "timeout" else f"wrk {sc}: timeouts (5 s)"] += r[kind]
    if probe:
        requests["probe"] += probe.requests
        unexpected.update(probe.errors)
    lifetimes, open_ages = [], []
    try:
        c = json.load(open(os.path.join(out, "clients.json")))
        lifetimes, open_ages = c["idle_lifetimes"], c["idle_open_ages"]
        for category, detail, n in c["events"]:
            {"expected": expected, "unexpected": unexpected, "info": info, "ok": ok}.get(category, collections.Counter())[detail] += n
            if category == "requests": requests[f"{detail} clients"] += n
    except (OSError, ValueError):
        unexpected["the clients process left no results"] += 1
    if server_died: unexpected[f"the server exited with {server.returncode} during the run"] += 1

    log_lines = [l.rstrip("\n") for l in open(os.path.join(out, "server.log"), errors="replace")]
    log_kinds = collections.Counter(re.sub(r"hb\.request\.id=\S+ ", "", re.sub(r"^\S+ ", "", l)) for l in log_lines)

    def window(rows, key, first):
        t_end = rows[-1]["t_s"]
        chosen = [r[key] for r in rows if r[key] is not None and (r["t_s"] <= 60 if first else r["t_s"] >= t_end - 60)]
        return statistics.mean(chosen) if chosen else float("nan")

    print()
    print(f"== summary{' (interrupted)' if interrupted else ''}: {samples[-1]['t_s'] if samples else 0:.0f} s of load, "
          f"{len(samples)} samples; {out}")
    if samples:
        for key, label, unit in (("rss_mb", "RSS", " MB"), ("fds", "open fds", ""), ("threads", "threads", "")):
            values = [r[key] for r in samples if r[key] is not None]
            print(f"{label:9} first minute avg {window(samples, key, True):8.1f}{unit}, last minute avg "
                  f"{window(samples, key, False):8.1f}{unit}, max {max(values):.1f}{unit}")
        p99s = [r["probe_p99_ms"] for r in samples if r["probe_p99_ms"] is not None]
        if p99s:
            print(f"probe p99 max {max(p99s):.2f} ms (median of the {len(p99s)} interval p99s {statistics.median(p99s):.2f} ms, "
                  f"max single request {max(r['probe_max_ms'] or 0 for r in samples):.2f} ms)")
    print(f"requests  {sum(requests.values())} in all: " + ", ".join(f"{k} {n}" for k, n in requests.items()))
    if lifetimes:
        print(f"idle      {len(lifetimes)} idle sockets closed by the server after {min(lifetimes):.1f}–{max(lifetimes):.1f} s "
              f"(median {statistics.median(lifetimes):.1f} s), each reopened")
    else:
        print("idle      no idle socket was closed by the server during the run")
    if open_ages:
        print(f"idle      {len(open_ages)} idle sockets still open at the end, the oldest opened {max(open_ages):.0f} s before")
    print("clients   answered as wanted: " + (", ".join(f"{k} {n}" for k, n in sorted(ok.items())) or "none"))
    print(f"expected errors: {sum(expected.values())}")
    for k, n in sorted(expected.items()): print(f"   {n:9d}  {k}")
    for k, n in sorted(info.items()): print(f"   {n:9d}  (note) {k}")
    print(f"unexpected errors: {sum(unexpected.values())}")
    for k, n in sorted(unexpected.items()): print(f"   {n:9d}  {k}")
    print(f"server log: {len(log_lines)} lines at {os.environ.get('LOG_LEVEL', 'warning')} or above"
          + (", most frequent:" if log_lines else ""))
    for k, n in log_kinds.most_common(5): print(f"   {n:9d}  {k[:160]}")
    print(f"files: {out}/samples.csv, {out}/soak.png, {out}/summary.json, {out}/server.log, {out}/wrk-*.txt")
    json.dump({"duration": a.duration, "interrupted": interrupted, "requests": requests, "expected": expected,
               "unexpected": unexpected, "info": info, "idle_lifetimes_s": lifetimes, "idle_open_ages_s": open_ages, "server_log_lines": len(log_lines),
               "samples": samples}, open(os.path.join(out, "summary.json"), "w"), indent=1)
    return 130 if interrupted else 1 if unexpected else 0


def plot(samples, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(no plot: matplotlib is missing; pip install matplotlib)")
        return
    t = [r["t_s"] for r in samples]
    fig, axes = plt.subplots(3, 1, sharex=True, figsize=(10, 8))
    for ax, key, label in zip(axes, ("rss_mb", "fds", "probe_p99_ms"), ("RSS (MB)", "open fds", "probe p99 (ms)")):
        values = [r[key] if r[key] is not None else float("nan") for r in samples]
        ax.plot(t, values, marker=".", linewidth=1)
        ax.set_ylabel(label)
        ax.grid(True, alpha=0.3)
        ax.set_ylim(0, max([v for v in values if v == v] or [1]) * 1.15)
    axes[-1].set_xlabel("time (s)")
    fig.suptitle("Trellis example under soak load")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    main()
