import Foundation
import Mustache
import Testing
@testable import CartaWeb

/// Keeps the hand-written `child(named:)` switches (`*+Mustache.swift`) equal to what swift-mustache's
/// `Mirror` look-up would give, so skipping reflection can never change a page.
///
/// Walks the exact tree `PageRenderer` renders (the `Document` around every page fixture) with `Mirror`:
/// - every struct, enum or class value with stored properties conforms to `MustacheParent`;
/// - for every stored property `L`, `child(named: L)` gives a value of the same type and the same
///   `String(describing:)` as Mirror's (Optional unwrapped; `nil` for a nil Optional), never an
///   Optional itself, and an unknown key gives `nil` (so look-up climbs the context stack);
/// - the fixtures can actually catch a wrong case: every Optional is non-nil and every array non-empty
///   somewhere, and every two properties of the same type differ somewhere (else `case "a": b` passes).
@Suite struct MustacheParentDriftTests {
    @Test func childNamedMatchesMirrorForEveryValueOfEveryPage() throws {
        var walk = MirrorWalk()
        for page in RenderedPages.cases() + RenderedPages.cases(text: "§text§") + Self.extraCases {
            walk.visit(Self.document(page), path: page.name)
        }
        for failure in walk.failures { Issue.record(Comment(rawValue: failure)) }
        for failure in walk.coverageFailures() { Issue.record(Comment(rawValue: failure)) }
        #expect(walk.types.count >= 30, "the walk reached only \(walk.types.count) types: \(walk.types.keys.sorted())")
    }

    /// A deliberately wrong conformance must be caught: the check is not vacuous.
    @Test func theWalkCatchesAWrongCase() {
        struct Shown: MustacheParent {
            let a: String, b: String, c: Int?, d: Int?
            func child(named name: String) -> Any? {
                switch name {
                case "a": b
                case "b": b
                case "c": c as Any
                default: ""
                }
            }
        }
        struct Unconverted { let x: Int }
        struct Holder: MustacheParent {
            let shown: Shown, inner: Unconverted
            func child(named name: String) -> Any? {
                switch name {
                case "shown": shown
                case "inner": inner
                default: nil
                }
            }
        }
        var walk = MirrorWalk()
        walk.visit(Holder(shown: Shown(a: "1", b: "2", c: nil, d: 4), inner: Unconverted(x: 1)), path: "h")
        let text = walk.failures.joined(separator: "\n")
        #expect(text.contains("h.shown.a"))  // wrong property
        #expect(text.contains("h.shown.c"))  // Optional returned as Any
        #expect(text.contains("h.shown.d"))  // missing case
        #expect(text.contains("unknown key"))  // default must be nil
        #expect(text.contains("h.inner"))  // struct without conformance
    }

