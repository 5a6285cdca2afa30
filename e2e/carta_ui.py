"""Browser helpers for Carta's pages: sign in, register, fill the screening form.

They use the stable element ids each template documents at its top (Sources/CartaWeb/templates)
and wait explicitly for the page that should follow, never a fixed sleep.
"""
import datetime
from urllib.parse import urlparse

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT_SECONDS = 15


def wait(driver, seconds=WAIT_SECONDS):
    return WebDriverWait(driver, seconds)


def by_id(driver, element_id):
    """The element with this id, waiting until it is present."""
    return wait(driver).until(EC.presence_of_element_located((By.ID, element_id)))


def exists(driver, css):
    """Whether any element matches right now (no waiting: for checking absence on a loaded page)."""
    return len(driver.find_elements(By.CSS_SELECTOR, css)) > 0


def path_of(driver):
    return urlparse(driver.current_url).path


def mark_page(driver):
    """Marks the current document so that new_page_loaded() can tell when another one replaced it."""
    driver.execute_script("window.__cartaOldPage = true;")


def new_page_loaded(driver):
    """Waits until the marked document is gone and the next one has fully loaded.

    Uses a JavaScript marker rather than element staleness: a stale-element check can race with
    the navigation inside chromedriver ("Node with given id does not belong to the document").
    """
    def loaded(d):
        try:
            return d.execute_script("return !window.__cartaOldPage && document.readyState === 'complete'")
        except WebDriverException:  # the document is being replaced right now
            return False
    wait(driver).until(loaded)


def submit_and_wait(driver, button_id):
    """Clicks a submit button and waits until the browser has loaded the next page."""
    button = by_id(driver, button_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    mark_page(driver)
    button.click()
    new_page_loaded(driver)


def sign_in(driver, base_url, user):
    """Signs in as `user` (dict with username/password) from a clean slate; lands on the dashboard."""
    driver.delete_all_cookies()
    driver.get(base_url + "/signin")
    by_id(driver, "username").send_keys(user["username"])
    by_id(driver, "password").send_keys(user["password"])
    submit_and_wait(driver, "signin")
    assert not exists(driver, "#signin-error"), driver.find_element(By.ID, "signin-error").text
    by_id(driver, "signout")


def flash_text(driver):
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".flash"))


def register(driver, base_url, full_name, date_of_birth, hospital_number):
    """Registers a person for screening; returns the subject ID shown on the participant page."""
    driver.get(base_url + "/participants/new")
    by_id(driver, "full_name").send_keys(full_name)
    by_id(driver, "date_of_birth").send_keys(date_of_birth)
    by_id(driver, "hospital_number").send_keys(hospital_number)
    submit_and_wait(driver, "register")
    assert path_of(driver).startswith("/participants/") and path_of(driver) != "/participants/new", \
        f"registration did not reach the participant page: {driver.current_url}\n{flash_text(driver)}"
    return driver.find_element(By.CSS_SELECTOR, "h1 .subject-id").text.strip()


def iso(day):
    return day.isoformat()


