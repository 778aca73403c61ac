#!/usr/bin/python3
"""http_sink - an HTTP server for vigil's tests that records every POST.

Usage: http_sink.py DIR [--port N] [--port-file FILE]

Listens on 127.0.0.1:N (0, the default: a free port, printed on stdout and
written to FILE). Each POST is answered with the status in the file
DIR/status when it exists (e.g. "500"), else 200, and recorded as
DIR/req-NNNN.json: {"path", "headers": {name: value}, "body" (text),
"status" (the status answered)}, written under a temporary name and
renamed, so a reader never sees half a request.

Diagnostics: errors on stderr; exit 2 for usage errors.
"""
import argparse
import itertools
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sinkutil import announce

LOCK = threading.Lock()
SEQ = itertools.count(1)
DIR = "."


def answer_status():
    try:
        with open(os.path.join(DIR, "status")) as f:
            return int(f.read().strip())
    except (FileNotFoundError, ValueError):
        return 200


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        status = answer_status()
        with LOCK:
            n = next(SEQ)
        record = {
            "path": self.path,
            "headers": {k: v for k, v in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
            "status": status,
        }
        name = os.path.join(DIR, "req-%04d.json" % n)
        with open(name + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(name + ".tmp", name)
        reply = b"ok" if status < 300 else b"sink says no (status %d)" % status
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, fmt, *args):
        sys.stderr.write("http_sink: " + (fmt % args) + "\n")


def main():
    global DIR
    p = argparse.ArgumentParser(description="HTTP sink for tests")
    p.add_argument("dir")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    a = p.parse_args()
    DIR = a.dir
    os.makedirs(DIR, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    port = server.server_address[1]
    announce(port, a.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
