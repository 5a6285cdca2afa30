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
    static func product(_ d: ClinicalDate, released: String = "Y", bagPrefix: String = "BCRITP-001") -> [String: Entry] {
        ["LOT_ID": Entry(value: "LOT-0042"), "VIABILITY": Entry(value: "92", unit: "%"), "CAR_POSITIVE": Entry(value: "41", unit: "%"),
         "TOTAL_CELLS": Entry(value: "1500", unit: "10*6"), "STERILITY": Entry(value: "NEG"), "ENDOTOXIN": Entry(value: "0.5", unit: "[EU]/mL"),
         "RELEASE_DATE": Entry(value: d.description), "RELEASED": Entry(value: released),
         "BAG_1": Entry(value: "\(bagPrefix)-B1"), "BAG_2": Entry(value: "\(bagPrefix)-B2"), "BAG_3": Entry(value: "\(bagPrefix)-B3")]
    }
    static func lymphodepletion(_ d: ClinicalDate) -> [String: Entry] {
        ["LD_DATE": Entry(value: d.description), "FLU_PRESCRIBED": Entry(value: "55", unit: "mg"), "FLU_GIVEN": Entry(value: "55", unit: "mg"),
         "CY_PRESCRIBED": Entry(value: "550", unit: "mg"), "CY_GIVEN": Entry(value: "550", unit: "mg")]
    }
    /// CRS signs: fever only (grade 1) by default; `hypotension` without vasopressors makes it grade 2.
    static func crs(temperature: String = "38.6", hypotension: Bool = false) -> [String: Entry] {
        ["CRS_TMAX": Entry(value: temperature, unit: "Cel"), "CRS_FEVER_MASKED": Entry(value: "false"),
         "CRS_HYPOTENSION": Entry(value: hypotension ? "true" : "false"), "CRS_VASOPRESSORS": Entry(value: "0"),
         "CRS_O2_DEVICE": Entry(value: "roomAir")]
    }
    /// A normal ICANS assessment (ICE 10/10, alert, no other finding) unless `iceCorrect` is lower.
    static func icans(iceCorrect: Int = 10) -> [String: Entry] {
        var out: [String: Entry] = ["ICANS_CONSCIOUSNESS": Entry(value: "alert"), "ICANS_SEIZURE": Entry(value: "none"),
                                    "ICANS_MOTOR": Entry(value: "false"), "ICANS_EDEMA": Entry(value: "none"), "ICANS_ICP_SIGNS": Entry(value: "false")]
        for (i, oid) in ["ICE_YEAR", "ICE_MONTH", "ICE_CITY", "ICE_HOSPITAL", "ICE_OBJECT1", "ICE_OBJECT2", "ICE_OBJECT3",
                         "ICE_COMMANDS", "ICE_WRITING", "ICE_ATTENTION"].enumerated() {
            out[oid] = Entry(value: i < iceCorrect ? "true" : "false")
        }
        return out
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
            // Without a verified dose calculation lymphodepletion is refused (spec §6.5).
            try await refused("LD1", "F_LD_ADMIN", ConductData.lymphodepletion(base.adding(days: 10)), "no dose calculation is recorded")
            p = try await server.verifiedDoses(p)
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
            // No order warning (the fixture's dates lie after the real today, which is warned about on each date item).
            #expect(first.json?["warnings"]?["order"] == nil, "\(first.text)")
            try await refused("D1", "F_INFUSION", ConductData.infusion(base.adding(days: 16), fraction: 2, bag: "BCRITP-001-B1"),
                              "already infused as fraction 1")
            _ = try await saved("D1", "F_VISIT", ["VISIT_DATE": Entry(value: base.adding(days: 16).description)])
            _ = try await saved("D1", "F_CRS", ConductData.crs(temperature: "37.1"))
            _ = try await saved("D1", "F_ICANS", ConductData.icans())
            _ = try await saved("D1", "F_INFUSION", ConductData.infusion(base.adding(days: 16), fraction: 2, bag: "BCRITP-001-B2"))
            // Visit data before the visit's date name the item to enter, not only its form.
            try await refused("D2", "F_CRS", ConductData.crs(temperature: "37.0"),
                              "the visit has no date yet; enter Visit date (form Visit, F_VISIT.VISIT_DATE) first or with these data.")
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

    /// A low neutrophil count after the first infusion is the expected course: the study file's `softRangeSkips` spares it the
    /// entry warning as it spares it the query; a low haemoglobin on the same form is still warned.
    @Test func expectedCytopeniaIsNotWarnedAtEntry() async throws {
        try await TestServer.run { server, _ in
            let p = try await server.infusedParticipant()
            let r = try await server.services.runtime.conduct.saveVisitForms(
                subjectID: p.subjectID, visitID: "D4",
                forms: ["F_VISIT": ["VISIT_DATE": .init(value: ConductData.siteToday.adding(days: 19).description)],
                        "F_LAB_HEM": ["ANC": .init(value: "0.3", unit: "10*9/L", lowerLimitNormal: "1.8", upperLimitNormal: "7.7"),
                                      "HGB": .init(value: "40", unit: "g/L", lowerLimitNormal: "115", upperLimitNormal: "150")]],
                expectedVersion: p.version, by: try await server.principal(.coordinator))
            #expect(r.warnings["ANC"] == nil && r.warnings["HGB"]?.first?.contains("outside the expected range") == true, "\(r.warnings)")
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
            p = try await server.verifiedDoses(p)
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

/// The CRS/ICANS hold rule before later fractions (spec §6.4) with grades computed from raw signs.
@Suite("CAR-T hold rule")
struct HoldRuleTests {
    @Test(arguments: TestDatabase.engines)
    func laterFractionsFollowTheLatestGrades(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, _ in
            let base = ConductData.siteToday
            let coordinator = try await server.principal(.coordinator), investigator = try await server.principal(.investigator)
            var p = try await server.enrol(try await server.signedEligibleParticipant())
            func save(_ visit: String, _ forms: [String: [String: Entry]], by who: Principal? = nil) async throws -> [String: [String]] {
                let r = try await server.services.runtime.conduct.saveVisitForms(
                    subjectID: p.subjectID, visitID: visit,
                    forms: forms.mapValues { $0.mapValues { ScreeningService.RawEntry(value: $0.value, unit: $0.unit, lowerLimitNormal: nil, upperLimitNormal: nil) } },
                    expectedVersion: p.version, by: who ?? coordinator)
                p = r.participant
                return r.warnings
            }
            func refusal(_ visit: String, _ forms: [String: [String: Entry]], by who: Principal? = nil) async throws -> WorkflowError {
                do { _ = try await save(visit, forms, by: who) } catch let e as WorkflowError { return e }
                Issue.record("\(visit) was saved although the hold rule should refuse it")
                return WorkflowError(.notFound, "")
            }
            _ = try await save("APH", ["F_APHERESIS": ConductData.apheresis(base)])
            _ = try await save("PROD", ["F_PRODUCT": ConductData.product(base.adding(days: 9))])
            p = try await server.verifiedDoses(p)
            for (i, visit) in ["LD1", "LD2", "LD3"].enumerated() { _ = try await save(visit, ["F_LD_ADMIN": ConductData.lymphodepletion(base.adding(days: 10 + i))]) }
            let day0 = base.adding(days: 15)
            _ = try await save("D0", ["F_INFUSION": ConductData.infusion(day0, fraction: 1, bag: "BCRITP-001-B1")])
            // Day 1 without assessments: the rule cannot be applied.
            let d1 = day0.adding(days: 1)
            let ungraded = try await refusal("D1", ["F_VISIT": ["VISIT_DATE": Entry(value: d1.description)],
                                                   "F_INFUSION": ConductData.infusion(d1, fraction: 2, bag: "BCRITP-001-B2")])
            #expect(ungraded.code == .outOfOrder && ungraded.message.contains("needs graded CRS (F_CRS) and ICANS (F_ICANS) assessments"), "\(ungraded.message)")
            // Fever only (CRS 1), ICE 10: the investigator decides and records why.
            _ = try await save("D1", ["F_VISIT": ["VISIT_DATE": Entry(value: d1.description)], "F_CRS": ConductData.crs(), "F_ICANS": ConductData.icans()])
            let noReason = try await refusal("D1", ["F_INFUSION": ConductData.infusion(d1, fraction: 2, bag: "BCRITP-001-B2")])
            #expect(noReason.code == .outOfOrder && noReason.field == "item.INF_DECISION", "\(noReason.message)")
            var decided = ConductData.infusion(d1, fraction: 2, bag: "BCRITP-001-B2")
            decided["INF_DECISION"] = Entry(value: "Fever only, haemodynamically stable; give as planned.")
            let coordinatorDecides = try await refusal("D1", ["F_INFUSION": decided])
            #expect(coordinatorDecides.code == .forbidden)
            let given = try await save("D1", ["F_INFUSION": decided], by: investigator)
            #expect(given["order"]?.first?.contains("investigator's decision: CRS grade 1, ICANS grade 0") == true, "\(given)")
            // Day 2: hypotension without vasopressors is CRS grade 2 → the third fraction is held.
            let d2 = day0.adding(days: 2)
            _ = try await save("D2", ["F_VISIT": ["VISIT_DATE": Entry(value: d2.description)], "F_CRS": ConductData.crs(hypotension: true),
                                      "F_ICANS": ConductData.icans()])
            let held = try await refusal("D2", ["F_INFUSION": ConductData.infusion(d2, fraction: 3, bag: "BCRITP-001-B3")], by: investigator)
            #expect(held.code == .outOfOrder && held.message.contains("fraction 3 is held — CRS grade 2, ICANS grade 0: CRS ≥ 2 → hold remaining fractions"), "\(held.message)")
            // ICANS from the ICE score alone (7/10 → grade 1) also holds.
            let file = try await server.services.screening.file(p.subjectID, by: coordinator)
            let course = server.services.runtime.conduct.course(of: file)
            let tox = ToxicityCourse(values: file.values, study: server.services.study, visitDates: course.chain.visitDates)
            #expect(tox.crs.map(\.grade) == [1, 2] && tox.icans.map(\.grade) == [0, 0])
            _ = try await save("D3", ["F_VISIT": ["VISIT_DATE": Entry(value: day0.adding(days: 3).description)], "F_CRS": ConductData.crs(temperature: "37.0"),
                                      "F_ICANS": ConductData.icans(iceCorrect: 7)])
            let after = try await server.services.screening.file(p.subjectID, by: coordinator)
            let tox3 = ToxicityCourse(values: after.values, study: server.services.study, visitDates: server.services.runtime.conduct.course(of: after).chain.visitDates)
            // Day 3: no fever, but CRS was ongoing and treated? Not treated: CRS 0 without fever (ASTCT rule 1 needs treatment).
            #expect(tox3.crs.last?.grade == 0 && tox3.icans.last?.grade == 1, "\(tox3)")
            // The timeline shows it all on one axis.
            let model = try await server.services.timelinePage(p.subjectID, viewer: coordinator)
            let svg = model.chartHTML
            #expect(svg.contains("data-day-zero=\"\(day0)\"") && svg.contains("id=\"timeline-platelets\"")) // the screening count
            for id in ["threshold-30", "threshold-100", "threshold-baseline", "crs-D1", "crs-D2", "icans-D3", "dose-1", "dose-4", "dose-5", "visit-mark-D1"] {
                #expect(svg.contains("id=\"\(id)\""), "\(id) missing from the timeline")
            }
            #expect(svg.contains("2 × baseline (50)"), "baseline is the screening count 25")
            // Lymphodepletion days are bars, CAR-T fractions diamonds (three LD days, then the fractions).
            #expect(svg.contains(#"<rect id="dose-1" class="timeline__dose""#) && svg.contains(#"<polygon id="dose-4" class="timeline__dose timeline__dose--cells""#))
            #expect(svg.contains("CRS grade 2 at D2"))
            // The assessments make a CRS episode (D1 grade 1 → D2 grade 2, resolved at D3 grade 0) and an ICANS one
            // (D3, ongoing), coded with CTCAE v5.0.
            let log = try await server.services.runtime.adverseEvents.log(p.subjectID, by: coordinator)
            #expect(log.episodes.map { "\($0.syndrome) \($0.maxGrade) \($0.onset) \($0.resolution?.description ?? "ongoing") \($0.visits)" }
                    == ["CRS 2 \(day0.adding(days: 1)) \(day0.adding(days: 3)) [\"D1\", \"D2\"]", "ICANS 1 \(day0.adding(days: 3)) ongoing [\"D3\"]"])
            #expect(log.episodes.first?.meddraCode == "10052015")

            // The override (spec §6.4; issue 8 scope 4): only the investigator records it, with its reason, and it
            // counts only once the investigator has signed the hold form as it stands.
            let hold = ["HOLD_ACTION": Entry(value: "override"), "HOLD_REASON": Entry(value: "Grade 2 CRS resolved within hours on tocilizumab; benefit outweighs risk.")]
            #expect(try await refusal("D2", ["F_INF_HOLD": hold]).code == .forbidden, "a coordinator recorded an override")
            let noWhy = try await refusal("D2", ["F_INF_HOLD": ["HOLD_ACTION": Entry(value: "override")]], by: investigator)
            #expect(noWhy.code == .invalidInput && noWhy.field == "item.HOLD_REASON", "\(noWhy.message)")
            _ = try await save("D2", ["F_INF_HOLD": hold], by: investigator)
            let unsigned = try await refusal("D2", ["F_INFUSION": ConductData.infusion(d2, fraction: 3, bag: "BCRITP-001-B3")])
            #expect(unsigned.code == .outOfOrder && unsigned.message.contains("not signed as it stands now"), "\(unsigned.message)")
            _ = try await server.services.runtime.casebook.sign(subjectID: p.subjectID, formOID: "F_INF_HOLD", password: Caller.investigator.password,
                                                                expectedVersion: p.version, acknowledgesBinding: true, by: investigator)
            // A change after the signature needs a new one.
            p = try await server.services.runtime.conduct.saveVisitForms(
                subjectID: p.subjectID, visitID: "D2", forms: ["F_INF_HOLD": ["HOLD_REASON": .init(value: "CRS resolved on tocilizumab; give the last fraction.")]],
                expectedVersion: p.version, reason: ChangeReason(code: .newInformation, text: ""), by: investigator).participant
            let changed = try await refusal("D2", ["F_INFUSION": ConductData.infusion(d2, fraction: 3, bag: "BCRITP-001-B3")])
            #expect(changed.message.contains("not signed as it stands now"), "\(changed.message)")
            _ = try await server.services.runtime.casebook.sign(subjectID: p.subjectID, formOID: "F_INF_HOLD", password: Caller.investigator.password,
                                                                expectedVersion: p.version, acknowledgesBinding: false, by: try await server.principal(.investigator))
            let overridden = try await save("D2", ["F_INFUSION": ConductData.infusion(d2, fraction: 3, bag: "BCRITP-001-B3")])
            #expect(overridden["order"]?.first?.contains("fraction 3 given despite the hold rule (CRS grade 2, ICANS grade 0: CRS ≥ 2 → hold remaining fractions) on Investigator's signed override") == true, "\(overridden)")
        }
    }
}

/// The same flow through the web pages: the course section on the participant page and a visit's form.
@Suite("Trial conduct pages")
struct ConductPageTests {
    @Test func courseSectionAndVisitForm() async throws {
        try await TestServer.run { server, client in
            let base = ConductData.siteToday
            let p = try await server.enrol(try await server.signedEligibleParticipant())
            let session = try await client.webSignIn(.coordinator, server: server)
            let page = try await client.webGet("/participants/\(p.subjectID)", session: session)
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"course\"") && page.text.contains("id=\"day-zero\" data-provisional=\"true\""))
            #expect(page.text.contains("href=\"/participants/\(p.subjectID)/visits/APH\""))
            // A step out of order re-shows the form with the refusal and keeps what was typed.
            let early = try await client.webPost("/participants/\(p.subjectID)/visits/LD1", session: session, fields: [
                ("item.LD_DATE", base.adding(days: 10).description), ("item.FLU_GIVEN", "55"), ("version", "\(p.version)")])
            #expect(early.status == .conflict)
            #expect(early.text.contains("id=\"visit-error\"") && early.text.contains("the product is not released"), "\(early.text.prefix(2000))")
            #expect(early.text.contains("value=\"55\""))
            // A bad value names its field.
            let bad = try await client.webPost("/participants/\(p.subjectID)/visits/APH", session: session, fields: [
                ("item.APH_DATE", base.description), ("item.APH_VOLUME", "5000"), ("item.APH_CD3_YIELD", "4.2"), ("version", "\(p.version)")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("APH_VOLUME"))
            let ok = try await client.webPost("/participants/\(p.subjectID)/visits/APH", session: session, fields: [
                ("item.APH_DATE", base.description), ("item.APH_VOLUME", "180"), ("item.APH_CD3_YIELD", "4.2"), ("version", "\(p.version)")])
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == "/participants/\(p.subjectID)#visit-APH")
            let after = try await client.webGet("/participants/\(p.subjectID)", session: session)
            #expect(after.text.contains("<dt>Apheresis</dt><dd>\(base)</dd>"), "\(after.text)")
            let visit = try await client.webGet("/participants/\(p.subjectID)/visits/APH", session: session)
            #expect(visit.status == .ok && visit.text.contains("value=\"180\"") && visit.text.contains("id=\"save-visit\""))
            // A form posted with an older version is refused and comes back with the values saved now under the current
            // version — never the stale entries, which any reason for change would then save over the other's values.
            let current = try await server.services.screening.participant(p.subjectID, by: try await server.principal(.coordinator)).version
            let stale = try await client.webPost("/participants/\(p.subjectID)/visits/APH", session: session, fields: [
                ("item.APH_DATE", base.description), ("item.APH_VOLUME", "250"), ("item.APH_CD3_YIELD", "4.2"), ("version", "\(p.version)")])
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("value=\"180\"") && !stale.text.contains("value=\"250\""), "the saved volume, not the stale one")
            #expect(stale.text.contains("name=\"version\" value=\"\(current)\"") && stale.text.contains("you had entered") && stale.text.contains("Collected product volume 250"), "\(stale.text.prefix(3000))")
            // The monitor reads the page but gets no form.
            let monitor = try await client.webSignIn(.monitor, server: server)
            let read = try await client.webGet("/participants/\(p.subjectID)/visits/APH", session: monitor)
            #expect(read.status == .ok && read.text.contains("id=\"visit-read-only\"") && !read.text.contains("id=\"save-visit\""))
            #expect(try await client.webGet("/participants/\(p.subjectID)/visits/NOPE", session: session).status == .notFound)
        }
    }
}

