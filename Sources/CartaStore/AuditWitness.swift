import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The head of the audit chain as last committed, kept in a file outside the database with a MAC, so that
/// deleting the newest records (which a hash chain alone cannot show) is detected.
///
/// Source: issue 7 scope 8 ("detects deletion of the newest records … signed checkpoints of the head, with the
/// key kept outside the database"); Crosby & Wallach, "Efficient Data Structures for Tamper-Evident Logging"
/// (USENIX Security 2009) §2 (a commitment to the head held by a party the logger cannot rewrite).
struct AuditWitness: Sendable, Equatable, Codable {
    /// Format version of the file.
    var version: Int = 1
    /// The first seq whose record is keyed (HMAC); earlier records are plain SHA-256 (written before migration 0007).
    var keyedFrom: Int
    /// The seq of the newest committed audit record (0 when there is none).
    var seq: Int
    /// Its hash (the genesis hash when there is none).
    var hash: String
    /// HMAC-SHA256 over the fields above.
    var mac: String

    static func signedText(keyedFrom: Int, seq: Int, hash: String) -> String {
        "carta-audit-head-v1\n\(keyedFrom)\n\(seq)\n\(hash)"
    }

    static func make(keyedFrom: Int, seq: Int, hash: String, key: AuditKey) -> AuditWitness {
        AuditWitness(keyedFrom: keyedFrom, seq: seq, hash: hash,
                     mac: key.mac(signedText(keyedFrom: keyedFrom, seq: seq, hash: hash)))
    }

    /// Whether the MAC matches the content under `key`.
    func isAuthentic(_ key: AuditKey) -> Bool {
        key.matches(mac, key.mac(Self.signedText(keyedFrom: keyedFrom, seq: seq, hash: hash)))
    }
}

/// Reads and atomically replaces the witness file; never moves it backwards.
///
/// Source: POSIX rename(2) (atomic replacement); flock(2) orders several processes on one database.
struct AuditWitnessFile: Sendable {
    let path: String

    /// The witness, `nil` when the file does not exist, or an error when it exists but cannot be parsed.
    func read() throws -> AuditWitness? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path),
              let witness = try? JSONDecoder().decode(AuditWitness.self, from: data) else {
            throw StoreError(.database, "the audit head witness \(path) cannot be read or parsed")
        }
        return witness
    }

    /// Replaces the witness with `make(current)` under an exclusive lock, unless the file already records a
    /// later head (another process committed after us and wrote first).
    func advance(_ make: (AuditWitness?) -> AuditWitness?) throws {
        let lockPath = path + ".lock"
        let lockFD = open(lockPath, O_RDWR | O_CREAT, 0o600)
        guard lockFD >= 0 else {
            throw StoreError(.database, "cannot open the audit head witness lock \(lockPath): \(String(cString: strerror(errno)))")
        }
        defer { close(lockFD) }
        guard flock(lockFD, LOCK_EX) == 0 else {
            throw StoreError(.database, "cannot lock the audit head witness \(lockPath)")
        }
        defer { flock(lockFD, LOCK_UN) }
        let current = try? read()
        guard let next = make(current ?? nil) else { return }
        if let current = current ?? nil, current.seq > next.seq { return }
        try write(next)
    }

    private func write(_ witness: AuditWitness) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(witness) + Data("\n".utf8)
        let tmp = "\(path).tmp.\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else {
            throw StoreError(.database, "cannot write the audit head witness \(tmp): \(String(cString: strerror(errno)))")
        }
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        guard written == data.count, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw StoreError(.database, "cannot replace the audit head witness \(path)")
        }
    }
}
