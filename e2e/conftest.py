"""Shared fixtures for Carta's browser tests.

scripts/test starts a real `carta serve` on a temporary SQLite file and exports:
CARTA_E2E_URL, CARTA_E2E_ADMIN_PASSWORD, CARTA_E2E_BIN, CARTA_E2E_DB.
"""
import os

import pytest


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("CARTA_E2E_URL")
    if not url:
        pytest.fail("CARTA_E2E_URL is not set: run the browser tests through scripts/test")
    return url


@pytest.fixture(scope="session")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        opts.add_argument(a)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()
