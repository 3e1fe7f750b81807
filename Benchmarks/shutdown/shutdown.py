#!/usr/bin/env python3
"""Graceful shutdown loses no request (see ./run for usage).

Each run starts the server on a free port (PORT, THREADS=1, LOG_LEVEL=warning and, for the
example, SHELTER_DATABASE in a fresh temporary folder), waits until its health path answers 200,
then --clients threads send --requests requests between them (GET /pets/7, GET /plaintext and
POST /pets with a valid body, in turn) over raw sockets, on a mix of keep-alive connections
(2 to 6 requests each) and one-connection-per-request (Connection: close). When half of the
requests have been answered, the thread that read that answer sends SIGTERM to the server; the
clients go on until each has sent all its requests. Every request ends in exactly one class:

  2xx        a complete response with a 2xx status;
  503+RA     a complete 503 with Retry-After (refused politely);
  other      a complete response with any other status (listed under the table);
  refused    connect() failed with ECONNREFUSED: nothing was sent;
  not sent   the request could not be written: the connection was found closed right after
             connect(), or the write itself failed (EPIPE, ECONNRESET);
  conn err   connect() failed otherwise (timeout, ...): nothing was sent;
  LOST       the request was written in full, then the connection gave EOF or RST, or nothing
             complete came within 10 s. The one failure.

Before a request is written on a connection that already carried one, a non-blocking
recv(MSG_PEEK) tells whether the server has closed it meanwhile (EOF, RST, or unsolicited bytes):
if so the client counts a "closed idle" (an event, not a class: a keep-alive connection may be
closed while idle, and the client knows that the request was not sent) and sends the request on a
new connection. A response saying Connection: close ends its connection without any count.

Per run the table gives the classes, the closed-idle reconnects, when SIGTERM was sent, the
server's exit status and how long it took to exit after SIGTERM (killed after --exit-timeout).
Every lost request is listed with what is known of it: its connection (new, or reused and how
many requests it had carried), when it was connected and written relative to SIGTERM, how it
ended, and whether the server's listener was still accepting then (the first ECONNREFUSED any
client saw marks the listener gone). The last line is "N runs: A answered, L lost"; the exit
status is 1 when any request was lost, 2 when the check could not run.
"""
import argparse, collections, ctypes, errno, json, os, random, shlex, signal, socket
import subprocess, sys, tempfile, threading, time

HOST = "127.0.0.1"
VALID_BODY = b'{"name":"Rex","age":3,"status":"available"}'
KINDS = ["get-pet", "plaintext", "post-pet"]
EXPECTED = {"get-pet": 200, "plaintext": 200, "post-pet": 201}
CONNECT_TIMEOUT = 5.0
RESPONSE_TIMEOUT = 10.0
DEFAULT_BINARY_HINT = "swift build -c release --product Petstore --scratch-path .build-release"


