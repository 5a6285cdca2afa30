/// The hand-checked OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`.
///
/// Source: issue 2 §7; DESIGN.md §3 (token sign-in, error shape). A test compares its paths and
/// methods with the routes the server registers, so the two cannot drift apart silently.
enum OpenAPIDocument {
    static let base = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Carta API",
    "version": "1.0.0",
    "description": "JSON API of Carta, a trial data system for cell-therapy studies. Sign in with POST /api/v1/tokens, then send Authorization: Bearer <token>. Errors are {\"error\": {\"code\", \"message\", \"field\"}}."
  },
  "servers": [{"url": "/"}],
  "security": [{"bearer": []}],
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "schemas": {
      "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["code", "message"],
          "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}}}
      },
      "Query": {
        "type": "object", "required": ["id", "subjectID", "eventOID", "formOID", "itemOID", "itemLabel", "status", "raisedAt", "ageDays", "messages"],
        "properties": {"id": {"type": "string"}, "subjectID": {"type": "string"}, "eventOID": {"type": "string"}, "formOID": {"type": "string"},
          "itemOID": {"type": "string"}, "itemLabel": {"type": "string"}, "status": {"type": "string", "enum": ["open", "answered", "closed"]},
          "checkID": {"type": ["string", "null"]}, "raisedAt": {"type": "string", "format": "date-time"}, "ageDays": {"type": "integer"},
          "messages": {"type": "array", "items": {"type": "object", "required": ["action", "by", "at", "text"],
            "properties": {"action": {"type": "string", "enum": ["raised", "answered", "closed", "reopened", "resolved"]}, "by": {"type": "string"},
              "at": {"type": "string", "format": "date-time"}, "text": {"type": "string"}}}}}
      },
      "QueryText": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 2000}}},
      "ParticipantSDV": {
        "type": "object", "required": ["subjectID", "siteID", "overall", "forms", "marks"],
        "properties": {"subjectID": {"type": "string"}, "siteID": {"type": "string"}, "overall": {"type": "object"},
          "forms": {"type": "object", "additionalProperties": {"type": "object"}}, "marks": {"type": "array", "items": {"type": "object"}}}
      },
      "CasebookSignature": {
        "type": "object", "required": ["id", "signedBy", "signedAt", "meaning", "contentSHA256", "standing"],
        "properties": {"id": {"type": "string"}, "signedBy": {"type": "string"}, "signedAt": {"type": "string", "format": "date-time"},
          "formOID": {"type": ["string", "null"], "description": "The one form signed"}, "visitID": {"type": ["string", "null"], "description": "The one visit signed"},
          "meaning": {"type": "string"}, "contentSHA256": {"type": "string"}, "standing": {"type": "string", "enum": ["valid", "invalidated_by_change"]}}
      },
      "Participant": {
        "type": "object",
        "required": ["subjectID", "studyID", "siteID", "status", "version", "registeredAt", "updatedAt", "screenFailureReasons"],
        "properties": {
          "subjectID": {"type": "string", "examples": ["BCRITP-001"]},
          "studyID": {"type": "string"},
          "siteID": {"type": "string"},
          "status": {"type": "string", "enum": ["screening", "enrolled", "screen_failed"]},
          "version": {"type": "integer", "description": "Optimistic-lock version: send it back with every change."},
          "registeredAt": {"type": "string", "format": "date-time"},
          "updatedAt": {"type": "string", "format": "date-time"},
          "enrolledAt": {"type": "string", "format": "date-time"},
          "screenFailureReasons": {"type": "array", "items": {"type": "string"}}
        }
      },
      "AuditReviewSignOff": {
        "type": "object",
        "required": ["id", "scope", "scopeDescription", "throughSeq", "recordCount", "contentHash", "reviewerID", "reviewerName", "signedAt", "meaning"],
        "properties": {"id": {"type": "string"}, "scope": {"type": "string"}, "scopeDescription": {"type": "string"},
          "throughSeq": {"type": "integer"}, "recordCount": {"type": "integer"}, "contentHash": {"type": "string"},
          "reviewerID": {"type": "string"}, "reviewerName": {"type": "string"}, "signedAt": {"type": "string", "format": "date-time"},
          "meaning": {"type": "string"}, "comment": {"type": ["string", "null"]}}
      },
      "SecondFactorProof": {
        "type": "object", "required": ["password", "code"],
        "properties": {"password": {"type": "string"}, "code": {"type": "string", "pattern": "^[0-9 -]{6,8}$"}}
      },
      "SecondFactorState": {
        "type": "object", "required": ["enrolled"],
        "properties": {"enrolled": {"type": "boolean"}, "enrolledAt": {"type": ["string", "null"], "format": "date-time"}}
      },
      "Lock": {
        "type": "object", "required": ["id", "scope", "lockedBy", "lockedAt", "reason"],
        "properties": {"id": {"type": "string"}, "scope": {"type": "string", "enum": ["database", "participant", "form"]},
          "subjectID": {"type": ["string", "null"]}, "formOID": {"type": ["string", "null"]}, "lockedBy": {"type": "string"},
          "lockedAt": {"type": "string", "format": "date-time"}, "reason": {"type": "string"}}
      },
      "AdverseEventInput": {"type": "object", "required": ["term", "grade", "onset", "causalityLymphodepletion", "causalityCART", "causalityITP"],
        "properties": {"term": {"type": "string", "description": "CTCAE v5.0 term or its MedDRA code"}, "specify": {"type": "string"},
          "grade": {"type": "integer", "minimum": 1, "maximum": 5}, "onset": {"type": "string", "format": "date"}, "resolution": {"type": "string", "format": "date"},
          "seriousCriteria": {"type": "array", "items": {"type": "string", "enum": ["death", "life_threatening", "hospitalisation", "disability", "congenital_anomaly", "important_medical_event"]}},
          "awareAt": {"type": "string", "format": "date-time"},
          "causalityLymphodepletion": {"type": "string", "enum": ["related", "probable", "possible", "unlikely", "unrelated"]},
          "causalityCART": {"type": "string", "enum": ["related", "probable", "possible", "unlikely", "unrelated"]},
          "causalityITP": {"type": "string", "enum": ["related", "probable", "possible", "unlikely", "unrelated"]},
          "action": {"type": "string", "enum": ["none", "dose_held", "dose_reduced", "withdrawn", "not_applicable"]},
          "outcome": {"type": "string", "enum": ["recovered", "recovering", "not_recovered", "recovered_with_sequelae", "fatal", "unknown"]}}},
      "ChangeReason": {
        "type": "object", "required": ["code"],
        "description": "Why a saved value changes (required for every change to a saved value; ICH E6(R3) 4.2.4). The item's own reason, else the request's.",
        "properties": {
          "code": {"type": "string", "enum": ["transcription_error", "source_updated", "new_information", "query_response", "other"]},
          "text": {"type": "string", "maxLength": 500, "description": "In the person's words; required for code other."}
        }
      },
      "ItemEntry": {
        "type": "object", "required": ["value"],
        "properties": {
          "value": {"type": "string", "description": "As entered; empty clears a stored value."},
          "unit": {"type": "string", "description": "UCUM unit; the item's default when omitted."},
          "lowerLimitNormal": {"type": "string", "description": "The lab's lower limit of normal, in the same unit."},
          "upperLimitNormal": {"type": "string", "description": "The lab's upper limit of normal, in the same unit."},
          "reason": {"$ref": "#/components/schemas/ChangeReason"},
          "laboratory": {"type": "string", "description": "The id of the site laboratory (study file sites[].laboratories[]) that measured a lab value; its range in force fills limits left blank. Default: the site's first laboratory."},
          "confirmed": {"type": "boolean", "description": "The value is right as typed: send it again with true after a 422 whose field is confirm.<OID> (a likely unit slip: outside the expected range but ordinary in another unit, or the participant's last value read in another unit)."}
        }
      },
      "ChecklistRow": {
        "type": "object", "required": ["id", "kind", "text", "result", "reason", "missing"],
        "properties": {
          "id": {"type": "string"}, "kind": {"type": "string", "enum": ["inclusion", "exclusion"]},
          "text": {"type": "string"}, "result": {"type": "string", "enum": ["met", "not_met", "not_evaluable"]},
          "reason": {"type": "string"}, "missing": {"type": "array", "items": {"type": "string"}}
        }
      },
      "Decision": {
        "type": "object", "required": ["decision", "signerName", "signedAt", "meaning", "participantVersion"],
        "properties": {
          "decision": {"type": "string", "enum": ["eligible", "not_eligible"]}, "signerName": {"type": "string"},
          "signedAt": {"type": "string", "format": "date-time"}, "meaning": {"type": "string"},
          "participantVersion": {"type": "integer"},
          "contentSha256": {"type": ["string", "null"], "description": "SHA-256 of the exact content signed (21 CFR 11.70)."}
        }
      },
      "Version": {"type": "object", "required": ["version"], "properties": {"version": {"type": "integer"}}},
      "Me": {
        "type": "object", "required": ["username", "displayName", "role", "permissions"],
        "properties": {"username": {"type": "string"}, "displayName": {"type": "string"},
          "role": {"type": "string", "enum": ["admin", "investigator", "coordinator", "monitor"]},
          "permissions": {"type": "array", "items": {"type": "string"}}}
      },
      "CalculatorInfo": {
        "type": "object", "required": ["name", "summary"],
        "properties": {"name": {"type": "string"}, "summary": {"type": "string"}}
      },
      "ItemValue": {
        "type": "object", "required": ["event", "form", "item", "updatedAt", "updatedBy"],
        "description": "A stored value: as entered, standardised (SI), and the lab's reference range in the entered unit.",
        "properties": {
          "event": {"type": "string"}, "form": {"type": "string"}, "item": {"type": "string"},
          "value": {"type": "string"}, "unit": {"type": "string"},
          "standardValue": {"type": "number"}, "standardUnit": {"type": "string"},
          "lowerLimitNormal": {"type": "number"}, "upperLimitNormal": {"type": "number"},
          "updatedAt": {"type": "string", "format": "date-time"}, "updatedBy": {"type": "string"}
        }
      },
      "Identity": {
        "type": "object", "description": "Identifying details; present only for roles allowed to see them.",
        "properties": {"fullName": {"type": "string"}, "dateOfBirth": {"type": "string", "format": "date"},
          "hospitalNumber": {"type": "string"}}
      },
      "ParticipantDetail": {
        "type": "object", "required": ["participant", "items"],
        "properties": {"participant": {"$ref": "#/components/schemas/Participant"},
          "identity": {"$ref": "#/components/schemas/Identity"},
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/ItemValue"}}}
      },
      "FormSaved": {
        "type": "object", "required": ["participant", "warnings"],
        "properties": {"participant": {"$ref": "#/components/schemas/Participant"},
          "warnings": {"type": "object", "description": "Soft-range warnings by item OID.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}}}}
      },
      "AuditEvent": {
        "type": "object",
        "required": ["seq", "at", "username", "source", "entity", "entityID", "field", "prevHash", "hash"],
        "properties": {
          "seq": {"type": "integer"}, "at": {"type": "string", "description": "UTC, ISO 8601 with milliseconds"},
          "userID": {"type": "string"}, "username": {"type": "string"},
          "source": {"type": "string", "enum": ["web", "api", "cli", "import"]},
          "entity": {"type": "string"}, "entityID": {"type": "string"}, "field": {"type": "string"},
          "oldValue": {"type": "string"}, "newValue": {"type": "string"}, "reason": {"type": "string"},
          "prevHash": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"}
        }
      },
      "AuditVerification": {
        "type": "object", "required": ["intact", "checkedAfter", "checkedCount"],
        "properties": {"intact": {"type": "boolean"}, "count": {"type": "integer"},
          "brokenAtSeq": {"type": "integer"}, "reason": {"type": "string"},
          "checkedAfter": {"type": "integer", "description": "Records up to this seq were verified before (a checkpoint); 0 for a full check."},
          "checkedCount": {"type": "integer", "description": "Records re-computed by this verification."},
          "differences": {"type": "array", "description": "With replay=true: stored values that differ from their last audited value.",
            "items": {"type": "object", "required": ["entity", "entityID", "label", "field"],
              "properties": {"entity": {"type": "string"}, "entityID": {"type": "string"}, "label": {"type": "string"},
                "field": {"type": "string"}, "audited": {"type": ["string", "null"]}, "stored": {"type": ["string", "null"]},
                "auditedSeq": {"type": ["integer", "null"]}}}}}
      }
    },
    "responses": {
      "Error": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "parameters": {
      "subjectID": {"name": "subjectID", "in": "path", "required": true, "schema": {"type": "string"}},
      "ifNoneMatch": {"name": "If-None-Match", "in": "header", "required": false, "schema": {"type": "string"},
        "description": "The ETag of an earlier response (RFC 9110 §13.1.2): 304 while nothing has been saved since"}
    }
  },
  "paths": {
    "/api/v1/openapi.json": {
      "get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3.1 document"}}}
    },
    "/api/v1/tokens": {
      "post": {
        "summary": "Sign in and get a bearer token", "security": [],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {
          "type": "object", "required": ["username", "password"],
          "properties": {"username": {"type": "string"}, "password": {"type": "string"}, "code": {"type": "string", "description": "A current TOTP code, required when the account has a second factor"}}}}}},
        "responses": {
          "201": {"description": "Token", "content": {"application/json": {"schema": {"type": "object", "required": ["token"],
            "properties": {"token": {"type": "string"}, "expiresInSeconds": {"type": "integer"}}}}}},
          "401": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}
        }
      },
      "get": {
        "summary": "Your unexpired API tokens (ids are SHA-256 hashes; tokens themselves are never stored)",
        "responses": {"200": {"description": "Tokens", "content": {"application/json": {"schema": {"type": "object", "required": ["tokens"],
          "properties": {"tokens": {"type": "array", "items": {"type": "object", "required": ["id", "createdAt", "expiresAt"],
            "properties": {"id": {"type": "string"}, "createdAt": {"type": "string", "format": "date-time"},
              "expiresAt": {"type": "string", "format": "date-time"}}}}}}}}}}
      }
    },
    "/api/v1/tokens/{id}": {
      "delete": {
        "summary": "Revoke one of your API tokens (audited)",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"204": {"description": "Revoked"}}
      }
    },
    "/api/v1/me/sign-out-everywhere": {
      "post": {
        "summary": "End every web session and revoke every API token of your account, this one included (audited)",
        "responses": {"200": {"description": "How many were ended", "content": {"application/json": {"schema": {"type": "object",
          "required": ["ended"], "properties": {"ended": {"type": "integer"}}}}}}}
      }
    },
    "/api/v1/me/password": {
      "post": {
        "summary": "Change your password (the current one is checked; every session and token ends)",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
          "required": ["currentPassword", "newPassword"],
          "properties": {"currentPassword": {"type": "string"}, "newPassword": {"type": "string", "minLength": 12}}}}}},
        "responses": {"204": {"description": "Changed"}}
      }
    },
    "/api/v1/me/second-factor": {
      "post": {
        "summary": "Start setting up a TOTP second factor (RFC 6238): returns the secret for an authenticator app; confirm with a code",
        "responses": {"201": {"description": "The secret (base32) and its otpauth key URI", "content": {"application/json": {"schema": {"type": "object",
          "required": ["secret", "keyURI"], "properties": {"secret": {"type": "string"}, "keyURI": {"type": "string"}}}}}}}
      }
    },
    "/api/v1/me/second-factor/confirm": {
      "post": {
        "summary": "Turn the second factor on with your password and a code from the app (audited)",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SecondFactorProof"}}}},
        "responses": {"200": {"description": "Enrolled", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SecondFactorState"}}}}}
      }
    },
    "/api/v1/me/second-factor/remove": {
      "post": {
        "summary": "Turn the second factor off with your password and a current code (audited)",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SecondFactorProof"}}}},
        "responses": {"200": {"description": "Removed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SecondFactorState"}}}}}
      }
    },
    "/api/v1/locks": {
      "get": {
        "summary": "Standing data locks at your sites",
        "responses": {"200": {"description": "Locks", "content": {"application/json": {"schema": {"type": "object", "required": ["locks"],
          "properties": {"locks": {"type": "array", "items": {"$ref": "#/components/schemas/Lock"}}}}}}}}
      },
      "post": {
        "summary": "Lock a form, a casebook or the database (data manager; password re-entered; reason audited)",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
          "required": ["scope", "reason", "password"],
          "properties": {"scope": {"type": "string", "enum": ["database", "participant", "form"]}, "subjectID": {"type": "string"},
            "formOID": {"type": "string"}, "reason": {"type": "string"}, "password": {"type": "string"}, "code": {"type": "string", "description": "A current TOTP code, required when the account has a second factor"}}}}}},
        "responses": {"201": {"description": "Locked", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Lock"}}}}}
      }
    },
    "/api/v1/locks/{id}/unlock": {
      "post": {
        "summary": "Lift a standing lock (data manager; password re-entered; reason audited)",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason", "password"],
          "properties": {"reason": {"type": "string"}, "password": {"type": "string"}, "code": {"type": "string", "description": "A current TOTP code, required when the account has a second factor"}}}}}},
        "responses": {"200": {"description": "Unlocked", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Lock"}}}}}
      }
    },
    "/api/v1/queries": {
      "get": {
        "summary": "Query inbox at your sites, oldest first (filters: status list, subject, form, minimum age in days)",
        "parameters": [{"name": "status", "in": "query", "schema": {"type": "string"}, "description": "Comma list of open, answered, closed"},
          {"name": "subject", "in": "query", "schema": {"type": "string"}}, {"name": "form", "in": "query", "schema": {"type": "string"}},
          {"name": "minAgeDays", "in": "query", "schema": {"type": "integer", "minimum": 0}}],
        "responses": {"200": {"description": "Queries", "content": {"application/json": {"schema": {"type": "object", "required": ["queries"],
          "properties": {"queries": {"type": "array", "items": {"$ref": "#/components/schemas/Query"}}}}}}}}
      }
    },
    "/api/v1/queries/{id}/answer": {
      "post": {
        "summary": "Answer an open query (investigator, sub-investigator, coordinator)",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QueryText"}}}},
        "responses": {"200": {"description": "Answered", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Query"}}}}}
      }
    },
    "/api/v1/queries/{id}/close": {
      "post": {
        "summary": "Close an open or answered query (monitor, data manager)",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QueryText"}}}},
        "responses": {"200": {"description": "Closed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Query"}}}}}
      }
    },
    "/api/v1/queries/{id}/reopen": {
      "post": {
        "summary": "Re-open an answered or closed query with the reason (monitor, data manager)",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QueryText"}}}},
        "responses": {"200": {"description": "Re-opened", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Query"}}}}}
      }
    },
    "/api/v1/participants/{subjectID}/queries": {
      "get": {
        "summary": "A participant's queries with their threads",
        "parameters": [{"name": "subjectID", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "Queries", "content": {"application/json": {"schema": {"type": "object", "required": ["queries"],
          "properties": {"queries": {"type": "array", "items": {"$ref": "#/components/schemas/Query"}}}}}}}}
      },
      "post": {
        "summary": "Raise a query on an item (monitor, data manager)",
        "parameters": [{"name": "subjectID", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["itemOID", "text"],
          "properties": {"itemOID": {"type": "string"}, "visitID": {"type": "string", "description": "A visit of the schedule (e.g. D7); screening data when absent"}, "text": {"type": "string", "maxLength": 2000}}}}}},
        "responses": {"201": {"description": "Raised", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Query"}}}}}
      }
    },
    "/api/v1/sdv": {
      "get": {
        "summary": "Source-verification progress per site and participant",
        "responses": {"200": {"description": "Progress", "content": {"application/json": {"schema": {"type": "object", "required": ["sites", "participants"],
          "properties": {"sites": {"type": "array", "items": {"type": "object"}}, "participants": {"type": "array", "items": {"$ref": "#/components/schemas/ParticipantSDV"}}}}}}}}
      }
    },
    "/api/v1/participants/{subjectID}/sdv": {
      "get": {
        "summary": "A participant's source-verification marks and progress per form",
        "parameters": [{"name": "subjectID", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "Progress", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ParticipantSDV"}}}}}
      },
      "post": {
        "summary": "Mark a form's recorded values (or some items) verified against source (monitor)",
        "parameters": [{"name": "subjectID", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["formOID"],
          "properties": {"formOID": {"type": "string"}, "visitID": {"type": "string", "description": "A visit of the schedule (e.g. D7); screening data when absent"}, "items": {"type": "array", "items": {"type": "string"}},
            "version": {"type": "integer", "description": "The participant's version the values were checked at; any change since refuses the mark (409) so a value nobody checked is never marked"}}}}}},
        "responses": {"200": {"description": "Verified", "content": {"application/json": {"schema": {"type": "object", "required": ["verifiedNow", "progress"],
          "properties": {"verifiedNow": {"type": "integer"}, "progress": {"$ref": "#/components/schemas/ParticipantSDV"}}}}}},
          "409": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}/casebook/signatures": {
      "get": {
        "summary": "The casebook's signatures, each valid or invalidated by a later change",
        "parameters": [{"name": "subjectID", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "Signatures", "content": {"application/json": {"schema": {"type": "object", "required": ["signatures"],
          "properties": {"signatures": {"type": "array", "items": {"$ref": "#/components/schemas/CasebookSignature"}}}}}}}}
      },
      "post": {
        "summary": "Sign the whole casebook (investigator; password re-entered; bound to the content's SHA-256)",
        "parameters": [{"name": "subjectID", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["version", "password"],
          "properties": {"version": {"type": "integer"}, "formOID": {"type": "string", "description": "Sign only this form; without it (and without visitID), the whole casebook"}, "visitID": {"type": "string", "description": "Sign only this visit (every form recorded at it, e.g. D7; the screening visit's id for screening data); not with formOID"}, "password": {"type": "string"}, "code": {"type": "string", "description": "A current TOTP code, required when the account has a second factor"}, "acknowledgeBinding": {"type": "boolean"}}}}}},
        "responses": {"201": {"description": "Signed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CasebookSignature"}}}}}
      }
    },
    "/api/v1/me": {
      "get": {"summary": "The signed-in user, role and permissions",
        "responses": {"200": {"description": "User", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Me"}}}}, "401": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/compute": {
      "get": {"summary": "List the clinical calculators", "responses": {"200": {"description": "Calculators", "content": {"application/json": {"schema": {
        "type": "array", "items": {"$ref": "#/components/schemas/CalculatorInfo"}}}}}}}
    },
    "/api/v1/compute/{name}": {
      "post": {
        "summary": "Run a clinical calculator (formats: docs/calculators/{name}.md)",
        "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"200": {"description": "Result"}, "401": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/study": {
      "get": {"summary": "The loaded study file (protocol as data)", "responses": {"200": {"description": "Study"}}}
    },
    "/api/v1/participants": {
      "get": {
        "summary": "List participants (pseudonymous)",
        "parameters": [{"name": "status", "in": "query", "schema": {"type": "string", "enum": ["screening", "enrolled", "screen_failed"]}},
          {"name": "subject", "in": "query", "schema": {"type": "string", "maxLength": 40}, "description": "Part of a subject ID, any case (\"2661\" finds BCRITP-2661)."}],
        "responses": {"200": {"description": "Participants", "content": {"application/json": {"schema": {"type": "object",
          "properties": {"participants": {"type": "array", "items": {"$ref": "#/components/schemas/Participant"}}}}}}},
          "401": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
      },
      "post": {
        "summary": "Register a person for screening",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
          "required": ["fullName", "dateOfBirth", "hospitalNumber"],
          "properties": {"fullName": {"type": "string"}, "dateOfBirth": {"type": "string", "format": "date"},
            "hospitalNumber": {"type": "string"}, "siteID": {"type": "string"}}}}}},
        "responses": {"201": {"description": "Registered", "headers": {"Carta-Warning": {"description": "Present when the hospital number is already registered in the study: the warning, naming the participant(s).", "schema": {"type": "string"}}},
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Participant"}}}},
          "403": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}": {
      "get": {
        "summary": "A participant with stored values (identity only for roles allowed to see it)",
        "parameters": [{"$ref": "#/components/parameters/subjectID"}],
        "responses": {"200": {"description": "Participant", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ParticipantDetail"}}}}, "404": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}/forms/{formOID}": {
      "put": {
        "summary": "Save screening form values (optimistic version check; every change audited)",
        "parameters": [{"$ref": "#/components/parameters/subjectID"},
          {"name": "formOID", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["version", "items"],
          "properties": {"version": {"type": "integer"}, "reason": {"$ref": "#/components/schemas/ChangeReason"},
            "enteredAt": {"type": "string", "format": "date-time", "description": "When the data were entered on the device (offline capture), with its UTC offset; audited beside the server's receipt time"},
            "items": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/ItemEntry"}}}}}}},
        "responses": {"200": {"description": "Saved; soft-range warnings by item", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FormSaved"}}}},
          "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}/visits/{visitID}/preview": {
      "post": {
        "summary": "What a visit's forms give as typed, before saving: CTCAE v5.0 lab grades, ASTCT 2019 CRS and ICANS grades from the raw signs (or what is missing to grade them), the bleeding score and the ITP-BAT summary. The entries are checked as a save checks them; one the save would refuse or hold is left out. Nothing is written",
        "parameters": [{"$ref": "#/components/parameters/subjectID"},
          {"name": "visitID", "in": "path", "required": true, "schema": {"type": "string"}, "description": "A visit id of the study's schedule after screening"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["forms"],
          "properties": {"forms": {"type": "object", "description": "Entries by form OID, then item OID",
            "additionalProperties": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/ItemEntry"}}}}}}}},
        "responses": {"200": {"description": "The derived texts by \"FORM/ITEM\" (the item each is shown under)", "content": {"application/json": {"schema": {"type": "object", "required": ["derived"],
            "properties": {"derived": {"type": "object", "additionalProperties": {"type": "string"}}}}}}},
          "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}/visits/{visitID}/forms/{formOID}": {
      "put": {
        "summary": "Save a visit's form values after enrolment, in the order of events (apheresis → release → lymphodepletion → infusion → visits from Day 0); an out-of-order step is refused with code out_of_order naming the missing step",
        "parameters": [{"$ref": "#/components/parameters/subjectID"},
          {"name": "visitID", "in": "path", "required": true, "schema": {"type": "string"}, "description": "A visit id of the study's schedule, e.g. APH, PROD, LD1, D0, D7, M1"},
          {"name": "formOID", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["version", "items"],
          "properties": {"version": {"type": "integer"}, "reason": {"$ref": "#/components/schemas/ChangeReason"},
            "enteredAt": {"type": "string", "format": "date-time"},
            "items": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/ItemEntry"}}}}}}},
        "responses": {"200": {"description": "Saved; soft-range warnings by item and order warnings under \"order\"", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FormSaved"}}}},
          "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}/calendar": {
      "get": {
        "summary": "The participant's course: product chain, visit calendar from Day 0 with statuses (provisional from the planned infusion date until the first infusion) and protocol deviations with the rule that raised each",
        "parameters": [{"$ref": "#/components/parameters/subjectID"}],
        "responses": {"200": {"description": "Course", "content": {"application/json": {"schema": {"type": "object",
          "required": ["subjectID", "version", "provisional", "visits", "deviations", "chain"],
          "properties": {"subjectID": {"type": "string"}, "version": {"type": "integer"},
            "dayZero": {"type": "string", "format": "date"}, "provisional": {"type": "boolean"},
            "visits": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"},
              "day": {"type": "integer"}, "nominalDate": {"type": "string", "format": "date"}, "earliest": {"type": "string", "format": "date"},
              "latest": {"type": "string", "format": "date"}, "doneOn": {"type": "string", "format": "date"},
              "status": {"type": "string", "enum": ["planned", "due", "overdue", "done", "out_of_window", "missed", "not_expected"]}}}},
            "deviations": {"type": "array", "items": {"type": "object", "properties": {"rule": {"type": "string"}, "ruleText": {"type": "string"},
              "visitID": {"type": "string"}, "date": {"type": "string", "format": "date"}, "description": {"type": "string"}}}},
            "chain": {"type": "object"}}}}}},
          "404": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/today": {
      "get": {
        "summary": "The today screen: per enrolled participant at your sites, visits due today and overdue, the product-chain step waiting, platelet counts with their trend, current CRS/ICANS grades and the alerts not yet acknowledged (alarming participants first), one page at a time",
        "parameters": [
          {"name": "show", "in": "query", "schema": {"type": "string", "enum": ["all", "attention"], "default": "all"},
            "description": "all: every enrolled participant; attention: those with an alert to acknowledge or a visit due today or overdue."},
          {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1},
            "description": "The 1-based page; a page past the last returns the last (see page and pages)."},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 500}}],
        "responses": {"200": {"description": "Today", "content": {"application/json": {"schema": {"type": "object", "required": ["date", "show", "page", "pages", "total", "counts", "participants"],
          "properties": {"date": {"type": "string", "format": "date"},
            "show": {"type": "string", "enum": ["all", "attention"]}, "page": {"type": "integer", "description": "The page returned."},
            "pages": {"type": "integer"}, "total": {"type": "integer", "description": "Participants in this view, on every page."},
            "counts": {"type": "object", "description": "Participants in each view.", "properties": {"all": {"type": "integer"}, "attention": {"type": "integer"}}},
            "participants": {"type": "array", "items": {"type": "object",
            "properties": {"subjectID": {"type": "string"}, "siteID": {"type": "string"}, "studyDay": {"type": "integer"}, "provisional": {"type": "boolean"},
              "dueToday": {"type": "array", "items": {"type": "object"}}, "overdue": {"type": "array", "items": {"type": "object"}},
              "nextStep": {"type": "string"}, "platelets": {"type": "array", "items": {"type": "object"}}, "plateletTrend": {"type": "string", "enum": ["up", "down", "steady"]},
              "crsGrade": {"type": "integer"}, "icansGrade": {"type": "integer"},
              "endOfStudy": {"type": "object", "description": "The end of study recorded on or before today (absent while on study); such participants are listed after those on study",
                "properties": {"visitID": {"type": "string"}, "date": {"type": "string", "format": "date"}, "status": {"type": "string"}}},
              "alerts": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "string"}, "severity": {"type": "string"}, "text": {"type": "string"},
                "visitID": {"type": "string", "description": "The visit whose data raised the alert (absent for an SAE clock)"},
                "field": {"type": "string", "description": "The control or form on that visit's page the alert is about: item-<ItemOID> or form-<FormOID>"},
                "adverseEvent": {"type": "integer", "description": "The adverse event an SAE clock is about"}}}}}}}}}}}},
          "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}/alerts/acknowledgement": {
      "post": {
        "summary": "Acknowledge one alert now listed for the participant (audited); it leaves the today screen",
        "parameters": [{"$ref": "#/components/parameters/subjectID"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["key"],
          "properties": {"key": {"type": "string"}, "note": {"type": "string"}}}}}},
        "responses": {"200": {"description": "Acknowledged", "content": {"application/json": {"schema": {"type": "object",
          "properties": {"subjectID": {"type": "string"}, "acknowledged": {"type": "object"}}}}}},
          "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/outcomes": {
      "get": {
        "summary": "The registry's outcome measures derived from the captured data over the enrolled participants at your sites: overall response with Clopper–Pearson 95 % CI (IWG and protocol-literal CR side by side), time to response, Kaplan–Meier duration of response with numbers at risk, adverse events by CTCAE term and worst grade, CRS/ICANS, bleeding and rescue therapy; each participant's figures list the source values (visit, form, item, the engine's status and rules) they came from. dataCut names the audit records the data were read at (first and last differ when changes were saved during the derivation). The response carries a weak ETag; send it back in If-None-Match and an unchanged study answers 304 without deriving",
        "parameters": [{"$ref": "#/components/parameters/ifNoneMatch"},
          {"name": "sources", "in": "query", "required": false, "schema": {"type": "boolean", "default": true},
           "description": "false: every participant's figures without the source values behind them, read from the figures kept between passes (a whole study in seconds); each participant's sources list is then empty"}],
        "responses": {"304": {"description": "Not modified: nothing was saved since the tag was given", "headers": {"ETag": {"schema": {"type": "string"}}}},
          "200": {"description": "Outcomes", "headers": {"ETag": {"schema": {"type": "string"}}}, "content": {"application/json": {"schema": {"type": "object",
          "required": ["studyID", "settingsDigest", "method", "participants", "treated", "timeToResponse", "adverseEventsByTerm", "crs", "icans"],
          "properties": {"studyID": {"type": "string"}, "settingsDigest": {"type": "string"}, "method": {"type": "string"}, "treated": {"type": "integer"},
            "participants": {"type": "array", "items": {"type": "object", "properties": {"subjectID": {"type": "string"}, "bestOverallResponse": {"type": "string", "enum": ["CR", "R", "NR", "NE"]},
              "timeToResponseDays": {"type": "integer"}, "sources": {"type": "array", "items": {"type": "object"}}, "problems": {"type": "array", "items": {"type": "string"}}}}},
            "overallResponse": {"type": "object"}, "completeResponseIWG": {"type": "object"}, "completeResponseProtocolLiteral": {"type": "object"},
            "timeToResponse": {"type": "object"}, "durationOfResponse": {"type": "object"}, "adverseEventsByTerm": {"type": "array", "items": {"type": "object"}},
            "participantsWithSeriousEvents": {"type": "integer"}, "crs": {"type": "object"}, "icans": {"type": "object"},
            "dataCut": {"type": "object", "description": "The data the figures come from: the last audit record that is not an authentication record, read before and after the pass; they differ only when changes were saved meanwhile (derive again). Together with settingsDigest it identifies the figures.",
              "properties": {"firstAuditRecord": {"type": "integer"}, "lastAuditRecord": {"type": "integer"}}}}}}}}}
      }
    },
    "/api/v1/outcomes/tables/{table}": {
      "get": {
        "summary": "One analysis-ready table of the derivation as CSV: subjects (one row per participant), visits (every source value with the engine's status), tte (time-to-event: DOR, TTR) or ae (participants by CTCAE term and worst grade)",
        "parameters": [{"name": "table", "in": "path", "required": true, "schema": {"type": "string", "enum": ["subjects", "visits", "tte", "ae", "conmed", "qs"]}},
          {"$ref": "#/components/parameters/ifNoneMatch"}],
        "responses": {"200": {"description": "CSV (RFC 4180)", "headers": {"ETag": {"schema": {"type": "string"}}}, "content": {"text/csv": {"schema": {"type": "string"}}}},
          "304": {"description": "Not modified: nothing was saved since the tag was given"},
          "404": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/ctcae/terms": {
      "get": {
        "summary": "Search the CTCAE v5.0 term list (837 terms, MedDRA codes, the grades each term has)",
        "parameters": [{"name": "q", "in": "query", "required": false, "schema": {"type": "string"}, "description": "Part of the term's name"}],
        "responses": {"200": {"description": "Up to 50 terms, name-prefix matches first", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object",
          "properties": {"meddraCode": {"type": "string"}, "soc": {"type": "string"}, "term": {"type": "string"}, "definition": {"type": "string"},
            "grades": {"type": "object", "additionalProperties": {"type": "string"}}}}}}}}}
      }
    },
    "/api/v1/participants/{subjectID}/adverse-events": {
      "get": {
        "summary": "The adverse-event log, the CRS and ICANS episodes read from the daily assessments, and the SAE 24-hour clocks",
        "parameters": [{"$ref": "#/components/parameters/subjectID"}],
        "responses": {"200": {"description": "Log", "content": {"application/json": {"schema": {"type": "object",
          "properties": {"subjectID": {"type": "string"}, "events": {"type": "array", "items": {"type": "object"}},
            "episodes": {"type": "array", "items": {"type": "object"}}, "saeClocks": {"type": "array", "items": {"type": "object"}}}}}}}}
      },
      "post": {
        "summary": "Record an adverse event (CTCAE v5.0 term or MedDRA code, a grade the term has, dates, ICH E2A seriousness with the awareness time, causality to lymphodepletion, CAR-T and ITP)",
        "parameters": [{"$ref": "#/components/parameters/subjectID"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AdverseEventInput"}}}},
        "responses": {"201": {"description": "Recorded", "content": {"application/json": {"schema": {"type": "object"}}}},
          "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}/adverse-events/{number}": {
      "put": {
        "summary": "Change AE-{number} at its version, with a reason for change",
        "parameters": [{"$ref": "#/components/parameters/subjectID"}, {"name": "number", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["version", "reason", "event"],
          "properties": {"version": {"type": "integer"}, "reason": {"$ref": "#/components/schemas/ChangeReason"}, "event": {"$ref": "#/components/schemas/AdverseEventInput"}}}}}},
        "responses": {"200": {"description": "Changed", "content": {"application/json": {"schema": {"type": "object"}}}},
          "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}/adverse-events/{number}/report": {
      "post": {
        "summary": "Record when a serious event was reported to the sponsor (ends its 24-hour clock)",
        "parameters": [{"$ref": "#/components/parameters/subjectID"}, {"name": "number", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"reportedAt": {"type": "string", "format": "date-time"}}}}}},
        "responses": {"200": {"description": "Reported", "content": {"application/json": {"schema": {"type": "object"}}}},
          "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}/eligibility": {
      "get": {
        "summary": "The eligibility checklist, criterion by criterion, and the latest signed decision",
        "parameters": [{"$ref": "#/components/parameters/subjectID"}],
        "responses": {"200": {"description": "Checklist", "content": {"application/json": {"schema": {"type": "object",
          "properties": {"subjectID": {"type": "string"}, "version": {"type": "integer"},
            "overall": {"type": "string", "enum": ["eligible", "not_eligible", "incomplete"]},
            "criteria": {"type": "array", "items": {"$ref": "#/components/schemas/ChecklistRow"}},
            "decision": {"$ref": "#/components/schemas/Decision"}}}}}}}
      }
    },
    "/api/v1/participants/{subjectID}/eligibility/signature": {
      "post": {
        "summary": "Investigator signs the eligibility decision (password re-entered)",
        "parameters": [{"$ref": "#/components/parameters/subjectID"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
          "required": ["password", "decision", "version"],
          "properties": {"password": {"type": "string"}, "code": {"type": "string", "description": "A current TOTP code, required when the account has a second factor"}, "decision": {"type": "string", "enum": ["eligible", "not_eligible"]},
            "meaning": {"type": "string"}, "version": {"type": "integer"},
            "acknowledgeBinding": {"type": "boolean", "description": "Required true before the signer's first electronic signature: it is the legally binding equivalent of a handwritten one (21 CFR 11.100(c))."}}}}}},
        "responses": {"201": {"description": "Signed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Decision"}}}},
          "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}/enrolment": {
      "post": {
        "summary": "Enrol (every criterion met, signed decision on current data, below target)",
        "parameters": [{"$ref": "#/components/parameters/subjectID"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Version"}}}},
        "responses": {"200": {"description": "Enrolled", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Participant"}}}},
          "403": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}/dose-calculation": {
      "post": {
        "summary": "Calculate the lymphodepletion doses from the latest height, weight and creatinine, or verify the stored calculation (a second person)",
        "parameters": [{"$ref": "#/components/parameters/subjectID"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["version", "action"],
          "properties": {"version": {"type": "integer"}, "action": {"type": "string", "enum": ["calculate", "verify"]}}}}}},
        "responses": {"200": {"description": "Calculated or verified; the calculation is the computed form F_LD_CALC of the first lymphodepletion visit", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Participant"}}}},
          "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/participants/{subjectID}/screen-failure": {
      "post": {
        "summary": "Record a screen failure with reasons",
        "parameters": [{"$ref": "#/components/parameters/subjectID"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["version", "reasons"],
          "properties": {"version": {"type": "integer"}, "reasons": {"type": "array", "items": {"type": "string"}}}}}}},
        "responses": {"200": {"description": "Screen failed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Participant"}}}}, "403": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/audit": {
      "get": {
        "summary": "Audit events, oldest first, one page at a time (cursor paging)",
        "parameters": [{"name": "entity", "in": "query", "schema": {"type": "string"}},
          {"name": "entityID", "in": "query", "schema": {"type": "string"}},
          {"name": "form", "in": "query", "schema": {"type": "string"}, "description": "Only values of this study form (OID)."},
          {"name": "item", "in": "query", "schema": {"type": "string"}, "description": "Only this item of the form (needs form)."},
          {"name": "user", "in": "query", "schema": {"type": "string"}, "description": "Only records made by this user name."},
          {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "First site-calendar day."},
          {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "Last site-calendar day (inclusive)."},
          {"name": "afterSignatureOrLock", "in": "query", "schema": {"type": "boolean"}, "description": "Only changes to participant data made after its first signature or after a lock covering it."},
          {"name": "subjectID", "in": "query", "schema": {"type": "string"},
            "description": "A participant's subject ID, in any case: every record about them — participant, identity, values, device times, alerts, source verification, adverse events, eligibility decisions, queries, casebook signatures and locks. An unknown parameter is refused (422)."},
          {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0},
            "description": "Return events with seq greater than this; pass the previous page's nextAfter."},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 500},
            "description": "Page size (at most 500)."}],
        "responses": {"200": {"description": "One page of events, oldest first", "content": {"application/json": {"schema": {"type": "object", "required": ["events", "nextAfter"],
          "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEvent"}},
            "nextAfter": {"type": ["integer", "null"], "description": "The after value of the next page; null on the last page."}}}}}}, "404": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"}}
      }
    },
    "/api/v1/access-review": {
      "get": {
        "summary": "The periodic access review: every account's role, sites, state, last sign-in, recent failures, last access change, second factor, tokens and flags, and the account lockouts of the last 7 days (administrators and auditors)",
        "responses": {"200": {"description": "Accounts", "content": {"application/json": {"schema": {"type": "object", "required": ["generatedAt", "accounts", "lockouts"],
          "properties": {"generatedAt": {"type": "string", "format": "date-time"},
            "lockouts": {"type": "array", "items": {"type": "object", "required": ["username", "at", "auditSeq", "message"],
              "properties": {"username": {"type": "string"}, "at": {"type": "string", "format": "date-time"}, "auditSeq": {"type": "integer"}, "message": {"type": "string"}}}},
            "accounts": {"type": "array", "items": {"type": "object",
            "required": ["username", "displayName", "role", "sites", "active", "createdAt", "recentFailures", "secondFactor", "activeTokens", "flags"],
            "properties": {"username": {"type": "string"}, "displayName": {"type": "string"}, "role": {"type": "string"}, "sites": {"type": "string"},
              "active": {"type": "boolean"}, "createdAt": {"type": "string", "format": "date-time"},
              "lastSignInAt": {"type": ["string", "null"], "format": "date-time"}, "recentFailures": {"type": "integer"},
              "lastAccessChangeAt": {"type": ["string", "null"], "format": "date-time"}, "secondFactor": {"type": "boolean"},
              "activeTokens": {"type": "integer"}, "flags": {"type": "array", "items": {"type": "string"}}}}}}}}}}}
      }
    },
    "/api/v1/audit/{seq}/redaction": {
      "post": {
        "summary": "Redact one audit record's values (personal data typed where it does not belong): data managers, with a justification, password and code re-entered; the record stays in the chain, every view shows the redaction note (audited)",
        "parameters": [{"name": "seq", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["justification", "password"],
          "properties": {"justification": {"type": "string", "minLength": 10, "maxLength": 500}, "password": {"type": "string"}, "code": {"type": "string"}}}}}},
        "responses": {"201": {"description": "The record as every reader now sees it", "content": {"application/json": {"schema": {"type": "object"}}}}}
      }
    },
    "/api/v1/export/odm": {
      "get": {
        "summary": "The CDISC ODM 1.3.2 archive (Transactional, Archival) of your sites: study metadata, every value change with its audit record, every signature; subject IDs only (investigators, data managers, auditors)",
        "responses": {"200": {"description": "ODM XML", "content": {"application/xml": {"schema": {"type": "string"}}}}}
      }
    },
    "/api/v1/audit/reviews": {
      "get": {
        "summary": "Signed-off audit-trail reviews, newest first",
        "responses": {"200": {"description": "Sign-offs", "content": {"application/json": {"schema": {"type": "object", "required": ["reviews"],
          "properties": {"reviews": {"type": "array", "items": {"$ref": "#/components/schemas/AuditReviewSignOff"}}}}}}}}
      },
      "post": {
        "summary": "Sign off the review of the audit records a filter selects (data manager, monitor, auditor; password and code re-entered; audited)",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["password"],
          "properties": {"subjectID": {"type": "string"}, "form": {"type": "string"}, "item": {"type": "string"}, "user": {"type": "string"},
            "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"}, "afterSignatureOrLock": {"type": "boolean"},
            "password": {"type": "string"}, "code": {"type": "string"}, "comment": {"type": "string", "maxLength": 2000}}}}}},
        "responses": {"201": {"description": "Signed off", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AuditReviewSignOff"}}}}}
      }
    },
    "/api/v1/audit/verify": {
      "get": {"summary": "Verify the keyed audit chain from the last verified checkpoint and the head witness; optionally replay the trail against the data",
        "parameters": [{"name": "full", "in": "query", "schema": {"type": "boolean", "default": false},
            "description": "Re-check every record from the first instead of from the last verified checkpoint."},
          {"name": "replay", "in": "query", "schema": {"type": "boolean", "default": false},
            "description": "Also compare every stored value with its last audited value."}],
        "responses": {"200": {"description": "intact, or the first broken record; with replay, the differences", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AuditVerification"}}}},
          "422": {"$ref": "#/components/responses/Error"}}}
    }
  }
}
"""#
}
