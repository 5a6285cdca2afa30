"""Prepares the load benchmark's fixture on a running Carta: one fully screened participant (complete
eligible data, "eligible" signed by an investigator), a web session cookie and an API bearer token.

Usage: python3 setup_load.py BASE_URL OUT_DIR  (users `coord` and `inv` exist, password in LOAD_PASSWORD)
Writes OUT_DIR/cookie (a Cookie header value), OUT_DIR/token and OUT_DIR/subject.
"""
import os
import re
import sys

import requests

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "e2e"))
import carta_api  # noqa: E402

base, out = sys.argv[1], sys.argv[2]
password = os.environ["LOAD_PASSWORD"]
subject = carta_api.eligible_participant(base, {"username": "coord", "password": password}, name="Load Test")
inv = carta_api.CartaAPI(base, "inv", password)
version = inv.get(f"/participants/{subject}").json()["participant"]["version"]
r = inv.post(f"/participants/{subject}/eligibility/signature",
             {"password": password, "decision": "eligible", "version": version})
assert r.status_code == 201, f"sign: {r.status_code} {r.text}"

web = requests.Session()
page = web.get(base + "/signin", timeout=10)
csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
r = web.post(base + "/signin", data={"username": "inv", "password": password, "csrf": csrf},
             allow_redirects=False, timeout=10)
assert r.status_code == 303 and "carta_session" in web.cookies, f"web sign-in: {r.status_code}"
assert web.get(base + f"/participants/{subject}", timeout=10).status_code == 200

with open(os.path.join(out, "cookie"), "w") as f:
    f.write("carta_session=" + web.cookies["carta_session"])
with open(os.path.join(out, "token"), "w") as f:
    f.write(inv.token)
with open(os.path.join(out, "subject"), "w") as f:
    f.write(subject)
print(f"fixture ready: {subject} screened and signed eligible")