def die_with_parent():
    """preexec_fn: the server gets SIGKILL should this process die without cleaning up."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def request_bytes(kind, close):
    conn = b"Connection: close\r\n" if close else b""
    if kind == "get-pet":
        return b"GET /pets/7 HTTP/1.1\r\nHost: shutdown\r\n" + conn + b"\r\n"
    if kind == "plaintext":
        return b"GET /plaintext HTTP/1.1\r\nHost: shutdown\r\n" + conn + b"\r\n"
    return (b"POST /pets HTTP/1.1\r\nHost: shutdown\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n" % len(VALID_BODY) + conn + b"\r\n" + VALID_BODY)


class Incomplete(Exception):
    """No complete response: how the connection ended ("EOF", "RST", "timeout") and the bytes read."""
    def __init__(self, how, got):
        super().__init__(how)
        self.how, self.got = how, got


def recv_some(sock, deadline, got):
    left = deadline - time.monotonic()
    if left <= 0:
        raise Incomplete("timeout", got)
    sock.settimeout(left)
    try:
        data = sock.recv(65536)
    except socket.timeout:
        raise Incomplete("timeout", got)
    except ConnectionResetError:
        raise Incomplete("RST", got)
    except OSError as e:
        raise Incomplete(errno.errorcode.get(e.errno, str(e)), got)
    if not data:
        raise Incomplete("EOF", got)
    return data


def read_response(sock, deadline, head_request=False):
    """(status, headers dict with lower-case names, connection closes after it)."""
    buf = b""
    total = 0
    while True:  # skip interim (1xx) responses
        while b"\r\n\r\n" not in buf:
            data = recv_some(sock, deadline, total)
            total += len(data)
            buf += data
        head, buf = buf.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        try:
            version, status = parts[0], int(parts[1])
        except (IndexError, ValueError):
            raise Incomplete("garbage status line %r" % lines[0][:60], total)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
        if not 100 <= status < 200:
            break
    closes = headers.get("connection", "").lower() == "close" or version == b"HTTP/1.0"
    if head_request or status in (204, 304):
        return status, headers, closes
    if "chunked" in headers.get("transfer-encoding", "").lower():
        while True:
            while b"\r\n" not in buf:
                data = recv_some(sock, deadline, total); total += len(data); buf += data
            size_line, buf = buf.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                while b"\r\n\r\n" not in b"\r\n" + buf:  # trailers end with an empty line
                    data = recv_some(sock, deadline, total); total += len(data); buf += data
                return status, headers, closes
            while len(buf) < size + 2:
                data = recv_some(sock, deadline, total); total += len(data); buf += data
            buf = buf[size + 2:]
    if "content-length" in headers:
        length = int(headers["content-length"])
        while len(buf) < length:
            data = recv_some(sock, deadline, total); total += len(data); buf += data
        return status, headers, closes
    while True:  # the body ends with the connection
        try:
            data = recv_some(sock, deadline, total)
        except Incomplete as e:
            if e.how == "EOF":
                return status, headers, True
            raise
        total += len(data)


def peer_state(sock):
    """None while the connection looks open; "EOF", "RST" or "data" once the server closed it
    (or sent something unasked, which only a closing server does)."""
    sock.setblocking(False)  # with a timeout, Python would poll before recv and wait
    try:
        data = sock.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return None
    except ConnectionResetError:
        return "RST"
    except OSError as e:
        return errno.errorcode.get(e.errno, "error")
    finally:
        sock.settimeout(CONNECT_TIMEOUT)
    return "EOF" if not data else "data"


class Run:
    """Shared state of one run."""
    def __init__(self, pid, total, port):
        self.pid, self.total, self.port = pid, total, port
        self.lock = threading.Lock()
        self.answered = 0
        self.t0 = time.monotonic()
        self.sigterm_at = None     # monotonic
        self.sigterm_answered = None
        self.first_refused = None  # monotonic: first ECONNREFUSED seen by any client
        self.exit_at = None
        self.records = []
        self.crashes = []

    def answer(self):
        with self.lock:
            self.answered += 1
            if self.sigterm_at is None and self.answered >= self.total // 2:
                self.sigterm()

    def sigterm(self):
        """Called with the lock held."""
        if self.sigterm_at is not None:
            return
        self.sigterm_at = time.monotonic()
        self.sigterm_wall = time.time()
        self.sigterm_answered = self.answered
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    def refused(self, t):
        with self.lock:
            if self.first_refused is None or t < self.first_refused:
                self.first_refused = t

    def add(self, rec):
        with self.lock:
            self.records.append(rec)


def client(run, cid, count, seed, deadline, gap):
    try:
        client_requests(run, cid, count, seed, deadline, gap)
    except BaseException as e:  # a bug here must not pass for a clean run
        import traceback
        with run.lock:
            run.crashes.append("client %d: %s" % (cid, traceback.format_exc(limit=3)))


def client_requests(run, cid, count, seed, deadline, gap):
    rng = random.Random(seed)
    # The plan: connections of 1 request (Connection: close) or 2 to 6 (keep-alive), in turn
    # at random, until `count` requests.
    plan = []  # (kind, starts a planned connection, closes after it)
    i = 0
    while i < count:
        n = 1 if rng.random() < 0.4 else rng.randint(2, 6)
        n = min(n, count - i)
        for k in range(n):
            plan.append((KINDS[(cid + i + k) % len(KINDS)], k == 0, n == 1))
        i += n
    sock = None
    on_conn = 0          # requests already written on `sock`
    connected_at = None
    prev_end = None      # when the previous answer on `sock` was read
    for index, (kind, starts, close) in enumerate(plan):
        rec = {"client": cid, "index": index, "kind": kind, "closed_idle": [], "mode": "close" if close else "keep-alive"}
        if gap:
            time.sleep(gap)
        if time.monotonic() > deadline:
            rec["class"] = "skipped"; run.add(rec); continue
        if starts and sock is not None:
            sock.close(); sock = None
        data = request_bytes(kind, close)
        outcome = None
        while True:  # until the request is written, or known not to be
            new_conn = sock is None
            if new_conn:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.settimeout(CONNECT_TIMEOUT)
                t = time.monotonic()
                try:
                    sock.connect((HOST, run.port))
                except ConnectionRefusedError:
                    run.refused(t)
                    outcome = {"class": "refused", "t_connect": t}
                except OSError as e:
                    outcome = {"class": "conn err", "t_connect": t, "error": repr(e)}
                if outcome:
                    break
                on_conn, connected_at, prev_end = 0, t, None
            # Has the server closed the connection? Checked last thing before the write, so that
            # only the time of one system call is left for the server's FIN to cross it.
            t_peek = time.monotonic()
            state = peer_state(sock)
            if state is None:
                rec["t_write"] = time.monotonic()
                try:
                    sock.sendall(data)
                except OSError as e:
                    outcome = {"class": "not sent", "how": "write failed: " + errno.errorcode.get(e.errno, repr(e))}
                break
            if new_conn:  # reset (or closed) before a byte was written
                outcome = {"class": "not sent", "how": "closed after connect: " + state, "t_connect": t}
                break
            # A keep-alive connection the server closed while idle: the request goes on a new one.
            rec["closed_idle"].append({"how": state, "after": on_conn, "t": t_peek})
            sock.close(); sock = None
        if outcome:
            rec.update(outcome)
            sock.close(); sock = None; run.add(rec); continue
        rec["t_peek"] = t_peek
        rec["new_conn"] = on_conn == 0
        rec["on_conn"] = on_conn + 1
        rec["t_connect"] = connected_at
        rec["t_prev_end"] = prev_end
        rec["local_port"] = sock.getsockname()[1]
        on_conn += 1
        rec["t_sent"] = time.monotonic()
        try:
            status, headers, closes = read_response(sock, rec["t_sent"] + RESPONSE_TIMEOUT)
        except Incomplete as e:
            rec.update({"class": "LOST", "how": e.how, "got_bytes": e.got, "t_end": time.monotonic()})
            sock.close(); sock = None; run.add(rec); continue
        except Exception as e:  # a response that cannot be parsed: not complete either
            rec.update({"class": "LOST", "how": "unparsable: " + repr(e), "got_bytes": -1, "t_end": time.monotonic()})
            sock.close(); sock = None; run.add(rec); continue
        rec["t_end"] = prev_end = time.monotonic()
        rec["status"] = status
        if 200 <= status < 300:
            rec["class"] = "2xx"
            if status != EXPECTED[kind]:
                rec["unexpected"] = True
        elif status == 503 and "retry-after" in headers:
            rec["class"] = "503+RA"
        else:
            rec["class"] = "other"
        run.add(rec)
        run.answer()
        if closes or close:
            sock.close(); sock = None
    if sock is not None:
        sock.close()


def wait_ready(proc, port, path, timeout):
    """True once GET path answers 200; False if the server exits or the time runs out."""
    end = time.monotonic() + timeout
    req = b"GET %s HTTP/1.1\r\nHost: shutdown\r\nConnection: close\r\n\r\n" % path.encode()
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection((HOST, port), timeout=1) as s:
                s.sendall(req)
                status, _, _ = read_response(s, time.monotonic() + 2)
                if status == 200:
                    return True
        except (OSError, Incomplete, ValueError):
            pass
        time.sleep(0.05)
    return False


def kill_group(proc):
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # its own session: the server and anything it started
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def one_run(args, number, workdir, current):
    port = free_port()
    rundir = os.path.join(workdir, "run%02d" % number)
    os.makedirs(rundir)
    env = dict(os.environ, PORT=str(port), THREADS="1", LOG_LEVEL="warning",
               SHELTER_DATABASE=os.path.join(rundir, "s.sqlite"))
    if args.peer_command:
        cmd = ["/bin/sh", "-c", "exec " + args.peer_command]
    else:
        cmd = [args.binary]
    log = open(os.path.join(rundir, "server.log"), "wb")
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            cwd=rundir, start_new_session=True, preexec_fn=die_with_parent)
    current[0] = proc
    result = {"run": number, "port": port, "pid": proc.pid}
    try:
        if not wait_ready(proc, port, args.health_path, args.start_timeout):
            result["error"] = "did not answer 200 on %s within %ss (exit status %s)" % (
                args.health_path, args.start_timeout, proc.poll())
            return result, []
        if args.strace:
            strace = subprocess.Popen(
                ["strace", "-f", "-ttt", "-yy", "-p", str(proc.pid), "-o", os.path.join(rundir, "strace.txt"),
                 "-e", "trace=accept,accept4,read,readv,recvfrom,recvmsg,write,writev,sendmsg,shutdown,close,listen"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)
            current.append(strace)
            time.sleep(1.5)  # until every thread is attached
        run = Run(proc.pid, args.requests, port)
        exit_info = {}

        def waiter():
            # Wait for SIGTERM, then for the process to end: the exit time is when waitpid returns.
            while run.sigterm_at is None and not stop_waiter.is_set():
                time.sleep(0.001)
            if stop_waiter.is_set() and run.sigterm_at is None:
                return
            try:
                code = proc.wait(timeout=args.exit_timeout)
                exit_info["t"] = time.monotonic()
                exit_info["code"] = code
            except subprocess.TimeoutExpired:
                exit_info["killed"] = True
                kill_group(proc)
                exit_info["t"] = time.monotonic()
                exit_info["code"] = proc.returncode

        stop_waiter = threading.Event()
        wt = threading.Thread(target=waiter, daemon=True)
        wt.start()
        per, extra = divmod(args.requests, args.clients)
        deadline = time.monotonic() + args.run_timeout
        threads = []
        for c in range(args.clients):
            n = per + (1 if c < extra else 0)
            t = threading.Thread(target=client, args=(run, c, n, "%d/%d/%d" % (args.seed, number, c), deadline, args.gap), daemon=True)
            threads.append(t)
        run.t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.run_timeout + RESPONSE_TIMEOUT + CONNECT_TIMEOUT + 5)
        with run.lock:
            if run.sigterm_at is None:  # fewer than half answered: stop it now all the same
                result["late_sigterm"] = True
                run.sigterm()
        wt.join(args.exit_timeout + 10)
        stop_waiter.set()
        recs = list(run.records)
        counts = collections.Counter(r["class"] for r in recs)
        result.update({
            "counts": dict(counts),
            "closed_idle": sum(len(r["closed_idle"]) for r in recs),
            "sigterm_after_ms": (run.sigterm_at - run.t0) * 1000,
            "sigterm_answered": run.sigterm_answered,
            "sigterm_wall": run.sigterm_wall,
            "listener_gone_ms": None if run.first_refused is None else (run.first_refused - run.sigterm_at) * 1000,
            "exit_code": exit_info.get("code"),
            "exit_s": None if "t" not in exit_info else exit_info["t"] - run.sigterm_at,
            "killed": exit_info.get("killed", False),
            "statuses": dict(collections.Counter(str(r["status"]) for r in recs if "status" in r)),
            "unexpected": sum(1 for r in recs if r.get("unexpected")),
        })
        problems = []
        if counts.get("skipped"):
            problems.append("%d requests not attempted (--run-timeout)" % counts["skipped"])
        if len(recs) != args.requests:
            problems.append("%d requests unaccounted for" % (args.requests - len(recs)))
        problems.extend(run.crashes)
        if problems:
            result["error"] = "; ".join(problems)
        # Times relative to SIGTERM, in ms, for the record.
        for r in recs:
            for key in ("t_connect", "t_peek", "t_prev_end", "t_write", "t_sent", "t_end"):
                if r.get(key) is not None:
                    r[key] = round((r[key] - run.sigterm_at) * 1000, 3)
            for ev in r["closed_idle"]:
                ev["t"] = round((ev["t"] - run.sigterm_at) * 1000, 2)
            r["listener_gone"] = (run.first_refused is not None and r.get("t_write") is not None
                                  and r["t_write"] >= (run.first_refused - run.sigterm_at) * 1000)
        return result, recs
    finally:
        kill_group(proc)
        for extra in current[1:]:
            try:
                extra.wait(timeout=5)
            except subprocess.TimeoutExpired:
                extra.kill(); extra.wait()
        del current[1:]
        current[0] = None
        log.close()
        result["log_tail"] = open(os.path.join(rundir, "server.log"), "rb").read()[-2000:].decode("utf-8", "replace")


def server_side(trace_path, local_port, sigterm_wall):
    """What the server did with the connection from local_port, from its strace (-yy names each
    socket by its addresses): its socket calls, times in ms from SIGTERM."""
    try:
        lines = open(trace_path, errors="replace").read().splitlines()
    except OSError:
        return "no strace"
    tag = "->127.0.0.1:%d]" % local_port
    out, pending = [], set()
    for line in lines:
        parts = line.split(None, 2)
        if len(parts) < 3:
            continue
        pid, call = parts[0], parts[2]
        try:
            t = (float(parts[1]) - sigterm_wall) * 1000
        except ValueError:
            continue
        if call.startswith("<... ") and pid in pending:
            pending.discard(pid)
        elif tag in call:
            if "<unfinished ...>" in call:
                pending.add(pid)
                continue
        else:
            continue
        name = call[5:].split(" ", 1)[0] if call.startswith("<... ") else call.split("(", 1)[0]
        result = call.rsplit(") = ", 1)[-1].split("<", 1)[0].strip() if ") = " in call else "?"
        if name.startswith("accept"):
            name, result = "accept", ""
        out.append("%s%s at %+.1f" % (name, (" = " + result) if result else "", t))
    if not out:
        return "never accepted (still in the listener's queue when it was closed: the kernel reset it)"
    return ", ".join(out)


def fmt_ms(v, digits=0):
    return "-" if v is None else "%+.*f" % (digits, v) if digits else "%.0f" % v


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    p = argparse.ArgumentParser(description="Check that graceful shutdown (SIGTERM) loses no request.")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--requests", type=int, default=200, help="in all, split between the clients")
    p.add_argument("--binary", default=os.environ.get("TRELLIS_BINARY") or os.path.join(root, ".build-release/release/Petstore"))
    p.add_argument("--peer-command", help="a shell command serving the bench API on $PORT, checked instead of --binary")
    p.add_argument("--health-path", help="polled until it answers 200 (default /healthz, /plaintext with --peer-command)")
    p.add_argument("--gap", type=float, default=0.0, help="seconds each client waits before each request (default 0)")
    p.add_argument("--start-timeout", type=float, default=30.0)
    p.add_argument("--exit-timeout", type=float, default=30.0, help="seconds after SIGTERM before SIGKILL")
    p.add_argument("--run-timeout", type=float, default=60.0, help="no request is started after this many seconds of a run")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", help="folder for results.json and the server logs (default: a new temporary folder)")
    p.add_argument("--strace", action="store_true",
                   help="trace the server's socket calls (strace, slows it down) and show, for each lost request, what the server did with its connection")
    p.add_argument("--show-lost", type=int, default=20, help="lost requests listed in detail (default 20)")
    args = p.parse_args()
    sys.setswitchinterval(0.0005)  # a client thread waits less for the GIL between its peek and its write
    if args.runs < 1 or args.clients < 1 or args.requests < args.clients:
        p.error("need --runs >= 1 and --requests >= --clients >= 1")
    if args.health_path is None:
        args.health_path = "/plaintext" if args.peer_command else "/healthz"
    if not args.peer_command and not (os.path.isfile(args.binary) and os.access(args.binary, os.X_OK)):
        print("no server binary at %s: build it (in %s) with\n    %s\nor give --binary PATH, TRELLIS_BINARY, or --peer-command CMD"
              % (args.binary, root, DEFAULT_BINARY_HINT), file=sys.stderr)
        return 2
    workdir = args.out or tempfile.mkdtemp(prefix="trellis-shutdown-")
    os.makedirs(workdir, exist_ok=True)
    label = args.peer_command or args.binary
    print("server: %s  (THREADS=1, LOG_LEVEL=warning)" % label)
    print("%d runs, %d clients, %d requests each run, SIGTERM once %d are answered; output in %s\n"
          % (args.runs, args.clients, args.requests, args.requests // 2, workdir), flush=True)

    current = [None]

    def on_signal(signum, frame):
        kill_group(current[0])
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    results, all_lost = [], []
    cols = ["run", "2xx", "503+RA", "other", "refused", "not sent", "conn err", "LOST", "idle closed",
            "SIGTERM at", "refusing +ms", "exit", "exit after"]
    widths = [3, 5, 6, 5, 7, 8, 8, 4, 11, 14, 12, 6, 10]
    header = "  ".join(c.rjust(w) for c, w in zip(cols, widths))
    try:
        for n in range(1, args.runs + 1):
            result, recs = one_run(args, n, workdir, current)
            results.append(result)
            lost = [r for r in recs if r["class"] == "LOST"]
            for r in lost:
                r["run"] = n
            all_lost.extend(lost)
            if "counts" not in result:
                print("run %d: %s\n%s" % (n, result.get("error"), result.get("log_tail", "")), flush=True)
                continue
            c = result["counts"]
            exit_s = "-" if result["exit_s"] is None else "%.2fs" % result["exit_s"]
            code = "kill" if result["killed"] else str(result["exit_code"])
            row = [str(n), str(c.get("2xx", 0)), str(c.get("503+RA", 0)), str(c.get("other", 0)),
                   str(c.get("refused", 0)), str(c.get("not sent", 0)), str(c.get("conn err", 0)),
                   str(c.get("LOST", 0)), str(result["closed_idle"]),
                   "%d ans/%sms" % (result["sigterm_answered"], fmt_ms(result["sigterm_after_ms"])),
                   fmt_ms(result["listener_gone_ms"]), code, exit_s]
            if n == 1:
                print(header)
            print("  ".join(v.rjust(w) for v, w in zip(row, widths)), flush=True)
            notes = []
            if c.get("other"):
                notes.append("other statuses: %s" % {k: v for k, v in result["statuses"].items() if not k.startswith("2") and k != "503"})
            if result["unexpected"]:
                notes.append("%d 2xx with another status than the operation's" % result["unexpected"])
            if result.get("late_sigterm"):
                notes.append("fewer than half answered: SIGTERM sent after the clients finished")
            if result.get("error"):
                notes.append(result["error"])
            if result["exit_code"] not in (0, None) or result["killed"]:
                notes.append("server log tail: " + result["log_tail"].strip()[-500:])
            for note in notes:
                print("     ^ " + note, flush=True)
    except KeyboardInterrupt:
        kill_group(current[0])
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        kill_group(current[0])
        with open(os.path.join(workdir, "results.json"), "w") as f:
            json.dump({"runs": results, "lost": all_lost}, f, indent=1, default=str)

    done = [r for r in results if "counts" in r]
    answered = sum(r["counts"].get(k, 0) for r in done for k in ("2xx", "503+RA", "other"))
    lost = sum(r["counts"].get("LOST", 0) for r in done)
    print()
    print("columns: refused = ECONNREFUSED at connect; not sent = closed right after connect, or the write failed;")
    print("  idle closed = keep-alive connections found closed (MSG_PEEK) before a request, which went on a new one;")
    print("  SIGTERM at = answers counted, ms after the clients started; refusing = first ECONNREFUSED, ms after SIGTERM;")
    print("  exit = the server's exit status (negative: killed by that signal); exit after = seconds from SIGTERM to exit.")
    if all_lost:
        print("\nlost requests (times in ms from SIGTERM; idle since = the previous answer on that connection; peek = the"
              " MSG_PEEK check that found it open; listener gone = some connect() had been refused before the write;"
              " EOF = the server's FIN came first, RST = a reset with no FIN before it):")
        for r in all_lost[:args.show_lost]:
            conn = "new conn" if r.get("new_conn") else "reused conn (request %d on it)" % r.get("on_conn", 0)
            idle = "" if r.get("new_conn") else "idle since %s, " % fmt_ms(r.get("t_prev_end"), 1)
            print("  run %d client %d #%d %s %s, %s: connected %s, %speek %s, write %s, %s at %s after %d bytes of answer%s"
                  % (r["run"], r["client"], r["index"], r["kind"], r["mode"], conn, fmt_ms(r.get("t_connect"), 1), idle,
                     fmt_ms(r.get("t_peek"), 2), fmt_ms(r.get("t_write"), 2), r.get("how"), fmt_ms(r.get("t_end"), 1),
                     r.get("got_bytes", 0), "; listener gone" if r.get("listener_gone") else ""))
            if args.strace and r.get("local_port"):
                res = next(x for x in results if x["run"] == r["run"])
                print("      server: " + server_side(os.path.join(workdir, "run%02d" % r["run"], "strace.txt"),
                                                     r["local_port"], res["sigterm_wall"]))
        if len(all_lost) > args.show_lost:
            print("  ... %d more in results.json" % (len(all_lost) - args.show_lost))
        by = collections.Counter(("new conn" if r.get("new_conn") else "reused conn", r.get("how"),
                                  "written before SIGTERM" if (r.get("t_write") or 0) < 0 else "written after SIGTERM")
                                 for r in all_lost)
        print("  by kind: " + "; ".join("%s, %s, %s: %d" % (k + (v,)) for k, v in by.most_common()))
    failed = [r for r in results if "counts" not in r or r.get("error")]
    if failed:
        print("\n%d run(s) could not run: %s" % (len(failed), "; ".join(r.get("error", "?") for r in failed)))
    print("\n%d runs: %d answered, %d lost" % (len(results), answered, lost))
    if lost:
        return 1
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
