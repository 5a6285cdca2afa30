import CartaTrial
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// A `carta serve` process started from the built binary, stopped with SIGTERM.
final class ServeProcess {
    let process: ChildProcess
    let port: Int
    private let stderrDrain: ErrorReader

    init(db: String, environment: [String: String] = [:], arguments: [String] = []) throws {
        let port = try ServeProcess.freePort()
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CARTA_DATABASE_URL")
        env.removeValue(forKey: "CARTA_ADMIN_PASSWORD")
        for (k, v) in environment { env[k] = v }
        process = try ChildProcess(CLI.binary.path, ["serve", "--db", db, "--port", "\(port)"] + arguments, environment: env)
        try process.stdin.close()
        // Drained in the background so the server never blocks on a full stderr pipe.
        stderrDrain = ErrorReader(process.stderr)
        self.port = port
    }

    /// A port nobody listens on now: the kernel picks it for a throwaway socket bound to port 0.
    /// (A random port in 41000–48000 collided with the ephemeral ports of the suite's own
    /// PostgreSQL connections.)
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// GET or POST on the running server; nil while it does not answer.
    func request(_ path: String, method: String = "GET", json: String? = nil) async -> (status: Int, body: String)? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        guard let (data, response) = try? await URLSession.shared.data(for: request),
              let http = response as? HTTPURLResponse else { return nil }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }

    /// Waits until `/healthz` answers 200 (or the process exits), up to `seconds`.
    func waitUntilHealthy(seconds: Int = 15) async throws {
        for _ in 0..<(seconds * 10) {
            if let r = await request("/healthz"), r.status == 200 { return }
            if !process.isRunning {
                try #require(Bool(false), "carta serve exited with status \(process.waitForExit())")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("carta serve did not become healthy on port \(port)")
    }

    /// Stops the server (graceful shutdown) and returns everything it printed on stdout.
    func stop() -> (status: Int32, stdout: String) {
        if process.isRunning { process.terminate() }
        let data = process.stdout.readDataToEndOfFile()
        let status = process.waitForExit()
        return (status, String(decoding: data, as: UTF8.self))
    }
}

/// `carta serve` on a new database: migrates, creates `admin` and prints its password once.
/// Source: issue 2 §5 ("On a new database `serve` creates an `admin` account and prints a one-time
/// password once (or takes `CARTA_ADMIN_PASSWORD`)") and §3 (migrations run by `serve` on an empty database).
@Suite("carta serve", .serialized)
struct ServeCommandTests {
    @Test func firstStartCreatesAdminAndPrintsItsPasswordOnce() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }

        let first = try ServeProcess(db: url)
        try await first.waitUntilHealthy()
        let firstRun = first.stop()
        let lines = firstRun.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let marker = try #require(lines.firstIndex { $0.contains("one-time password") }, "\(firstRun.stdout)")
        let password = lines[marker + 1]
        #expect(password.count >= 20)

        let second = try ServeProcess(db: url)
        try await second.waitUntilHealthy()
        let signIn = await second.request("/api/v1/tokens", method: "POST", json: #"{"username": "admin", "password": "\#(password)"}"#)
        #expect(signIn?.status == 201, "\(String(describing: signIn))")
        #expect(signIn?.body.contains("\"token\"") == true)
        let secondRun = second.stop()
        #expect(!secondRun.stdout.contains("one-time password"), "\(secondRun.stdout)")
        #expect(!secondRun.stdout.contains(password))
    }

    @Test func adminPasswordFromTheEnvironment() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let short = try CLI.run(["serve", "--db", url, "--port", "1"], environment: ["CARTA_ADMIN_PASSWORD": "short"])
        #expect(short.status == 1)
        #expect(short.stderr.contains("CARTA_ADMIN_PASSWORD"))

        let server = try ServeProcess(db: url, environment: ["CARTA_ADMIN_PASSWORD": "root passphrase from env"])
        try await server.waitUntilHealthy()
        let ok = await server.request("/api/v1/tokens", method: "POST", json: #"{"username": "admin", "password": "root passphrase from env"}"#)
        #expect(ok?.status == 201)
        let run = server.stop()
        #expect(!run.stdout.contains("one-time password"))
        #expect(!run.stdout.contains("root passphrase from env"))
    }

    /// `serve --demo` with `--audit-key` and `--audit-witness` fills the demo under that key and serves it under the
    /// same key, twice (found in review: the demo was filled under the default key beside the file, and the serve,
    /// opening with the key given, found records sealed with another); the chain verifies under the given key.
    @Test func theDemoIsFilledAndServedUnderTheAuditKeyGiven() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("elsewhere.key").path, witness = dir.appendingPathComponent("elsewhere.head").path
        for _ in 0..<2 {
            let server = try ServeProcess(db: url, arguments: ["--demo", "--audit-key", key, "--audit-witness", witness])
            // The first start fills the demo through the audited services first (about a minute in a debug build).
            try await server.waitUntilHealthy(seconds: 240)
            let run = server.stop()
            #expect(run.stdout.contains("ynthetic"), "\(run.stdout)")
        }
        #expect(FileManager.default.fileExists(atPath: key))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("carta.sqlite.audit-key").path), "no second key beside the file")
        let verify = try CLI.run(["audit", "verify", "--db", url, "--audit-key", key, "--audit-witness", witness])
        #expect(verify.status == 0 && verify.stdout.contains("Audit chain intact"), "\(verify.stdout) \(verify.stderr)")
    }

    /// A port already in use is a clear error (exit 1, says what to do), not a crash with the
    /// database left open (found in a CI run: the store was never closed on a failed start).
    @Test func portInUseIsAClearError() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let busy = try ServeProcess(db: url, environment: ["CARTA_ADMIN_PASSWORD": "root passphrase from env"])
        try await busy.waitUntilHealthy()
        let second = try CLI.run(["serve", "--db", url, "--port", String(busy.port)])
        _ = busy.stop()
        #expect(second.status == 1, "exit \(second.status): \(second.stderr.suffix(400))")
        #expect(second.stderr.contains("address is in use"), "\(second.stderr.suffix(400))")
    }
}
