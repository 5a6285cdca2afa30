import CartaModel
@testable import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// A reviewer reads one line per value change: the value saved with its unit, standardised value and
/// reference limits is one line with a range of record numbers, not six rows with internal codes (issue 7,
/// "the audit trail writes about six rows per lab value with internal codes"; standards.md R-AT-4). The
/// records themselves stay one per part (hashed, replayed, exported record by record).
@Suite struct AuditEntryTests {
    @Test func aLabValueAndItsPartsReadAsOneLine() async throws {
        try await TestServer.run { server, client in
            var p = try await server.enterEligibleData(try await server.register("Ada Lovelace").subjectID)
            let coordinator = try await server.principal(.coordinator)
            p = try await server.services.screening.saveForms(
                subjectID: p.subjectID, forms: ["F_LAB_CHEM": ["CREAT": .init(value: "88", unit: "umol/L", lowerLimitNormal: "45", upperLimitNormal: "90",
                                                                                reason: ChangeReason(code: .transcriptionError, text: "lab report"))]],
                expectedVersion: p.version, by: coordinator).participant
            let trail = try await server.store.auditTrail(entity: .itemValue, entityID: p.id.rawValue)
            let creatinine = trail.filter { $0.field.hasPrefix("SCREENING/F_LAB_CHEM/CREAT") }
            #expect(creatinine.count > 2, "the store keeps a record per part")
            let lines = server.services.runtime.audit.entries(creatinine)
            #expect(lines.count == 2, "\(lines.map(\.newValue))")
            let created = try #require(lines.first), changed = try #require(lines.last)
            #expect(created.field == "Chemistry › Creatinine" || created.field.hasSuffix("› Creatinine"), "\(created.field)")
            #expect(created.fieldPath == "SCREENING/F_LAB_CHEM/CREAT" && created.oldValue.isEmpty)
            #expect(created.newValue.contains("µmol/L") && created.newValue.contains("LLN") && created.newValue.contains("ULN"), "\(created.newValue)")
            #expect(changed.newValue.hasPrefix("88") && changed.records.allSatisfy { $0.reason?.hasPrefix("transcription_error") == true }, "\(changed.newValue)")
            #expect(lines.map(\.records.count).reduce(0, +) == creatinine.count, "every record is in exactly one line")
            #expect(!lines.contains { $0.field.contains("standardised") || $0.field.contains(":") })

            // The audit page shows the line with its record range; the CSV export keeps one row per record.
            let session = try await client.webSignIn(.dataManager, server: server)
            let page = try await client.webGet("/audit?subject=\(p.subjectID)&form=F_LAB_CHEM&item=CREAT", session: session)
            #expect(page.status == .ok)
            let seqs = "\(changed.first.seq)–\(changed.lastSeq)"
            #expect(page.text.contains(seqs), "the page shows records \(seqs) as one line")
            #expect(!page.text.contains("(standardised value)"))
            let csv = try await client.webGet("/audit.csv?subject=\(p.subjectID)&form=F_LAB_CHEM&item=CREAT", session: session)
            #expect(csv.text.split(separator: "\r\n").count == creatinine.count + 1)
        }
    }

    /// Filtering the review by form and item finds the form's records at every event — screening and visits — and
    /// only that item's (a form is collected at many visits; the filter once matched screening only).
    @Test func theFormFilterFindsVisitRecordsToo() async throws {
        try await TestServer.run { server, _ in
            let p = try await server.infusedParticipant(platelets: "40")
            let dataManager = try await server.principal(.dataManager)
            let filter = try await server.services.runtime.audit.filter(.init(subjectID: p.subjectID.rawValue, formOID: "F_LAB_HEM", itemOID: "PLT"), by: dataManager)
            let found = try await server.store.auditSearch(filter, after: 0, limit: 1_000).events
            #expect(found.contains { $0.field.hasPrefix("D0/F_LAB_HEM/PLT") } && found.contains { $0.field.hasPrefix("SCREENING/F_LAB_HEM/PLT") })
            #expect(found.allSatisfy { $0.field.contains("/F_LAB_HEM/PLT") && $0.entity == .itemValue })
            let form = try await server.services.runtime.audit.filter(.init(subjectID: p.subjectID.rawValue, formOID: "F_INFUSION"), by: dataManager)
            let infusion = try await server.store.auditSearch(form, after: 0, limit: 1_000).events
            #expect(!infusion.isEmpty && infusion.allSatisfy { $0.field.hasPrefix("D0/F_INFUSION/") })
        }
    }
}
