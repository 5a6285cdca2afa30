import Foundation

/// Serves the files of the `static` resource folder (CSS, JS) by name, with their content type.
///
/// Only flat names of known file types are served, so a request can never leave the folder.
/// Source: issue 2 §7 (no external CDN: everything served locally).
extension PageRenderer {
    /// A static file's bytes and its `Content-Type` header value.
    public typealias Asset = (data: Data, contentType: String)

    /// The file `static/<name>`, or `nil` when the name is not a served asset (unknown, nested or hidden).
    public static func asset(named name: String) -> Asset? {
        guard let type = contentType(forAssetNamed: name),
              let url = Bundle.module.url(forResource: "static", withExtension: nil)?.appendingPathComponent(name),
              let data = try? Data(contentsOf: url)
        else { return nil }
        return (data, type)
    }

    /// The content type for a file name, or `nil` when the name is not an acceptable asset name.
    static func contentType(forAssetNamed name: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard !name.isEmpty, name.count <= 64, !name.hasPrefix("."), !name.contains(".."),
              name.allSatisfy({ allowed.contains($0) })
        else { return nil }
        let ext = name.split(separator: ".").last.map(String.init) ?? ""
        switch ext {
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "ico": return "image/x-icon"
        case "png": return "image/png"
        default: return nil
        }
    }
}