    /// Every `{{name}}`, `{{#name}}`, `{{^name}}` (dotted too) of every template resolves on the context
    /// stack it is rendered in, typed from the fixtures; a key found nowhere would render empty.
    @Test func everyTemplateKeyResolves() throws {
        var walk = MirrorWalk()
        let cases = RenderedPages.cases() + Self.extraCases
        var documents: [(name: String, document: Any)] = []
        for page in cases {
            let document = Self.document(page)
            walk.visit(document, path: page.name)
            documents.append((page.name, document))
        }
        let directory = try #require(PageRenderer.templatesDirectory)
        var checker = TemplateKeyChecker(schema: walk.schema, directory: directory)
        for (name, document) in documents {
            try checker.check(template: "layout", stack: [MirrorWalk.typeName(document)], bodyTemplate: Mirror(reflecting: document).descendant("bodyTemplate") as? String, page: name)
        }
        #expect(checker.unresolved.isEmpty, "template keys that resolve to nothing: \(checker.unresolved.sorted())")
        let all = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(".mustache".count)) }
        #expect(Set(all) == checker.checked, "templates never checked: \(Set(all).subtracting(checker.checked).sorted())")
    }

    /// The key check is not vacuous: keys missing from the model (plain, dotted, inside a section) are found,
    /// and keys reached by climbing the context stack are not reported.
    @Test func theKeyCheckFindsMissingKeys() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("carta-keycheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "{{pageTitle}}{{#layout}}{{#user}}{{username}}{{csrf}}{{/user}}{{/layout}}{{#page}}{{>*bodyTemplate}}{{/page}}"
            .write(to: directory.appendingPathComponent("layout.mustache"), atomically: true, encoding: .utf8)
        try """
            {{! {{commented}} }}{{subjectId}}{{badge.code}}{{badge.colour}}{{nope}}
            {{#criteria}}{{id}}{{subjectId}}{{csrf}}{{missingInRow}}{{/criteria}}{{^identity}}{{{fullName}}}{{/identity}}
            {{#screening}}{{#sections}}{{#items}}{{#choices}}{{oid}}{{readOnly}}{{label}}{{/choices}}{{&colour}}{{/items}}{{/sections}}{{/screening}}
            """.write(to: directory.appendingPathComponent("participant.mustache"), atomically: true, encoding: .utf8)
        var walk = MirrorWalk()
        let document = Self.document(RenderedPages.cases().first { $0.name == "participant-all-parts" }!)
        walk.visit(document, path: "p")
        var checker = TemplateKeyChecker(schema: walk.schema, directory: directory)
        try checker.check(template: "layout", stack: [MirrorWalk.typeName(document)], bodyTemplate: "participant", page: "p")
        #expect(checker.unresolved == [
            "participant (p): badge.colour", "participant (p): nope", "participant (p): missingInRow",
            "participant (p): fullName", "participant (p): colour",
        ])
        #expect(checker.checked == ["layout", "participant"])
    }

    /// The `Document` the renderer renders for a page, typed by the page model as in production.
    static func document(_ page: RenderedPages.Case) -> Any {
        func open<M: PageModel>(_ model: M) -> Any { PageRenderer.document(model, layout: page.layout) }
        return open(page.model)
    }

    /// Models beyond the snapshot fixtures, only so that every two properties of a type differ somewhere
    /// (in the fixtures an item has history exactly when it has a unit choice).
    static let extraCases: [RenderedPages.Case] = {
        let item = ParticipantPage.FormItem(
            oid: "PLT", label: "Platelets", kind: .number, value: "31",
            history: [.init(when: "2026-11-24T09:12:00Z", who: "cora", oldValue: "30", newValue: "31", reason: "Typo", source: "api")]
        )
        let full = PageFixtures.participant()
        let participant = ParticipantPage.Model(
            subjectId: "BCRITP-009", status: .screening, site: "Site 9", registeredOn: "2026-11-21", identity: nil,
            criteria: full.criteria, verdict: full.verdict,
            screening: .init(subjectId: "BCRITP-009", version: "3", sections: [.init(oid: "F.X", name: "X", items: [item])])
        )
        let c = PageFixtures.casebook()
        let signedOnly = CasebookPage.Model(subjectId: c.subjectId, study: c.study, site: c.site, status: c.status, printedAt: c.printedAt,
                                            printedBy: c.printedBy, eligibility: c.eligibility, forms: c.forms, signatures: c.signatures,
                                            queries: [], audit: c.audit)
        return [.init(name: "drift-participant", model: participant, layout: PageFixtures.layout(current: .participants)),
                .init(name: "drift-casebook", model: signedOnly, layout: PageFixtures.layout(current: .participants))]
    }()
}

/// Walks a value tree with `Mirror`, checking `MustacheParent` conformances against it and recording
/// the types, property types and values seen.
struct MirrorWalk {
    /// One stored property's value in one instance.
    struct Seen {
        var typeName: String?
        var description: String
    }

    private(set) var failures: [String] = []
    /// Type name → property label → (value type name, element type name if a sequence), from non-nil values.
    private(set) var schema: [String: [String: MirrorWalk.Slot]] = [:]
    /// Type name → the property values of each instance seen.
    private(set) var types: [String: [[String: Seen]]] = [:]
    private var labels: [String: [String]] = [:]
    private var everNonEmpty: [String: Set<String>] = [:]

    /// What a property holds, for template-key resolution.
    struct Slot {
        /// The type the section pushes (element type for sequences), or nil when unknown (always nil/empty).
        var pushed: String?
        var isBool: Bool
    }

    static func typeName(_ value: Any) -> String { String(reflecting: type(of: value)) }

