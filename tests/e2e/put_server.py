#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small WebDAV-like upload target for the publish tests: PUT stores the
body under ROOT, MKCOL makes a folder, GET serves files; Basic auth with
USER:PASSWORD. Listens on 127.0.0.1, an ephemeral port written to PORTFILE.

  put_server.py ROOT PORTFILE USER PASSWORD
"""
import base64
import http.server
import os
import sys

root, portfile, user, password = sys.argv[1:5]
expected = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **kw):
        super().__init__(*a, directory=root, **kw)

    def _path(self):
        rel = self.path.split("?", 1)[0].lstrip("/")
        p = os.path.realpath(os.path.join(root, rel))
        if not p.startswith(os.path.realpath(root)):
            return None
        return p

    def _auth(self):
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="essaim"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False
        return True

    def do_MKCOL(self):
        if not self._auth():
            return
        p = self._path()
        if p is None:
            self.send_error(403)
        elif os.path.isdir(p):
            self.send_error(405)
        else:
            os.makedirs(p)
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def do_PUT(self):
        if not self._auth():
            return
        p = self._path()
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        if p is None or not os.path.isdir(os.path.dirname(p)):
            self.send_error(409)
            return
        with open(p, "wb") as f:
            f.write(body)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("put_server: " + (fmt % args) + "\n")


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
