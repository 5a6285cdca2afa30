import CartaCore
import CartaModel
import CartaServer
import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// Laboratory reference ranges held once per site and laboratory, with the dates they apply from (issue 8
/// scope 11): a lab value entered without limits takes the range in force on its visit's date, converted to
/// the unit it is entered in; limits typed from the report win; the page shows the range and pre-selects the
/// laboratory's unit; the study file refuses ranges that cannot apply.
@Suite("Laboratory reference ranges")
struct ReferenceRangeTests {
    /// The built-in study whose site keeps a central laboratory: haemoglobin 115–150 g/L, then 120–160 g/L
    /// from 2026-11-10 (after the test consent date 2026-11-02); platelets 125–350 ×10⁹/L.
    static func study(laboratories: String? = nil) throws -> Study {
        let yaml = try BuiltInStudy.yamlText()
        let anchor = "    timeZone: Asia/Shanghai\n"
        let range = try #require(yaml.range(of: anchor))
        let labs = laboratories ?? """
                laboratories:
                  - id: CENTRAL
                    name: Central laboratory
                    ranges:
                      - {item: HGB, unit: g/L, lln: 115, uln: 150, from: 2020-01-01}
                      - {item: HGB, unit: g/L, lln: 120, uln: 160, from: 2026-11-10}
                      - {item: PLT, unit: 10*9/L, lln: 125, uln: 350, from: 2020-01-01}

            """
        return try StudyLoader.load(yaml: yaml.replacingCharacters(in: range, with: anchor + labs))
    }

