"""Server start-up benchmark: time from spawning `k2lsp serve` to the `initialize` reply, and resident memory
once idle. Usage: python3 Benchmarks/ServerStartup/startup.py [BINARY] [WORKSPACE] [RUNS]"""
import json
import os
import statistics
import subprocess
import sys
import time


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_message(stream):
    length = None
    while True:
        line = stream.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(stream.read(length))


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def one_run(binary, workspace, idle_seconds):
    started = time.perf_counter()
    process = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    process.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": os.getpid(), "rootUri": "file://" + workspace, "capabilities": {}}}))
    process.stdin.flush()
    read_message(process.stdout)
    latency = time.perf_counter() - started
    process.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    process.stdin.flush()
    rss = None
    if idle_seconds:
        time.sleep(idle_seconds)
        rss = rss_kib(process.pid)
    process.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
    process.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
    process.stdin.flush()
    process.wait(timeout=10)
    return latency, rss


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/k2lsp"
    workspace = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else ".")
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    latencies = [one_run(binary, workspace, 0)[0] for _ in range(runs)]
    _, rss = one_run(binary, workspace, 3)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print("initialize reply after spawn: p50 %.1f ms, p99 %.1f ms, min %.1f ms (%d runs)" % (
        statistics.median(latencies) * 1000, p99 * 1000, latencies[0] * 1000, runs))
    print("idle RSS 3 s after initialized (workspace indexed): %.1f MiB" % (rss / 1024))


if __name__ == "__main__":
    main()
