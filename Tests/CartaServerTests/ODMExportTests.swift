import CartaModel
@testable import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The ODM 1.3.2 archive: valid against the CDISC schema (xmllint, a third-party validator), complete
/// (every value change with its audit record, every signature with name, time and meaning), read back to
/// the current data, pseudonymised, and limited to the exporter's role and sites.
/// Source: standards.md R-CP-1, R-AT-6, R-ES-1, R-PR-1; CDISC ODM 1.3.2 (schemas/odm1-3-2, verbatim copy).
@Suite("ODM archive")
struct ODMExportTests {
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas/odm1-3-2/ODM1-3-2.xsd").path

    /// Validates with `xmllint --schema` (libxml2; `scripts/test` installs it).
    static func validate(_ xml: String) throws -> (ok: Bool, output: String) {
        let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let tool = try #require(xmllint, "xmllint is needed to validate ODM (apt-get install libxml2-utils; scripts/test installs it)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("carta-odm-\(UUID().uuidString).xml")
        try Data(xml.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let child = try ChildProcess(tool, ["--noout", "--schema", schema, file.path], environment: ProcessInfo.processInfo.environment)
        try child.stdin.close()
        let errors = ErrorReader(child.stderr)
        let out = child.stdout.readDataToEndOfFile()
        let status = child.waitForExit()
        return (status == 0, String(decoding: out, as: UTF8.self) + String(decoding: errors.wait(), as: UTF8.self))
    }

    /// What a reader of the file sees: each ItemData with its audit record, the signatures, every text.
    final class Reader: NSObject, XMLParserDelegate {
        struct Item { var subject: String; var form: String; var item: String; var value: String?; var isNull: Bool; var sourceID: String = "" }
        var items: [Item] = []
        var signatures: [(subject: String, user: String, signatureOID: String, at: String)] = []
        var signatureMeanings: [String: String] = [:]
        var subject = "", form = "", text = "", currentSignatureDef = "", inSignature = false, sigUser = "", sigRef = ""
        var path: [String] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String]) {
            path.append(name); text = ""
            switch name {
            case "SubjectData": subject = a["SubjectKey"] ?? ""
            case "FormData": form = a["FormOID"] ?? ""
            case "ItemData": items.append(Item(subject: subject, form: form, item: a["ItemOID"] ?? "", value: a["Value"], isNull: a["IsNull"] == "Yes"))
            case "SignatureDef": currentSignatureDef = a["OID"] ?? ""
            case "Signature": inSignature = true
            case "UserRef" where inSignature: sigUser = a["UserOID"] ?? ""
            case "SignatureRef": sigRef = a["SignatureOID"] ?? ""
            default: break
            }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "SourceID" where path.contains("ItemData"): items[items.count - 1].sourceID = text
            case "Meaning": signatureMeanings[currentSignatureDef] = text
            case "DateTimeStamp" where inSignature: signatures.append((subject, sigUser, sigRef, text))
            case "Signature": inSignature = false
            default: break
            }
            path.removeLast()
        }

        static func read(_ xml: String) throws -> Reader {
            let reader = Reader()
            let parser = XMLParser(data: Data(xml.utf8))
            parser.delegate = reader
            #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
            return reader
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theArchiveIsValidCompleteAndReadsBackToTheData(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            // A participant with data, a correction with a reason, a redacted reason, an eligibility and a casebook signature.
            var p = try await server.signedEligibleParticipant("Ada Lovelace")
            let coordinator = try await server.principal(.coordinator)
            p = try await server.services.screening.saveForms(
                subjectID: p.subjectID, forms: ["F_VITALS": ["WEIGHT": RawEntry(value: "69.5", unit: "kg", reason: ChangeReason(code: .transcriptionError)),
                                                             "ECOG": RawEntry(value: "0", reason: ChangeReason(code: .other, text: "Ada's husband Bill said so"))]],
                expectedVersion: p.version, by: coordinator).participant
            let leak = try #require(try await server.store.auditTrail(entity: .itemValue, entityID: p.id.rawValue).last { $0.reason?.contains("Bill") == true })
            _ = try await server.services.runtime.audit.redact(seq: leak.seq, justification: "Relative's name typed into a reason",
                                                               password: Caller.dataManager.password, code: nil,
                                                               by: try await server.principal(.dataManager), accounts: server.services.auth)
            _ = try await server.services.runtime.casebook.sign(subjectID: p.subjectID, password: Caller.investigator.password,
                                                                expectedVersion: p.version, acknowledgesBinding: true,
                                                                by: try await server.principal(.investigator))
            _ = try await server.register("Grace Hopper")

            expectErrorShape(try await client.api(.get, "/api/v1/export/odm", token: try await client.token(.coordinator)), .forbidden)
            let r = try await client.api(.get, "/api/v1/export/odm", token: try await client.token(.dataManager))
            #expect(r.status == .ok && r.headers[.contentType] == "application/xml; charset=utf-8")
            #expect(r.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"carta-NCT05315778-odm-") == true)
            let xml = r.text

            let validation = try Self.validate(xml)
            #expect(validation.ok, "xmllint: \(validation.output.prefix(2000))")

            // Pseudonymised: no name, date of birth or hospital number; the redacted reason is not there either.
            for identifying in ["Lovelace", "Hopper", "1980-05-17", "H-12", "Bill"] { #expect(!xml.contains(identifying), "\(identifying) in the archive") }
            #expect(xml.contains("FileType=\"Transactional\"") && xml.contains("Archival=\"Yes\"") && xml.contains("ODMVersion=\"1.3.2\""))

            let reader = try Reader.read(xml)
            // Complete: one ItemData per value change (a value and its parts saved together), each with the audit sequence it came from.
            let trail = try await server.store.auditTrail(entity: .itemValue, entityID: p.id.rawValue)
            let changes = Set(trail.map { e in (e.field.split(separator: ":").first.map(String.init) ?? e.field) + "@" + e.at })
            let mine = reader.items.filter { $0.subject == p.subjectID.rawValue && $0.form != ODMArchive.subjectRecord }
            #expect(mine.count == changes.count, "\(mine.count) ItemData for \(changes.count) changes")
            #expect(mine.allSatisfy { $0.sourceID.hasPrefix("audit #") })
            // Reads back to the data: the last transaction of each item is the stored value.
            let file = try await server.services.screening.file(p.subjectID, by: coordinator)
            for v in file.values {
                let last = mine.last { $0.form == v.address.formOID.rawValue && $0.item == v.address.itemOID.rawValue }
                if v.address.itemOID == "ECOG" { continue } // its last change was redacted: withheld as a whole (below)
                #expect(last?.value == v.value?.text, "\(v.address.path): archive \(last?.value ?? "nil"), store \(v.value?.text ?? "nil")")
            }
            #expect(mine.contains { $0.item == "ECOG" && $0.isNull }, "the redacted change is written as null")
            // Signatures: the eligibility decision and the casebook, each with user, time and a meaning.
            let signed = reader.signatures.filter { $0.subject == p.subjectID.rawValue }
            #expect(signed.count == 2 && signed.allSatisfy { $0.user == "USR.investigator" && reader.signatureMeanings[$0.signatureOID] != nil })
            #expect(reader.signatureMeanings.values.contains(CasebookService.meaning))
        }
    }

    /// The archive is built one participant at a time (`SpooledODMArchive`): the same bytes as the whole archive built in
    /// memory from every participant at once, though the opening — units, user names, signature meanings with their
    /// OIDs — is made after the last participant. The spool is never a file anyone can find, and the document can be
    /// read more than once. Source: R-CP-1 (an accurate and complete copy, whatever the study's size).
    @Test(arguments: TestDatabase.engines)
    func theArchiveIsBuiltOneParticipantAtATimeAsTheWholeWouldBe(engine: DatabaseEngine) async throws {
        try await DemoReportTests.demo(engine, participants: 3, seed: 5) { server, _, _, client in
            let store = server.store, exports = server.services.runtime.exports, dataManager = try await server.principal(.dataManager)
            // The second participant's casebook signed: a meaning first used after the first participant, so its OID is
            // given while the archive is being written.
            let second = try await server.services.screening.participants(by: dataManager)[1]
            let file = try await server.services.screening.file(second.subjectID, by: dataManager)
            _ = try await server.services.runtime.casebook.sign(subjectID: second.subjectID, password: Caller.investigator.password,
                                                                expectedVersion: file.participant.version, acknowledgesBinding: true,
                                                                by: try await server.principal(.investigator))
            let spoolDir = FileManager.default.temporaryDirectory.appendingPathComponent("odm-spool-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: spoolDir, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(at: spoolDir) }
            let counted = Mutex<[Int]>([])
            let spooled = try await exports.spooledODMArchive(by: dataManager, spoolIn: spoolDir) { done, _ in counted.withLock { $0.append(done) } }
            #expect(try FileManager.default.contentsOfDirectory(atPath: spoolDir.path).isEmpty, "the spool was unlinked as soon as it was opened")
            #expect(counted.withLock { $0 } == [1, 2, 3])
            let text = try await spooled.text()
            #expect(text.utf8.count == spooled.byteCount && spooled.bodyBytes > 0)
            #expect(try await spooled.text() == text, "read again from the start")

            // The whole archive in memory, every participant's records gathered first.
            var subjects: [ODMArchive.Subject] = []
            for p in try await server.services.screening.participants(by: dataManager) { subjects.append(try await exports.subject(p)) }
            var whole = ODMArchive(study: exports.study, users: try await store.users(), subjects: subjects,
                                   createdAt: server.services.runtime.clock.now, sourceSystemVersion: ExportService.sourceSystemVersion)
            whole.synthetic = true
            #expect(text == whole.xml())
            // The opening's lists had something to gather: units recorded in the trail, more than one signature meaning.
            #expect(!whole.facts.units.isEmpty && whole.facts.meanings.count >= 2 && whole.facts.meaningOIDs[CasebookService.meaning] != nil,
                    "\(whole.facts.meanings)")
            #expect(try Self.validate(text).ok)
            // The download streams the same document, with its length.
            let r = try await client.api(.get, "/api/v1/export/odm", token: try await client.token(.dataManager))
            #expect(r.status == .ok && r.headers[.contentLength] == String(r.body.readableBytes))
            #expect(try DeidentifiedExportTests.clinicalData(r.text) == (try DeidentifiedExportTests.clinicalData(text)))
        }
    }

    @Test func siteBoundInvestigatorsExportOnlyTheirSites() async throws {
        try await TestServer.run(study: try SiteScopeTests.twoSiteStudy()) { server, client in
            _ = try await SiteScopeTests.user(server, "ines-sz", .investigator, .only(["SUZHOU"]))
            let coordinator = try await server.principal(.coordinator)
            let a = try await server.services.screening.register(fullName: "Ada Lovelace", dateOfBirth: "1980-05-17", hospitalNumber: "H-1",
                                                                 siteID: "SUZHOU", by: coordinator)
            let b = try await server.services.screening.register(fullName: "Grace Hopper", dateOfBirth: "1970-12-09", hospitalNumber: "H-2",
                                                                 siteID: "WUXI", by: coordinator)
            let session = try await client.webSignIn(username: "ines-sz", password: SiteScopeTests.password, server: server)
            let audit = try await client.webGet("/audit", session: session)
            #expect(audit.text.contains("id=\"odm-export\""))
            let r = try await client.webGet("/export/odm", session: session)
            #expect(r.status == .ok)
            #expect(r.text.contains("SubjectKey=\"\(a.subjectID)\"") && !r.text.contains("SubjectKey=\"\(b.subjectID)\""))
            #expect(try Self.validate(r.text).ok)
        }
    }
}

