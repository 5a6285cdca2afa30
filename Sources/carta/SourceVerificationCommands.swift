import CartaCore
import ArgumentParser
import CartaModel
import CartaStore
import CartaTrial
import Foundation

/// `carta sdv` and `carta casebook`: the monitor's source verification and the investigator's casebook
/// signature from scripts, through the same services, checks and audit trail as the web pages and the API
/// (issue 7 scopes 4 and 6; audited with source `cli`).
struct SourceVerificationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sdv", abstract: "Source data verification: progress, and marking a form's values verified (monitors).",
        subcommands: [Progress.self, Verify.self])

    struct Progress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verified / recorded values per participant and per site, critical items apart (tab-separated).")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Argument(help: "One participant: also its progress per form.") var subject: String?
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: .readStudyData)
                func line(_ label: String, _ p: SourceVerificationProgress) -> String {
                    "\(label)\t\(p.verified)/\(p.recorded)\t\(p.percent)%\tcritical \(p.criticalVerified)/\(p.criticalRecorded)"
                        + (p.changedSinceVerification > 0 ? "\t\(p.changedSinceVerification) changed since verified" : "")
                }
                if let subject {
                    let one = try await s.sourceVerification.progress(subjectID: SubjectID(subject), by: principal)
                    print(line(one.subjectID.rawValue, one.overall))
                    for f in one.byForm { print(line("  \(f.formOID)", f.progress)) }
                } else {
                    let all = try await s.sourceVerification.progress(by: principal)
                    for p in all.participants { print(line(p.subjectID.rawValue, p.overall)) }
                    for site in all.sites { print(line("site \(site.siteID.rawValue)", site.progress)) }
                }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark the recorded values of a form (or some of its items) verified against source.")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Argument var subject: String
        @Option(help: "The form OID.") var form: String
        @Option(help: "The visit (e.g. D7); screening data when left out.") var visit: String?
        @Option(name: .customLong("item"), help: "Only this item (repeatable).") var items: [String] = []
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: .verifySource)
                let marks = try await s.sourceVerification.verify(subjectID: SubjectID(subject), formOID: form, visitID: visit,
                                                                  itemOIDs: items.isEmpty ? nil : items, by: principal)
                print("\(subject) \(visit.map { "\($0) " } ?? "")\(form): \(marks.count.counted("value")) marked verified")
            }
        }
    }
}

struct CasebookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "casebook", abstract: "The investigator's casebook signature (password, and code if enrolled, on stdin).",
        subcommands: [Signatures.self, Sign.self])

    struct Signatures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A participant's casebook signatures with their standing (tab-separated).")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Argument var subject: String
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: .readStudyData)
                let file = try await s.screening.file(SubjectID(subject), by: principal)
                for state in try await s.casebook.signatures(file) {
                    let sig = state.signature
                    print("\(sig.eventOID.map { "visit:\($0.rawValue)" } ?? sig.formOID?.rawValue ?? "casebook")\t\(sig.signerName)\t\(StoreTimestamp.string(sig.signedAt))\t\(state.standing == .valid ? "valid" : "invalidated by change")\t\(sig.contentHash)\t\(sig.meaning)")
                }
            }
        }
    }

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a participant's whole casebook as it stands (investigators): the password typed is the signature.")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Argument var subject: String
        @Option(help: "Sign only this form (its OID) instead of the whole casebook.") var form: String?
        @Option(help: "Sign only this visit (its id, e.g. D7) instead of the whole casebook.") var visit: String?
        @Flag(name: .customLong("acknowledge-binding"),
              help: "Before your first signature: acknowledge that your electronic signature is the legally binding equivalent of your handwritten one (21 CFR 11.100).")
        var acknowledgeBinding = false
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let (principal, password, code) = try await ctx.signedIn(s, needs: .signCasebook)
                let p = try await s.screening.participant(SubjectID(subject), by: principal)
                let sig = try await s.casebook.sign(subjectID: p.subjectID, formOID: form, visitID: visit, password: password, code: code,
                                                    expectedVersion: p.version, acknowledgesBinding: acknowledgeBinding, by: principal)
                print("\(subject): \(visit.map { "visit \($0)" } ?? form.map { "form \($0)" } ?? "casebook") signed by \(sig.signerName), content SHA-256 \(sig.contentHash)")
            }
        }
    }
}
