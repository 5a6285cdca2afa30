import CartaModel
import CartaTrial
@testable import CartaServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The hand-written OpenAPI document matches the routes the server registers.
/// Source: issue 2 §7 ("a hand-checked OpenAPI 3.1 document … that matches the routes (a test compares them)").
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// The served document and the routes `CartaApplication.build` registered.
    func load() async throws -> (doc: JSON, routes: [String], text: String) {
        try await TestServer.run { server, client in
            let r = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(r.status == .ok)
            let doc = try #require(r.json, "the OpenAPI document is not valid JSON")
            return (doc, CartaApplication.build(services: server.services).apiRoutes, r.text)
        }
    }

    @Test func documentIsOpenAPI31AndMatchesTheRoutes() async throws {
        let (doc, routes, _) = try await load()
        #expect(doc["openapi"] == "3.1.0")
        #expect(doc["info"]?["title"]?.string != nil && doc["info"]?["version"]?.string != nil)
        let paths = try #require(doc["paths"]?.object)
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in (item.object ?? [:]).keys where Self.methods.contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        #expect(Set(routes).count == routes.count, "a route is registered twice")
        #expect(documented == Set(routes).union(["GET /api/v1/openapi.json"]),
                "documented only: \(documented.subtracting(routes)); registered only: \(Set(routes).subtracting(documented))")
    }

    // Issue 7 scope 3: the documented reason codes are exactly the coded list the server accepts.
    @Test func changeReasonCodesMatchTheModel() async throws {
        let (doc, _, _) = try await load()
        let codes = try #require(doc["components"]?["schemas"]?["ChangeReason"]?["properties"]?["code"]?["enum"]?.array)
        #expect(codes.compactMap(\.string) == ChangeReason.Code.allCases.map(\.rawValue))
    }

    // OpenAPI 3.1 §4.8.12.1: every template parameter of a path must be declared `in: path`, `required: true`.
    @Test func everyPathParameterIsDeclared() async throws {
        let (doc, _, _) = try await load()
        let paths = try #require(doc["paths"]?.object)
        func resolve(_ p: JSON) -> JSON? {
            guard let ref = p["$ref"]?.string else { return p }
            let name = ref.replacingOccurrences(of: "#/components/parameters/", with: "")
            return doc["components"]?["parameters"]?[name]
        }
        for (path, item) in paths {
            let template = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            let shared = item["parameters"]?.array ?? []
            for (method, operation) in item.object ?? [:] where Self.methods.contains(method) {
                let declared = (shared + (operation["parameters"]?.array ?? [])).compactMap(resolve).filter { $0["in"] == "path" }
                #expect(Set(declared.compactMap { $0["name"]?.string }) == template, "\(method.uppercased()) \(path)")
                #expect(declared.allSatisfy { $0["required"] == true }, "\(method.uppercased()) \(path)")
                #expect(operation["responses"]?.object?.isEmpty == false, "\(method.uppercased()) \(path) has no responses")
            }
        }
    }

    // Every `$ref` in the document points at something that exists.
    @Test func everyReferenceResolves() async throws {
        let (doc, _, _) = try await load()
        func refs(_ v: JSON) -> [String] {
            switch v {
            case .object(let o): return (o["$ref"]?.string.map { [$0] } ?? []) + o.values.flatMap(refs)
            case .array(let a): return a.flatMap(refs)
            default: return []
            }
        }
        for ref in Set(refs(doc)) {
            let parts = ref.hasPrefix("#/") ? ref.dropFirst(2).split(separator: "/").map(String.init) : []
            var node: JSON? = doc
            for part in parts { node = node?[part] }
            #expect(!parts.isEmpty && node != nil, "unresolved $ref \(ref)")
        }
    }

    // The document validates against the OpenAPI 3.1 schema (python `openapi-spec-validator`).
    @Test func documentPassesOpenAPISpecValidator() async throws {
        let (_, _, text) = try await load()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("openapi.json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let child = try ChildProcess("/usr/bin/env", [ProcessInfo.processInfo.environment["PYTHON"] ?? "python3", "-m", "openapi_spec_validator", file.path],
                                     environment: ProcessInfo.processInfo.environment)
        try child.stdin.close()
        let errors = ErrorReader(child.stderr)
        let output = String(decoding: child.stdout.readDataToEndOfFile() + errors.wait(), as: UTF8.self)
        #expect(child.waitForExit() == 0,
                "openapi-spec-validator failed (install it with `pip install openapi-spec-validator` if missing): \(output)")
    }
}

/// The document lists the error answers the server gives (issue 7: schemathesis found 23 undocumented ones).
@Suite struct OpenAPIErrorAnswersTests {
    static func responses(_ path: String, _ method: String) throws -> Set<String> {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(root["paths"] as? [String: Any])
        let op = try #require((paths[path] as? [String: Any])?[method] as? [String: Any], "\(method) \(path)")
        return Set(try #require(op["responses"] as? [String: Any]).keys)
    }

    @Test func errorAnswersAreDocumented() throws {
        #expect(try Self.responses("/api/v1/participants", "post").isSuperset(of: ["201", "400", "401", "415", "422"]))
        #expect(try Self.responses("/api/v1/participants/{subjectID}", "get").isSuperset(of: ["200", "400", "401", "404"]))
        #expect(try Self.responses("/api/v1/participants/{subjectID}/enrolment", "post").isSuperset(of: ["400", "401", "404", "409", "415", "422"]))
        #expect(try Self.responses("/api/v1/tokens", "post").isSuperset(of: ["201", "401", "415", "422", "429"]))
        #expect(try !Self.responses("/api/v1/openapi.json", "get").contains("401"), "the document itself is public")
    }
}
