"""The JSON API against its own OpenAPI 3.1 document and the contracts of DESIGN.md §3.

The document must be a valid OpenAPI 3.1 document (openapi-spec-validator), and every response of
a short API flow — token, register, save screening data, eligibility, sign, enrol — must have a
status the document lists for that operation and a body that matches the documented schema.
"""
import uuid

import jsonschema
import pytest
import requests
from openapi_spec_validator import validate

import carta_ui

API = "/api/v1"


@pytest.fixture(scope="module")
def spec(base_url):
    r = requests.get(base_url + API + "/openapi.json", timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    return r.json()


def pointer(*parts):
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def check(spec, method, template, response):
    """Asserts the status is documented for the operation and the JSON body matches its schema."""
    operation = spec["paths"][template][method]
    status = str(response.status_code)
    assert status in operation["responses"], \
        f"{method.upper()} {template} answered {status}, documented: {sorted(operation['responses'])}: {response.text[:300]}"
    documented = operation["responses"][status]
    base = ["paths", template, method, "responses", status]
    if "$ref" in documented:  # a shared response, e.g. components/responses/Error
        base = documented["$ref"].removeprefix("#/").split("/")
        documented = spec
        for part in base:
            documented = documented[part]
    content = documented.get("content", {}).get("application/json")
    if content is None or "schema" not in content:
        return response.json() if response.content else None
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    # Validate with the whole document as root so "#/components/..." references resolve (OAS 3.1 = JSON Schema 2020-12).
    root = dict(spec)
    root["$ref"] = pointer(*base, "content", "application/json", "schema")
    jsonschema.Draft202012Validator(root).validate(body)
    return body


def test_openapi_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)  # raises with the failing path if the document is not valid OpenAPI


def test_health_and_error_shape(base_url, spec):
    r = requests.get(base_url + "/healthz", timeout=5)
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    # Every error is {"error": {"code", "message", "field"?}} with a fitting status.
    r = requests.get(base_url + API + "/participants", timeout=5)
    assert r.status_code == 401
    body = check(spec, "get", "/api/v1/participants", r)
    assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]
    r = requests.post(base_url + API + "/tokens", json={"username": "nobody", "password": "wrong-password"}, timeout=5)
    assert r.status_code == 401
    body = check(spec, "post", "/api/v1/tokens", r)
    assert set(body["error"]) >= {"code", "message"}


def token(base_url, spec, user):
    r = requests.post(base_url + API + "/tokens", json={"username": user["username"], "password": user["password"]}, timeout=10)
    body = check(spec, "post", "/api/v1/tokens", r)
    assert r.status_code in (200, 201) and isinstance(body["token"], str) and len(body["token"]) >= 20
    return {"Authorization": "Bearer " + body["token"]}


