import CartaCore
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// The lymphodepletion dose calculation (issue 8 scope 3; spec §6.1–6.3, §6.5): computed from the latest
/// height, weight and creatinine, verified by a second person before any dose, no prescribed dose above it,
/// a weight change over 10 % forcing a recalculation (whose verification starts again).
@Suite("Lymphodepletion dosing")
struct LymphodepletionDosingTests {
    @Test(arguments: TestDatabase.engines)
    func calculateVerifyAndAdminister(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, _ in
            let coordinator = try await server.principal(.coordinator), investigator = try await server.principal(.investigator)
            let dosing = server.services.runtime.dosing
            var p = try await server.enrol(try await server.signedEligibleParticipant())
            let base = ConductData.siteToday
            p = try await server.saveVisit(p, "APH", ["F_APHERESIS": ConductData.apheresis(base)], by: coordinator)
            p = try await server.saveVisit(p, "PROD", ["F_PRODUCT": ConductData.product(base.adding(days: 9), bagPrefix: p.subjectID.rawValue)], by: coordinator)
            func administer(_ flu: String = "55") async throws -> Participant {
                var forms = ConductData.lymphodepletion(base.adding(days: 10))
                forms["FLU_PRESCRIBED"] = Entry(value: flu, unit: "mg")
                return try await server.saveVisit(p, "LD1", ["F_LD_ADMIN": forms], by: coordinator)
            }
            func refusal(_ body: () async throws -> Participant) async -> WorkflowError? {
                do { _ = try await body(); return nil } catch let e as WorkflowError { return e } catch { return nil }
            }
            // Nobody may type the computed form.
            let typed = await refusal { try await server.saveVisit(p, "LD1", ["F_LD_CALC": ["CALC_FLU_MG": Entry(value: "80", unit: "mg"), "VERIFIED_BY": Entry(value: "ines")]], by: coordinator) }
            #expect(typed?.code == .forbidden && typed?.message.contains("computed by Carta") == true)

            // 70 kg, 170 cm (Mosteller 1.82 m²), creatinine 80 µmol/L, woman aged 46: CrCl ≈ 85 mL/min, full doses
            // fludarabine 30 mg/m² → 55 mg, cyclophosphamide 300 mg/m² → 550 mg (rounded to 1 and 10 mg).
            p = try await dosing.calculate(subjectID: p.subjectID, expectedVersion: p.version, by: coordinator)
            var file = try await server.services.screening.file(p.subjectID, by: coordinator)
            let calc = try #require(LymphodepletionDosing.calculation(in: file.values, visitID: "LD1"))
            #expect(calc.bsaM2 == 1.82 && calc.dosesMg["fludarabine"] == 55 && calc.dosesMg["cyclophosphamide"] == 550 && calc.verifiedBy == nil)
            #expect(abs((calc.crClMlMin ?? 0) - 85.5) < 1, "\(calc)")
            #expect(calc.calculatedBy == coordinator.user.username && calc.sources.contains("weight 70 kg at SCR"), "\(calc)")

            let unverified = await refusal { try await administer() }
            #expect(unverified?.code == .outOfOrder && unverified?.message.contains("not verified by a second person") == true)
            let selfCheck = await refusal { try await dosing.verify(subjectID: p.subjectID, expectedVersion: p.version, by: coordinator) }
            #expect(selfCheck?.code == .forbidden)
            p = try await dosing.verify(subjectID: p.subjectID, expectedVersion: p.version, by: investigator)
            let again = await refusal { try await dosing.verify(subjectID: p.subjectID, expectedVersion: p.version, by: investigator) }
            #expect(again?.code == .conflict)

            // An overdose against the verified calculation is refused, naming it.
            let over = await refusal { try await administer("60") }
            #expect(over?.message.contains("above the verified calculated dose of 55 mg/day") == true)

            // Weighed at 80 kg on day −5 (+14 %): recalculate; the new calculation needs its own verification.
            p = try await server.saveVisit(p, "LD1", ["F_VISIT": ["VISIT_DATE": Entry(value: base.adding(days: 10).description)],
                                                      "F_VITALS": ["WEIGHT": Entry(value: "80", unit: "kg")]], by: coordinator)
            let heavier = await refusal { try await administer() }
            #expect(heavier?.message.contains("recalculate the doses") == true)
            p = try await dosing.calculate(subjectID: p.subjectID, expectedVersion: p.version, by: coordinator)
            file = try await server.services.screening.file(p.subjectID, by: coordinator)
            let second = try #require(LymphodepletionDosing.calculation(in: file.values, visitID: "LD1"))
            #expect(second.weightKg == 80 && second.dosesMg["fludarabine"] == 58 && second.verifiedBy == nil)
            #expect(await refusal { try await administer() }?.message.contains("not verified") == true)
            p = try await dosing.verify(subjectID: p.subjectID, expectedVersion: p.version, by: investigator)
            p = try await administer()
            // Every step is in the audit trail: who calculated, who verified, and the recalculation's reason.
            let trail = try await server.store.auditTrail(entity: .itemValue, entityID: p.id.rawValue)
            #expect(trail.filter { $0.field.hasSuffix("F_LD_CALC/VERIFIED_BY") }.count >= 3)
            #expect(trail.contains { $0.field.hasSuffix("F_LD_CALC/CALC_WEIGHT") && $0.reason?.contains("recalculated") == true })
        }
    }

    /// The visit page shows the computed form read-only and the panel's buttons to whom may use them; a
    /// posted page's blank copy of the computed form carries nothing, a typed value in it is refused.
    @Test func theWebPageShowsThePanelAndNeverTakesTypedCalculations() async throws {
        try await TestServer.run(.sqlite) { server, client in
            let coordinator = try await server.principal(.coordinator)
            var p = try await server.enrol(try await server.signedEligibleParticipant())
            let base = ConductData.siteToday
            p = try await server.saveVisit(p, "APH", ["F_APHERESIS": ConductData.apheresis(base)], by: coordinator)
            p = try await server.saveVisit(p, "PROD", ["F_PRODUCT": ConductData.product(base.adding(days: 9), bagPrefix: p.subjectID.rawValue)], by: coordinator)
            let cora = try await client.webSignIn(.coordinator, server: server)
            var page = try await client.webGet("/participants/\(p.subjectID)/visits/LD1", session: cora)
            #expect(page.text.contains("id=\"calculate-doses\"") && !page.text.contains("id=\"verify-doses\""))
            #expect(page.text.contains("Computed by Carta from the latest height"))
            let blank = try await client.webPost("/participants/\(p.subjectID)/visits/LD1", session: cora, fields: [
                ("item.LD_DATE", base.adding(days: 10).description), ("item.FLU_PRESCRIBED", "55"), ("item.CALC_FLU_MG", ""), ("version", "\(p.version)")])
            #expect(blank.status == .conflict && blank.text.contains("no dose calculation is recorded"), "\(blank.status)")
            let typed = try await client.webPost("/participants/\(p.subjectID)/visits/LD1", session: cora, fields: [
                ("item.CALC_FLU_MG", "80"), ("item.VERIFIED_BY", "ines"), ("version", "\(p.version)")])
            #expect(typed.status == .forbidden)
            let calculated = try await client.webPost("/participants/\(p.subjectID)/dose-calculation", session: cora,
                                                      fields: [("action", "calculate"), ("version", "\(p.version)")])
            #expect(calculated.status == .seeOther && calculated.headers[.location]?.hasSuffix("/visits/LD1") == true)
            let ines = try await client.webSignIn(.investigator, server: server)
            page = try await client.webGet("/participants/\(p.subjectID)/visits/LD1", session: ines)
            #expect(page.text.contains("id=\"verify-doses\"") && page.text.contains("Not verified yet") && page.text.contains("55 mg"))
        }
    }
}