/// De-identified exports: Safe Harbor and the limited data set, scanned for what each must not carry.
/// Source: standards.md R-PR-2 ("Automated scan of export finds no prohibited identifiers"); HIPAA 45 CFR
/// 164.514(b)(2) and (e).
@Suite("De-identified exports")
struct DeidentifiedExportTests {
    /// The built-in study with SEX made a free-text item, so that the rule "no free text" has something to drop.
    static func studyWithFreeText() throws -> Study {
        var study = try StudyLoader.builtIn()
        for f in study.forms.indices {
            for i in study.forms[f].items.indices where study.forms[f].items[i].oid == "SEX" {
                study.forms[f].items[i].type = .text
                study.forms[f].items[i].codeList = []
            }
        }
        return study
    }

    static func clinicalData(_ xml: String) throws -> String {
        let start = try #require(xml.range(of: "<ClinicalData")), end = try #require(xml.range(of: "</ClinicalData>"))
        return String(xml[start.lowerBound..<end.upperBound])
    }

    @Test(arguments: TestDatabase.engines)
    func safeHarborAndLimitedDataSet(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine, study: try Self.studyWithFreeText()) { server, client in
            let p = try await server.signedEligibleParticipant("Ada Lovelace")
            let statistician = try await client.token(.statistician)
            expectErrorShape(try await client.api(.get, "/api/v1/export/odm", token: statistician), .forbidden)
            expectErrorShape(try await client.api(.get, "/api/v1/export/odm?mode=everything", token: statistician), .unprocessableContent, field: "mode")
            expectErrorShape(try await client.api(.get, "/api/v1/export/odm?mode=limited", token: statistician), .unprocessableContent,
                             field: "dataUseAgreement")

            let safe = try await client.api(.get, "/api/v1/export/odm?mode=safe-harbor", token: statistician)
            #expect(safe.status == .ok && safe.headers[.contentDisposition]?.contains("-odm-safe-harbor-") == true)
            #expect(try ODMExportTests.validate(safe.text).ok)
            #expect(safe.text.contains("FileType=\"Snapshot\"") && !safe.text.contains("Archival="))
            let data = try Self.clinicalData(safe.text)
            // The scan: no date finer than a year, no audit trail or signatures, no free text, no identity, no site name.
            #expect(data.firstMatch(of: /\d{4}-\d{2}-\d{2}/) == nil, "a full date in a Safe Harbor export")
            #expect(data.contains("ItemOID=\"CONSENT_DATE\" Value=\"2026\""))
            for absent in ["<AuditRecord", "<Signature", "Lovelace", "H-12", "1980", "Soochow", "Suzhou,"] {
                #expect(!safe.text.contains(absent), "\(absent) in a Safe Harbor export")
            }
            #expect(!data.contains("ItemOID=\"SEX\""), "free text is left out")
            #expect(data.contains("SubjectKey=\"\(p.subjectID)\"") && data.contains("ItemOID=\"PLT\" Value=\"25\""))

            let limited = try await client.api(.get, "/api/v1/export/odm?mode=limited&dua=DUA-2026-007", token: statistician)
            let limitedValid = try ODMExportTests.validate(limited.text).ok
            #expect(limited.status == .ok && limitedValid)
            let limitedData = try Self.clinicalData(limited.text)
            #expect(limitedData.contains("ItemOID=\"CONSENT_DATE\" Value=\"2026-11-02\""), "a limited data set keeps dates")
            #expect(limited.text.contains("data use agreement DUA-2026-007"))
            for absent in ["<AuditRecord", "Lovelace", "H-12", "1980-05-17"] { #expect(!limited.text.contains(absent)) }
            #expect(!limitedData.contains("ItemOID=\"SEX\""), "free text is left out")
        }
    }

