import Foundation

/// An XML element with its attributes, child elements and text, read by a small strict parser.
///
/// Carta reads back its own archives (`ODMImportService`), so the parser takes the XML 1.0 subset they use —
/// elements, attributes, character data, the five predefined entities and character references, comments and
/// the XML declaration — and refuses the rest with the line it is on. A document type declaration is refused:
/// with no DTD there are no external entities to fetch and no entity expansion to blow up (OWASP XXE and
/// "billion laughs"). Not `FoundationXML`: that would make the `carta` binary need libxml2 at run time.
///
/// Source: W3C XML 1.0 (Fifth Edition) §2.4 character data, §2.5 comments, §2.8 prolog, §3.1 start and end
/// tags, §4.1 character and entity references, §4.6 predefined entities.
public struct XMLTree: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var children: [XMLTree]
    /// The element's own character data, concatenated (child elements' text is theirs).
    public var text: String

    public init(name: String, attributes: [String: String] = [:], children: [XMLTree] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    public subscript(attribute: String) -> String? { attributes[attribute] }

    /// The child elements called `name`, in document order.
    public func children(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The first child element called `name`.
    public func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// Why a document could not be read: what and on which line.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses a whole document and returns its root element.
    public static func parse(_ text: String) throws -> XMLTree {
        var parser = Parser(bytes: Array(text.utf8))
        return try parser.document()
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0
        var line = 1

        init(bytes: [UInt8]) { self.bytes = bytes }

        func fail(_ message: String) -> ParseError { ParseError(line: line, message: message) }

        var atEnd: Bool { i >= bytes.count }

        func peek(_ s: String) -> Bool {
            let u = Array(s.utf8)
            return i + u.count <= bytes.count && Array(bytes[i..<(i + u.count)]) == u
        }

        mutating func advance(_ n: Int = 1) {
            for _ in 0..<n where i < bytes.count {
                if bytes[i] == UInt8(ascii: "\n") { line += 1 }
                i += 1
            }
        }

        mutating func skipSpace() {
            while !atEnd, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { advance() }
        }

        mutating func skip(past terminator: String, what: String) throws {
            while !atEnd && !peek(terminator) { advance() }
            guard !atEnd else { throw fail("\(what) is not closed") }
            advance(terminator.utf8.count)
        }

        /// The prolog and comments before the root; a DOCTYPE is refused.
        mutating func misc() throws {
            while true {
                skipSpace()
                if peek("<?") { try skip(past: "?>", what: "a processing instruction") } else if peek("<!--") {
                    try skip(past: "-->", what: "a comment")
                } else if peek("<!") {
                    throw fail("a document type declaration or CDATA section is not accepted (no DTD is read)")
                } else { return }
            }
        }

        mutating func document() throws -> XMLTree {
            if peek("\u{FEFF}") { advance(3) }
            try misc()
            guard peek("<") else { throw fail("the document does not start with an element") }
            let root = try element()
            try misc()
            guard atEnd else { throw fail("text after the root element") }
            return root
        }

        static func isNameByte(_ b: UInt8) -> Bool {
            b >= 0x80 || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
                || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
        }

        mutating func name() throws -> String {
            let start = i
            while !atEnd && Self.isNameByte(bytes[i]) { advance() }
            guard i > start else { throw fail("a name was expected") }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        /// Character data up to `stop`, with entity and character references resolved.
        mutating func characters(until stop: UInt8) throws -> String {
            var out = [UInt8]()
            while !atEnd && bytes[i] != stop {
                if bytes[i] == UInt8(ascii: "<") { throw fail("\"<\" inside an attribute value") }
                if bytes[i] == UInt8(ascii: "&") {
                    advance()
                    let start = i
                    while !atEnd && bytes[i] != UInt8(ascii: ";") && i - start < 12 { advance() }
                    guard !atEnd, bytes[i] == UInt8(ascii: ";") else { throw fail("an entity reference is not closed with \";\"") }
                    let ref = String(decoding: bytes[start..<i], as: UTF8.self)
                    advance()
                    out += Array(try Self.resolve(ref, fail: fail).utf8)
                } else {
                    out.append(bytes[i])
                    advance()
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        static func resolve(_ ref: String, fail: (String) -> ParseError) throws -> String {
            switch ref {
            case "amp": return "&"
            case "lt": return "<"
            case "gt": return ">"
            case "quot": return "\""
            case "apos": return "'"
            default:
                let code: UInt32?
                if ref.hasPrefix("#x") { code = UInt32(ref.dropFirst(2), radix: 16) } else if ref.hasPrefix("#") {
                    code = UInt32(ref.dropFirst(), radix: 10)
                } else { throw fail("unknown entity &\(ref); (only the five predefined entities are accepted)") }
                guard let code, let scalar = Unicode.Scalar(code) else { throw fail("&\(ref); is not a character") }
                return String(Character(scalar))
            }
        }

        mutating func element() throws -> XMLTree {
            advance() // <
            var node = XMLTree(name: try name())
            while true {
                skipSpace()
                guard !atEnd else { throw fail("<\(node.name)> is not closed") }
                if peek("/>") { advance(2); return node }
                if peek(">") { advance(); break }
                let attribute = try name()
                skipSpace()
                guard peek("=") else { throw fail("attribute \(attribute) of <\(node.name)> has no value") }
                advance()
                skipSpace()
                guard !atEnd, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                    throw fail("the value of \(attribute) is not quoted")
                }
                let quote = bytes[i]
                advance()
                let value = try characters(until: quote)
                guard !atEnd else { throw fail("the value of \(attribute) is not closed") }
                advance()
                guard node.attributes[attribute] == nil else { throw fail("attribute \(attribute) appears twice on <\(node.name)>") }
                node.attributes[attribute] = value
            }
            while true {
                guard !atEnd else { throw fail("<\(node.name)> is not closed") }
                if peek("</") {
                    advance(2)
                    let closing = try name()
                    guard closing == node.name else { throw fail("</\(closing)> closes <\(node.name)>") }
                    skipSpace()
                    guard peek(">") else { throw fail("</\(closing)> is not closed") }
                    advance()
                    return node
                } else if peek("<!--") {
                    try skip(past: "-->", what: "a comment")
                } else if peek("<?") {
                    try skip(past: "?>", what: "a processing instruction")
                } else if peek("<!") {
                    throw fail("a CDATA section or declaration inside <\(node.name)> is not accepted")
                } else if peek("<") {
                    node.children.append(try element())
                } else {
                    node.text += try text()
                }
            }
        }

        mutating func text() throws -> String {
            var out = [UInt8]()
            while !atEnd && bytes[i] != UInt8(ascii: "<") {
                if bytes[i] == UInt8(ascii: "&") {
                    let s = try characters(until: UInt8(ascii: "<"))
                    return String(decoding: out, as: UTF8.self) + s
                }
                out.append(bytes[i])
                advance()
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