    /// Mirror's view of a stored value: Optional unwrapped one level, as swift-mustache's `getValue(forKey:)`.
    static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }

    mutating func visit(_ value: Any, path: String) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first { visit(wrapped.value, path: path) }
        case .collection, .set:
            for (i, element) in mirror.children.enumerated() { visit(element.value, path: "\(path)[\(i)]") }
        case .dictionary:
            for element in mirror.children {
                let pair = Mirror(reflecting: element.value).children.map(\.value)
                if pair.count == 2 { visit(pair[1], path: "\(path)[\(pair[0])]") }
            }
        case .tuple:
            failures.append("\(path): a tuple (\(Self.typeName(value))) cannot conform to MustacheParent; use a struct")
        case .struct, .class, .enum:
            guard !mirror.children.isEmpty else { return }
            visitParent(value, mirror: mirror, path: path)
        default:
            return
        }
    }

    private mutating func visitParent(_ value: Any, mirror: Mirror, path: String) {
        let type = Self.typeName(value)
        guard let parent = value as? any MustacheParent else {
            failures.append("\(path): \(type) has stored properties but does not conform to MustacheParent")
            return
        }
        if parent.child(named: "\u{1}unknown key\u{1}") != nil {
            failures.append("\(path): \(type).child(named:) returns a value for an unknown key; it must return nil so look-up climbs the context stack")
        }
        var instance: [String: Seen] = [:]
        var order: [String] = []
        for (index, property) in mirror.children.enumerated() {
            let label = property.label ?? ".\(index)"
            order.append(label)
            let expected = Self.unwrapped(property.value)
            let got = parent.child(named: label)
            let where_ = "\(path).\(label)"
            switch (expected, got) {
            case (nil, nil):
                break
            case (nil, let got?):
                failures.append("\(where_): Mirror gives nil but child(named: \"\(label)\") gives \(Self.typeName(got)) \(String(reflecting: got))")
            case (let expected?, nil):
                failures.append("\(where_): child(named: \"\(label)\") gives nil but Mirror gives \(Self.typeName(expected)) \(String(reflecting: expected))")
            case (let expected?, let got?):
                if Mirror(reflecting: got).displayStyle == .optional {
                    failures.append("\(where_): child(named: \"\(label)\") gives an Optional inside Any; return the property as `Any?` so nil stays nil")
                } else if Self.typeName(got) != Self.typeName(expected) {
                    failures.append("\(where_): child(named: \"\(label)\") gives a \(Self.typeName(got)), Mirror a \(Self.typeName(expected))")
                } else if String(describing: got) != String(describing: expected) {
                    failures.append("\(where_): child(named: \"\(label)\") gives \(String(reflecting: got)), Mirror \(String(reflecting: expected))")
                }
            }
            instance[label] = Seen(typeName: expected.map(Self.typeName), description: expected.map { String(describing: $0) } ?? "nil")
            if let expected {
                let elements = Mirror(reflecting: expected)
                let isSequence = elements.displayStyle == .collection || elements.displayStyle == .set
                if !isSequence || !elements.children.isEmpty { everNonEmpty[type, default: []].insert(label) }
                let pushed = isSequence ? elements.children.first.map { Self.typeName($0.value) } : Self.typeName(expected)
                if pushed != nil || schema[type]?[label] == nil {
                    schema[type, default: [:]][label] = Slot(pushed: pushed, isBool: expected is Bool)
                }
            } else if schema[type]?[label] == nil {
                schema[type, default: [:]][label] = Slot(pushed: nil, isBool: false)
            }
            visit(property.value, path: where_)
        }
        labels[type] = order
        types[type, default: []].append(instance)
    }

    /// Same-typed properties no model can make differ, so a swapped case could not change a page.
    static let equalByConstruction: Set<String> = [
        "CartaWeb.ParticipantPage.Model.title=subjectId",  // `title = subjectId` in its init
    ]

    /// What the fixtures leave unchecked: properties always nil or empty (their contents are never walked)
    /// and pairs of same-typed properties that never differ (a swapped `case` would pass unnoticed).
    func coverageFailures() -> [String] {
        var out: [String] = []
        for (type, order) in labels.sorted(by: { $0.key < $1.key }) {
            for label in order where !(everNonEmpty[type]?.contains(label) ?? false) {
                out.append("\(type).\(label) is nil or empty in every fixture, so what it holds is never checked; add a fixture that sets it")
            }
            let instances = types[type] ?? []
            for (i, a) in order.enumerated() {
                for b in order[(i + 1)...] where !Self.equalByConstruction.contains("\(type).\(a)=\(b)") {
                    let sameType = instances.contains { $0[a]?.typeName != nil && $0[a]?.typeName == $0[b]?.typeName }
                    guard sameType else { continue }
                    if !instances.contains(where: { $0[a]?.description != $0[b]?.description }) {
                        out.append("\(type).\(a) and .\(b) are equal in every fixture, so a swapped case would pass; add a fixture where they differ")
                    }
                }
            }
        }
        return out
    }
}

