"""A small client for Carta's JSON API (DESIGN.md §3), used by the API contract test and to set up
participants quickly for the browser tests that are about something else."""
import requests

import carta_ui


class CartaAPI:
    """Signs in with POST /api/v1/tokens and sends the bearer token with every request."""

    def __init__(self, base_url, username, password):
        self.base = base_url + "/api/v1"
        r = requests.post(self.base + "/tokens", json={"username": username, "password": password}, timeout=10)
        assert r.status_code == 201, f"token for {username}: {r.status_code} {r.text}"
        self.token = r.json()["token"]
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + self.token
        self._form_of = None

    def get(self, path, **kw):
        return self.session.get(self.base + path, timeout=10, **kw)

    def post(self, path, body, **kw):
        return self.session.post(self.base + path, json=body, timeout=10, **kw)

    def put(self, path, body, **kw):
        return self.session.put(self.base + path, json=body, timeout=10, **kw)

    def form_of(self, oid):
        """The study form that holds an item, from GET /study."""
        if self._form_of is None:
            study = self.get("/study").json()
            self._form_of = {item["oid"]: form["oid"] for form in study["forms"] for item in form["items"]}
        return self._form_of[oid]

    def register(self, full_name, date_of_birth, hospital_number):
        r = self.post("/participants", {"fullName": full_name, "dateOfBirth": date_of_birth,
                                        "hospitalNumber": hospital_number})
        assert r.status_code == 201, f"register: {r.status_code} {r.text}"
        return r.json()

    def save(self, subject_id, values, reason=None):
        """Saves {OID: value, "OID.lln": x, "OID.uln": y} form by form; returns the last version.

        `reason` is a reason for change as "code" or "code: words" (needed to change saved values).

        Yes/no answers use the page's Y/N; the API takes "true"/"false".
        """
        by_form = {}
        for key, value in values.items():
            oid, _, bound = key.partition(".")
            entry = by_form.setdefault(self.form_of(oid), {}).setdefault(oid, {})
            if bound == "lln":
                entry["lowerLimitNormal"] = value
            elif bound == "uln":
                entry["upperLimitNormal"] = value
            else:
                entry["value"] = {"Y": "true", "N": "false"}.get(value, value)
        version = self.get(f"/participants/{subject_id}").json()["participant"]["version"]
        for form, items in by_form.items():
            body = {"version": version, "items": items}
            if reason:
                code, _, text = reason.partition(":")
                body["reason"] = {"code": code.strip(), **({"text": text.strip()} if text.strip() else {})}
            r = self.put(f"/participants/{subject_id}/forms/{form}", body)
            assert r.status_code == 200, f"save {form}: {r.status_code} {r.text}"
            version = r.json()["participant"]["version"]
        return version


def eligible_participant(base_url, users, name="Grace Hopper", hospital_number=None, **overrides):
    """Registers a person through the API and saves complete screening data — the coordinator the
    measured data, the investigator the attestations; returns the subject ID."""
    import uuid
    coordinator, investigator = users["coordinator"], users["investigator"]
    api = CartaAPI(base_url, coordinator["username"], coordinator["password"])
    p = api.register(name, "1979-02-14", hospital_number or "HN-" + uuid.uuid4().hex[:8])
    values = carta_ui.screening_values()
    attestations = carta_ui.attestation_values()
    for key, value in overrides.items():
        (attestations if key in attestations else values)[key] = value
    api.save(p["subjectID"], values)
    CartaAPI(base_url, investigator["username"], investigator["password"]).save(p["subjectID"], attestations)
    return p["subjectID"]
