"""Every page: keyboard usable, nothing loaded from outside, readable on a tablet (issue 2 §7).

Screenshots of every page at laptop (1280 px) and tablet (820 px) width go to e2e/artifacts/.
"""
import re

import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import carta_api
import carta_ui as ui

EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


@pytest.fixture(scope="module")
def subject_ids(base_url, users):
    """One participant still screening (not eligible: E7) and one enrolled, for the pages to show."""
    coordinator = users["coordinator"]
    failing = carta_api.eligible_participant(base_url, users, name="Pages Screening", HGB="95")
    enrolled = carta_api.eligible_participant(base_url, users, name="Pages Enrolled")
    inv = users["investigator"]
    api = carta_api.CartaAPI(base_url, inv["username"], inv["password"])
    version = api.get(f"/participants/{enrolled}").json()["participant"]["version"]
    r = api.post(f"/participants/{enrolled}/eligibility/signature",
                 {"password": inv["password"], "decision": "eligible", "version": version, "acknowledgeBinding": True})
    assert r.status_code == 201, r.text
    r = api.post(f"/participants/{enrolled}/enrolment", {"version": version})
    assert r.status_code == 200, r.text
    return {"screening": failing, "enrolled": enrolled}


def signed_in_pages(subject_ids):
    """(name, path, expected HTTP-ish outcome) for every page a signed-in user can reach."""
    return [
        ("dashboard", "/"),
        ("participants", "/participants"),
        ("participants-enrolled", "/participants?status=enrolled"),
        ("register", "/participants/new"),
        ("participant-screening", "/participants/" + subject_ids["screening"]),
        ("participant-enrolled", "/participants/" + subject_ids["enrolled"]),
        ("audit", "/audit"),
        ("error-404", "/participants/NO-SUCH-ID"),
        ("today", "/today"),
        ("visit", "/participants/" + subject_ids["enrolled"] + "/visits/D1"),
        ("adverse-events", "/participants/" + subject_ids["enrolled"] + "/adverse-events"),
        ("timeline", "/participants/" + subject_ids["enrolled"] + "/timeline"),
        ("queries", "/queries"),
        ("report", "/report"),
        ("account", "/account"),
    ]


def external_references(driver):
    """Attributes that would make the browser fetch from another origin (links may point anywhere)."""
    found = []
    for element in driver.find_elements(By.CSS_SELECTOR, "[src], link[href], [srcset], [poster], [data], object, embed"):
        for attr in ("src", "href", "srcset", "poster", "data"):
            raw = driver.execute_script("return arguments[0].getAttribute(arguments[1])", element, attr)
            if raw and EXTERNAL.match(raw):
                found.append(f"<{element.tag_name} {attr}={raw}>")
    inline_css = " ".join(s.get_attribute("textContent") for s in driver.find_elements(By.TAG_NAME, "style"))
    found += re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)|@import[^;]*", inline_css)
    return found


def resources_from_elsewhere(driver, base_url):
    """Everything the browser actually fetched for this page that did not come from Carta."""
    names = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return [n for n in names if not n.startswith(base_url + "/")]


SMALL_TAP_TARGETS = """
    // Every visible link, button, field, summary and choice (a radio or checkbox by its label) whose box is
    // under 44 x 44 CSS px. Exempt, as WCAG 2.2 2.5.8 exempts them: a link inside a sentence (inline, with
    // other text beside it in its parent).
    const out = [];
    document.querySelectorAll('a, button, input:not([type=hidden]), select, textarea, summary').forEach(e => {
        const r = e.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) return;
        if (e.closest('.visually-hidden')) return;
        if (e.tagName === 'A' && getComputedStyle(e).display === 'inline') {
            const others = Array.from(e.parentElement.childNodes).some(n => n !== e && n.textContent.trim() !== ''
                && !(n.nodeType === 1 && n.tagName === 'A'));
            if (others) return;
        }
        let target = e;
        if ((e.type === 'radio' || e.type === 'checkbox') && e.closest('label')) target = e.closest('label');
        const t = target.getBoundingClientRect();
        if (t.height < 44 || t.width < 44) {
            out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "' + (e.textContent || e.value || '').trim().slice(0, 30)
                     + '" ' + Math.round(t.width) + 'x' + Math.round(t.height));
        }
    });
    return out;"""


def check_page(driver, base_url, name, path, artifacts, width_label):
    driver.get(base_url + path)
    ui.by_id(driver, "main")
    assert driver.title.endswith("· Carta"), f"{path}: title {driver.title!r}"
    assert external_references(driver) == [], f"{path}: external references"
    assert resources_from_elsewhere(driver, base_url) == [], f"{path}: fetched from elsewhere"
    sheets = driver.execute_script("return Array.from(document.styleSheets).map(s => s.href)")
    assert base_url + "/static/carta.css" in sheets, f"{path}: local stylesheet not applied: {sheets}"
    width = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{path} scrolls sideways at {width_label}: scrollWidth {width[0]} > {width[1]}"
    unlabelled = driver.execute_script("""
        return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea')).filter(e => {
            if (e.getAttribute('aria-label') || e.closest('label')) return false;
            return !(e.id && document.querySelector('label[for="' + CSS.escape(e.id) + '"]'));
        }).map(e => e.id || e.name);""")
    assert unlabelled == [], f"{path}: controls without a label: {unlabelled}"
    if width_label == "tablet":
        # Issue 8 scope 11: tap targets at tablet width are at least 44 px.
        small = driver.execute_script(SMALL_TAP_TARGETS)
        assert small == [], f"{path}: tap targets under 44 px at tablet width: {small}"
    ui.screenshot(driver, artifacts / f"{name}-{width_label}.png")