    @Test(arguments: TestDatabase.engines)
    func blankLimitsTakeTheSiteRangeInForce(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine, study: try Self.study()) { server, _ in
            let coordinator = try await server.principal(.coordinator)
            var p = try await server.register()
            func save(_ items: [String: RawEntry], reason: ChangeReason? = nil) async throws {
                p = try await server.services.screening.saveForms(
                    subjectID: p.subjectID, forms: ["F_CONSENT": ["CONSENT_DATE": .init(value: "2026-11-02")], "F_LAB_HEM": items],
                    expectedVersion: p.version, reason: reason, by: coordinator).participant
            }
            func stored(_ oid: String) async throws -> MeasuredValue? {
                try await server.services.screening.file(p.subjectID, by: coordinator).values.first { $0.address.itemOID.rawValue == oid }?.value
            }
            // Blank limits: the range in force on the consent date (not the newer one); typed limits win.
            try await save(["HGB": .init(value: "95", unit: "g/L"), "PLT": .init(value: "25", unit: "10*9/L", lowerLimitNormal: "150", upperLimitNormal: "400")])
            var hgb = try #require(try await stored("HGB"))
            #expect(hgb.lowerLimitNormal == 115 && hgb.upperLimitNormal == 150)
            let plt = try #require(try await stored("PLT"))
            #expect(plt.lowerLimitNormal == 150 && plt.upperLimitNormal == 400)
            // Entered in another unit: the limits are converted to it.
            try await save(["HGB": .init(value: "9.4", unit: "g/dL")], reason: ChangeReason(code: .transcriptionError, text: ""))
            hgb = try #require(try await stored("HGB"))
            #expect(hgb.unit == "g/dL" && hgb.lowerLimitNormal == 11.5 && hgb.upperLimitNormal == 15)
            // A visit after the newer range: that range.
            p = try await server.infusedParticipant("Grace Hopper")
            let d21 = ConductData.siteToday.adding(days: 15 + 21)
            p = try await server.saveVisit(p, "D21", ["F_VISIT": ["VISIT_DATE": Entry(value: d21.description)],
                                                      "F_LAB_HEM": ["HGB": Entry(value: "100", unit: "g/L")]], by: coordinator)
            let later = try await server.services.screening.file(p.subjectID, by: coordinator).values
                .first { $0.address.eventOID.rawValue == "D21" && $0.address.itemOID.rawValue == "HGB" }?.value
            #expect(later?.lowerLimitNormal == 120 && later?.upperLimitNormal == 160)
        }
    }

    @Test func thePageShowsTheRangeAndTheLaboratorysUnit() async throws {
        try await TestServer.run(.sqlite, study: try Self.study()) { server, client in
            let coordinator = try await server.principal(.coordinator)
            let p = try await server.register()
            _ = try await server.services.screening.saveForms(subjectID: p.subjectID, forms: ["F_CONSENT": ["CONSENT_DATE": .init(value: "2026-11-02")]],
                                                              expectedVersion: p.version, by: coordinator)
            let session = try await client.webSignIn(.coordinator, server: server)
            let page = try await client.webGet("/participants/\(p.subjectID)", session: session).text
            #expect(page.contains("id=\"labrange-HGB\" class=\"field__hint item__lab-range\">Site laboratory: 115–150 g/L (Central laboratory, from 2020-01-01)"))
            #expect(page.contains("id=\"lln-HGB\" name=\"lln.HGB\" type=\"text\" inputmode=\"decimal\" value=\"\" placeholder=\"115\""))
            #expect(page.contains("id=\"uln-PLT\" name=\"uln.PLT\" type=\"text\" inputmode=\"decimal\" value=\"\" placeholder=\"350\""))
            // Items the laboratory keeps no range for say nothing.
            #expect(!page.contains("id=\"labrange-ANC\""))
        }
    }

    /// A site with two laboratories: the first by default; a value names the one that measured it (API, web, CLI
    /// share the entry's `laboratory`), whose range then fills blank limits; an unknown laboratory is refused by
    /// name with the site's list; the page offers the choice on lab forms only and shows the chosen one's range.
    static let twoLaboratories = """
            laboratories:
              - id: CENTRAL
                name: Central laboratory
                ranges:
                  - {item: HGB, unit: g/L, lln: 115, uln: 150, from: 2020-01-01}
              - id: EMERGENCY
                name: Emergency laboratory
                ranges:
                  - {item: HGB, unit: g/L, lln: 110, uln: 155, from: 2020-01-01}

        """

    @Test(arguments: TestDatabase.engines)
    func aValueNamesTheLaboratoryThatMeasuredIt(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine, study: try Self.study(laboratories: Self.twoLaboratories)) { server, client in
            let coordinator = try await server.principal(.coordinator)
            var p = try await server.register()
            func save(_ hgb: RawEntry, reason: ChangeReason? = nil) async throws {
                p = try await server.services.screening.saveForms(
                    subjectID: p.subjectID, forms: ["F_CONSENT": ["CONSENT_DATE": .init(value: "2026-11-02")], "F_LAB_HEM": ["HGB": hgb]],
                    expectedVersion: p.version, reason: reason, by: coordinator).participant
            }
            func storedHGB() async throws -> MeasuredValue? {
                try await server.services.screening.file(p.subjectID, by: coordinator).values.first { $0.address.itemOID.rawValue == "HGB" }?.value
            }
            try await save(.init(value: "95", unit: "g/L"))
            #expect(try await storedHGB()?.lowerLimitNormal == 115)
            try await save(.init(value: "96", unit: "g/L", laboratory: "EMERGENCY"), reason: ChangeReason(code: .newInformation, text: "repeat"))
            let emergency = try await storedHGB()
            #expect(emergency?.lowerLimitNormal == 110 && emergency?.upperLimitNormal == 155)
            // An unknown laboratory: refused by name, nothing written.
            let before = try await server.snapshot()
            let refused = await #expect(throws: WorkflowError.self) {
                try await save(.init(value: "97", unit: "g/L", laboratory: "NOWHERE"), reason: ChangeReason(code: .newInformation, text: "again"))
            }
            let field = try #require(refused?.fields.first)
            #expect(field.field == "laboratory.F_LAB_HEM" && field.message.contains("\"NOWHERE\" is not one of the site's laboratories (CENTRAL — Central laboratory, EMERGENCY — Emergency laboratory)"), "\(field)")
            #expect(try await server.snapshot() == before)
            // The web form: the choice on the lab form only, the chosen laboratory's range shown after a refused save.
            let session = try await client.webSignIn(.coordinator, server: server)
            let page = try await client.webGet("/participants/\(p.subjectID)", session: session).text
            #expect(page.contains("<select id=\"laboratory-F_LAB_HEM\" name=\"laboratory.F_LAB_HEM\""))
            #expect(page.contains("<option value=\"CENTRAL\" selected>Central laboratory</option><option value=\"EMERGENCY\">Emergency laboratory</option>"))
            #expect(!page.contains("id=\"laboratory-F_CONSENT\""))
            let web = try await client.webPost("/participants/\(p.subjectID)/screening", session: session, fields: [
                ("item.HGB", "99"), ("unit.HGB", "g/L"), ("laboratory.F_LAB_HEM", "EMERGENCY"), ("version", "\(p.version)")])
            // No reason for change given: refused, and the page keeps the laboratory chosen with its range.
            #expect(web.status == .unprocessableContent)
            #expect(web.text.contains("<option value=\"EMERGENCY\" selected>Emergency laboratory</option>"))
            #expect(web.text.contains("Site laboratory: 110–155 g/L (Emergency laboratory, from 2020-01-01)"))
        }
    }

    @Test(arguments: [
        ("      - {item: NOPE, unit: g/L, lln: 1, from: 2020-01-01}", "no form has an item \"NOPE\""),
        ("      - {item: WEIGHT, unit: kg, lln: 1, from: 2020-01-01}", "WEIGHT does not collect a reference range"),
        ("      - {item: HGB, unit: mg, lln: 1, from: 2020-01-01}", "HGB is not entered in \"mg\""),
        ("      - {item: HGB, unit: g/L, lln: 160, uln: 120, from: 2020-01-01}", "160.0 is above uln 120.0"),
        ("      - {item: HGB, unit: g/L, from: 2020-01-01}", "give lln, uln or both"),
        ("      - {item: HGB, unit: g/L, lln: 1, from: 2020-13-01}", "must be a date YYYY-MM-DD"),
    ] as [(String, String)])
    func theStudyFileRefusesRangesThatCannotApply(line: String, problem: String) throws {
        let labs = "    laboratories:\n      - id: L\n        name: Lab\n        ranges:\n  " + line + "\n"
        do {
            _ = try Self.study(laboratories: labs)
            Issue.record("accepted: \(line)")
        } catch let e as StudyFileError {
            #expect(e.problems.contains { $0.message.contains(problem) }, "\(e.problems.map(\.message))")
        }
    }
}
