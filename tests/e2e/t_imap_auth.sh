#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# IMAP authentication and transport security against a real Dovecot:
# XOAUTH2 with a bearer token (Dovecot's oauth2 passdb asking a token
# introspection server started here), imaps:// with a private CA (ca_file),
# and plain imap:// refused off loopback (STARTTLS required).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

# A token introspection endpoint: tok-123 is the only valid token.
OAUTH_PORT=$(free_port)
$PY - "$OAUTH_PORT" > "$W/oauth.log" 2>&1 <<'PYEOF' &
import http.server, json, sys, urllib.parse
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        ok = q.get("access_token") == ["tok-123"]
        body = json.dumps({"active": ok, "username": "essaim"}).encode()
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PYEOF
oauth_pid=$!
trap 'kill $oauth_pid 2>/dev/null; intake_cleanup' EXIT
cat > "$W/oauth2.conf.ext" <<C
introspection_mode = get
introspection_url = http://127.0.0.1:$OAUTH_PORT/introspect?access_token=
username_attribute = username
active_attribute = active
active_value = true
C

# A private CA and a certificate for 127.0.0.1.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=essaim test CA" \
	-keyout "$W/ca.key" -out "$W/ca.pem" -addext basicConstraints=critical,CA:TRUE 2>/dev/null ||
	fail "openssl cannot make a CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$W/server.key" \
	-out "$W/server.csr" 2>/dev/null || fail "openssl cannot make a request"
printf 'subjectAltName=IP:127.0.0.1\n' > "$W/san.ext"
openssl x509 -req -in "$W/server.csr" -CA "$W/ca.pem" -CAkey "$W/ca.key" -CAcreateserial \
	-days 2 -extfile "$W/san.ext" -out "$W/server.pem" 2>/dev/null || fail "openssl cannot sign"
chmod 644 "$W/server.key"
IMAPS_PORT=$(free_port)

start_dovecot "auth_mechanisms = plain login xoauth2 oauthbearer
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $W/oauth2.conf.ext
}
ssl = yes
ssl_cert = <$W/server.pem
ssl_key = <$W/server.key
service imap-login {
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
  }
}"

# XOAUTH2
imap 'append(1, "auto")'
printf 'tok-123\n' > "$W/token"
chmod 600 "$W/token"
mkconf <<C
$(imap_conf | sed "s|^password_file = .*|password_file = $W/token|")
auth = xoauth2
ca_file = $W/ca.pem
C
ESSAIM_CURL_VERBOSE=1 $ESSAIM fetch 2> "$W/trace" || { cat "$W/trace"; fail "fetch with XOAUTH2 failed"; }
grep -q 'AUTHENTICATE XOAUTH2' "$W/trace" || fail "XOAUTH2 not used"
exactly_once 1
grep -q 'method=XOAUTH2' "$W/dovecot/log" || fail "dovecot saw no XOAUTH2 login"
printf 'tok-bad\n' > "$W/token"
imap 'append(2, "auto")'
expect_rc 78 $ESSAIM fetch
exactly_once 1
pass "XOAUTH2 bearer token accepted; a bad token is refused (78)"

# imaps:// with the private CA; without it the certificate is not trusted.
mkconf <<C
$(imap_conf | sed "s|^imap_url = .*|imap_url = imaps://127.0.0.1:$IMAPS_PORT/INBOX|")
ca_file = $W/ca.pem
C
$ESSAIM fetch || fail "fetch over imaps with ca_file failed"
exactly_once 2
sed -i '/^ca_file/d' "$W/essaim.conf"
imap 'append(3, "auto")'
expect_rc 75 $ESSAIM fetch
exactly_once 2
pass "imaps:// verified against ca_file; an untrusted certificate is refused"

# imap:// off loopback must use STARTTLS: 127.0.0.2 is not in essaim's
# loopback list, and this server offers STARTTLS with an untrusted cert.
mkconf <<C
$(imap_conf | sed "s|^imap_url = .*|imap_url = imap://127.0.0.2:$IMAP_PORT/INBOX|")
C
ESSAIM_CURL_VERBOSE=1 $ESSAIM fetch 2> "$W/trace" && fail "plain IMAP off loopback accepted"
grep -q 'STARTTLS' "$W/trace" || fail "STARTTLS not attempted"
grep -q 'AUTHENTICATE' "$W/trace" && fail "credentials sent without TLS"
pass "imap:// off loopback requires STARTTLS; no credentials sent in clear"
