"""scripts/cluster's work (see scripts/cluster for what it does and its options)."""
import argparse, json, os, re, shutil, signal, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPECTED = {200, 201, 422}


def log(message):
    print(f"[cluster {time.strftime('%H:%M:%S')}] {message}", flush=True)


def get(url, timeout=1.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except Exception:
        return None, ""


class Cluster:
    def __init__(self, args, folder):
        self.args = args
        self.folder = folder
        self.replicas = {}  # index -> Popen
        self.haproxy = None
        self.started_postgres = False
        self.database_url = None

    # PostgreSQL: the project's own server (scripts/postgres), a new database for this run.
    def start_database(self):
        status = subprocess.run([os.path.join(ROOT, "scripts/postgres"), "url"], capture_output=True, text=True)
        admin = status.stdout.strip()
        running = subprocess.run(["psql", admin, "-Atqc", "SELECT 1"], capture_output=True, text=True).returncode == 0
        if not running:
            admin = subprocess.run([os.path.join(ROOT, "scripts/postgres"), "start"], check=True, capture_output=True, text=True).stdout.strip()
            self.started_postgres = True
        name = "trellis_cluster"
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True, capture_output=True)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
        self.database_url = re.sub(r"/trellis\?", f"/{name}?", admin)
        log(f"PostgreSQL: {self.database_url}")

    def port(self, index):
        return self.args.base_port + 1 + index

    def start_replica(self, index):
        environment = dict(os.environ)
        environment.update({
            "PORT": str(self.port(index)), "HOST": "127.0.0.1", "THREADS": "1", "LOG_LEVEL": "warning",
            "DATABASE_URL": self.database_url, "DATABASE_POOL_SIZE": "8",
            "TRELLIS_DRAIN_DELAY": str(self.args.drain_delay),
        })
        output = open(os.path.join(self.folder, f"replica-{index}.log"), "ab")
        command = [self.args.binary]
        if self.args.pin:
            command = ["taskset", "-c", str(index % os.cpu_count())] + command
        self.replicas[index] = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)

    def wait_ready(self, index, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            process = self.replicas[index]
            if process.poll() is not None:
                raise RuntimeError(f"replica {index} exited with {process.returncode} (see {self.folder}/replica-{index}.log)")
            status, _ = get(f"http://127.0.0.1:{self.port(index)}/readyz")
            if status == 200:
                return
            time.sleep(0.05)
        raise RuntimeError(f"replica {index} not ready within {timeout} s")

    def stop_replica(self, index, timeout=30):
        process = self.replicas[index]
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise RuntimeError(f"replica {index} did not exit within {timeout} s of SIGTERM")

    # HAProxy: round robin over the replicas, a health check on /readyz every 250 ms (down
    # after 2 failures, up after 2 successes); a stats page for waiting on a server's state.
    def start_haproxy(self, count):
        servers = "\n".join(f"    server replica{i} 127.0.0.1:{self.port(i)} check" for i in range(count))
        config = f"""
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 30s
    retries 2
    option redispatch
frontend api
    bind 127.0.0.1:{self.args.base_port}
    default_backend replicas
frontend stats
    bind 127.0.0.1:{self.args.base_port + 100}
    stats enable
    stats uri /stats
backend replicas
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 250ms fall 2 rise 2
{servers}
"""
        path = os.path.join(self.folder, "haproxy.cfg")
        with open(path, "w") as file:
            file.write(config)
        output = open(os.path.join(self.folder, "haproxy.log"), "ab")
        self.haproxy = subprocess.Popen(["haproxy", "-db", "-f", path], stdout=output, stderr=subprocess.STDOUT)

    def server_states(self):
        status, text = get(f"http://127.0.0.1:{self.args.base_port + 100}/stats;csv")
        states = {}
        if status == 200:
            for line in text.splitlines():
                fields = line.split(",")
                if len(fields) > 17 and fields[0] == "replicas" and fields[1].startswith("replica"):
                    states[int(fields[1][len("replica"):])] = fields[17]
        return states

    def wait_balanced(self, index, state="UP", timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            if self.haproxy.poll() is not None:
                raise RuntimeError(f"HAProxy exited with {self.haproxy.returncode} (see {self.folder}/haproxy.log)")
            if self.server_states().get(index, "").startswith(state):
                return
            time.sleep(0.05)
        raise RuntimeError(f"HAProxy did not see replica {index} {state} within {timeout} s: {self.server_states()}")

    def run_wrk(self, duration):
        command = ["wrk", "-t", str(self.args.wrk_threads), "-c", str(self.args.connections), "-d", f"{duration}s",
                   "--timeout", "10s", "-s", os.path.join(ROOT, "scripts/cluster.lua"), f"http://127.0.0.1:{self.args.base_port}"]
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def stop_servers(self):
        """Stops the replicas and HAProxy."""
        for process in self.replicas.values():
            if process.poll() is None:
                process.kill()
                process.wait()
        if self.haproxy and self.haproxy.poll() is None:
            self.haproxy.terminate()
            self.haproxy.wait()
        self.replicas, self.haproxy = {}, None

    def stop(self):
        """Stops everything it started: the servers, and PostgreSQL if it was not running before."""
        self.stop_servers()
        if self.started_postgres:
            subprocess.run([os.path.join(ROOT, "scripts/postgres"), "stop"], capture_output=True)
            self.started_postgres = False


def read_result(output):
    for line in output.splitlines():
        if line.startswith("CLUSTER-RESULT "):
            return json.loads(line[len("CLUSTER-RESULT "):])
    raise RuntimeError("wrk gave no result:\n" + output)


def failures(result):
    statuses = {int(code): count for code, count in result["statuses"].items()}
    unexpected = sum(count for code, count in statuses.items() if code not in EXPECTED)
    excess_422 = max(0, statuses.get(422, 0) - result["invalid_sent"])
    errors = result["errors"]
    return unexpected + excess_422 + errors["connect"] + errors["read"] + errors["write"] + errors["timeout"], unexpected + excess_422


def load(cluster, count, duration, rolling):
    for index in range(count):
        cluster.start_replica(index)
    for index in range(count):
        cluster.wait_ready(index)
    cluster.start_haproxy(count)
    for index in range(count):
        cluster.wait_balanced(index)
    log(f"{count} replicas behind HAProxy on 127.0.0.1:{cluster.args.base_port}; wrk for {duration} s, {cluster.args.connections} connections")
    wrk = cluster.run_wrk(duration)
    restarts = []
    if rolling:
        time.sleep(3)
        for index in range(count):
            began = time.time()
            code = cluster.stop_replica(index)
            stopped = time.time()
            cluster.start_replica(index)
            cluster.wait_ready(index)
            cluster.wait_balanced(index)
            restarts.append((index, code, stopped - began, time.time() - began))
            log(f"replica {index}: exit {code} {stopped - began:.1f} s after SIGTERM, back in HAProxy after {time.time() - began:.1f} s")
            if wrk.poll() is not None:
                break
        if wrk.poll() is not None:
            raise RuntimeError("the load ended before every replica was restarted: give a longer --duration")
    output, _ = wrk.communicate()
    if wrk.returncode != 0:
        raise RuntimeError("wrk failed:\n" + output)
    result = read_result(output)
    bad_exits = [r for r in restarts if r[1] != 0]
    if bad_exits:
        raise RuntimeError(f"replicas exited with a failure status after SIGTERM: {bad_exits}")
    return result


def report(result, label):
    failed, unexpected = failures(result)
    seconds = result["duration_us"] / 1e6
    errors = result["errors"]
    statuses = ", ".join(f"{code}: {count}" for code, count in sorted(result["statuses"].items()))
    print(f"{label}: {result['requests']} requests in {seconds:.1f} s, {result['requests'] / seconds:.0f} requests/s, "
          f"p50 {result['p50_us'] / 1000:.1f} ms, p99 {result['p99_us'] / 1000:.1f} ms")
    print(f"  statuses {{{statuses}}}; unexpected answers {unexpected}; socket errors: connect {errors['connect']}, "
          f"read {errors['read']}, write {errors['write']}; wrk timeouts {errors['timeout']}")
    return failed


def main():
    parser = argparse.ArgumentParser(description="Replicas of the example behind HAProxy, on PostgreSQL, under load.")
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--rolling-restart", action="store_true")
    parser.add_argument("--scale", action="store_true", help="requests/s with 1, 2, ... --replicas replicas (no restarts)")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build-release/release/Petstore"))
    parser.add_argument("--drain-delay", type=float, default=2)
    parser.add_argument("--base-port", type=int, default=18400)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--keep-logs", action="store_true")
    parser.add_argument("--pin", action="store_true", help="replica i runs on core i mod cores only (taskset), so that one replica cannot use the whole machine")
    args = parser.parse_args()
    if args.replicas < 1 or args.connections < 1 or args.duration < 1:
        parser.error("--replicas, --connections and --duration must be positive")
    if not os.path.exists(args.binary):
        log(f"building {args.binary}")
        subprocess.run(["swift", "build", "-c", "release", "--product", "Petstore", "--scratch-path", os.path.join(ROOT, ".build-release")],
                       cwd=ROOT, check=True)
    folder = tempfile.mkdtemp(prefix="trellis-cluster-")
    cluster = Cluster(args, folder)
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    total = failed = 0
    try:
        cluster.start_database()
        counts = range(1, args.replicas + 1) if args.scale else [args.replicas]
        for count in counts:
            result = load(cluster, count, args.duration, args.rolling_restart and not args.scale)
            label = f"{count} replica{'s' if count > 1 else ''}" + (", rolling restart" if args.rolling_restart and not args.scale else "")
            failed += report(result, label)
            total += result["requests"]
            cluster.stop_servers()
    except (RuntimeError, subprocess.CalledProcessError, KeyboardInterrupt) as error:
        cluster.stop()
        print(f"cluster: {error} (logs in {folder})", file=sys.stderr)
        sys.exit(2)
    finally:
        cluster.stop()
    if not args.keep_logs and failed == 0:
        shutil.rmtree(folder, ignore_errors=True)
    elif failed:
        print(f"logs: {folder}")
    print(f"{total} requests, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
