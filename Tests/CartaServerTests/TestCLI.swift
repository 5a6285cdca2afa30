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

    static let spawnLock = NSLock()

    /// Runs `carta ARGS`, feeding `stdin`; waits for it to exit.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let binary = self.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the package first: \(binary.path) is missing")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CARTA_DATABASE_URL")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        // Foundation's Process.run on Linux is not safe to call from several threads at once (it
        // walks and closes every open descriptor and changes the working directory around posix_spawn);
        // parallel tests crashed in it, so spawns take turns. Waiting for the child stays parallel.
        try spawnLock.withLock { try process.run() }
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let errData = ErrorReader(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.wait(), as: UTF8.self))
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
