"""The README's first command, `carta serve --demo`, in a real browser: a newcomer sees a living synthetic
study, labelled synthetic on every page, and its report with every plot present and labelled (issue 9)."""
import base64
import io
import os
import pathlib
import re
import socket
import subprocess
import tempfile
import time

import pypdf
import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions

from carta_ui import by_id, screenshot, sign_in
from conftest import _chrome

PLOTS = ["plot-trajectories", "plot-spider", "plot-swimmer", "plot-km", "plot-ae-heatmap", "plot-bleeding", "plot-steroid"]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server():
    """`carta serve --demo` on a fresh file: fills the synthetic cohort, then serves it."""
    binary = os.environ.get("CARTA_E2E_BIN")
    if not binary:
        pytest.fail("CARTA_E2E_BIN is not set: run the browser tests through scripts/test")
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="carta-demo-e2e."))
    port = _free_port()
    db = workdir / "demo.sqlite"
    log = open(workdir / "serve.log", "w")
    proc = subprocess.Popen([binary, "serve", "--demo", "--db", f"sqlite://{db}", "--port", str(port)],
                            cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 240
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail("carta serve --demo exited: " + (workdir / "serve.log").read_text())
        try:
            if requests.get(url + "/healthz", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(1)
    else:
        pytest.fail("carta serve --demo did not start: " + (workdir / "serve.log").read_text())
    accounts = {}
    for line in (workdir / "demo.sqlite.accounts").read_text().splitlines():
        if line and not line.startswith("#"):
            name, role, password = line.split("\t")
            accounts[role] = {"username": name, "password": password}
    yield url, accounts, workdir
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def test_the_demo_is_labelled_synthetic_and_its_report_shows_every_plot(demo_server, browser, artifacts):
    url, accounts, workdir = demo_server
    assert (workdir / "demo.sqlite.accounts").stat().st_mode & 0o077 == 0, "the demo accounts file must be private"
    # A new database keeps no outcome figures: the server derives and keeps them in the background from the start.
    deadline = time.time() + 60
    while "outcome figures derived and kept for 5 participants" not in (workdir / "serve.log").read_text():
        assert time.time() < deadline, "the server did not keep the outcome figures ahead: " + (workdir / "serve.log").read_text()
        time.sleep(0.5)
    sign_in(browser, url, accounts["statistician"])
    assert "Synthetic demonstration data" in by_id(browser, "synthetic-banner").text
    browser.find_element(By.ID, "nav-report").click()
    by_id(browser, "report-outcomes")
    assert "Synthetic demonstration data" in by_id(browser, "synthetic-banner").text
    summary = by_id(browser, "report-summary").text
    assert "5 enrolled" in summary and "Overall response" in summary
    assert re.match(r"Data as of audit record \d+; built \d{4}-\d\d-\d\d \d\d:\d\d UTC", by_id(browser, "report-data-cut").text)
    for plot in PLOTS:
        svg = by_id(browser, plot)
        assert svg.get_attribute("role") == "img", plot
        title = browser.find_element(By.ID, plot + "-title").get_attribute("textContent")
        assert title.strip(), f"{plot} has no title"
        assert svg.is_displayed() and svg.size["width"] > 300, f"{plot} is not drawn"
    for plot in ["plot-trajectories", "plot-spider", "plot-swimmer", "plot-km", "plot-bleeding", "plot-steroid"]:
        assert browser.find_element(By.ID, plot + "-x-label").get_attribute("textContent").strip(), f"{plot} has no x-axis label"
        assert browser.find_element(By.ID, plot + "-y-label").get_attribute("textContent") is not None
    # Every participant's line is in the trajectories plot, and the 30/100 thresholds are drawn.
    assert len(browser.find_elements(By.CSS_SELECTOR, "#plot-trajectories polyline.plot-series")) == 5
    assert by_id(browser, "plot-trajectories-30") and by_id(browser, "plot-trajectories-100")
    # Steroid doses are drawn from the recorded regimens; concomitant therapy and the ITP-PAQ have their tables,
    # the questionnaire plainly marked as not scored (no licensed scoring plug-in).
    assert len(browser.find_elements(By.CSS_SELECTOR, "#plot-steroid polyline.plot-series")) == 5
    assert len(browser.find_elements(By.CSS_SELECTOR, "#report-conmed tbody tr")) == 5
    assert "NOT SCORED" in by_id(browser, "report-itppaq").text
    # A derived figure leads to the visit its count came from.
    first_source = browser.find_element(By.CSS_SELECTOR, "#report-participants .report-sources a")
    href = first_source.get_attribute("href")
    assert "/participants/BCRITP-" in href
    screenshot(browser, artifacts / "report-demo.png")
    browser.get(href)
    assert "Synthetic demonstration data" in by_id(browser, "synthetic-banner").text
    # The CSV tables download with the statistician's session.
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    csv = requests.get(url + "/report/tables/subjects.csv", cookies=cookies, timeout=10)
    assert csv.status_code == 200 and csv.text.startswith("USUBJID,") and csv.text.count("\n") == 6


def test_the_report_prints_cleanly_to_pdf(demo_server, artifacts):
    """The print stylesheet (issue 9 scope 2). Laid out for print at A4 portrait's printable width (190 mm, about
    718 CSS px; 700 here), nothing of the report is wider than the paper or hidden behind a scroll bar that paper
    cannot scroll, the navigation is left out and the synthetic banner kept. Chromium's own print-to-PDF then holds,
    read back with pypdf, the banner, every participant and every plot's title, and no navigation."""
    url, accounts, _ = demo_server
    driver = _chrome(width=700, height=1000)
    try:
        sign_in(driver, url, accounts["statistician"])
        driver.get(url + "/report")
        by_id(driver, "report-outcomes")
        titles = {plot: driver.find_element(By.ID, plot + "-title").get_attribute("textContent").strip() for plot in PLOTS}
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        cut = driver.execute_script("""
            return [...document.querySelectorAll('.table-wrap, .report-plot')]
              .filter(e => e.scrollWidth > e.clientWidth + 1)
              .map(e => (e.querySelector('table[id], svg[id]') || e).id + ' ' + e.scrollWidth + '>' + e.clientWidth);""")
        assert cut == [], f"printed tables or plots wider than the paper: {cut}"
        assert driver.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert not driver.find_element(By.CSS_SELECTOR, ".site-header").is_displayed()
        assert not by_id(driver, "report-downloads").is_displayed()
        assert by_id(driver, "synthetic-banner").is_displayed()

        options = PrintOptions()
        options.page_width, options.page_height = 21.0, 29.7  # A4, cm
        pdf = base64.b64decode(driver.print_page(options))
        (artifacts / "report-print.pdf").write_bytes(pdf)
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
        assert "Syntheticdemonstrationdata" in text
        for n in range(1, 6):
            assert f"BCRITP-00{n}" in text
        for plot, title in titles.items():
            assert re.sub(r"\s+", "", title) in text, f"{plot} ({title}) is not in the printed report"
        assert "Signout" not in text and accounts["statistician"]["username"] not in text, "the navigation was printed"
        assert 3 <= len(reader.pages) <= 12, f"{len(reader.pages)} pages"
    finally:
        driver.quit()
