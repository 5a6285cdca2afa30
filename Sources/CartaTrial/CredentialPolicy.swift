import Foundation

/// What a user name and a password must be before an account is created or a password set.
///
/// Source: NIST SP 800-63B §5.1.1.2 (memorised secrets: at least 8 characters, check against lists
/// of commonly used or compromised values, no composition rules); OWASP Authentication Cheat Sheet
/// (reject passwords beyond the hash's input limit rather than truncate — bcrypt reads 72 bytes);
/// Unicode TR #15 (NFC) and TR #36 §3 (invisible and look-alike characters in identifiers);
/// issue 7 (weak passwords and look-alike user names were accepted). The 12-character minimum is the
/// study's policy (issue 7), stricter than NIST's floor.
public enum CredentialPolicy {
    /// Minimum password length in characters.
    public static let minimumPasswordLength = 12
    /// bcrypt's input limit: longer passwords would be silently truncated, so they are refused.
    public static let maximumPasswordBytes = 72

    /// Commonly chosen long passwords, compared case-insensitively (a shortlist of the patterns in
    /// public breach corpora that survive a 12-character minimum).
    static let common: Set<String> = [
        "password1234", "password12345", "password123456", "passwordpassword", "password1234!", "p@ssword1234",
        "123456789012", "1234567890123", "12345678901234", "123456123456", "qwertyuiopas", "qwerty123456",
        "qwertyqwerty", "1q2w3e4r5t6y", "iloveyou1234", "administrator", "administrator1", "letmeinletmein",
        "welcome12345", "welcome123456", "changeme1234", "changemechangeme", "trustno1trustno1", "abcdefghijkl",
        "abc123abc123", "monkey123456", "football1234", "baseball1234", "superman1234", "starwars1234",
        "sunshine1234", "princess1234", "dragon123456", "master123456", "whatever1234", "computer1234",
        "internet1234", "carta1234567", "cartapassword", "investigator", "coordinator1",
    ]

    /// The problem with `password` for account `username`, or nil when it is acceptable.
    public static func passwordProblem(_ password: String, username: String? = nil) -> String? {
        if password.count < minimumPasswordLength {
            return "password: must have at least \(minimumPasswordLength) characters"
        }
        if password.utf8.count > maximumPasswordBytes {
            return "password: must be at most \(maximumPasswordBytes) bytes (longer ones would be cut short by bcrypt); use a shorter passphrase"
        }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "password: must not contain control characters"
        }
        if password.allSatisfy(\.isWhitespace) { return "password: must not be only spaces" }
        if Set(password.lowercased()).count < 5 {
            return "password: uses too few different characters (e.g. aaaaaaaaaaaa); choose a passphrase"
        }
        let lower = password.lowercased()
        if let username, !username.isEmpty, lower.contains(username.lowercased()) {
            return "password: must not contain the user name"
        }
        if common.contains(lower) || isSequence(lower) {
            return "password: is on the list of commonly used passwords; choose another"
        }
        return nil
    }

    /// A run such as `123456789012` or `abcdefghijkl` (each character one after the previous).
    static func isSequence(_ s: String) -> Bool {
        let v = s.unicodeScalars.map(\.value)
        guard v.count >= 2 else { return false }
        let ascending = zip(v, v.dropFirst()).allSatisfy { $1 == $0 + 1 || ($0 == 0x39 && $1 == 0x30) }
        let descending = zip(v, v.dropFirst()).allSatisfy { $0 == $1 + 1 }
        return ascending || descending
    }

    /// The canonical form of a user name (NFC, lower case), or the problem with it.
    ///
    /// Letters, digits and `. _ -` only, 2–64 characters, starting with a letter: no invisible,
    /// look-alike-prone or markup characters, and `ADMIN` is the same account as `admin`.
    public static func canonicalUsername(_ raw: String) -> Result<String, WorkflowError> {
        let name = raw.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces).lowercased()
        func refuse(_ why: String) -> Result<String, WorkflowError> { .failure(.invalid("username", "username: \(why)")) }
        guard (2...64).contains(name.count) else { return refuse("must have 2 to 64 characters") }
        let allowed = name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._-".unicodeScalars.contains($0) }
        guard allowed else {
            return refuse("use only the letters a–z, digits and . _ - (no spaces, invisible or accented characters, no markup)")
        }
        guard name.unicodeScalars.first.map({ $0.properties.isAlphabetic }) == true else { return refuse("must start with a letter") }
        return .success(name)
    }
}