def test_api_flow_register_screen_sign_enrol(base_url, spec, users):
    coord = token(base_url, spec, users["coordinator"])
    inv = token(base_url, spec, users["investigator"])
    monitor = token(base_url, spec, users["monitor"])
    url = base_url + API

    # Register: the subject ID follows the study's pattern; identity is not in the participant record.
    hospital_number = "HN-API-" + uuid.uuid4().hex[:6]
    r = requests.post(url + "/participants", headers=coord, timeout=10,
                      json={"fullName": "Api Person", "dateOfBirth": "1975-09-30", "hospitalNumber": hospital_number})
    p = check(spec, "post", "/api/v1/participants", r)
    assert r.status_code == 201 and p["subjectID"].startswith("BCRITP-") and p["status"] == "screening"
    assert hospital_number not in r.text
    sid = p["subjectID"]

    # Bad input leaves nothing behind: an unknown unit names the field; the version is unchanged.
    r = requests.put(f"{url}/participants/{sid}/forms/F_LAB_HEM", headers=coord, timeout=10,
                     json={"version": p["version"], "items": {"HGB": {"value": "95", "unit": "furlongs"}}})
    err = check(spec, "put", "/api/v1/participants/{subjectID}/forms/{formOID}", r)
    assert r.status_code == 422 and "HGB" in (err["error"].get("field", "") + err["error"]["message"])

    # Screening data, form by form (version check), with Hb 95 g/L: E7 not met, with value and threshold.
    values = carta_ui.screening_values()
    values.update(carta_ui.attestation_values())
    values["HGB"] = "95"
    forms = requests.get(url + "/study", headers=coord, timeout=10).json()["forms"]
    form_of = {i["oid"]: f["oid"] for f in forms for i in f["items"]}
    # Issue 7: forms with `entry: investigator` (the attestations) are answered by the investigator;
    # the coordinator is refused with 403 and nothing is written.
    # (F_INF_HOLD, the hold-rule decision before a later CAR-T fraction, is the other one; it is not a screening form.)
    investigator_forms = {f["oid"] for f in forms if f.get("entry") == "investigator"}
    assert investigator_forms == {"F_ATTEST", "F_INF_HOLD"}, investigator_forms
    by_form = {}
    for key, value in values.items():
        oid, _, bound = key.partition(".")
        entry = by_form.setdefault(form_of[oid], {}).setdefault(oid, {})
        key = {"lln": "lowerLimitNormal", "uln": "upperLimitNormal"}.get(bound, "value")
        entry[key] = {"Y": "true", "N": "false"}.get(value, value)
    version = p["version"]
    for form, items in by_form.items():
        if form in investigator_forms:
            r = requests.put(f"{url}/participants/{sid}/forms/{form}", headers=coord, json={"version": version, "items": items}, timeout=10)
            check(spec, "put", "/api/v1/participants/{subjectID}/forms/{formOID}", r)
            assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", r.text
        headers = inv if form in investigator_forms else coord
        r = requests.put(f"{url}/participants/{sid}/forms/{form}", headers=headers, json={"version": version, "items": items}, timeout=10)
        check(spec, "put", "/api/v1/participants/{subjectID}/forms/{formOID}", r)
        assert r.status_code == 200, r.text
        version = r.json()["participant"]["version"]
    r = requests.get(f"{url}/participants/{sid}/eligibility", headers=coord, timeout=10)
    e = check(spec, "get", "/api/v1/participants/{subjectID}/eligibility", r)
    assert e["overall"] == "not_eligible"
    assert [c["id"] for c in e["criteria"] if c["result"] != "met"] == ["E7"]
    e7 = next(c for c in e["criteria"] if c["id"] == "E7")
    assert "95" in e7["reason"] and "100" in e7["reason"]

    # A stale version is a conflict and changes nothing.
    r = requests.put(f"{url}/participants/{sid}/forms/F_LAB_HEM", headers=coord, timeout=10,
                     json={"version": p["version"], "reason": {"code": "other", "text": "stale form"}, "items": {"HGB": {"value": "120"}}})
    check(spec, "put", "/api/v1/participants/{subjectID}/forms/{formOID}", r)
    assert r.status_code == 409

    # Correct Hb with a reason: eligible.
    r = requests.put(f"{url}/participants/{sid}/forms/F_LAB_HEM", headers=coord, timeout=10,
                     json={"version": version, "reason": {"code": "transcription_error", "text": "lab report says 120"}, "items": {"HGB": {"value": "120"}}})
    check(spec, "put", "/api/v1/participants/{subjectID}/forms/{formOID}", r)
    assert r.status_code == 200, r.text
    version = r.json()["participant"]["version"]
    e = check(spec, "get", "/api/v1/participants/{subjectID}/eligibility",
              requests.get(f"{url}/participants/{sid}/eligibility", headers=coord, timeout=10))
    assert e["overall"] == "eligible" and e["version"] == version

    # Role rules: a coordinator cannot sign, a monitor cannot write; enrolment needs a signature.
    sign_path = "/api/v1/participants/{subjectID}/eligibility/signature"
    r = requests.post(f"{url}/participants/{sid}/eligibility/signature", headers=coord, timeout=10,
                      json={"password": users["coordinator"]["password"], "decision": "eligible", "version": version})
    check(spec, "post", sign_path, r)
    assert r.status_code == 403
    r = requests.put(f"{url}/participants/{sid}/forms/F_LAB_HEM", headers=monitor, timeout=10,
                     json={"version": version, "reason": {"code": "other", "text": "x"}, "items": {"HGB": {"value": "99"}}})
    check(spec, "put", "/api/v1/participants/{subjectID}/forms/{formOID}", r)
    assert r.status_code == 403
    r = requests.post(f"{url}/participants/{sid}/enrolment", headers=coord, json={"version": version}, timeout=10)
    check(spec, "post", "/api/v1/participants/{subjectID}/enrolment", r)
    assert r.status_code == 409

    # The investigator signs (wrong password first) and the coordinator enrols.
    r = requests.post(f"{url}/participants/{sid}/eligibility/signature", headers=inv, timeout=10,
                      json={"password": "wrong-password", "decision": "eligible", "version": version})
    check(spec, "post", sign_path, r)
    assert r.status_code in (401, 403)
    r = requests.post(f"{url}/participants/{sid}/eligibility/signature", headers=inv, timeout=10,
                      json={"password": users["investigator"]["password"], "decision": "eligible", "version": version,
                            "acknowledgeBinding": True})
    d = check(spec, "post", sign_path, r)
    assert r.status_code == 201 and d["decision"] == "eligible" and d["signerName"] == users["investigator"]["display_name"]
    assert len(d["contentSha256"]) == 64, "the signature is bound to the SHA-256 of the content signed (21 CFR 11.70)"
    r = requests.post(f"{url}/participants/{sid}/enrolment", headers=coord, json={"version": version}, timeout=10)
    p = check(spec, "post", "/api/v1/participants/{subjectID}/enrolment", r)
    assert r.status_code == 200 and p["status"] == "enrolled"

    # The list and the monitor's view: pseudonymous, no identity for a monitor.
    r = requests.get(url + "/participants", headers=monitor, timeout=10)
    body = check(spec, "get", "/api/v1/participants", r)
    assert any(x["subjectID"] == sid and x["status"] == "enrolled" for x in body["participants"])
    r = requests.get(f"{url}/participants/{sid}", headers=monitor, timeout=10)
    check(spec, "get", "/api/v1/participants/{subjectID}", r)
    assert r.status_code == 200 and hospital_number not in r.text and "Api Person" not in r.text

    # The audit trail holds the correction (who, old → new, why, source) and the chain verifies.
    # The trail comes in pages (issue 7 scope 8): follow nextAfter until it is null.
    events, after = [], 0
    while after is not None:
        r = requests.get(url + "/audit", params={"after": after, "limit": 50}, headers=monitor, timeout=10)
        page = check(spec, "get", "/api/v1/audit", r)
        assert len(page["events"]) <= 50
        events += page["events"]
        after = page["nextAfter"]
    assert [ev["seq"] for ev in events] == sorted({ev["seq"] for ev in events})
    corrections = [ev for ev in events
                   if ev["field"].endswith("/F_LAB_HEM/HGB") and ev.get("oldValue") == "95" and ev.get("newValue") == "120"]
    assert len(corrections) == 1, [ev for ev in events if "HGB" in ev["field"]][-3:]
    assert corrections[0]["reason"] == "transcription_error: lab report says 120" and corrections[0]["source"] == "api"
    assert corrections[0]["username"] == users["coordinator"]["username"]
    r = requests.get(url + "/audit/verify", headers=monitor, timeout=10)
    check(spec, "get", "/api/v1/audit/verify", r)
    assert r.status_code == 200 and r.json()["intact"] is True
