import CartaModel
import Foundation
import Testing

/// `docs/roles.md` is generated from the permission matrix and must not drift from it.
/// Source: issue 7 scope 1 ("a permission matrix generated into docs/roles.md from the code").
@Suite struct RolesDocumentTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/roles.md")

    @Test func docsRolesMatchesTheCode() throws {
        let generated = RoleMatrix.markdown()
        if ProcessInfo.processInfo.environment["CARTA_WRITE_DOCS"] == "1" {
            try generated.write(to: Self.path, atomically: true, encoding: .utf8)
        }
        let onDisk = try String(contentsOf: Self.path, encoding: .utf8)
        #expect(onDisk == generated, "docs/roles.md differs from Permission.swift; regenerate: CARTA_WRITE_DOCS=1 swift test --filter RolesDocumentTests")
    }

    @Test func everyRoleAndPermissionIsInTheDocument() {
        let text = RoleMatrix.markdown()
        for role in UserRole.allCases { #expect(text.contains("**\(role.rawValue)**")) }
        for permission in Permission.allCases { #expect(text.contains("`\(permission.rawValue)`")) }
    }
}
