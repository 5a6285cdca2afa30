"""The browser test of issue 7: a monitor's visit, headless Chromium against a real `carta serve`.

The monitor raises a query on a value; the coordinator sees it beside the field, corrects the value
with the reason "query response" and answers; the monitor finds it answered in the query inbox, closes
it and marks the form verified against source; the investigator signs the whole casebook by re-entering
the password, and the signature shows the SHA-256 of the content it is bound to.
"""
from selenium.webdriver.common.by import By

import carta_api
import carta_ui as ui


def open_participant(driver, base_url, subject_id):
    driver.get(base_url + "/participants/" + subject_id)
    ui.by_id(driver, "monitoring")


def query_on(driver, item_oid):
    """The query article on `item_oid` (the only one in this test)."""
    found = driver.find_elements(By.CSS_SELECTOR, f"#queries article[data-item='{item_oid}']")
    assert len(found) == 1, f"expected one query on {item_oid}, found {len(found)}"
    return found[0]


def test_monitor_raises_site_answers_monitor_closes_and_verifies_investigator_signs(base_url, browser, users, artifacts):
    d = browser
    subject_id = carta_api.eligible_participant(base_url, users, name="Rosalind Franklin")

    # 1. The monitor raises a query on the body weight.
    ui.sign_in(d, base_url, users["monitor"])
    open_participant(d, base_url, subject_id)
    ui.set_field(d, "raise-query-item", "WEIGHT")
    ui.set_field(d, "raise-query-text", "The clinic notes say 72 kg; please check.")
    ui.submit_and_wait(d, "raise-query")
    assert "Query raised on Body weight" in ui.flash_text(d), ui.flash_text(d)
    query = query_on(d, "WEIGHT")
    query_id = query.get_attribute("id").removeprefix("query-")
    assert query.get_attribute("data-status") == "open"
    assert not ui.exists(d, f"#query-{query_id}-answer"), "a monitor does not answer queries"

    # 2. The coordinator sees it, corrects the value with a reason for change and answers.
    ui.sign_in(d, base_url, users["coordinator"])
    open_participant(d, base_url, subject_id)
    assert query_on(d, "WEIGHT").get_attribute("data-status") == "open"
    badge = ui.by_id(d, "query-badge-WEIGHT")
    assert badge.text == "1 active query" and badge.get_attribute("href").endswith("#query-" + query_id), "shown on the field"
    assert not ui.exists(d, "#raise-query-form"), "the site does not raise queries"
    ui.set_field(d, "item-WEIGHT", "72")
    ui.give_reason(d, "WEIGHT", "query_response", "monitor query: clinic notes")
    ui.submit_and_wait(d, "save-screening")
    assert "Screening data saved" in ui.flash_text(d), ui.flash_text(d)
    ui.set_field(d, f"query-{query_id}-text", "Corrected to 72 kg from the clinic notes.")
    ui.submit_and_wait(d, f"query-{query_id}-answer")
    assert "Query answered" in ui.flash_text(d), ui.flash_text(d)
    assert query_on(d, "WEIGHT").get_attribute("data-status") == "answered"

    # 3. The monitor finds it answered in the inbox, closes it and verifies the form.
    ui.sign_in(d, base_url, users["monitor"])
    d.get(base_url + "/queries")
    row = ui.by_id(d, f"inbox-{query_id}")
    assert row.get_attribute("data-status") == "answered"
    assert subject_id in row.text and "Body weight" in row.text
    ui.screenshot(d, artifacts / "queries-inbox.png")
    open_participant(d, base_url, subject_id)
    ui.set_field(d, f"query-{query_id}-text", "Agreed with source.")
    ui.submit_and_wait(d, f"query-{query_id}-close")
    assert query_on(d, "WEIGHT").get_attribute("data-status") == "closed"
    sdv = ui.by_id(d, "sdv-F_VITALS")
    assert sdv.get_attribute("data-verified") != sdv.get_attribute("data-recorded")
    ui.submit_and_wait(d, "verify-F_VITALS")
    assert "marked verified" in ui.flash_text(d), ui.flash_text(d)
    sdv = ui.by_id(d, "sdv-F_VITALS")
    assert sdv.get_attribute("data-verified") == sdv.get_attribute("data-recorded") == "5"

    # 4. The investigator signs the casebook (password re-entered; binding acknowledged the first time).
    ui.sign_in(d, base_url, users["investigator"])
    open_participant(d, base_url, subject_id)
    ui.set_field(d, "casebook-password", "not the password")
    if ui.exists(d, "#casebook-acknowledge"):
        d.execute_script("arguments[0].scrollIntoView({block: 'center'});", ui.by_id(d, "casebook-acknowledge"))
        ui.by_id(d, "casebook-acknowledge").click()
    ui.submit_and_wait(d, "sign-casebook")
    assert "password is wrong" in ui.flash_text(d), ui.flash_text(d)
    assert not ui.exists(d, "#casebook-signature-1")
    ui.set_field(d, "casebook-password", users["investigator"]["password"])
    if ui.exists(d, "#casebook-acknowledge"):
        d.execute_script("arguments[0].scrollIntoView({block: 'center'});", ui.by_id(d, "casebook-acknowledge"))
        ui.by_id(d, "casebook-acknowledge").click()
    ui.submit_and_wait(d, "sign-casebook")
    assert "Casebook signed by Dr Ivy Investigator" in ui.flash_text(d), ui.flash_text(d)
    signature = ui.by_id(d, "casebook-signature-1")
    assert signature.get_attribute("data-standing") == "valid"
    digest = signature.find_element(By.TAG_NAME, "code").text
    assert len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)
    # The same content is not offered for signing again: the whole casebook leaves the choices (single forms stay).
    assert not ui.exists(d, "#casebook-scope option[value='']"), "the signed casebook is not offered again"
    assert ui.exists(d, "#casebook-scope option[value='F_VITALS']"), "a single form can still be signed"
    ui.screenshot(d, artifacts / "monitoring-visit.png")
