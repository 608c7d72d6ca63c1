#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A real SMTP server on loopback for the end-to-end tests (aiosmtpd).

Each accepted mail is written to DIR/N.eml (the bytes received, after
dot-unstuffing) and DIR/N.env ("MAIL FROM" then one "RCPT TO" per line).
--tempfail N answers 451 to the first N DATA commands; --reject answers 550
to every RCPT. --fill FILE writes FILE until its disk is full before
answering 250 to the first DATA (a disk that fills while a mail is being
sent); with --fill-every N, to every Nth accepted mail instead. The port is written to DIR/port once the server listens.
Runs until SIGTERM.
"""
import argparse
import asyncio
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, outdir, tempfail, reject, fill=None, fill_every=0):
        self.fill = fill
        self.fill_every = fill_every
        self.outdir = outdir
        self.tempfail = tempfail
        self.reject = reject
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject:
            return "550 5.1.1 <%s>: no such user here" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.tempfail > 0:
                self.tempfail -= 1
                return "451 4.3.0 try again later (test server)"
            self.count += 1
            n = self.count
        base = os.path.join(self.outdir, "%d" % n)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".env", "w") as f:
            f.write(envelope.mail_from + "\n")
            for r in envelope.rcpt_tos:
                f.write(r + "\n")
        os.rename(base + ".tmp", base + ".eml")
        if self.fill and (self.fill_every == 0 or n % self.fill_every == 0):
            fill_disk(self.fill)
            if self.fill_every == 0:
                self.fill = None
        return "250 2.0.0 OK queued as %d" % n


def fill_disk(path):
    block = b"\0" * 4096
    with open(path, "ab", buffering=0) as f:
        try:
            while True:
                f.write(block)
        except OSError:
            pass


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tempfail", type=int, default=0)
    ap.add_argument("--reject", action="store_true")
    ap.add_argument("--fill")
    ap.add_argument("--fill-every", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    port = a.port or free_port()
    handler = Handler(a.dir, a.tempfail, a.reject, a.fill, a.fill_every)
    ctl = Controller(handler, hostname="127.0.0.1", port=port, decode_data=False,
                     ready_timeout=10)
    ctl.start()
    with open(os.path.join(a.dir, "port.tmp"), "w") as f:
        f.write("%d\n" % port)
    os.rename(os.path.join(a.dir, "port.tmp"), os.path.join(a.dir, "port"))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.2):
        pass
    ctl.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