/// The today screen and its alerts through the API and the web page (issue 8 scope 9), on both engines.
@Suite("Today screen")
struct TodayTests {
    @Test(arguments: TestDatabase.engines)
    func alarmingFirstAndAlertsStayUntilAcknowledged(engine: DatabaseEngine) async throws {
        let base = ConductData.siteToday
        // The site's clock reads base + 21 days: Day 6 after a first infusion on base + 15.
        let now = Date(timeIntervalSince1970: Double(base.adding(days: 21).dayNumber) * 86_400 + 4 * 3600)
        try await TestServer.run(engine, instant: { now }) { server, client in
            let infused = try await server.infusedParticipant("Ada Lovelace", platelets: "12")
            let waiting = try await server.enrol(try await server.signedEligibleParticipant("Grace Hopper"))
            let token = try await client.token(.coordinator)
            let r = try await client.api(.get, "/api/v1/today", token: token)
            #expect(r.status == .ok, "\(r.text)")
            let rows = try #require(r.json?["participants"]?.array)
            #expect(rows.map { $0["subjectID"]?.string } == [infused.subjectID.rawValue, waiting.subjectID.rawValue])
            let first = rows[0]
            let keys = (first["alerts"]?.array ?? []).compactMap { $0["key"]?.string }
            #expect(keys.contains("platelets:D0:12"), "\(keys)")
            #expect(keys.filter { $0.hasPrefix("deviation:schedule.daily_assessment_missed:") }.count == 5, "\(keys)")
            #expect(first["studyDay"]?.number == 6 && first["provisional"] == .bool(false))
            #expect(first["dueToday"]?.array?.compactMap { $0["id"]?.string } == ["D6"])
            #expect(first["nextStep"]?.string == "CAR-T fraction 2")
            #expect(rows[1]["provisional"] == .bool(true) && rows[1]["nextStep"]?.string == "Leukapheresis")
            #expect(rows[1]["alerts"]?.array?.isEmpty == true)
            #expect(r.json?["show"]?.string == "all" && r.json?["page"]?.number == 1 && r.json?["pages"]?.number == 1 && r.json?["total"]?.number == 2)
            #expect(r.json?["counts"]?["all"]?.number == 2 && r.json?["counts"]?["attention"]?.number == 2, "\(rows[1])")
            let second = try await client.api(.get, "/api/v1/today?limit=1&page=2", token: token)
            #expect(second.json?["participants"]?.array?.compactMap { $0["subjectID"]?.string } == [waiting.subjectID.rawValue], "\(second.text)")
            #expect(second.json?["page"]?.number == 2 && second.json?["pages"]?.number == 2)
            let past = try await client.api(.get, "/api/v1/today?limit=1&page=9", token: token)
            #expect(past.json?["page"]?.number == 2, "a page past the last returns the last, and says which")
            for (query, field) in [("show=everyone", "show"), ("page=0", "page"), ("page=x", "page"), ("limit=0", "limit"), ("limit=501", "limit")] {
                expectErrorShape(try await client.api(.get, "/api/v1/today?\(query)", token: token), .unprocessableContent, field: field)
            }

            let path = "/api/v1/participants/\(infused.subjectID)/alerts/acknowledgement"
            let ack = try await client.api(.post, path, token: token, json: ["key": "platelets:D0:12", "note": "Transfused, recount tomorrow."])
            #expect(ack.status == .ok, "\(ack.text)")
            let again = try await client.api(.post, path, token: token, json: ["key": "platelets:D0:12"])
            expectErrorShape(again, .conflict, code: "conflict")
            let long = try await client.api(.post, path, token: token, json: ["key": "platelets:D0:12", "note": .string(String(repeating: "x", count: 2_001))])
            expectErrorShape(long, .unprocessableContent, field: "note")
            let unknown = try await client.api(.post, path, token: token, json: ["key": "platelets:D0:999"])
            expectErrorShape(unknown, .notFound, code: "not_found")
            let after = try await client.api(.get, "/api/v1/today", token: token)
            let left = (after.json?["participants"]?[0]?["alerts"]?.array ?? []).compactMap { $0["key"]?.string }
            #expect(!left.contains("platelets:D0:12") && left.count == keys.count - 1)
            let trail = try await server.store.auditTrail(entity: .alert, entityID: nil)
            #expect(trail.count == 1 && trail[0].field == "platelets:D0:12" && trail[0].reason == "Transfused, recount tomorrow.")
        }
    }

