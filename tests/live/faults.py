#!/usr/bin/env python3
"""Network faults for the transport contract suites of tests/live/run.sh.

Listens on three free 127.0.0.1 ports and prints one line per listener,
`stall PORT`, `drop PORT`, `drop-batch PORT`, then `ready`:

- stall: accepts connections, reads what comes and never answers;
- drop: forwards each connection to UPSTREAM (host:port) and closes the client's side
  as soon as the server's answer starts, without passing any of it on;
- drop-batch: forwards both ways, except that the answer to the first
  `POST /api/v1/reports:batch` it sees is swallowed the same way. The server answers
  a batch only after its commit, so the phone's report is stored and the phone never
  heard: the core must send it again and get the same answer. Interim `1xx` answers
  (`100 Continue`) are passed on; only the final answer is swallowed.

Counts go to STATS_FILE as `dropped=N dropped_batch=N batch_requests=N` after every
change. Runs until killed. Prints no request or answer content.
"""

import socket
import sys
import threading

BATCH = b"POST /api/v1/reports:batch "


class Stats:
    """Counters, written to the stats file after every change."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.values = {"dropped": 0, "dropped_batch": 0, "batch_requests": 0}
        self.batch_armed = True
        self.write()

    def add(self, name):
        with self.lock:
            self.values[name] += 1
            self.write()

    def take_batch_drop(self):
        """True for the first batch request only."""
        with self.lock:
            armed, self.batch_armed = self.batch_armed, False
            return armed

    def write(self):
        with open(self.path, "w", encoding="ascii") as f:
            f.write(" ".join(f"{k}={v}" for k, v in self.values.items()) + "\n")


def listen():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    return s


def close(*socks):
    for s in socks:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            s.close()
        except OSError:
            pass


def serve(listener, handle):
    def loop():
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()


def stall(conn):
    """Reads and discards until the client gives up; never answers."""
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass
    close(conn)


def final_answer_starts(data):
    """Whether `data` (the server's bytes so far) holds more than interim 1xx answers."""
    while data.startswith(b"HTTP/1.1 1") or data.startswith(b"HTTP/1.0 1"):
        end = data.find(b"\r\n\r\n")
        if end < 0:
            return False
        data = data[end + 4:]
    return len(data) > 0


def interim_prefix(data):
    """The leading complete interim answers of `data`."""
    rest = data
    while rest.startswith(b"HTTP/1.1 1") or rest.startswith(b"HTTP/1.0 1"):
        end = rest.find(b"\r\n\r\n")
        if end < 0:
            break
        rest = rest[end + 4:]
    return data[: len(data) - len(rest)]


def proxy(upstream, stats, batch_only):
    def handle(client):
        try:
            server = socket.create_connection(upstream, timeout=10)
            server.settimeout(None)
        except OSError:
            close(client)
            return
        state = {"swallow": not batch_only}

        def upward():
            tail = b""
            try:
                while True:
                    data = client.recv(65536)
                    if not data:
                        break
                    if batch_only and BATCH in tail + data:
                        stats.add("batch_requests")
                        if stats.take_batch_drop():
                            state["swallow"] = True
                    tail = data[-len(BATCH):]
                    server.sendall(data)
            except OSError:
                pass
            try:
                server.shutdown(socket.SHUT_WR)
            except OSError:
                pass

        threading.Thread(target=upward, daemon=True).start()
        pending = b""
        try:
            while True:
                data = server.recv(65536)
                if not data:
                    break
                if state["swallow"]:
                    pending += data
                    if final_answer_starts(pending):
                        client.sendall(interim_prefix(pending))
                        stats.add("dropped_batch" if batch_only else "dropped")
                        break
                    continue
                client.sendall(data)
        except OSError:
            pass
        close(client, server)

    return handle


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: faults.py UPSTREAM_HOST:PORT STATS_FILE")
    host, port = sys.argv[1].rsplit(":", 1)
    upstream = (host, int(port))
    stats = Stats(sys.argv[2])
    for name, handle in (
        ("stall", stall),
        ("drop", proxy(upstream, stats, batch_only=False)),
        ("drop-batch", proxy(upstream, stats, batch_only=True)),
    ):
        listener = listen()
        serve(listener, handle)
        print(f"{name} {listener.getsockname()[1]}", flush=True)
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
