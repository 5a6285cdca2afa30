import Foundation

/// The study files that ship with Carta.
public enum BuiltInStudy {
    /// The raw YAML text of the built-in NCT05315778 study file.
    public static func yamlText() throws -> String {
        guard let url = Bundle.module.url(forResource: "NCT05315778", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