    /// The web page on the real clock (the Day 0 of the fixture lies ahead, so the only alert is the count).
    @Test func todayPageAcknowledgesFromTheCard() async throws {
        try await TestServer.run { server, client in
            let infused = try await server.infusedParticipant("Ada Lovelace", platelets: "12")
            let waiting = try await server.enrol(try await server.signedEligibleParticipant("Grace Hopper"))
            // Alarming participant first, with acknowledge forms for the coordinator only.
            let session = try await client.webSignIn(.coordinator, server: server)
            let page = try await client.webGet("/today", session: session)
            #expect(page.status == .ok)
            let html = page.text
            let a = try #require(html.range(of: "id=\"today-\(infused.subjectID)\"")), b = try #require(html.range(of: "id=\"today-\(waiting.subjectID)\""))
            #expect(a.lowerBound < b.lowerBound)
            #expect(html.contains("id=\"ack-\(infused.subjectID)-1\"") && html.contains("class=\"sparkline\""))
            #expect(html.contains("data-key=\"platelets:D0:12\""))
            // The attention view keeps participants with alerts or visits due or overdue; both views name their counts.
            let attention = try await client.webGet("/today?show=attention", session: session)
            #expect(attention.status == .ok && attention.text.contains("id=\"today-\(infused.subjectID)\"")
                    && !attention.text.contains("id=\"today-\(waiting.subjectID)\""), "\(attention.text)")
            #expect(attention.text.contains(#"<a id="today-view-attention" href="/today?show=attention" aria-current="page">Needs attention (1)</a>"#))
            #expect(attention.text.contains(#"<a id="today-view-all" href="/today">All participants (2)</a>"#))
            // The API's attention view keeps the same participant, with the same counts.
            let token = try await client.token(.coordinator)
            let api = try await client.api(.get, "/api/v1/today?show=attention", token: token)
            #expect(api.json?["participants"]?.array?.compactMap { $0["subjectID"]?.string } == [infused.subjectID.rawValue], "\(api.text)")
            #expect(api.json?["total"]?.number == 1 && api.json?["counts"]?["all"]?.number == 2 && api.json?["counts"]?["attention"]?.number == 1)
            #expect(attention.text.contains(#"<input type="hidden" name="show" value="attention">"#) && !attention.text.contains("id=\"today-range\""))
            let stale = try await client.webPost("/participants/\(infused.subjectID)/alerts/acknowledge", session: session,
                                                 fields: [("key", "platelets:D0:999"), ("note", ""), ("show", "attention"), ("page", "1")])
            #expect(stale.status == .seeOther && stale.headers[.location] == "/today?show=attention", "back to the view the form was on")
            let forged = try await client.webPost("/participants/\(infused.subjectID)/alerts/acknowledge", session: session,
                                                  fields: [("key", "platelets:D0:999"), ("show", "https://evil.example/"), ("page", "1")])
            #expect(forged.headers[.location] == "/today", "an unknown view is never echoed into the redirect")
            for (path, field) in [("/today?show=everyone", "show"), ("/today?page=0", "page"), ("/today?page=x", "page"),
                                  ("/today?page=99999999999", "page"), ("/participants?page=0", "page"), ("/participants?page=-1", "page"),
                                  ("/participants?status=withdrawn", "status")] {
                let refused = try await client.webGet(path, session: session)
                #expect(refused.status == .unprocessableContent && refused.text.contains("\(field) must be"), "\(path): \(refused.status)")
            }
            let searched = try await client.webGet("/participants?subject=\(infused.subjectID.rawValue.suffix(3))", session: session)
            #expect(searched.status == .ok && searched.text.contains("id=\"row-\(infused.subjectID)\"") && !searched.text.contains("id=\"row-\(waiting.subjectID)\""),
                    "\(searched.text)")
            // The API's list searches and refuses alike.
            let found = try await client.api(.get, "/api/v1/participants?subject=\(infused.subjectID.rawValue.suffix(3).lowercased())", token: token)
            #expect(found.json?["participants"]?.array?.compactMap { $0["subjectID"]?.string } == [infused.subjectID.rawValue], "\(found.text)")
            expectErrorShape(try await client.api(.get, "/api/v1/participants?status=withdrawn", token: token), .unprocessableContent, field: "status")
            for bad in [String(repeating: "1", count: 41), "0%E2%80%8B1", "0%001"] {
                expectErrorShape(try await client.api(.get, "/api/v1/participants?subject=\(bad)", token: token), .unprocessableContent, field: "subject")
                let refused = try await client.webGet("/participants?subject=\(bad)", session: session)
                #expect(refused.status == .unprocessableContent && refused.text.contains("subject must be at most 40 visible characters"), "\(bad)")
            }
            let pastTheEnd = try await client.webGet("/participants?page=7", session: session)
            #expect(pastTheEnd.status == .ok && pastTheEnd.text.contains("id=\"row-\(infused.subjectID)\"") && !pastTheEnd.text.contains("participants-range"),
                    "a page past the last shows the last")
            let posted = try await client.webPost("/participants/\(infused.subjectID)/alerts/acknowledge", session: session,
                                                  fields: [("key", "platelets:D0:12"), ("note", "")])
            #expect(posted.status == .seeOther && posted.headers[.location] == "/today")
            let after = try await client.webGet("/today", session: session)
            #expect(after.status == .ok && !after.text.contains("data-key=\"platelets:D0:12\""))

            // The list gives each participant's next step: enrolled ones from their status, one in screening from its checklist.
            let inScreening = try await server.register("Mary Somerville")
            let list = try await client.webGet("/participants", session: session).text
            #expect(list.contains("<tr id=\"row-\(infused.subjectID)\" data-status=\"enrolled\">"), "\(list)")
            let enrolledRow = try #require(list.components(separatedBy: "<tr id=\"row-\(infused.subjectID)\"").dropFirst().first?.components(separatedBy: "</tr>").first)
            #expect(enrolledRow.contains("<td>Enrolled — follow the visit schedule</td>"), "\(enrolledRow)")
            let screeningRow = try #require(list.components(separatedBy: "<tr id=\"row-\(inScreening.subjectID)\"").dropFirst().first?.components(separatedBy: "</tr>").first)
            #expect(screeningRow.contains("<td>Screening data incomplete ("), "\(screeningRow)")

            // The dashboard a coordinator lands on counts what the today screen and the query inbox show.
            let alertsLeft = after.text.components(separatedBy: "data-key=\"").count - 1, due = after.text.components(separatedBy: "data-due=\"").dropFirst().reduce(0) { $0 + Int($1.prefix { $0 != "\"" })! }
            let dashboard = try await client.webGet("/", session: session)
            #expect(dashboard.status == .ok && alertsLeft > 0)
            #expect(dashboard.text.contains(#"<li id="conduct-alerts" data-count="\#(alertsLeft)" class="conduct--urgent">"#), "\(dashboard.text)")
            #expect(dashboard.text.contains(">\(alertsLeft) alert\(alertsLeft == 1 ? "" : "s") to acknowledge for 1 participant</a>"))
            #expect(dashboard.text.contains(#"<li id="conduct-due" data-count="\#(due)">"#))
            var open = QueryFilter()
            open.statuses = [.open, .answered]
            let queries = try await server.services.runtime.queries.inbox(open, by: try await server.principal(.coordinator)).count
            #expect(dashboard.text.contains(#"<li id="conduct-queries" data-count="\#(queries)">"#), "\(dashboard.text)")
            #expect(dashboard.text.contains(#"<li id="waiting-\#(inScreening.subjectID)">"#) && !dashboard.text.contains("waiting-\(infused.subjectID)"))
            let monitor = try await client.webSignIn(.monitor, server: server)
            let read = try await client.webGet("/today", session: monitor)
            #expect(read.status == .ok && read.text.contains("id=\"today-\(infused.subjectID)\"") && !read.text.contains("id=\"ack-"))
        }
    }
}
