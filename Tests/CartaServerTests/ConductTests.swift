import CartaCore
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Dates and entries for the trial-conduct tests, counted from the site's today (enrolment is stamped
/// with the real clock, so the chain after it must not lie before it).
enum ConductData {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static var siteToday: ClinicalDate { SiteClock.localDate(of: Date(), in: zone) }

    static func apheresis(_ d: ClinicalDate) -> [String: Entry] {
        ["APH_DATE": Entry(value: d.description), "APH_VOLUME": Entry(value: "180", unit: "mL"), "APH_CD3_YIELD": Entry(value: "4.2", unit: "10*9")]
    }
    static func product(_ d: ClinicalDate, released: String = "Y") -> [String: Entry] {
        ["LOT_ID": Entry(value: "LOT-0042"), "VIABILITY": Entry(value: "92", unit: "%"), "CAR_POSITIVE": Entry(value: "41", unit: "%"),
         "TOTAL_CELLS": Entry(value: "1500", unit: "10*6"), "STERILITY": Entry(value: "NEG"), "ENDOTOXIN": Entry(value: "0.5", unit: "[EU]/mL"),
         "RELEASE_DATE": Entry(value: d.description), "RELEASED": Entry(value: released),
         "BAG_1": Entry(value: "BCRITP-001-B1"), "BAG_2": Entry(value: "BCRITP-001-B2"), "BAG_3": Entry(value: "BCRITP-001-B3")]
    }
    static func lymphodepletion(_ d: ClinicalDate) -> [String: Entry] {
        ["LD_DATE": Entry(value: d.description), "FLU_PRESCRIBED": Entry(value: "55", unit: "mg"), "FLU_GIVEN": Entry(value: "55", unit: "mg"),
         "CY_PRESCRIBED": Entry(value: "550", unit: "mg"), "CY_GIVEN": Entry(value: "550", unit: "mg")]
    }
    static func infusion(_ d: ClinicalDate, fraction: Int, bag: String) -> [String: Entry] {
        ["INF_DATE": Entry(value: d.description), "FRACTION": Entry(value: "\(fraction)"), "INF_BAG": Entry(value: bag),
         "INF_CELLS": Entry(value: "60", unit: "10*6")]
    }
}

/// Trial conduct through the JSON API on both engines: the product chain in the order of events
/// (standards.md R-OS-1), the chain of identity of the bags, Day 0 from the first fraction, and the
/// calendar with its statuses and deviations (issue 8 scope 2–5, 8).
@Suite("Trial conduct")
struct ConductTests {
    /// PUT one visit form; returns the response.
    static func put(_ client: some TestClientProtocol, _ token: String?, _ p: SubjectID, _ visit: String, _ form: String,
                    _ items: [String: Entry], version: Int, reason: String? = nil) async throws -> TestResponse {
        try await client.api(.put, "/api/v1/participants/\(p)/visits/\(visit)/forms/\(form)", token: token,
                             json: ScreeningData.formBody(version: version, items: items, reason: reason))
    }

    static func version(_ r: TestResponse) -> Int { Int(r.json?["participant"]?["version"]?.number ?? -1) }

