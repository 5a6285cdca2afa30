import Foundation

extension OpenAPIDocument {
    /// The document served: `base` with the error answers the server really gives added to every
    /// operation that does not list them, built once at start-up.
    ///
    /// Every operation can answer 400 (`bad_path`, a non-canonical path); authenticated ones 401;
    /// ones with path parameters 404; ones with a body or query 422, and with a body 415; writes on a
    /// participant 409 (stale version, wrong state); the token route 429 (`account_locked`).
    /// Source: issue 7 ("the OpenAPI document omits the 401/404/422 answers the server really gives");
    /// OpenAPI 3.1 §4.8.16 (Responses Object).
    static let json: String = {
        guard var root = (try? JSONSerialization.jsonObject(with: Data(base.utf8))) as? [String: Any],
              var paths = root["paths"] as? [String: Any] else { return base }
        func error(_ description: String) -> [String: Any] {
            ["description": description, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
        }
        for (path, value) in paths {
            guard var operations = value as? [String: Any] else { continue }
            for (method, opValue) in operations {
                guard var op = opValue as? [String: Any], var responses = op["responses"] as? [String: Any] else { continue }
                let hasBody = op["requestBody"] != nil
                let hasQuery = ((op["parameters"] as? [[String: Any]]) ?? []).contains { $0["in"] as? String == "query" }
                let isPublic = (op["security"] as? [Any])?.isEmpty == true
                var add: [String: String] = ["400": "The path is not canonical (`bad_path`)."]
                if !isPublic || path == "/api/v1/tokens" { add["401"] = "Not signed in, or the token is unknown or expired." }
                if path.contains("{") { add["404"] = "No such participant or form." }
                if hasBody || hasQuery { add["422"] = "Invalid input; `field` names the value at fault." }
                if hasBody { add["415"] = "The body is not `application/json` (`unsupported_media_type`)." }
                if path.hasPrefix("/api/v1/participants/{subjectID}/"), method != "get" {
                    add["409"] = "Someone changed the participant first, or its state does not allow this."
                }
                if path == "/api/v1/tokens" { add["429"] = "Too many failed sign-ins: the account is locked (`account_locked`)." }
                for (code, text) in add where responses[code] == nil { responses[code] = error(text) }
                op["responses"] = responses
                operations[method] = op
            }
            paths[path] = operations
        }
        root["paths"] = paths
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]) else { return base }
        return String(decoding: data, as: UTF8.self)
    }()
}
