"""The health contract of DESIGN.md §3, checked against the real server and a real browser."""
import requests


def test_healthz_answers_ok(base_url):
    r = requests.get(base_url + "/healthz", timeout=5)
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_browser_reaches_server(base_url, browser):
    browser.get(base_url + "/healthz")
    assert '"status"' in browser.page_source and '"ok"' in browser.page_source