    @Test(arguments: TestDatabase.engines)
    func eachStepNeedsTheOneBefore(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let base = ConductData.siteToday
            let token = try await client.token(.coordinator)
            var p = try await server.signedEligibleParticipant()
            let id = p.subjectID
            /// Refused as out of order, naming `fragment`, with nothing written.
            func refused(_ visit: String, _ form: String, _ items: [String: Entry], _ fragment: String,
                         field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let before = try await server.snapshot()
                let r = try await Self.put(client, token, id, visit, form, items, version: p.version)
                expectErrorShape(r, .conflict, code: "out_of_order", field: field, sourceLocation: sourceLocation)
                #expect(r.text.contains(fragment), "\(r.text)", sourceLocation: sourceLocation)
                #expect(try await server.snapshot() == before, sourceLocation: sourceLocation)
            }
            func saved(_ visit: String, _ form: String, _ items: [String: Entry], reason: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestResponse {
                let r = try await Self.put(client, token, id, visit, form, items, version: p.version, reason: reason)
                #expect(r.status == .ok, "\(r.text)", sourceLocation: sourceLocation)
                p.version = Self.version(r)
                return r
            }
            try await refused("APH", "F_APHERESIS", ConductData.apheresis(base), "recorded only after enrolment")
            p = try await server.enrol(p)
            try await refused("PROD", "F_PRODUCT", ConductData.product(base.adding(days: 9)), "no apheresis is recorded")
            try await refused("APH", "F_APHERESIS", ConductData.apheresis(base.adding(days: -1)), "before enrolment")
            _ = try await saved("APH", "F_APHERESIS", ConductData.apheresis(base))
            try await refused("LD1", "F_LD_ADMIN", ConductData.lymphodepletion(base.adding(days: 10)), "the product is not released")
            _ = try await saved("PROD", "F_PRODUCT", ConductData.product(base.adding(days: 9), released: "N"))
            try await refused("LD1", "F_LD_ADMIN", ConductData.lymphodepletion(base.adding(days: 10)), "the product is not released")
            _ = try await saved("PROD", "F_PRODUCT", ["RELEASED": Entry(value: "Y")], reason: "new_information: QP released the lot")
            try await refused("LD2", "F_LD_ADMIN", ConductData.lymphodepletion(base.adding(days: 11)), "Lymphodepletion day −5 (LD1) is not recorded yet")
            try await refused("LD1", "F_LD_ADMIN", ConductData.lymphodepletion(base.adding(days: 8)), "before the product's release")
            try await refused("D0", "F_INFUSION", ConductData.infusion(base.adding(days: 15), fraction: 1, bag: "BCRITP-001-B1"),
                              "lymphodepletion is not complete: Lymphodepletion day −5 (LD1) is not recorded")
            for (i, visit) in ["LD1", "LD2", "LD3"].enumerated() {
                _ = try await saved(visit, "F_LD_ADMIN", ConductData.lymphodepletion(base.adding(days: 10 + i)))
            }
            try await refused("D1", "F_VISIT", ["VISIT_DATE": Entry(value: base.adding(days: 16).description)], "Day 0 is not fixed")
            try await refused("D0", "F_INFUSION", ConductData.infusion(base.adding(days: 13), fraction: 1, bag: "BCRITP-001-B1"),
                              "1 day after the last lymphodepletion dose")
            try await refused("D0", "F_INFUSION", ConductData.infusion(base.adding(days: 15), fraction: 1, bag: "BCRITP-002-B1"),
                              "is not one of BCRITP-001's bags", field: "item.INF_BAG")
            try await refused("D1", "F_INFUSION", ConductData.infusion(base.adding(days: 16), fraction: 2, bag: "BCRITP-001-B2"),
                              "fraction 1 is not recorded")
            let first = try await saved("D0", "F_INFUSION", ConductData.infusion(base.adding(days: 15), fraction: 1, bag: "BCRITP-001-B1"))
            #expect(first.json?["warnings"]?.object?.isEmpty == true)
            try await refused("D1", "F_INFUSION", ConductData.infusion(base.adding(days: 16), fraction: 2, bag: "BCRITP-001-B1"),
                              "already infused as fraction 1")
            _ = try await saved("D1", "F_INFUSION", ConductData.infusion(base.adding(days: 16), fraction: 2, bag: "BCRITP-001-B2"))
            _ = try await saved("D1", "F_VISIT", ["VISIT_DATE": Entry(value: base.adding(days: 16).description)])
            // A form the visit does not collect names the ones it does.
            let wrong = try await Self.put(client, token, id, "D3", "F_PRODUCT", ConductData.product(base), version: p.version)
            expectErrorShape(wrong, .unprocessableContent, code: "invalid_input", field: "form")
            #expect(wrong.text.contains("its forms are F_VISIT, F_LAB_HEM"))

            let course = try await client.api(.get, "/api/v1/participants/\(id)/calendar", token: token)
            #expect(course.status == .ok, "\(course.text)")
            let json = try #require(course.json)
            #expect(json["dayZero"]?.string == base.adding(days: 15).description)
            #expect(json["provisional"] == .bool(false))
            let visits = try #require(json["visits"]?.array)
            let m1 = try #require(visits.first { $0["id"]?.string == "M1" })
            #expect(m1["nominalDate"]?.string == base.adding(days: 15 + 28).description)
            #expect(visits.first { $0["id"]?.string == "LD3" }?["status"]?.string == "done")
            #expect(json["chain"]?["lot"]?.string == "LOT-0042")
            #expect(json["chain"]?["infusions"]?.array?.count == 2)
            // Nothing of this can be entered through the screening route any more.
            let screeningRoute = try await client.api(.put, "/api/v1/participants/\(id)/forms/F_INFUSION", token: token,
                                                      json: ScreeningData.formBody(version: p.version, items: [:]))
            expectErrorShape(screeningRoute, .conflict, code: "invalid_state")
        }
    }

