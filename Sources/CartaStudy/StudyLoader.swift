import Foundation
import Yams

/// Loads and validates study files.
///
/// Source: DESIGN.md §1 (study file → CartaStudy → validated Study); issue 2 scope item 2
/// ("reports every problem with its path in the file").
public enum StudyLoader {
    /// Parses and validates a study file; throws `StudyFileError` listing every problem found.
    ///
    /// Source: issue 2 scope item 2.
    public static func load(yaml: String) throws -> Study {
        let log = ProblemLog()
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw StudyFileError(problems: [malformed(error)])
        }
        guard let root else {
            throw StudyFileError(problems: [StudyProblem(path: "", line: nil, message: "the study file is empty")])
        }
        let study = StudyFileReader(log: log).read(YAMLCursor(node: root, path: "", log: log, line: 1))
        guard log.problems.isEmpty, let study else { throw StudyFileError(problems: log.problems) }
        return study
    }

    /// Loads the built-in NCT05315778 study file.
    ///
    /// Source: DESIGN.md §1 ("NCT05315778 ships as the built-in study file").
    public static func builtIn() throws -> Study {
        try load(yaml: BuiltInStudy.yamlText())
    }

    private static func malformed(_ error: YamlError) -> StudyProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let ctx = context.map { " (\($0.text))" } ?? ""
            return StudyProblem(path: "", line: mark.line,
                                message: "malformed YAML at line \(mark.line), column \(mark.column): \(problem)\(ctx)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return StudyProblem(path: "", line: context.mark.line,
                                message: "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) "
                                    + "in the mapping at line \(context.mark.line), column \(context.mark.column)")
        default:
            return StudyProblem(path: "", line: nil, message: "malformed YAML: \(error)")
        }
    }
}

/// One problem in a study file: where (path in the file, line) and what is wrong.
///
/// Source: issue 2 scope item 2 (e.g. `eligibility.exclusion[7].rule: unknown lab "HGBX"`).
public struct StudyProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Dotted path with indexes, e.g. `forms[2].items[0].unit`; empty for whole-file problems.
    public var path: String
    /// 1-based line of the offending node, when known.
    public var line: Int?
    public var message: String

    /// Creates a problem.
    ///
    /// Source: issue 2 scope item 2.
    public init(path: String, line: Int?, message: String) {
        self.path = path; self.line = line; self.message = message
    }

    /// `path: message (line N)`.
    public var description: String {
        (path.isEmpty ? "" : "\(path): ") + message + (line.map { " (line \($0))" } ?? "")
    }
}

/// A study file that cannot be used, with every problem found.
///
/// Source: issue 2 scope item 2; DESIGN.md §4 (one small error type per module with a stable code).
public struct StudyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable error code.
    public static let code = "invalid_study_file"
    public var problems: [StudyProblem]

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Collects problems while a study file is read.
final class ProblemLog {
    var problems: [StudyProblem] = []
    func add(_ path: String, _ line: Int?, _ message: String) {
        problems.append(StudyProblem(path: path, line: line, message: message))
    }
}
