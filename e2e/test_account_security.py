"""A data manager turns on the TOTP second factor in the browser, signs in with a code, and signs off an
audit-trail review with password and a fresh code; an administrator reads the access review.

Source: issue 7 scope 2 ("TOTP (RFC 6238) as an optional second factor"), scope 8 (audit review sign-off),
standards.md R-AC-1 (access review), R-AC-2, R-AT-5. Codes are computed here from the secret the page
shows, with RFC 6238 written out (HMAC-SHA1, 30 s steps, 6 digits) — no Carta code involved.
"""
import base64
import hashlib
import hmac
import os
import struct
import subprocess
import time
import uuid

import carta_ui as ui

PASSWORD = "e2e-second-factor-pass"


def totp(secret_b32, step_offset=0):
    key = base64.b32decode(secret_b32.replace(" ", "") + "=" * (-len(secret_b32.replace(" ", "")) % 8))
    counter = int(time.time() // 30) + step_offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def make_user(role, display):
    username = f"{role[:4]}_{uuid.uuid4().hex[:6]}"
    done = subprocess.run([os.environ["CARTA_E2E_BIN"], "user", "add", username, "--role", role, "--display-name", display,
                           "--all-sites", "--db", os.environ["CARTA_E2E_DB"]],
                          input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return {"username": username, "password": PASSWORD, "display_name": display}


def test_second_factor_sign_in_and_audit_sign_off(base_url, browser, users, artifacts):
    d = browser
    dana = make_user("data-manager", "Dana Datamanager")
    ui.sign_in(d, base_url, dana)

    # Set up: the account page shows the secret; the first code from it turns the factor on.
    d.get(base_url + "/account")
    assert ui.by_id(d, "second-factor").get_attribute("data-state") == "none"
    ui.submit_and_wait(d, "second-factor-start-button")
    assert ui.by_id(d, "second-factor").get_attribute("data-state") == "pending"
    secret = ui.by_id(d, "second-factor-secret").text
    ui.screenshot(d, artifacts / "second-factor-setup.png")
    ui.set_field(d, "sf-password", dana["password"])
    ui.set_field(d, "sf-code", totp(secret))
    ui.submit_and_wait(d, "second-factor-confirm-button")
    assert "Second factor on" in ui.flash_text(d), ui.flash_text(d)
    assert ui.by_id(d, "second-factor").get_attribute("data-state") == "enrolled"
    assert secret not in d.page_source, "the secret is shown only while setting up"

    # Sign-in now needs the code: without it the answer is the generic refusal; with it, the dashboard.
    d.delete_all_cookies()
    d.get(base_url + "/signin")
    ui.set_field(d, "username", dana["username"])
    ui.set_field(d, "password", dana["password"])
    ui.submit_and_wait(d, "signin")
    assert ui.exists(d, "#signin-error"), "a password alone no longer signs in"
    ui.set_field(d, "username", dana["username"])
    ui.set_field(d, "password", dana["password"])
    used = totp(secret, 1)  # the next step's code: the set-up used the current one
    ui.set_field(d, "code", used)
    ui.submit_and_wait(d, "signin")
    ui.by_id(d, "signout")

    # The audit-review sign-off asks for password and a fresh code.
    d.get(base_url + "/audit?user=" + dana["username"])
    assert ui.exists(d, "#audit-sign-off") and ui.exists(d, "#review-code")
    ui.set_field(d, "review-comment", "Own account set-up reviewed.")
    ui.set_field(d, "review-password", dana["password"])
    ui.set_field(d, "review-code", used)  # already used by the sign-in: refused as a replay
    ui.submit_and_wait(d, "sign-off-review")
    assert "authentication code is wrong" in ui.flash_text(d), ui.flash_text(d)
    time.sleep(max(0.0, 30 - time.time() % 30) + 0.5)  # the next step
    ui.set_field(d, "review-comment", "Own account set-up reviewed.")
    ui.set_field(d, "review-password", dana["password"])
    ui.set_field(d, "review-code", totp(secret, 1))
    ui.submit_and_wait(d, "sign-off-review")
    assert "Review signed off" in ui.flash_text(d), ui.flash_text(d)
    assert ui.exists(d, "#audit-reviews")
    ui.screenshot(d, artifacts / "audit-review-signed-off.png")

    # The administrator's access review lists the account with its second factor.
    ui.sign_in(d, base_url, users["admin"])
    d.get(base_url + "/admin/access-review")
    row = ui.by_id(d, "account-" + dana["username"])
    assert "yes" in row.text and "Data manager" in row.text, row.text
    ui.screenshot(d, artifacts / "access-review.png")
