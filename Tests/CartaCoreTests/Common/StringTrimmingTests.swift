import Foundation
import Testing
@testable import CartaCore

/// `trimmedOfWhitespace` gives what Foundation's trimming gives, for the strings entry checks see and the ones the
/// fast path must not take (Unicode spaces and newlines at either end).
@Suite("Trimming whitespace")
struct StringTrimmingTests {
    static let samples = ["", " ", "12.5", " 12.5", "12.5 ", "\t12\n", "10*9/L", "µmol/L", "\u{00A0}5", "5\u{00A0}", "\u{2003}x\u{2028}",
                          "\u{3000}", "a b", "\r\n", "Synthetic Participant 1", "é", "x\u{0085}", "\u{200B}x"]

    @Test(arguments: samples)
    func trimmingIsFoundations(text: String) {
        #expect(text.trimmedOfWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(text.trimmedOfWhitespace(newlines: false) == text.trimmingCharacters(in: .whitespaces))
    }
}
