import Crypto
import Foundation

/// Time-based one-time passwords, the optional second factor of an account.
///
/// Source: RFC 6238 (TOTP: T = floor((now − T0) / X), X = 30 s, T0 = 0) over RFC 4226 §5.3 (HOTP:
/// HMAC-SHA-1 of the 8-byte big-endian counter, dynamic truncation, modulo 10^digits); RFC 6238 §5.2
/// (a verifier accepts at most one step of clock drift each way and never accepts the same step twice —
/// the caller keeps the last step used). Authenticator apps read the `otpauth://` URI of the Google
/// Authenticator key-URI format (secret in RFC 4648 base32, SHA1, 6 digits, 30 s).
public struct TOTP: Sendable, Equatable {
    /// The shared secret (RFC 4226 §4 R6: at least 128 bits; we make 160).
    public let secret: Data
    /// Digits in a code.
    public let digits: Int
    /// Seconds per step (X).
    public let period: Int

    /// Creates a generator for a secret.
    public init(secret: Data, digits: Int = 6, period: Int = 30) {
        self.secret = secret
        self.digits = digits
        self.period = period
    }

    /// A new random 160-bit secret from the system's CSPRNG.
    public static func newSecret() -> Data {
        SymmetricKey(size: SymmetricKeySize(bitCount: 160)).withUnsafeBytes { Data($0) }
    }

    /// The time step containing `date` (RFC 6238 §4.2).
    public func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / Double(period)).rounded(.down))
    }

    /// The code for one time step (RFC 4226 §5.3), left-padded with zeros to `digits`.
    public func code(step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: max(0, digits - value.count)) + value
    }

    /// The code valid at `date`.
    public func code(at date: Date) -> String { code(step: step(at: date)) }

    /// The step a typed code belongs to, within one step of `date` either way and later than
    /// `lastUsedStep` (RFC 6238 §5.2: no code is accepted twice); nil if none matches.
    /// Spaces and hyphens typed between digit groups are ignored.
    public func matchingStep(_ typed: String, at date: Date, lastUsedStep: Int64?) -> Int64? {
        let digitsOnly = typed.filter { $0 != " " && $0 != "-" }
        guard digitsOnly.count == digits, digitsOnly.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let now = step(at: date)
        for candidate in [now - 1, now, now + 1] where candidate > (lastUsedStep ?? Int64.min) {
            if constantTimeEqual(code(step: candidate), digitsOnly) { return candidate }
        }
        return nil
    }

    /// The key URI an authenticator app imports (`otpauth://totp/Issuer:account?secret=…&issuer=…`).
    public func keyURI(account: String, issuer: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s }
        return "otpauth://totp/\(enc(issuer)):\(enc(account))?secret=\(Base32.encode(secret))&issuer=\(enc(issuer))&algorithm=SHA1&digits=\(digits)&period=\(period)"
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

/// RFC 4648 §6 base32 (alphabet A–Z, 2–7), the form in which authenticator apps take a secret.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    /// Encodes without padding (authenticator apps accept and expect that).
    public static func encode(_ data: Data) -> String {
        var out = ""
        var buffer: UInt32 = 0
        var bits = 0
        for byte in data {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return out
    }

    /// Decodes, ignoring case, spaces and `=` padding; nil for any other character.
    public static func decode(_ text: String) -> Data? {
        var out = Data()
        var buffer: UInt32 = 0
        var bits = 0
        for ch in text.uppercased() where ch != " " && ch != "=" {
            guard let value = alphabet.firstIndex(of: ch) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return out
    }
}
