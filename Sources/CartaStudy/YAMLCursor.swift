import CartaCore
import Foundation
import Yams

/// A position in the YAML tree with its path; typed getters report problems instead of throwing,
/// so reading continues and every problem is collected.
///
/// Source: issue 2 scope item 2 ("every problem, each with its path in the file").
struct YAMLCursor {
    let node: Node?
    let path: String
    let log: ProblemLog
    /// Line of the parent, used when the node itself is absent.
    let line: Int?

    var here: Int? { node?.mark?.line ?? line }

    /// True when the key exists and is not null (`~`, `null` or nothing, unquoted).
    var isPresent: Bool {
        guard let node else { return false }
        // Checked by hand: Yams' `Node.null` runs the regex-based tag resolver on every call.
        if case .scalar(let s) = node, s.style == .plain || s.style == .any, ["", "~", "null", "Null", "NULL"].contains(s.string) {
            return false
        }
        return true
    }

    func problem(_ message: String) { log.add(path, here, message) }

    func child(_ key: String) -> YAMLCursor {
        var found: Node?
        if case .mapping(let m)? = node {
            for (k, v) in m where k.string == key { found = v; break }
        }
        return YAMLCursor(node: found, path: path.isEmpty ? key : "\(path).\(key)", log: log, line: here)
    }

    /// Checks that the node is a mapping and reports every key not in `known`.
    @discardableResult
    func mapping(known: [String], required: Bool = true) -> Bool {
        guard isPresent else { if required { problem("required section is missing") }; return false }
        guard case .mapping(let m)? = node else { problem("expected a mapping of keys (\(known.joined(separator: ", ")))"); return false }
        for (k, _) in m {
            let name = k.string ?? "?"
            if !known.contains(name) {
                let hint = YAMLCursor.closest(name, in: known).map { "; did you mean \"\($0)\"?" } ?? ""
                log.add(path.isEmpty ? name : "\(path).\(name)", k.mark?.line, "unknown key \"\(name)\"\(hint)")
            }
        }
        return true
    }

    /// The keys and values of a mapping in file order (nil if not a mapping).
    func entries() -> [(String, YAMLCursor)]? {
        guard case .mapping(let m)? = node else { return nil }
        return m.map { k, v in
            let name = k.string ?? "?"
            return (name, YAMLCursor(node: v, path: path.isEmpty ? name : "\(path).\(name)", log: log, line: here))
        }
    }

    private var scalarText: String? {
        guard case .scalar(let s)? = node else { return nil }
        return s.string
    }

    func string(required: Bool = true) -> String? {
        guard isPresent else { if required { problem("required field is missing") }; return nil }
        guard let s = scalarText else { problem("expected text"); return nil }
        if s.trimmingCharacters(in: .whitespaces).isEmpty { problem("must not be empty"); return nil }
        return s
    }

    /// One of an enumeration's raw values; anything else is a problem that lists the choices.
    func choice<E: RawRepresentable & CaseIterable>(_ type: E.Type, required: Bool = true) -> E? where E.RawValue == String {
        guard let text = string(required: required) else { return nil }
        if let e = E(rawValue: text) { return e }
        problem("must be one of \(E.allCases.map(\.rawValue).joined(separator: ", ")) (got \(text.quotedForMessage))")
        return nil
    }

    func int(required: Bool = true) -> Int? {
        guard isPresent else { if required { problem("required field is missing") }; return nil }
        guard let s = scalarText, let i = Int(s) else { problem("expected a whole number"); return nil }
        return i
    }

    func double(required: Bool = true) -> Double? {
        guard isPresent else { if required { problem("required field is missing") }; return nil }
        guard let s = scalarText, let d = Double(s), d.isFinite else { problem("expected a number"); return nil }
        return d
    }

    func bool(default value: Bool?) -> Bool? {
        guard isPresent else { if value == nil { problem("required field is missing") }; return value }
        switch scalarText {
        case "true": return true
        case "false": return false
        default: problem("expected true or false"); return value
        }
    }

    /// The elements of a sequence (empty, with a problem, when missing or not a sequence).
    func sequence(required: Bool = true) -> [YAMLCursor] {
        guard isPresent else { if required { problem("required list is missing") }; return [] }
        guard case .sequence(let s)? = node else { problem("expected a list"); return [] }
        return s.enumerated().map { YAMLCursor(node: $1, path: "\(path)[\($0)]", log: log, line: here) }
    }

    func strings(required: Bool = true) -> [String] {
        sequence(required: required).compactMap { $0.string() }
    }

    /// The known name nearest to `name`, for "did you mean" hints.
    static func closest(_ name: String, in known: [String]) -> String? {
        KeySuggestion.closest(to: name, among: known)
    }

    /// The line of the node at `field` below this one (`a.b[2].c`), nil when it is not in the file.
    func line(at field: String) -> Int? {
        var node = self.node
        for part in field.split(separator: ".") {
            var name = Substring(part), indexes: [Int] = []
            while let open = name.lastIndex(of: "["), name.hasSuffix("]"), let i = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                indexes.insert(i, at: 0); name = name[..<open]
            }
            if !name.isEmpty {
                guard case .mapping(let m)? = node else { return nil }
                node = m.first { $0.key.string == String(name) }?.value
            }
            for i in indexes {
                guard case .sequence(let seq)? = node, i < seq.count else { return nil }
                node = seq[i]
            }
        }
        return node?.mark?.line
    }
}
