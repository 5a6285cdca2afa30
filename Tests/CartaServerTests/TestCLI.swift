import CartaTrial
import Foundation
import Testing

// MARK: - The command-line binary

/// Runs the built `carta` executable (`.build/debug/carta`) with arguments and optional stdin.
enum CLI {
    /// The package root, three levels above this file (Tests/CartaServerTests/…).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL { packageRoot.appendingPathComponent(".build/debug/carta") }

    struct Result: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `carta ARGS`, feeding `stdin`; waits for it to exit.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let binary = self.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the package first: \(binary.path) is missing")
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CARTA_DATABASE_URL")
        for (k, v) in environment { env[k] = v }
        let child = try ChildProcess(binary.path, arguments, environment: env)
        if let stdin { child.stdin.write(Data(stdin.utf8)) }
        try child.stdin.close()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let errData = ErrorReader(child.stderr)
        let outData = child.stdout.readDataToEndOfFile()
        let status = child.waitForExit()
        return Result(status: status, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.wait(), as: UTF8.self))
    }

    /// `run` on a Dispatch thread: waiting for a child process blocks its thread, and an async test that blocks a
    /// thread of Swift's cooperative pool (two threads on this machine) starves every other test's tasks — a live
    /// server in a parallel test then missed its 15 s read timeout while a test ran 126 commands in a row.
    static func runAsync(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try run(arguments, stdin: stdin, environment: environment) })
            }
        }
    }

    /// A temporary SQLite database URL in a fresh folder.
    static func tempSQLite() throws -> (url: String, dir: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return ("sqlite://" + dir.appendingPathComponent("carta.sqlite").path, dir)
    }
}

/// Reads a pipe to its end on a background thread.
/// `@unchecked Sendable`: `data` is written once by the reader thread before `done` is signalled
/// and read only after waiting on `done`.
final class ErrorReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
