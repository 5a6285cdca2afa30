@_spi(Testing) import CartaStore
import CartaTrial
import Foundation
import Testing

/// `carta derive` end to end on a demo database: the JSON on standard output streams (one page of participants
/// at a time) yet is byte for byte the `outcomes.json` that `carta report --out` writes from the whole derivation, and
/// so is every file `derive --out` streams; the subject-level CSV is the same when derived and kept, and when read back
/// from kept figures by a second process.
@Suite("carta derive from the command line")
struct DeriveCommandTests {
    @Test func streamedJSONAndCSVAreTheWholeDerivations() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let demo = try await CLI.runAsync(["demo", "--db", url, "--participants", "3", "--seed", "7"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let password = try #require(demo.stdout.split(separator: "\n").first { $0.contains("demo-statistician\t") }?.split(separator: "\t").last.map(String.init))
        func derive(_ arguments: [String]) async throws -> CLI.Result {
            try await CLI.runAsync(["derive", "--db", url, "--user", "demo-statistician"] + arguments, stdin: password + "\n")
        }
        // The whole derivation in memory (`carta report` holds it for its plots) is the reference for every streamed form.
        let out = dir.appendingPathComponent("whole").path
        let report = try await CLI.runAsync(["report", "--db", url, "--user", "demo-statistician", "--out", out], stdin: password + "\n")
        #expect(report.status == 0, "\(report.stderr)")
        let names = ["outcomes.json"] + OutcomeTables.Table.allCases.map { "\($0.rawValue).csv" }
        // Each run states the audit record it read the data at (in outcomes.json and on the terminal): the last record
        // that is not an authentication record, so every run on unchanged data (each signing in) states the same one and
        // writes the same bytes.
        let reportCut = try #require(Self.cut(report.stdout))
        func reference(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: out + "/" + name)) }
        #expect(try String(contentsOfFile: out + "/outcomes.json", encoding: .utf8)
            .contains("\"dataCut\" : {\n    \"firstAuditRecord\" : \(reportCut),\n    \"lastAuditRecord\" : \(reportCut)\n  }"))
        // `derive --out` streams into the same files, byte for byte, twice into one folder (the second replaces the first),
        // and leaves nothing but them.
        let streamedOut = dir.appendingPathComponent("streamed").path
        for _ in 0..<2 {
            let files = try await derive(["--out", streamedOut])
            #expect(files.status == 0 && files.stdout.contains("wrote"), "\(files.stderr)")
            let cut = try #require(Self.cut(files.stdout))
            #expect(cut == reportCut, "its own sign-in does not move the data cut")
            #expect(try FileManager.default.contentsOfDirectory(atPath: streamedOut).sorted() == names.sorted())
            for name in names {
                let streamedFile = try Data(contentsOf: URL(fileURLWithPath: streamedOut + "/" + name))
                #expect(streamedFile == (try reference(name)), "\(name)")
                #expect(name == "outcomes.json" || String(decoding: streamedFile, as: UTF8.self).components(separatedBy: "\r\n").count > 2,
                        "\(name) holds rows, not only its header")
            }
        }
        // `report --draw` below the study's size streams the same files in one pass and draws only the first participants.
        let drawnOut = dir.appendingPathComponent("drawn").path
        let drawn = try await CLI.runAsync(["report", "--db", url, "--user", "demo-statistician", "--out", drawnOut, "--draw", "2"], stdin: password + "\n")
        #expect(drawn.status == 0 && drawn.stdout.contains("3 enrolled, 3 treated, 2 drawn"), "\(drawn.stdout) \(drawn.stderr)")
        #expect(Self.cut(drawn.stdout) == reportCut)
        for name in names {
            #expect(try Data(contentsOf: URL(fileURLWithPath: drawnOut + "/" + name)) == (try reference(name)), "\(name)")
        }
        let drawnHTML = try String(contentsOfFile: drawnOut + "/report.html", encoding: .utf8)
        let wholeHTML = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(drawnHTML.contains("id=\"report-excerpt\"") && drawnHTML.contains("This study has 3 enrolled participants"))
        #expect(!wholeHTML.contains("id=\"report-excerpt\""))
        #expect(drawnHTML.components(separatedBy: "<tr id=\"report-row-").count == 3 && wholeHTML.components(separatedBy: "<tr id=\"report-row-").count == 4)
        let noDraw = try await CLI.runAsync(["report", "--db", url, "--user", "demo-statistician", "--out", drawnOut, "--draw", "0"], stdin: password + "\n")
        #expect(noDraw.status != 0 && noDraw.stderr.contains("--draw must be at least 1"), "\(noDraw.stderr)")
        // A file where the folder should be is refused by name, and left as it was.
        let notAFolder = try await derive(["--out", out + "/outcomes.json"])
        #expect(notAFolder.status != 0 && notAFolder.stderr.contains("is a file, not a folder"), "\(notAFolder.stderr)")
        let streamed = try await derive([])
        #expect(streamed.status == 0 && streamed.stderr.contains("SYNTHETIC"), "\(streamed.stderr)")
        // Standard output carries the JSON, so the cut goes to standard error.
        #expect(Self.cut(streamed.stderr) == reportCut)
        #expect(streamed.stdout == String(decoding: try reference("outcomes.json"), as: UTF8.self) + "\n")
        let parsed = try JSONSerialization.jsonObject(with: Data(streamed.stdout.utf8)) as? [String: Any]
        #expect((parsed?["participants"] as? [Any])?.count == 3)
        let subjects = try String(contentsOfFile: out + "/subjects.csv", encoding: .utf8)
        for _ in 0..<2 {
            let csv = try await derive(["--format", "csv", "--table", "subjects"])
            #expect(csv.status == 0 && csv.stdout == subjects, "\(csv.stderr)")
        }
        // The first CSV pass kept each participant's figures (the JSON passes, which show sources, derive afresh).
        let store = try await CartaStore.open(try DatabaseURL(parsing: url))
        let kept = try await store.tableContents("outcome_figures", orderBy: "participant_id")
        await store.close()
        #expect(kept.count == 3)
    }

    /// The audit record of a run's "data as of audit record N" line.
    static func cut(_ output: String) -> Int? {
        guard let range = output.range(of: "data as of audit record ") else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }

    /// `carta demo --scale N` loads a scale cohort a statistician derives like any other (one CSV row per
    /// participant), `carta audit verify` finds the chain intact and the data as audited, and a bad size is refused
    /// before anything is opened.
    @Test func theScaleCohortLoadsFromTheCommandLine() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let refused = try await CLI.runAsync(["demo", "--db", url, "--scale", "0"])
        #expect(refused.status != 0 && refused.stderr.contains("--scale must be between 1 and 1000000"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("carta.sqlite").path))
        let load = try await CLI.runAsync(["demo", "--db", url, "--scale", "25", "--seed", "5"])
        #expect(load.status == 0, "\(load.stderr)")
        #expect(load.stdout.contains("Synthetic scale cohort (not a real trial)") && load.stdout.contains("25 participants"), "\(load.stdout)")
        let password = try #require(load.stdout.split(separator: "\n").first { $0.contains("demo-statistician\t") }?.split(separator: "\t").last.map(String.init))
        let csv = try await CLI.runAsync(["derive", "--db", url, "--user", "demo-statistician", "--format", "csv", "--table", "subjects"], stdin: password + "\n")
        #expect(csv.status == 0 && csv.stderr.contains("SYNTHETIC"), "\(csv.stderr)")
        #expect(csv.stdout.split(whereSeparator: \.isNewline).count == 26, "\(csv.stdout.prefix(400))")
        let verify = try await CLI.runAsync(["audit", "verify", "--db", url])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }
}
