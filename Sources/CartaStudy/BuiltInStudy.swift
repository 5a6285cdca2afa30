import Foundation

/// The study files that ship with Carta.
///
/// Source: DESIGN.md §1 ("NCT05315778 ships as the built-in study file"), §2 (resource of CartaStudy).
public enum BuiltInStudy {
    /// The raw YAML text of the built-in NCT05315778 study file (`carta study show` prints it).
    ///
    /// Source: Resources/NCT05315778.yaml.
    public static func yamlText() throws -> String {
        guard let url = Bundle.module.url(forResource: "NCT05315778", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