    /// Ages over 89 are one category (written 90) and a year-only date is declared partialDate under Safe Harbor; the
    /// limited data set keeps both as recorded. ECOG stands in for an age item (the built-in study enrols 18–65).
    @Test func safeHarborGroupsAgesOver89AndDeclaresYearsAsPartialDates() async throws {
        var study = try Self.studyWithFreeText()
        for f in study.forms.indices {
            for i in study.forms[f].items.indices where study.forms[f].items[i].oid == "ECOG" {
                study.forms[f].items[i].ageInYears = true
                study.forms[f].items[i].hardRange = nil
                study.forms[f].items[i].softRange = nil
            }
        }
        try await TestServer.run(.sqlite, study: study) { server, client in
            let p = try await server.register("Ada Lovelace")
            _ = try await server.services.screening.saveForms(subjectID: p.subjectID, forms: ["F_VITALS": ["ECOG": RawEntry(value: "95")]],
                                                              expectedVersion: p.version, by: try await server.principal(.coordinator))
            let statistician = try await client.token(.statistician)
            let safe = try await client.api(.get, "/api/v1/export/odm?mode=safe-harbor", token: statistician)
            #expect(try ODMExportTests.validate(safe.text).ok)
            #expect(try Self.clinicalData(safe.text).contains("ItemOID=\"ECOG\" Value=\"90\"") && !safe.text.contains("Value=\"95\""))
            #expect(safe.text.contains("(90 = 90 or older)"))
            #expect(safe.text.contains(#"<ItemDef OID="CONSENT_DATE" Name="CONSENT_DATE" DataType="partialDate">"#))
            let limited = try await client.api(.get, "/api/v1/export/odm?mode=limited&dua=DUA-1", token: statistician)
            #expect(try Self.clinicalData(limited.text).contains("ItemOID=\"ECOG\" Value=\"95\""))
            #expect(limited.text.contains(#"<ItemDef OID="CONSENT_DATE" Name="CONSENT_DATE" DataType="date">"#))
        }
    }
}
