# SPDX-License-Identifier: GPL-3.0-or-later
"""A syslog receiver for t_log.sh: binds a Unix datagram socket at PATH (what
syslog(3) writes to as /dev/log) and appends each datagram, as received, as
one line of OUT; creates OUT.ready once bound."""
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
open(out + ".ready", "w").close()
with open(out, "ab", buffering=0) as f:
    while True:
        f.write(s.recv(65536).rstrip(b"\n") + b"\n")
