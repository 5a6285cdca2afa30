import CartaTrial
import Foundation
import Testing

/// TOTP against the published vectors.
/// Source: RFC 6238 Appendix B (SHA-1 rows: seed "12345678901234567890", 8 digits, X = 30, T0 = 0);
/// RFC 4648 §10 (base32 vectors).
@Suite("TOTP (RFC 6238) and base32 (RFC 4648)")
struct TOTPTests {
    static let rfcSeed = Data("12345678901234567890".utf8)

    @Test(arguments: [
        (59.0, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
        (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130"),
    ])
    func rfc6238AppendixBVectors(time: Double, expected: String) {
        #expect(TOTP(secret: Self.rfcSeed, digits: 8).code(at: Date(timeIntervalSince1970: time)) == expected)
    }

    @Test func sixDigitCodesAreTheLastSixOfTheTruncation() {
        // RFC 4226 Appendix D: HOTP values for counter 0 and 1 with the same seed.
        let totp = TOTP(secret: Self.rfcSeed)
        #expect(totp.code(step: 0) == "755224")
        #expect(totp.code(step: 1) == "287082")
    }

    @Test func oneStepOfDriftEachWayAndNeverTheSameStepTwice() {
        let totp = TOTP(secret: Self.rfcSeed)
        let now = Date(timeIntervalSince1970: 1_700_000_015)
        let step = totp.step(at: now)
        #expect(totp.matchingStep(totp.code(step: step), at: now, lastUsedStep: nil) == step)
        #expect(totp.matchingStep(totp.code(step: step - 1), at: now, lastUsedStep: nil) == step - 1)
        #expect(totp.matchingStep(totp.code(step: step + 1), at: now, lastUsedStep: nil) == step + 1)
        #expect(totp.matchingStep(totp.code(step: step - 2), at: now, lastUsedStep: nil) == nil, "two steps old")
        #expect(totp.matchingStep(totp.code(step: step + 2), at: now, lastUsedStep: nil) == nil, "two steps ahead")
        #expect(totp.matchingStep(totp.code(step: step), at: now, lastUsedStep: step) == nil, "replay of a used code")
        #expect(totp.matchingStep(totp.code(step: step - 1), at: now, lastUsedStep: step) == nil, "an older code after a newer one")
        // Typed with a space or hyphen between groups, as apps display them.
        let c = totp.code(step: step)
        #expect(totp.matchingStep(String(c.prefix(3)) + " " + String(c.suffix(3)), at: now, lastUsedStep: nil) == step)
        #expect(totp.matchingStep("12345", at: now, lastUsedStep: nil) == nil)
        #expect(totp.matchingStep("１２３４５６", at: now, lastUsedStep: nil) == nil, "full-width digits are not digits here")
    }

    @Test(arguments: [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"),
                      ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")])
    func base32Vectors(plain: String, encoded: String) {
        #expect(Base32.encode(Data(plain.utf8)) == encoded)
        #expect(Base32.decode(encoded) == Data(plain.utf8))
        #expect(Base32.decode(encoded.lowercased() + "===") == Data(plain.utf8))
    }

    @Test func keyURIForAuthenticatorApps() {
        let uri = TOTP(secret: Data("foobar".utf8)).keyURI(account: "dr.li", issuer: "Carta")
        #expect(uri == "otpauth://totp/Carta:dr.li?secret=MZXW6YTBOI&issuer=Carta&algorithm=SHA1&digits=6&period=30")
        #expect(Base32.decode("MZ1") == nil, "1 is not in the base32 alphabet")
    }
}
