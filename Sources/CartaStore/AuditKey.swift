import Foundation
import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the audit trail's secrets live outside the database: the HMAC key file and the head witness file.
///
/// Source: 21 CFR 11.10(e) (secure, computer-generated audit trail); 21 CFR 11.10(c) (protection of records);
/// docs/audit-integrity.md. A `nil` path takes the default: for SQLite a file beside the database
/// (`<db>.audit-key`, `<db>.audit-head`); for PostgreSQL the key file must be given (`--audit-key` /
/// `CARTA_AUDIT_KEY_FILE`) and the witness defaults to `<key file>.<database>.head`.
public struct AuditFiles: Sendable, Equatable {
    /// The HMAC-SHA256 key file (32 random bytes, hex), created with mode 0600 when missing.
    public var keyFile: String?
    /// The head witness file (last seq and hash with a MAC), rewritten atomically after each audited commit.
    public var witnessFile: String?

    /// Creates a configuration; `nil` takes the engine's default.
    public init(keyFile: String? = nil, witnessFile: String? = nil) {
        self.keyFile = keyFile
        self.witnessFile = witnessFile
    }

    /// The concrete paths for a database, or a configuration error naming the missing setting.
    ///
    /// Source: DESIGN.md §4 (a missing setting is reported by name).
    func resolved(for url: DatabaseURL) throws -> (key: String, witness: String) {
        switch url {
        case .sqlite(let path):
            return (keyFile ?? path + ".audit-key", witnessFile ?? path + ".audit-head")
        case .postgres(_, _, _, _, let database):
            guard let keyFile, !keyFile.isEmpty else {
                throw StoreError(.invalidConfiguration, "PostgreSQL needs an audit key file kept outside the database: give --audit-key FILE or CARTA_AUDIT_KEY_FILE (created with mode 0600 for a database with no sealed audit records)")
            }
            return (keyFile, witnessFile ?? "\(keyFile).\(database).head")
        }
    }
}

/// The secret key of the audit chain, loaded from (or created in) a file outside the database.
///
/// Source: RFC 2104 (HMAC); FIPS 198-1; 21 CFR 11.10(e). Whoever can write the database but cannot read
/// this file cannot compute a valid record MAC, checkpoint MAC or head witness.
struct AuditKey: Sendable {
    let key: SymmetricKey
    /// The file it came from (for messages; never the key itself).
    let path: String

    /// Loads the key at `path`, creating it (32 bytes from the system CSPRNG, mode 0600) if the file does not exist.
    static func loadOrCreate(_ path: String) throws -> AuditKey {
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty, !fm.fileExists(atPath: dir) {
                throw StoreError(.invalidConfiguration, "cannot create the audit key file \(path): folder \(dir) does not exist (--audit-key / CARTA_AUDIT_KEY_FILE)")
            }
            let hex = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.hex
            // Written to a private temporary file, then linked into place: link(2) fails if the name exists,
            // so two processes opening a new database at once agree on one key, and nobody reads a half-written file.
            let tmp = "\(path).tmp.\(getpid())"
            let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else {
                throw StoreError(.invalidConfiguration, "cannot create the audit key file \(path): \(String(cString: strerror(errno))) (--audit-key / CARTA_AUDIT_KEY_FILE)")
            }
            let bytes = Array((hex + "\n").utf8)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            fsync(fd)
            close(fd)
            defer { unlink(tmp) }
            guard written == bytes.count else {
                throw StoreError(.invalidConfiguration, "cannot write the audit key file \(path) (--audit-key / CARTA_AUDIT_KEY_FILE)")
            }
            if link(tmp, path) != 0, errno != EEXIST {
                throw StoreError(.invalidConfiguration, "cannot create the audit key file \(path): \(String(cString: strerror(errno))) (--audit-key / CARTA_AUDIT_KEY_FILE)")
            }
        }
        // A key others can read protects nothing (OpenSSH refuses private keys the same way).
        if let mode = (try? fm.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw StoreError(.invalidConfiguration, "the audit key file \(path) is readable by other users (mode \(String(mode, radix: 8))); make it private with chmod 600 (--audit-key / CARTA_AUDIT_KEY_FILE)")
        }
        guard let data = fm.contents(atPath: path) else {
            throw StoreError(.invalidConfiguration, "cannot read the audit key file \(path) (--audit-key / CARTA_AUDIT_KEY_FILE)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(hex: text), bytes.count >= 32 else {
            throw StoreError(.invalidConfiguration, "the audit key file \(path) does not hold at least 32 bytes as hex (--audit-key / CARTA_AUDIT_KEY_FILE)")
        }
        return AuditKey(key: SymmetricKey(data: bytes), path: path)
    }

    /// HMAC-SHA256 of `bytes` as lowercase hex.
    func mac(_ bytes: Data) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: bytes, using: key)).hex
    }

    /// HMAC-SHA256 of the UTF-8 of `text` as lowercase hex.
    func mac(_ text: String) -> String { mac(Data(text.utf8)) }

    /// Compares a stored MAC with the expected one in constant time.
    func matches(_ stored: String, _ expected: String) -> Bool {
        let a = Array(stored.utf8), b = Array(expected.utf8)
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

extension Data {
    /// Lowercase hex.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0x0f)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses lowercase or uppercase hex; `nil` for anything else.
    init?(hex: String) {
        let chars = Array(hex.utf8)
        guard chars.count.isMultiple(of: 2) else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = value(chars[i]), let lo = value(chars[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        self.init(bytes)
    }
}
