"""Times the coordinator's today screen and each participant's timeline page on a running Carta filled
by `carta serve --demo` (5 participants with full data to month 6): one keep-alive connection, requests
one after another, so each latency is the server's time plus loopback (no queueing).

Usage: python3 today_timeline.py BASE_URL ACCOUNTS_FILE [REQUESTS]
Prints a Markdown table: requests, p50, p99 and max in milliseconds, and the page size.
"""
import re
import statistics
import sys
import time

import requests

base, accounts_file = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
accounts = {}
with open(accounts_file) as f:
    for line in f:
        if line.startswith("#") or not line.strip():
            continue
        user, role, password = line.rstrip("\n").split("\t")
        accounts[role] = (user, password)
user, password = accounts["coordinator"]

web = requests.Session()
page = web.get(base + "/signin", timeout=10)
csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
r = web.post(base + "/signin", data={"username": user, "password": password, "csrf": csrf},
             allow_redirects=False, timeout=10)
assert r.status_code == 303 and "carta_session" in web.cookies, f"sign-in: {r.status_code}"

today = web.get(base + "/today", timeout=10)
assert today.status_code == 200, today.status_code
subjects = sorted(set(re.findall(r'href="/participants/([A-Za-z0-9-]+)/timeline"', today.text)))
if not subjects:
    subjects = sorted(set(re.findall(r'href="/participants/([A-Za-z0-9]+-[0-9]+)"', today.text)))
assert len(subjects) == 5, f"expected the demo's 5 participants on the today screen, found {subjects}"


def timed(paths):
    times, size = [], 0
    for _ in range(20):  # warm-up: first requests fill caches and the connection
        for p in paths:
            web.get(base + p, timeout=10)
    for i in range(n):
        p = paths[i % len(paths)]
        t = time.perf_counter()
        r = web.get(base + p, timeout=10)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, f"{p}: {r.status_code}"
        size = max(size, len(r.content))
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return statistics.median(times), p99, times[-1], size


print(f"{n} sequential requests per page, one keep-alive connection; subjects {', '.join(subjects)}")
print()
print("| Page | requests | p50 ms | p99 ms | max ms | largest page |")
print("|---|---|---|---|---|---|")
for name, paths in [("today screen", ["/today"]),
                    ("timeline (each of the 5 in turn)", [f"/participants/{s}/timeline" for s in subjects])]:
    p50, p99, mx, size = timed(paths)
    print(f"| {name} | {n} | {p50:.2f} | {p99:.2f} | {mx:.2f} | {size / 1024:.1f} KiB |")
