#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A loopback server answering like the Géoplateforme's geocoder
(GET /geocodage/search?q=...&index=address&limit=...&citycode=...&postcode=...
&type=municipality): a GeoJSON FeatureCollection whose features' properties
carry score, type, citycode, postcode, city and label.

What it answers depends on a word of the address asked (so that one server
plays every case):
  "rue bonne"       a housenumber in the commune asked, score 0.93
  "rue ailleurs"    a housenumber in another commune (13055), score 0.95
  "rue douteuse"    a housenumber in the commune, score 0.31
  "rue limitee"     HTTP 429 with Retry-After: 120
  "rue panne"       HTTP 500
  "rue html"        HTTP 200, an HTML page
  "rue cassee"      HTTP 200, application/json that is not JSON
  "rue lente"       nothing for 60 s (the client's timeout ends it)
  "rue goutte"      a JSON answer dripped one byte every 0.5 s
  "rue enorme"      a valid answer of 2 MB
  "rue paris"       a housenumber in Paris as a whole (75056)
  anything else     no feature
type=municipality: the commune of citycode, score 0.97, at a point derived
from its code.

Every request is appended to LOG as one JSON line {"path", "query", "t"}
(t: when it arrived, monotonic seconds) before it is answered. Listens on 127.0.0.1, on an ephemeral port written to
PORTFILE.

  geoplateforme.py PORTFILE LOG
"""
import http.server
import json
import socketserver
import sys
import threading
import time
import urllib.parse

portfile, logfile = sys.argv[1:3]
lock = threading.Lock()

# a point in the commune asked: Lauris's bourg for 84065, else one made up
# from the code, inside mainland France
POINTS = {"84065": (43.7468, 5.3127), "75104": (48.8546, 2.3571), "75056": (48.8566, 2.3522)}


def point_of(code):
    if code in POINTS:
        return POINTS[code]
    n = sum(ord(c) for c in code)
    return (44.0 + (n % 40) / 10.0, 0.5 + (n % 50) / 10.0)


def feature(code, score, kind, label, lat, lon):
    return {"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"label": label, "score": score, "type": kind, "citycode": code,
                           "postcode": "84360", "city": "Commune " + code,
                           "id": code + "_0001_00012"}}


def collection(features):
    return {"type": "FeatureCollection", "features": features,
            "attribution": "BAN", "licence": "ETALAB-2.0", "query": "",
            "limit": 5}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, ctype, body, extra=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        with lock, open(logfile, "a") as f:
            f.write(json.dumps({"path": url.path, "query": query,
                                "t": time.monotonic()}) + "\n")
        if url.path != "/geocodage/search":
            return self.send(404, "application/json", '{"code":404,"message":"not found"}')
        q = query.get("q", [""])[0]
        code = query.get("citycode", [""])[0]
        low = q.lower()
        if query.get("type", [""])[0] == "municipality":
            if not code:
                return self.send(200, "application/json", json.dumps(collection([])))
            lat, lon = point_of(code)
            return self.send(200, "application/json", json.dumps(collection(
                [feature(code, 0.97, "municipality", q, lat, lon)])))
        if "rue bonne" in low:
            lat, lon = point_of(code)
            return self.send(200, "application/json; charset=utf-8", json.dumps(collection(
                [feature(code, 0.93, "housenumber", q, lat + 0.001, lon + 0.001),
                 feature(code, 0.41, "street", q, lat, lon)])))
        if "rue ailleurs" in low:
            return self.send(200, "application/json", json.dumps(collection(
                [feature("13055", 0.95, "housenumber", q, 43.2965, 5.3698)])))
        if "rue douteuse" in low:
            lat, lon = point_of(code)
            return self.send(200, "application/json", json.dumps(collection(
                [feature(code, 0.31, "housenumber", q, lat, lon)])))
        if "rue paris" in low:
            return self.send(200, "application/json", json.dumps(collection(
                [feature("75056", 0.88, "housenumber", q, 48.8547, 2.3575)])))
        if "rue limitee" in low:
            return self.send(429, "application/json", '{"code":429,"message":"Too many requests"}',
                             [("Retry-After", "120")])
        if "rue panne" in low:
            return self.send(500, "application/json", '{"code":500,"message":"Internal error"}')
        if "rue html" in low:
            return self.send(200, "text/html", "<html><body><h1>Maintenance</h1></body></html>")
        if "rue cassee" in low:
            return self.send(200, "application/json", '{"type":"FeatureCollection","features":[')
        if "rue lente" in low:
            time.sleep(60)
            return self.send(200, "application/json", json.dumps(collection([])))
        if "rue goutte" in low:
            body = json.dumps(collection([feature(code, 0.9, "housenumber", q, 44.0, 5.0)]))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for ch in body:
                    self.wfile.write(ch.encode())
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                pass
            return None
        if "rue enorme" in low:
            lat, lon = point_of(code)
            f = feature(code, 0.9, "housenumber", q, lat, lon)
            f["properties"]["padding"] = "x" * (2 * 1024 * 1024)
            return self.send(200, "application/json", json.dumps(collection([f])))
        return self.send(200, "application/json", json.dumps(collection([])))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = Server(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os  # noqa: E402
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
