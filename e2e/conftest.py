"""Shared fixtures for Carta's browser tests.

scripts/test starts a real `carta serve` on a temporary SQLite file and exports:
CARTA_E2E_URL, CARTA_E2E_ADMIN_PASSWORD, CARTA_E2E_BIN, CARTA_E2E_DB.

The tests create the users they need through the CLI (`carta user add`) on the same database
while the server runs (SQLite WAL allows a second writer process). One run enrols 3 participants
(the study's target is 5), so run the suite on a fresh database, as scripts/test does.
Screenshots go to e2e/artifacts/ (git-ignored).
"""
import os
import pathlib
import subprocess
import uuid

import pytest

ARTIFACTS = pathlib.Path(__file__).parent / "artifacts"
PASSWORD = "e2e-password-123"


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run the browser tests through scripts/test")
    return value


@pytest.fixture(scope="session")
def base_url():
    return _env("CARTA_E2E_URL").rstrip("/")


@pytest.fixture(scope="session")
def users():
    """Creates one user per role (unique names, so the suite can run twice on one database).

    Returns {role: {"username", "password", "display_name"}}.
    """
    binary, db = _env("CARTA_E2E_BIN"), _env("CARTA_E2E_DB")
    suffix = uuid.uuid4().hex[:6]
    made = {}
    for role, display in (("coordinator", "Casey Coordinator"), ("investigator", "Dr Ivy Investigator"),
                          ("monitor", "Morgan Monitor")):
        username = f"{role[:5]}_{suffix}"
        done = subprocess.run(
            [binary, "user", "add", username, "--role", role, "--display-name", display, "--site", "SUZHOU", "--db", db],
            input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"carta user add {username} failed: {done.stderr}"
        made[role] = {"username": username, "password": PASSWORD, "display_name": display}
    made["admin"] = {"username": "admin", "password": _env("CARTA_E2E_ADMIN_PASSWORD"), "display_name": "admin"}
    return made


def _chrome(width=1280, height=900):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
              f"--window-size={width},{height}"):
        opts.add_argument(a)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; tests sign out (clear cookies) between users."""
    driver = _chrome()
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def tablet_browser():
    """A second Chromium at tablet width (820 px, portrait iPad Air)."""
    driver = _chrome(820, 1180)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
