#!/usr/bin/python3
"""web_server - the web servers check_web's tests run it against.

Usage: web_server.py PORTS_FILE [--cert FILE --key FILE [--client-ca FILE]]

Starts, on 127.0.0.1 and free ports, and writes "NAME PORT" lines to
PORTS_FILE (under a temporary name, then renamed) once all listen:

  plain    HTTP/1.1, the paths below
  tls      the same over TLS with --cert/--key (only with them)
  mtls     the same, asking for a client certificate signed by --client-ca
           (only with it)
  garbage  a TCP server that answers any connection with bytes that are
           not HTTP, then closes
  flood    an HTTP answer with headers that never end
  slowloris  a status line, then one header byte a second, forever

Paths of plain and tls:
  /                  a small HTML page (title "vigil test page", div#version
                     "1.2.3", two li.item)
  /malformed         HTML that is not well formed (unclosed tags, a stray
                     </div>, an attribute without quotes): libxml2's HTML
                     parser must still find div#answer "42"
  /data.xml          an XML document (<status><db>up</db>…)
  /data.json         {"status": "ok", "checks": [{"name": "db", "ok": true}], "a/b": 1}
  /status/N          answers status N with a short body
  /redirect/N        a 302 to /redirect/N-1; /redirect/0 is the page
  /slow/S            waits S seconds, then the page
  /big/N             a body of N bytes ('x'), streamed in 64 KiB chunks
  /headers           the page with a header X-Vigil-Test: present

Diagnostics: errors on stderr; exit 2 for usage errors.
"""
import argparse
import os
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = (b"<!DOCTYPE html><html><head><title>vigil test page</title></head><body>"
        b"<div id=\"version\">1.2.3</div><ul><li class=\"item\">one</li>"
        b"<li class=\"item\">two</li></ul></body></html>\n")
MALFORMED = (b"<html><head><title>broken<body><p>unclosed <b>bold <i>both</b></i>"
             b"</div><div id=answer class=x>42</div><table><tr><td>cell</table>"
             b"<p attr=no-quotes>end")
XML = (b"<?xml version=\"1.0\"?><status><db>up</db><queue depth=\"3\">ok</queue>"
       b"</status>\n")
JSON = b'{"status": "ok", "checks": [{"name": "db", "ok": true}], "a/b": 1}\n'


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        # as real servers do: the body is not held back by Nagle's
        # algorithm waiting for the client's delayed ACK of the headers
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().setup()

    def send(self, status, body, ctype="text/html", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n)
        self.send(200, b"posted " + body, "text/plain")

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        try:
            if self.path == "/":
                self.send(200, PAGE)
            elif parts[0] == "malformed":
                self.send(200, MALFORMED)
            elif parts[0] == "data.xml":
                self.send(200, XML, "application/xml")
            elif parts[0] == "data.json":
                self.send(200, JSON, "application/json")
            elif parts[0] == "status" and len(parts) == 2:
                self.send(int(parts[1]), b"status " + parts[1].encode() + b"\n", "text/plain")
            elif parts[0] == "redirect" and len(parts) == 2:
                n = int(parts[1])
                if n <= 0:
                    self.send(200, PAGE)
                else:
                    self.send(302, b"", extra=[("Location", "/redirect/%d" % (n - 1))])
            elif parts[0] == "slow" and len(parts) == 2:
                time.sleep(float(parts[1]))
                self.send(200, PAGE)
            elif parts[0] == "big" and len(parts) == 2:
                n = int(parts[1])
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(n))
                self.end_headers()
                chunk = b"x" * 65536
                while n > 0:
                    self.wfile.write(chunk[:min(n, len(chunk))])
                    n -= len(chunk)
            elif parts[0] == "headers":
                self.send(200, PAGE, extra=[("X-Vigil-Test", "present")])
            else:
                self.send(404, b"no such page\n", "text/plain")
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass


def raw_server(talk):
    """A TCP server on a free port: each connection handled by talk(conn)."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)

    def serve():
        while True:
            conn, _ = s.accept()

            def run(c=conn):
                try:
                    talk(c)
                except OSError:
                    pass
                finally:
                    c.close()
            threading.Thread(target=run, daemon=True).start()
    threading.Thread(target=serve, daemon=True).start()
    return s.getsockname()[1]


def drain(c):
    c.settimeout(2)
    try:
        c.recv(65536)
    except OSError:
        pass


def garbage(c):
    drain(c)
    c.sendall(bytes(range(256)) * 64 + b"\r\n\r\nnot HTTP at all\x00\xff\r\n")


def flood(c):
    drain(c)
    c.sendall(b"HTTP/1.1 200 OK\r\n")
    n = 0
    while True:
        c.sendall(b"X-Flood-%d: %s\r\n" % (n, b"y" * 100))
        n += 1


def slowloris(c):
    drain(c)
    c.sendall(b"HTTP/1.1 200 OK\r\n")
    while True:
        c.sendall(b"X")
        time.sleep(1)


def main():
    p = argparse.ArgumentParser(description="web servers for check_web's tests")
    p.add_argument("ports_file")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--client-ca")
    a = p.parse_args()
    ports = []

    def http(name, ctx=None):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        if ctx is not None:
            server.socket = ctx.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        ports.append((name, server.server_address[1]))

    http("plain")
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        http("tls", ctx)
        if a.client_ca:
            mctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            mctx.load_cert_chain(a.cert, a.key)
            mctx.verify_mode = ssl.CERT_REQUIRED
            mctx.load_verify_locations(a.client_ca)
            http("mtls", mctx)
    ports.append(("garbage", raw_server(garbage)))
    ports.append(("flood", raw_server(flood)))
    ports.append(("slowloris", raw_server(slowloris)))
    with open(a.ports_file + ".tmp", "w") as f:
        for name, port in ports:
            f.write("%s %d\n" % (name, port))
    os.rename(a.ports_file + ".tmp", a.ports_file)
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
