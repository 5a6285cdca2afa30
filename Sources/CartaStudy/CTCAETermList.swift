import Foundation

/// One CTCAE v5.0 term: its MedDRA code and SOC, definition and the text of each grade (nil where the
/// grade does not exist for the term, "-" in NCI's table).
///
/// Source: NCI CTEP, Common Terminology Criteria for Adverse Events v5.0 (27 November 2017), sheet
/// "CTCAE v5.0 Clean Copy"; MedDRA v20.1 LLT codes as NCI gives them. Shipped as Resources/ctcae5 with
/// its provenance (PROVENANCE.md: source file, checksums, transformation).
public struct CTCAETerm: Hashable, Sendable, Codable {
    public let meddraCode: String
    public let soc: String
    public let term: String
    public let definition: String
    /// Grade 1…5 criteria; index 0 is grade 1.
    public let grades: [String?]
    public let navigationalNote: String?

    /// Whether `grade` exists for this term.
    public func has(grade: Int) -> Bool { (1...5).contains(grade) && grades[grade - 1] != nil }

    /// The grades that exist, e.g. [3, 4, 5] for febrile neutropenia.
    public var definedGrades: [Int] { (1...5).filter(has(grade:)) }

    /// "Other, specify" terms need the event named in words.
    public var needsSpecification: Bool { term.hasSuffix("- Other, specify") }
}

/// The whole CTCAE v5.0 term list (837 terms), read once from the bundled TSV.
///
/// Source: see `CTCAETerm`.
public struct CTCAETermList: Sendable {
    public let terms: [CTCAETerm]
    let byCode: [String: CTCAETerm]
    let byName: [String: CTCAETerm]

    /// The bundled list; loading fails only if the resource is missing or malformed (a build defect).
    public static let shared: CTCAETermList = {
        do { return try load() } catch { fatalError("the bundled CTCAE v5.0 term list cannot be read: \(error)") }
    }()

    static func load() throws -> CTCAETermList {
        guard let url = Bundle.module.url(forResource: "ctcae-v5", withExtension: "tsv", subdirectory: "ctcae5") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try parse(String(contentsOf: url, encoding: .utf8))
    }

    /// Parses the TSV (header row, 10 tab-separated fields per row).
    static func parse(_ text: String) throws -> CTCAETermList {
        var terms: [CTCAETerm] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() where n > 0 {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 10 else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "line \(n + 1): \(f.count) fields"]) }
            terms.append(CTCAETerm(meddraCode: f[0], soc: f[1], term: f[2], definition: f[3],
                                   grades: f[4...8].map { $0 == "-" ? nil : $0 }, navigationalNote: f[9].isEmpty ? nil : f[9]))
        }
        return CTCAETermList(terms: terms, byCode: Dictionary(terms.map { ($0.meddraCode, $0) }, uniquingKeysWith: { a, _ in a }),
                             byName: Dictionary(terms.map { ($0.term.lowercased(), $0) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The term with this MedDRA code or this exact name (case-insensitive).
    public func term(_ codeOrName: String) -> CTCAETerm? {
        let key = codeOrName.trimmingCharacters(in: .whitespaces)
        return byCode[key] ?? byName[key.lowercased()]
    }

    /// Terms whose name contains `text` (case-insensitive), name-prefix matches first.
    public func search(_ text: String, limit: Int = 20) -> [CTCAETerm] {
        let q = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !q.isEmpty else { return [] }
        let hits = terms.filter { $0.term.lowercased().contains(q) }
        return Array((hits.filter { $0.term.lowercased().hasPrefix(q) } + hits.filter { !$0.term.lowercased().hasPrefix(q) }).prefix(limit))
    }
}
