#!/usr/bin/python3
"""smtp_sink - an SMTP server for vigil's tests (aiosmtpd, Debian's
python3-aiosmtpd; hence /usr/bin/python3, not whatever python3 is first on
PATH).

Usage: smtp_sink.py DIR [--port N] [--port-file FILE] [--delay SECONDS]
                    [--tls-cert FILE --tls-key FILE] [--auth USER:PASSWORD]

Listens on 127.0.0.1:N (0, the default: a free port, printed on stdout and
written to FILE). Every message accepted is written to DIR as
mail-NNNN.eml (the raw message, headers and body, as received), preceded
by the lines "X-Sink-Mail-From: <addr>", "X-Sink-Rcpt-To: <addr,...>",
"X-Sink-TLS: yes|no" (whether the session had done STARTTLS) and
"X-Sink-Auth: USER|none" (who logged in).
A file appears only once the message is accepted (written to a temporary
name, then renamed), so a reader never sees half a message.

--delay SECONDS holds the answer to DATA that long before accepting; the
file DIR/delay, when present, overrides it (its content is the number of
seconds, "0" for none), so a test can turn the delay on and off while the
sink runs; "smtp_sink: holding DATA" on stderr says a delay began. A
client that goes away during the delay has sent nothing: the message is
dropped, as any MTA drops a message it never acknowledged.

--tls-cert FILE --tls-key FILE (PEM) offer STARTTLS with that certificate.
--auth USER:PASSWORD (needs --tls-cert) requires STARTTLS and then AUTH
(PLAIN and LOGIN, advertised only once TLS is on) with exactly that pair
before MAIL; any other pair gets "535 5.7.8 Authentication credentials
invalid" and "smtp_sink: AUTH refused user=..." on stderr.

Diagnostics: errors on stderr; exit 2 for usage errors.
"""
import argparse
import asyncio
import itertools
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from sinkutil import announce


class Sink:
    def __init__(self, directory, delay):
        self.directory = directory
        self.delay = delay
        self.seq = itertools.count(1)

    def current_delay(self):
        try:
            with open(os.path.join(self.directory, "delay")) as f:
                return float(f.read().strip() or 0)
        except FileNotFoundError:
            return self.delay
        except ValueError:
            return self.delay

    async def handle_DATA(self, server, session, envelope):
        delay = self.current_delay()
        if delay > 0:
            # A client killed meanwhile makes aiosmtpd cancel this
            # coroutine: nothing is written.
            print("smtp_sink: holding DATA for %g s" % delay, file=sys.stderr, flush=True)
            await asyncio.sleep(delay)
            if server.transport is None or server.transport.is_closing():
                return "421 client went away"
        n = next(self.seq)
        name = os.path.join(self.directory, "mail-%04d.eml" % n)
        tmp = name + ".tmp"
        with open(tmp, "wb") as f:
            f.write(b"X-Sink-Mail-From: %s\r\n" % envelope.mail_from.encode())
            f.write(b"X-Sink-Rcpt-To: %s\r\n" % ",".join(envelope.rcpt_tos).encode())
            f.write(b"X-Sink-TLS: %s\r\n" % (b"yes" if session.ssl is not None else b"no"))
            f.write(b"X-Sink-Auth: %s\r\n" % (session.auth_data.login
                                               if session.authenticated else b"none"))
            f.write(envelope.original_content)
        os.rename(tmp, name)
        return "250 OK message accepted"


class Authenticator:
    """Accepts exactly one user and password (aiosmtpd's authenticator)."""

    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if (isinstance(auth_data, LoginPassword) and auth_data.login == self.user
                and auth_data.password == self.password):
            return AuthResult(success=True, auth_data=auth_data)
        login = auth_data.login if isinstance(auth_data, LoginPassword) else b"?"
        print("smtp_sink: AUTH refused user=%s" % login.decode(errors="replace"),
              file=sys.stderr, flush=True)
        return AuthResult(success=False, handled=False)


def main():
    p = argparse.ArgumentParser(description="SMTP sink for tests")
    p.add_argument("dir")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--delay", type=float, default=0)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--auth", metavar="USER:PASSWORD")
    a = p.parse_args()
    if (a.tls_cert is None) != (a.tls_key is None):
        p.error("--tls-cert and --tls-key go together")
    if a.auth is not None and (a.tls_cert is None or ":" not in a.auth):
        p.error("--auth USER:PASSWORD needs --tls-cert and --tls-key")
    tls = None
    if a.tls_cert is not None:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(a.tls_cert, a.tls_key)
    auth = Authenticator(*a.auth.split(":", 1)) if a.auth is not None else None
    os.makedirs(a.dir, exist_ok=True)
    handler = Sink(a.dir, a.delay)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, hostname="sink.test", enable_SMTPUTF8=True,
                     decode_data=False, tls_context=tls,
                     require_starttls=auth is not None, authenticator=auth,
                     auth_required=auth is not None),
        "127.0.0.1", a.port))
    port = server.sockets[0].getsockname()[1]
    announce(port, a.port_file)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
