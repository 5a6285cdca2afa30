import CartaModel
@testable import CartaTrial
import Testing

/// The strict reader behind the archive re-import: XML 1.0's escapes read back exactly as `ODMArchive` writes
/// them, and everything outside the subset refused with its line (W3C XML 1.0 §2.4, §3.1, §4.1, §4.6).
@Suite struct XMLTreeTests {
    @Test func readsElementsAttributesTextAndEscapes() throws {
        let tree = try XMLTree.parse("""
            \u{FEFF}<?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment before the root -->
            <ODM a="1 &amp; 2 &lt;3&gt; &quot;q&quot;" b='it&apos;s'>
              <Item Value="line&#10;break&#9;tab &#x3bc;L"/>
              <Note>AT&amp;T <!-- skipped --> ≥ 5 &#8805;</Note>
              <Empty></Empty>
            </ODM>
            """)
        #expect(tree.name == "ODM" && tree["a"] == "1 & 2 <3> \"q\"" && tree["b"] == "it's")
        #expect(tree.child("Item")?["Value"] == "line\nbreak\ttab μL")
        #expect(tree.child("Note")?.text == "AT&T  ≥ 5 ≥")
        #expect(tree.children.map(\.name) == ["Item", "Note", "Empty"] && tree.children("Empty").count == 1)
    }

    /// XML 1.0 forbids U+FFFE and U+FFFF: a value saved with one before entry refused them is written as U+FFFD, so the
    /// archive stays readable and the reader still sees that something was there.
    @Test func theArchiveNeverWritesACharacterXMLForbids() throws {
        let nonchar = { (v: UInt32) in String(Character(Unicode.Scalar(v)!)) }
        let escaped = XMLWriter.escape("v2" + nonchar(0xFFFF) + " " + nonchar(0xFFFE) + "<", attribute: true)
        #expect(escaped == "v2\u{FFFD} \u{FFFD}&lt;")
        #expect(try XMLTree.parse("<a b=\"\(escaped)\"/>")["b"] == "v2\u{FFFD} \u{FFFD}<")
    }

    @Test(arguments: [
        ("<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>", "document type declaration"),
        ("<a>&x;</a>", "unknown entity &x;"),
        ("<a><b></a>", "</a> closes <b>"),
        ("<a b=\"1\" b=\"2\"/>", "appears twice"),
        ("<a b=1/>", "not quoted"),
        ("<a>\n\n<b>", "line 3: <b> is not closed"),
        ("<a/><b/>", "text after the root element"),
        ("<a><![CDATA[x]]></a>", "CDATA"),
        ("<a b=\"<\"/>", "\"<\" inside an attribute value"),
        ("<a>&#xD800;</a>", "is not a character"),
    ])
    func refusesWhatIsOutsideTheSubset(text: String, expected: String) {
        #expect(throws: XMLTree.ParseError.self) { try XMLTree.parse(text) }
        do { _ = try XMLTree.parse(text) } catch { #expect("\(error)".contains(expected), "\(error)") }
    }

    /// The archive's ReasonForChange shows the reason as people read it; the restore stores it as Carta does.
    @Test func aReasonReadsBackFromHowItIsShown() {
        for reason in [ChangeReason(code: .transcriptionError), ChangeReason(code: .other, text: "scale read twice — 69.5"),
                       ChangeReason(code: .queryResponse, text: "see query 3")] {
            #expect(ChangeReason.stored(display: reason.display) == reason.stored)
        }
        #expect(ChangeReason.stored(display: "enrolment by the investigator") == "enrolment by the investigator")
    }
}
