/// The role × permission matrix as Markdown: the text of `docs/roles.md`, so the document cannot
/// drift from the code (a test compares them).
///
/// Source: issue 7 scope 1 ("a permission matrix generated into docs/roles.md from the code").
public enum RoleMatrix {
    /// The whole document.
    public static func markdown() -> String {
        var lines = [
            "# Roles and permissions",
            "",
            "Generated from `Sources/CartaModel/Permission.swift` (`RoleMatrix.markdown()`); do not edit by hand.",
            "`RolesDocumentTests` fails when this file and the code differ; regenerate with",
            "`CARTA_WRITE_DOCS=1 swift test --filter RolesDocumentTests`.",
            "",
            "Every page, API route and CLI command asks the application layer (`Principal.require`) for one of",
            "these permissions. Site scope applies on top: a user sees and acts on participants of their own",
            "sites only (`SiteAccess`); a participant of another site answers \"not found\", exactly as an",
            "unknown subject ID does, so IDs cannot be probed.",
            "",
            "| Permission | What it allows | " + UserRole.allCases.map(\.rawValue).joined(separator: " | ") + " |",
            "|---|---|" + UserRole.allCases.map { _ in "---|" }.joined(),
        ]
        for p in Permission.allCases {
            let cells = UserRole.allCases.map { p.allows($0) ? "✔" : "—" }
            lines.append("| `\(p.rawValue)` | \(p.summary) | " + cells.joined(separator: " | ") + " |")
        }
        lines += ["", "## Roles", ""]
        for role in UserRole.allCases {
            let granted = Permission.allCases.filter { $0.allows(role) }.map { "`\($0.rawValue)`" }
            lines.append("- **\(role.rawValue)** (\(role.label)): " + granted.joined(separator: ", "))
        }
        lines += [
            "",
            "## Rules beyond the matrix",
            "",
            "- Identifying details leave the identity store only for roles with `readIdentity`; for every other",
            "  role pages, the API and exports carry the subject ID only (statistician and sponsor viewer see",
            "  pseudonymised data).",
            "- A screen failure recorded by a coordinator needs an investigator's signed \"not eligible\"",
            "  decision on the current data; an investigator or sub-investigator records it on their own authority.",
            "- Forms marked `entry: investigator` in the study file (the investigator's eligibility attestations)",
            "  need `attestEligibility`.",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