    /// The calendar three weeks after Day 0 with a missed daily assessment, a visit a day late and a
    /// late first infusion (warned at entry): each raised as a deviation with its rule.
    @Test(arguments: TestDatabase.engines)
    func calendarAndDeviations(engine: DatabaseEngine) async throws {
        let base = ConductData.siteToday
        let day0 = base.adding(days: 21)
        // The site's clock reads Day 21 (noon, site time); enrolment is stamped with the real clock.
        let d21 = Date(timeIntervalSince1970: Double(day0.adding(days: 21).dayNumber) * 86_400 + 4 * 3600)
        try await TestServer.run(engine, instant: { d21 }) { server, client in
            let coordinator = try await server.principal(.coordinator)
            var p = try await server.enrol(try await server.signedEligibleParticipant())
            func save(_ visit: String, _ form: String, _ items: [String: Entry]) async throws -> [String: [String]] {
                let r = try await server.services.runtime.conduct.saveVisitForms(
                    subjectID: p.subjectID, visitID: visit,
                    forms: [form: items.mapValues { ScreeningService.RawEntry(value: $0.value, unit: $0.unit, lowerLimitNormal: nil, upperLimitNormal: nil) }],
                    expectedVersion: p.version, by: coordinator)
                p = r.participant
                return r.warnings
            }
            _ = try await save("APH", "F_APHERESIS", ConductData.apheresis(base))
            _ = try await save("PROD", "F_PRODUCT", ConductData.product(base.adding(days: 9)))
            for (i, visit) in ["LD1", "LD2", "LD3"].enumerated() {
                _ = try await save(visit, "F_LD_ADMIN", ConductData.lymphodepletion(base.adding(days: 10 + i)))
            }
            // Last LD on base+12, first infusion on base+21: 9 days, more than the 7 allowed.
            let warnings = try await save("D0", "F_INFUSION", ConductData.infusion(day0, fraction: 1, bag: "BCRITP-001-B1"))
            #expect(warnings["order"]?.first?.contains("9 days after the last lymphodepletion dose") == true, "\(warnings)")
            for d in 1...14 where d != 5 {
                _ = try await save("D\(d)", "F_VISIT", ["VISIT_DATE": Entry(value: day0.adding(days: d == 7 ? 8 : d).description)])
            }
            let token = try await client.token(.monitor)
            let r = try await client.api(.get, "/api/v1/participants/\(p.subjectID)/calendar", token: token)
            let json = try #require(r.json)
            // Screening is dated by the consent date of the fixture (fixed), so its window depends on the day the test runs.
            let deviations = try #require(json["deviations"]?.array).filter { $0["visitID"]?.string != "SCR" }
                .map { "\($0["rule"]?.string ?? "") \($0["visitID"]?.string ?? "")" }
            #expect(try #require(json["visits"]?.array).first { $0["id"]?.string == "SCR" }?["doneOn"]?.string == "2026-11-02")
            #expect(deviations == ["dosing.dose_off_schedule LD1", "dosing.dose_off_schedule LD2", "dosing.dose_off_schedule LD3",
                                   "schedule.daily_assessment_missed D5", "schedule.visit_out_of_window D7",
                                   "dosing.infusion_interval_exceeded D0"], "\(r.text)")
            let status = Dictionary(uniqueKeysWithValues: try #require(json["visits"]?.array).map { ($0["id"]?.string ?? "", $0["status"]?.string ?? "") })
            #expect(status["D4"] == "done" && status["D5"] == "missed" && status["D7"] == "out_of_window")
            #expect(status["D21"] == "due" && status["M1"] == "planned")
        }
    }
}