/// Resolves template tags against a type schema, the way swift-mustache climbs its context stack.
struct TemplateKeyChecker {
    let schema: [String: [String: MirrorWalk.Slot]]
    let directory: URL
    private(set) var unresolved: Set<String> = []
    private(set) var checked: Set<String> = []

    init(schema: [String: [String: MirrorWalk.Slot]], directory: URL) {
        self.schema = schema
        self.directory = directory
    }

    /// Marks a context entry whose type is not known (a section over an always-nil value, an inverted section
    /// or a true Bool, which pushes nothing): keys look past it.
    private static let transparent = ""

    mutating func check(template name: String, stack: [String], bodyTemplate: String?, page: String) throws {
        checked.insert(name)
        let text = try String(contentsOf: directory.appendingPathComponent(name + ".mustache"), encoding: .utf8)
        var stack = stack
        for tag in try Self.tags(in: text, template: name) {
            switch tag.sigil {
            case "!":
                continue
            case "/":
                stack.removeLast()
            case ">":
                if tag.name.hasPrefix("*") {
                    let key = String(tag.name.dropFirst())
                    _ = resolve(key, in: stack, where: "\(name) (\(page))")
                    if key == "bodyTemplate", let bodyTemplate {
                        try check(template: bodyTemplate, stack: stack, bodyTemplate: nil, page: page)
                    }
                } else {
                    try check(template: tag.name, stack: stack, bodyTemplate: bodyTemplate, page: page)
                }
            case "#":
                let slot = resolve(tag.name, in: stack, where: "\(name) (\(page))")
                stack.append(slot.flatMap { $0.isBool ? nil : $0.pushed } ?? Self.transparent)
            case "^", "$":
                _ = tag.sigil == "^" ? resolve(tag.name, in: stack, where: "\(name) (\(page))") : nil
                stack.append(Self.transparent)
            default:
                _ = resolve(tag.name, in: stack, where: "\(name) (\(page))")
            }
        }
        #expect(stack.count >= 1, "\(name): unbalanced sections")
    }

    /// The slot a (possibly dotted) name resolves to, or nil (recorded as unresolved).
    private mutating func resolve(_ name: String, in stack: [String], where place: String) -> MirrorWalk.Slot? {
        let unknown = MirrorWalk.Slot(pushed: nil, isBool: false)
        if name == "." { return unknown }
        let parts = name.split(separator: ".").map(String.init)
        for type in stack.reversed() where type != Self.transparent {
            guard var slot = schema[type]?[parts[0]] else { continue }
            for part in parts.dropFirst() {
                guard let next = slot.pushed.flatMap({ schema[$0]?[part] }) else {
                    if slot.pushed == nil { return unknown }  // unknown type: reported by the coverage check
                    unresolved.insert("\(place): \(name)")
                    return nil
                }
                slot = next
            }
            return slot
        }
        unresolved.insert("\(place): \(name)")
        return nil
    }

    struct Tag {
        var sigil: Character?
        var name: String
    }

    /// The tags of a template with the default delimiters; fails on a delimiter change or a lambda/transform.
    static func tags(in text: String, template: String) throws -> [Tag] {
        var tags: [Tag] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            let triple = rest.hasPrefix("{")
            let close = triple ? "}}}" : "}}"
            guard let end = rest.range(of: close) else { throw TemplateParseError(template: template, detail: "unclosed tag") }
            var body = rest[(triple ? rest.index(after: rest.startIndex) : rest.startIndex)..<end.lowerBound]
            rest = rest[end.upperBound...]
            var sigil: Character?
            if !triple, let first = body.first, "#^/!>&=$<".contains(first) {
                sigil = first
                body = body.dropFirst()
            }
            if sigil == "&" { sigil = nil }
            if sigil == "=" || sigil == "<" {
                throw TemplateParseError(template: template, detail: "tag {{\(sigil!)…}} is not understood by this check")
            }
            let name = body.trimmingCharacters(in: .whitespacesAndNewlines)
            if sigil != "!", name.contains("(") {
                throw TemplateParseError(template: template, detail: "transform \(name) is not understood by this check")
            }
            tags.append(Tag(sigil: sigil, name: name))
        }
        return tags
    }
}

struct TemplateParseError: Error, CustomStringConvertible {
    let template: String
    let detail: String
    var description: String { "\(template).mustache: \(detail)" }
}