def screening_values(today=None):
    """Complete screening data for an eligible 46-ish-year-old, except what a test overrides.

    Values are in each item's standard unit (§10.3); labs carry the lab's reference range.
    Returns {OID: value} plus {"OID.lln": x, "OID.uln": y} for labs with a reference range.
    """
    today = today or datetime.date.today()
    consent = today - datetime.timedelta(days=3)
    return {
        "CONSENT_DATE": iso(consent), "SEX": "F", "PLANNED_INFUSION_DATE": iso(today + datetime.timedelta(days=30)),
        "ECOG": "1", "WEIGHT": "68", "HEIGHT": "165", "SPO2": "98", "DYSPNEA_GRADE": "0",
        "HGB": "132", "HGB.lln": "115", "HGB.uln": "150",
        "ANC": "3.1", "ANC.lln": "1.8", "ANC.uln": "6.3",
        "PLT": "24", "PLT.lln": "125", "PLT.uln": "350",
        "WBC": "5.6", "WBC.lln": "3.5", "WBC.uln": "9.5",
        "CREAT": "70", "CREAT.lln": "45", "CREAT.uln": "84",
        "BILI": "11", "BILI.lln": "0", "BILI.uln": "21",
        "ALT": "22", "ALT.lln": "7", "ALT.uln": "40",
        "AST": "24", "AST.lln": "13", "AST.uln": "35",
        "PT": "12.1", "PT.lln": "10", "PT.uln": "14",
        "INR": "1.02", "INR.lln": "0.8", "INR.uln": "1.2",
        "APTT": "31", "APTT.lln": "25", "APTT.uln": "35",
        "HIV_AB": "NEG", "SYPHILIS_AB": "NEG", "HCV_AB": "NEG", "HBSAG": "NEG",
        "ECHO_DATE": iso(consent), "LVEF": "62",
        "TCELL_RESULT": "PASS", "TCELL_DATE": iso(consent),
        "OTHER_STUDY": "N",
    }


def attestation_values():
    """The investigator's eligibility attestations (form F_ATTEST, `entry: investigator`): only an
    investigator or sub-investigator may answer them (issue 7)."""
    return {
        "I1_RR_ITP": "Y", "I3_VENOUS_ACCESS": "Y", "I5_CONSENT_CAPACITY": "Y",
        "E1_SECONDARY_ITP": "N", "E2_THROMBOSIS": "N", "E3_CARDIOVASCULAR": "N", "E4_UNCONTROLLED": "N",
        "E5_MALIGNANCY": "N", "E9_COAG_HISTORY": "N", "E12_PREGNANCY": "N", "E13_FERTILITY": "N",
        "E14_ALLERGY": "N", "E15_SUBSTANCE": "N", "E16_INVESTIGATOR": "N",
    }


def give_reason(driver, oid, code, text=""):
    """Opens the reason-for-change box beside a saved value and chooses a coded reason (issue 7)."""
    box = by_id(driver, f"reason-box-{oid}")
    if box.get_attribute("open") is None:
        summary = by_id(driver, f"reason-summary-{oid}")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", summary)
        summary.click()
        wait(driver).until(lambda d: box.get_attribute("open") is not None)
    Select(by_id(driver, f"reason-{oid}")).select_by_value(code)
    if text:
        set_field(driver, f"reason-text-{oid}", text)


def set_field(driver, element_id, value):
    """Types into a text input or picks a select option (by value), whichever the element is."""
    element = by_id(driver, element_id)
    if element.tag_name == "select":
        Select(element).select_by_value(value)
        return
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.clear()
    element.send_keys(value)


def fill_screening(driver, values):
    """Enters values into the one screening form: item inputs, yes/no radios and reference ranges."""
    for key, value in values.items():
        if "." in key:
            oid, bound = key.split(".")
            set_field(driver, f"{bound}-{oid}", value)
        elif exists(driver, f"#item-{key}-Y"):
            radio = by_id(driver, f"item-{key}-{value}")
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", radio)
            radio.click()
            assert radio.is_selected()
        else:
            set_field(driver, f"item-{key}", value)


def criterion(driver, criterion_id):
    row = by_id(driver, f"criterion-{criterion_id}")
    return row.get_attribute("data-result"), row.find_element(By.CSS_SELECTOR, "td.reason").text


def all_criteria(driver):
    return {row.get_attribute("id").removeprefix("criterion-"): row.get_attribute("data-result")
            for row in driver.find_elements(By.CSS_SELECTOR, "tr[id^='criterion-']")}


def verdict(driver):
    return by_id(driver, "eligibility-verdict").get_attribute("data-verdict")


def screenshot(driver, path, full_page=True):
    """Saves a PNG of the page; full_page captures the whole document height at the current width."""
    if not full_page:
        driver.save_screenshot(str(path))
        return
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    width = driver.execute_script("return window.innerWidth")
    import base64
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(size["height"], 12000), "scale": 1}})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
