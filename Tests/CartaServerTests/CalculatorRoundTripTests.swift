import CartaTrial
import CartaCore
import CartaServer
import CartaTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// One malformed calculator input and the field its error must name.
struct MalformedInput: Sendable, CustomTestStringConvertible {
    let label: String
    let calculator: String
    let json: String
    let field: String
    var testDescription: String { label }

    // Issue 3 "Tests": missing fields, wrong units, negative weights, dates out of order, unknown drug
    // → exit 1 / HTTP 422 with a message naming the field; plus unknown calculator and malformed JSON.
    static let all: [MalformedInput] = [
        .init(label: "missing field", calculator: "bsa", json: #"{"heightCm": 170}"#, field: "weightKg"),
        .init(label: "wrong unit", calculator: "ctcae",
              json: #"{"term": "creatinineIncreased", "value": 95, "unit": "furlongs", "upperLimitNormal": 97}"#, field: "unit"),
        .init(label: "negative weight", calculator: "bsa", json: #"{"weightKg": -70, "heightCm": 170}"#, field: "weightKg"),
        .init(label: "dates out of order", calculator: "icaht",
              json: #"{"day0Date": "2022-03-01", "ancCounts": [{"date": "2022-03-05", "value": 1, "unit": "10*9/L"}, {"date": "2022-03-03", "value": 1, "unit": "10*9/L"}], "plateletCounts": []}"#,
              field: "ancCounts[1].date"),
        .init(label: "unknown drug", calculator: "conmed-reduction",
              json: #"{"day0Date": "2024-01-10", "drugs": [{"drug": "unobtainium", "doseUnit": "mg/day", "doses": [{"startDate": "2023-11-15", "endDate": "2024-01-31", "dose": 1.5}]}]}"#,
              field: "drugs[0].drug"),
        .init(label: "wrong JSON type", calculator: "bsa", json: #"{"weightKg": "seventy", "heightCm": 170}"#, field: "weightKg"),
        .init(label: "unknown calculator", calculator: "no-such-calculator", json: "{}", field: "calculator"),
    ]
}

/// Every calculator's documented example through the API and the CLI; malformed input refused.
/// Source: issue 3 "Tests" (round trips through the CLI and the API) and §"Done when".
@Suite("Calculator round trips")
struct CalculatorRoundTripTests {
    static let names = CalculatorRegistry.all.map(\.name)

    @Test(arguments: names)
    func documentedExampleThroughTheAPIAndTheCLI(name: String) async throws {
        let example = try CalculatorDocExample.load(name)
        let expected = try #require(JSON(data: Data(example.output.utf8)), "\(name): the documented output is not JSON")
        try await TestServer.run { _, client in
            let token = try await client.token(.monitor)
            let r = try await client.api(.post, "/api/v1/compute/\(name)", token: token, raw: example.input)
            #expect(r.status == .ok, "\(name): \(r.text.prefix(500))")
            #expect(r.json == expected, "\(name): API output differs from the document")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-calc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("\(name).json")
        try Data(example.input.utf8).write(to: file)
        let fromFile = try CLI.run(["compute", name, file.path])
        #expect(fromFile.status == 0, "\(name): \(fromFile.stderr)")
        #expect(JSON(data: Data(fromFile.stdout.utf8)) == expected, "\(name): CLI (file) output differs from the document")
        let fromStdin = try CLI.run(["compute", name], stdin: example.input)
        #expect(fromStdin.status == 0, "\(name): \(fromStdin.stderr)")
        #expect(JSON(data: Data(fromStdin.stdout.utf8)) == expected, "\(name): CLI (stdin) output differs from the document")
    }

    @Test(arguments: MalformedInput.all)
    func malformedInputNamesTheField(bad: MalformedInput) async throws {
        try await TestServer.run { _, client in
            let token = try await client.token(.coordinator)
            let r = try await client.api(.post, "/api/v1/compute/\(bad.calculator)", token: token, raw: bad.json)
            expectErrorShape(r, .unprocessableContent, field: bad.field)
            #expect(r.json?["error"]?["message"]?.string?.contains(bad.field) == true, "\(r.text)")
        }
        let cli = try CLI.run(["compute", bad.calculator], stdin: bad.json)
        #expect(cli.status == 1, "\(bad.label): exit \(cli.status)")
        #expect(cli.stderr.contains(bad.field), "\(bad.label): \(cli.stderr)")
        #expect(cli.stdout.isEmpty)
    }

    // DESIGN.md §3: invalid input → exit 1 (malformed JSON), usage errors → exit 2.
    @Test func malformedJSONAndUsageErrors() async throws {
        try await TestServer.run { _, client in
            let r = try await client.api(.post, "/api/v1/compute/bsa", token: try await client.token(.coordinator), raw: #"{"weightKg": "#)
            expectErrorShape(r, .unprocessableContent)
            let anonymous = try await client.api(.post, "/api/v1/compute/bsa", raw: #"{"weightKg": 70, "heightCm": 170}"#)
            expectErrorShape(anonymous, .unauthorized)
            let list = try await client.api(.get, "/api/v1/compute", token: try await client.token(.monitor))
            #expect(list.json?.array?.compactMap { $0["name"]?.string } == Self.names)
        }
        let malformed = try CLI.run(["compute", "bsa"], stdin: #"{"weightKg": "#)
        #expect(malformed.status == 1)
        #expect(malformed.stderr.contains("JSON"))
        let missingName = try CLI.run(["compute"])
        #expect(missingName.status == 2, "\(missingName.stderr)")
        let unknownOption = try CLI.run(["compute", "bsa", "--frobnicate"])
        #expect(unknownOption.status == 2, "\(unknownOption.stderr)")
        let missingFile = try CLI.run(["compute", "bsa", "/nonexistent/input.json"])
        #expect(missingFile.status == 1)
        #expect(missingFile.stderr.contains("/nonexistent/input.json"))
    }
}