def test_static_assets_are_served_locally(base_url):
    css = requests.get(base_url + "/static/carta.css", timeout=5)
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", css.text), "the stylesheet pulls in outside resources"
    js = requests.get(base_url + "/static/carta.js", timeout=5)
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert not re.search(r"https?://", js.text), "the script refers to an outside URL"
    assert requests.get(base_url + "/static/nothing.css", timeout=5).status_code == 404


def tab(driver):
    ActionChains(driver).send_keys(Keys.TAB).perform()
    return driver.switch_to.active_element.get_attribute("id")


def test_sign_in_with_the_keyboard_only(base_url, browser, users):
    d = browser
    d.delete_all_cookies()
    d.get(base_url + "/signin")
    ui.by_id(d, "signin-form")
    # The username field has autofocus: type, Tab to the password, Enter submits.
    assert d.switch_to.active_element.get_attribute("id") == "username"
    ActionChains(d).send_keys(users["coordinator"]["username"]).perform()
    assert tab(d) == "password"
    ui.mark_page(d)
    ActionChains(d).send_keys(users["coordinator"]["password"], Keys.ENTER).perform()
    ui.new_page_loaded(d)
    assert ui.path_of(d) == "/", f"Enter should sign in and land on the dashboard, got {d.current_url}"
    ui.by_id(d, "signout")
    # On a page without autofocus the first Tab stop is the skip link, which moves focus to the content.
    assert tab(d) == "skip-link"
    ActionChains(d).send_keys(Keys.ENTER).perform()
    ui.wait(d).until(lambda drv: drv.switch_to.active_element.get_attribute("id") == "main")
    # Then the next Tab stops lead into the page content (the dashboard's first count card), not the header.
    ActionChains(d).send_keys(Keys.TAB).perform()
    focused = d.switch_to.active_element
    assert d.execute_script("return document.getElementById('main').contains(arguments[0])", focused), \
        "after the skip link, Tab should continue inside the main content"


def test_participant_page_is_usable_with_the_keyboard(base_url, browser, users, subject_ids):
    """Every control of the participant page is reachable with Tab, in document order, and the
    focused element is visibly outlined."""
    d = browser
    ui.sign_in(d, base_url, users["investigator"])
    d.get(base_url + "/participants/" + subject_ids["screening"])
    ui.by_id(d, "save-screening")
    # Tab reaches a radio group at its checked radio (arrows move within the group).
    wanted = {"item-HGB", "unit-HGB", "lln-HGB", "uln-HGB", "item-E1_SECONDARY_ITP-N", "reason-summary-HGB",
              "save-screening", "sign-decision", "sign-password", "sign-eligibility"}
    seen, outlines = set(), []
    for _ in range(400):
        ActionChains(d).send_keys(Keys.TAB).perform()
        element = d.switch_to.active_element
        element_id = element.get_attribute("id")
        if element_id in wanted and element_id not in seen:
            seen.add(element_id)
            outlines.append((element_id, d.execute_script(
                "const s = getComputedStyle(arguments[0]); return s.outlineStyle + ' ' + s.outlineWidth", element)))
        if seen == wanted:
            break
    assert seen == wanted, f"not reachable with Tab: {sorted(wanted - seen)}"
    invisible = [(i, o) for i, o in outlines if o.startswith("none") or o.endswith(" 0px")]
    assert invisible == [], f"focus not visible on {invisible}"


@pytest.mark.parametrize("width_label", ["laptop", "tablet"])
def test_every_page_loads_only_local_resources_and_fits(base_url, browser, tablet_browser, users, subject_ids,
                                                        artifacts, width_label):
    d = browser if width_label == "laptop" else tablet_browser
    if width_label == "tablet":
        assert d.execute_script("return window.innerWidth") == 820
    d.delete_all_cookies()
    check_page(d, base_url, "signin", "/signin", artifacts, width_label)
    ui.sign_in(d, base_url, users["coordinator"])
    for name, path in signed_in_pages(subject_ids):
        check_page(d, base_url, name, path, artifacts, width_label)
    # A failed registration shows the error summary and field errors: still fits, still labelled.
    d.get(base_url + "/participants/new")
    ui.submit_and_wait(d, "register")
    ui.by_id(d, "error-summary")
    assert d.execute_script("return document.activeElement.id") == "error-summary"
    width = d.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]
    ui.screenshot(d, artifacts / f"register-errors-{width_label}.png")
    # The monitor's read-only participant page.
    ui.sign_in(d, base_url, users["monitor"])
    check_page(d, base_url, "participant-monitor", "/participants/" + subject_ids["screening"], artifacts, width_label)
