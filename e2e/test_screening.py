"""The browser test of issue 2 §8, headless Chromium against a real `carta serve`.

A coordinator signs in, registers a person, enters the measured screening data with one value that
fails a criterion (haemoglobin 95 g/L: exclusion E7, Hb < 100 g/L), sees the checklist say which and
why, and corrects the value with a reason for change; the investigator's attestations are locked for
the coordinator (issue 7). The investigator answers them, sees every criterion met, signs the
eligibility decision by re-entering the password and enrols; the HGB field history shows 95 → 120
with the reason. Also: a wrong signing password signs nothing, a coordinator is never offered the
signing form, and a monitor sees neither forms that write nor identifying details.
"""
import uuid

import requests
from selenium.webdriver.common.by import By

import carta_api
import carta_ui as ui

CORRECTION_REASON = "Transcription error: the lab report says 120 g/L"


def open_participant(driver, base_url, subject_id):
    driver.get(base_url + "/participants/" + subject_id)
    ui.by_id(driver, "eligibility-verdict")


def history_rows(driver, oid):
    """Opens the field's history (a <details>) and returns its rows as lists of cell texts."""
    details = ui.by_id(driver, f"history-{oid}")
    if details.get_attribute("open") is None:
        summary = details.find_element(By.TAG_NAME, "summary")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", summary)
        summary.click()
        ui.wait(driver).until(lambda d: details.get_attribute("open") is not None)
    return [[td.text.strip() for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in details.find_elements(By.CSS_SELECTOR, "tbody tr")]


def test_coordinator_screens_investigator_signs_and_enrols(base_url, browser, users, artifacts):
    d = browser
    name, hospital_number = "Ada Lovelace", "HN-" + uuid.uuid4().hex[:8]

    # 1. The coordinator signs in and registers a person for screening.
    ui.sign_in(d, base_url, users["coordinator"])
    subject_id = ui.register(d, base_url, name, "1980-05-01", hospital_number)
    assert subject_id.startswith("BCRITP-")
    assert "Registered " + subject_id in ui.flash_text(d)
    assert ui.by_id(d, "participant-status").get_attribute("data-status") == "screening"
    assert ui.verdict(d) == "incomplete", "a new participant has no data: nothing can be decided yet"

    # 2. The measured screening data, with one value that fails: Hb 95 g/L (E7 excludes Hb < 100).
    #    The investigator's attestations are shown but locked for the coordinator (issue 7).
    attestations = ui.attestation_values()
    assert ui.exists(d, "#locked-F_ATTEST"), "the attestation section says who answers it"
    assert not ui.by_id(d, "item-E16_INVESTIGATOR-N").is_enabled(), "a coordinator cannot answer E16"
    values = ui.screening_values()
    values["HGB"] = "95"
    ui.fill_screening(d, values)
    ui.submit_and_wait(d, "save-screening")
    assert "Screening data saved" in ui.flash_text(d), ui.flash_text(d)
    results = ui.all_criteria(d)
    assert len(results) == 21, f"I1–I5 and E1–E16 expected, got {sorted(results)}"
    assert results["E7"] == "not_met", results
    pending = {cid for cid, r in results.items() if r == "not_evaluable"}
    assert {cid for cid, r in results.items() if r != "met"} == {"E7"} | pending, results
    assert "E16" in pending and "I1" in pending, "the attestations wait for the investigator"
    result, reason = ui.criterion(d, "E7")
    assert "95" in reason and "100" in reason, f"E7 should say which value and threshold decided it: {reason!r}"
    assert ui.verdict(d) == "not_eligible"
    assert "E7" in ui.by_id(d, "eligibility-verdict").text
    assert not ui.exists(d, "#enrol"), "no enrolment while a criterion is not met"
    ui.screenshot(d, artifacts / "screening-not-eligible.png")

    # 3. Correct Hb to 120 g/L with a reason for change: only the attestations are still open.
    ui.set_field(d, "item-HGB", "120")
    ui.give_reason(d, "HGB", "transcription_error", CORRECTION_REASON)
    ui.submit_and_wait(d, "save-screening")
    assert "Screening data saved" in ui.flash_text(d), ui.flash_text(d)
    results = ui.all_criteria(d)
    assert {cid for cid, r in results.items() if r != "met"} == pending, results
    assert ui.verdict(d) == "incomplete"
    # The coordinator may enrol but not sign: no signing form.
    assert not ui.exists(d, "#sign-form, #sign-password, #sign-eligibility")
    assert not ui.exists(d, "#enrol")

    # 4. The investigator answers the attestations, signs (re-entering the password) and enrols.
    investigator = users["investigator"]
    ui.sign_in(d, base_url, investigator)
    open_participant(d, base_url, subject_id)
    assert not ui.exists(d, "#locked-F_ATTEST")
    ui.fill_screening(d, attestations)
    ui.submit_and_wait(d, "save-screening")
    assert "Screening data saved" in ui.flash_text(d), ui.flash_text(d)
    results = ui.all_criteria(d)
    assert len(results) == 21 and set(results.values()) == {"met"}, results
    assert ui.verdict(d) == "eligible"
    ui.by_id(d, "sign-form")
    assert ui.by_id(d, "sign-decision").get_attribute("value") == "eligible"
    ui.set_field(d, "sign-password", investigator["password"])
    if ui.exists(d, "#sign-acknowledge"):  # before the investigator's first signature (21 CFR 11.100(c))
        ui.by_id(d, "sign-acknowledge").click()
    ui.submit_and_wait(d, "sign-eligibility")
    assert "signed" in ui.flash_text(d).lower(), ui.flash_text(d)
    signature = ui.by_id(d, "signature").text
    assert investigator["display_name"] in signature and "Eligible" in signature
    assert not ui.exists(d, "#sign-form"), "a signed decision is not offered for signing again"
    ui.screenshot(d, artifacts / "screening-signed.png")
    ui.submit_and_wait(d, "enrol")
    assert subject_id + " is enrolled" in ui.flash_text(d), ui.flash_text(d)

    # 5. The participant is enrolled: on the page, in the list, and nothing is editable any more.
    status = ui.by_id(d, "participant-status")
    assert status.get_attribute("data-status") == "enrolled" and "Enrolled" in status.text
    assert not ui.exists(d, "#save-screening, #enrol, #sign-form, #screen-fail-form")
    d.get(base_url + "/participants?status=enrolled")
    assert ui.by_id(d, "row-" + subject_id).get_attribute("data-status") == "enrolled"

    # 6. The field history of HGB shows 95 → 120 with the reason for change.
    open_participant(d, base_url, subject_id)
    rows = history_rows(d, "HGB")
    # Columns: when, who and source | change (old → new) | reason.
    change = [r for r in rows if len(r) == 3 and r[1].startswith("95") and r[1].endswith("120")]
    assert change, f"no 95 → 120 change in the HGB history: {rows}"
    assert CORRECTION_REASON in change[0][2], change[0]
    coordinator = users["coordinator"]
    assert coordinator["username"] in change[0][0] or coordinator["display_name"] in change[0][0], change[0]
    assert "web" in change[0][0] and "UTC" in change[0][0], change[0]
    ui.screenshot(d, artifacts / "screening-enrolled-history.png")


def test_wrong_signing_password_signs_nothing(base_url, browser, users):
    subject_id = carta_api.eligible_participant(base_url, users, name="Wrong Password Case")
    d = browser
    ui.sign_in(d, base_url, users["investigator"])
    open_participant(d, base_url, subject_id)
    assert ui.verdict(d) == "eligible"
    ui.set_field(d, "sign-password", "not-the-password")
    if ui.exists(d, "#sign-acknowledge"):
        ui.by_id(d, "sign-acknowledge").click()
    ui.submit_and_wait(d, "sign-eligibility")
    assert "password is wrong" in ui.flash_text(d), ui.flash_text(d)
    assert ui.exists(d, ".flash[data-kind=error]")
    assert not ui.exists(d, "#signature"), "nothing may be signed with a wrong password"
    assert ui.exists(d, "#sign-form"), "the signing form is offered again"
    assert not ui.exists(d, "#enrol")
    api = carta_api.CartaAPI(base_url, users["investigator"]["username"], users["investigator"]["password"])
    assert api.get(f"/participants/{subject_id}/eligibility").json().get("decision") is None


def test_coordinator_is_not_offered_the_signing_form_and_cannot_sign(base_url, browser, users):
    subject_id = carta_api.eligible_participant(base_url, users, name="Coordinator Sign Case")
    d = browser
    ui.sign_in(d, base_url, users["coordinator"])
    open_participant(d, base_url, subject_id)
    assert ui.verdict(d) == "eligible"
    assert not ui.exists(d, "#sign-form, #sign-decision, #sign-password, #sign-eligibility")
    # The server refuses it too: a forged POST with a valid session and CSRF token is forbidden.
    csrf = d.find_element(By.CSS_SELECTOR, "#screening-form input[name=csrf]").get_attribute("value")
    version = d.find_element(By.CSS_SELECTOR, "#screening-form input[name=version]").get_attribute("value")
    r = post_as_browser(d, base_url, f"/participants/{subject_id}/eligibility/sign",
                        {"csrf": csrf, "version": version, "decision": "eligible",
                         "password": users["coordinator"]["password"]})
    assert r.status_code == 403, r.status_code
    open_participant(d, base_url, subject_id)
    assert not ui.exists(d, "#signature")


def test_monitor_sees_no_writing_forms_and_no_identity(base_url, browser, users):
    name, hospital_number = "Identifiable Person", "HN-MON-" + uuid.uuid4().hex[:6]
    subject_id = carta_api.eligible_participant(base_url, users, name=name,
                                                hospital_number=hospital_number)
    d = browser
    ui.sign_in(d, base_url, users["monitor"])
    for path in ("/", "/participants", "/participants/" + subject_id, "/audit"):
        d.get(base_url + path)
        ui.by_id(d, "main")
        # Forms that write (method post) are only sign-out and the monitor's own work (issue 7): queries
        # and source verification, never clinical data; the audit filter is a search (method get).
        actions = [f.get_attribute("action") for f in d.find_elements(By.CSS_SELECTOR, "form")
                   if (f.get_attribute("method") or "get").lower() == "post"]
        monitoring = ("/signout", "/queries", "/sdv", "/audit/reviews")
        assert all(a.endswith(monitoring) or "/queries/" in a for a in actions), f"{path}: monitor sees forms {actions}"
        # Controls outside the searches (the audit filter and the participant search, method get: they only read), the
        # audit-review sign-off (the monitor's own signature) and the monitoring section must all be disabled.
        enabled = [e.get_attribute("id") or e.get_attribute("name")
                   for e in d.find_elements(By.CSS_SELECTOR, "main input, main select, main textarea, main button")
                   if e.is_enabled() and e.get_attribute("type") != "hidden"
                   and not (e.get_attribute("id") or "").startswith("audit-")
                   and not e.find_elements(By.XPATH, "ancestor::form[@id='audit-sign-off']")
                   and not e.find_elements(By.XPATH, "ancestor::form[@id='participant-search' and @method='get']")
                   and not e.find_elements(By.XPATH, "ancestor::section[@id='monitoring']")]
        assert enabled == [], f"{path}: monitor sees enabled inputs {enabled}"
        assert not ui.exists(d, "#register-link, #nav-register"), f"{path}: monitor is offered registration"
        source = d.page_source
        assert name not in source and hospital_number not in source, f"{path}: identity shown to a monitor"
    d.get(base_url + "/participants/" + subject_id)
    assert not ui.exists(d, "#identity")
    assert ui.verdict(d) == "eligible", "the monitor reads the checklist"
    assert "read-only" in ui.by_id(d, "screening-read-only").text
    assert ui.by_id(d, "item-HGB").get_attribute("value") == "132", "the monitor reads the values"
    # Registration and writes are refused on the server as well.
    d.get(base_url + "/participants/new")
    assert ui.by_id(d, "error").get_attribute("data-status") == "403"


def post_as_browser(driver, base_url, path, fields):
    """Posts a form with the browser's cookies (session) but without the page's help."""
    jar = {c["name"]: c["value"] for c in driver.get_cookies()}
    return requests.post(base_url + path, data=fields, cookies=jar, allow_redirects=False, timeout=10)


def test_stale_form_is_refused_and_keeps_the_entries(base_url, browser, users):
    """Someone else saves first (optimistic version check): nothing is saved, the page says so
    clearly, shows the values now saved and names what the user had typed beside each (issue 7:
    re-posting stale entries under the new version silently reverted the other person's change)."""
    coordinator = users["coordinator"]
    subject_id = carta_api.eligible_participant(base_url, users, name="Stale Form Case")
    d = browser
    ui.sign_in(d, base_url, coordinator)
    open_participant(d, base_url, subject_id)
    ui.set_field(d, "item-ECOG", "2")
    ui.give_reason(d, "ECOG", "new_information", "Re-assessed at visit")
    # Meanwhile the same participant is changed through the API.
    api = carta_api.CartaAPI(base_url, coordinator["username"], coordinator["password"])
    api.save(subject_id, {"WEIGHT": "69"}, reason="source_updated: re-weighed")
    ui.submit_and_wait(d, "save-screening")
    assert "someone else saved this participant first" in ui.flash_text(d), ui.flash_text(d)
    assert ui.by_id(d, "item-WEIGHT").get_attribute("value") == "69", "the form shows the value saved meanwhile"
    assert ui.by_id(d, "item-ECOG").get_attribute("value") == "1", "the form shows what is saved, not the stale entry"
    assert "You entered 2" in ui.by_id(d, "conflict-ECOG").text, "what the user typed is named beside the field"
    items = {i["item"]: i["value"] for i in api.get(f"/participants/{subject_id}").json()["items"]}
    assert items["ECOG"] == "1" and items["WEIGHT"] == "69"
    # Saving the page as shown keeps the other person's change.
    ui.submit_and_wait(d, "save-screening")
    items = {i["item"]: i["value"] for i in api.get(f"/participants/{subject_id}").json()["items"]}
    assert items["WEIGHT"] == "69"


def test_forged_or_missing_csrf_token_is_refused(base_url, browser, users):
    coordinator = users["coordinator"]
    subject_id = carta_api.eligible_participant(base_url, users, name="CSRF Case")
    d = browser
    ui.sign_in(d, base_url, coordinator)
    open_participant(d, base_url, subject_id)
    version = d.find_element(By.CSS_SELECTOR, "#screening-form input[name=version]").get_attribute("value")
    fields = {"version": version, "item.ECOG": "3", "reason.ECOG": "other", "reasonText.ECOG": "forged"}
    for csrf in (None, "forged-token"):
        body = dict(fields, **({"csrf": csrf} if csrf else {}))
        r = post_as_browser(d, base_url, f"/participants/{subject_id}/screening", body)
        assert r.status_code == 403 and "security token" in r.text, (csrf, r.status_code)
    api = carta_api.CartaAPI(base_url, coordinator["username"], coordinator["password"])
    items = {i["item"]: i["value"] for i in api.get(f"/participants/{subject_id}").json()["items"]}
    assert items["ECOG"] == "1", "a refused form changes nothing"


def test_bad_values_are_named_and_nothing_is_saved(base_url, browser, users):
    """Server-side validation: each bad value gets a message naming the field and the rule, the
    typed values stay in the form, and the database is exactly as it was."""
    coordinator = users["coordinator"]
    subject_id = carta_api.eligible_participant(base_url, users, name="Bad Input Case")
    api = carta_api.CartaAPI(base_url, coordinator["username"], coordinator["password"])
    before = api.get(f"/participants/{subject_id}").json()
    d = browser
    ui.sign_in(d, base_url, coordinator)
    open_participant(d, base_url, subject_id)
    ui.set_field(d, "item-HGB", "lots")
    ui.set_field(d, "item-ECOG", "9")
    ui.set_field(d, "item-PLT", "30")
    ui.give_reason(d, "PLT", "transcription_error", "Testing bad input")
    ui.submit_and_wait(d, "save-screening")
    assert "Nothing was saved" in ui.flash_text(d), ui.flash_text(d)
    hgb_error, ecog_error = ui.by_id(d, "error-HGB").text, ui.by_id(d, "error-ECOG").text
    assert "Hemoglobin" in hgb_error or "HGB" in hgb_error, hgb_error
    assert "ECOG" in ecog_error and "5" in ecog_error, f"the message should name the limit: {ecog_error!r}"
    assert ui.by_id(d, "item-HGB").get_attribute("aria-invalid") == "true"
    assert ui.by_id(d, "item-PLT").get_attribute("value") == "30", "valid entries are kept for the next try"
    after = api.get(f"/participants/{subject_id}").json()
    assert after["participant"]["version"] == before["participant"]["version"]
    assert after["items"] == before["items"]
