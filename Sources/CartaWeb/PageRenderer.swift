import Foundation
import Mustache

/// Renders pages: loads every template of the `templates` resource folder once and wraps each page in `layout`.
///
/// User data is inserted only with `{{name}}`, which HTML-escapes `< > & " '`.
/// Source: DESIGN.md §4 (pages); notes/stack.md (swift-mustache templates as target resources).
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary
    /// Names of the loaded templates (file names without `.mustache`).
    public let templateNames: Set<String>

    /// The bundled `templates` folder.
    static var templatesDirectory: URL? { Bundle.module.url(forResource: "templates", withExtension: nil) }

    /// Loads all templates from the module bundle; throws if the folder is missing or a template does not parse.
    public init() throws {
        guard let directory = Self.templatesDirectory else {
            throw PageRenderError.missingResource("templates")
        }
        try self.init(directory: directory)
    }

    /// Loads all `*.mustache` files of a directory (used by `init()`; tests may point it elsewhere).
    public init(directory: URL) throws {
        var library = MustacheLibrary()
        var names = Set<String>()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for file in files.sorted() where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            do {
                try library.register(text, named: name)
            } catch {
                throw PageRenderError.badTemplate(name: name, detail: "\(error)")
            }
            names.insert(name)
        }
        guard names.contains("layout") else { throw PageRenderError.missingResource("templates/layout.mustache") }
        self.library = library
        self.templateNames = names
    }

    /// Renders a page model inside the layout and returns the complete HTML document.
    public func render<M: PageModel>(_ model: M, layout: LayoutModel) throws -> String {
        try render(M.template, title: model.title, model: model, layout: layout)
    }

    /// Renders the template named `page` with `model` inside the layout.
    ///
    /// Throws `PageRenderError.unknownTemplate` when no such template was loaded.
    public func render<M: Sendable>(_ page: String, title: String, model: M, layout: LayoutModel) throws -> String {
        guard page != "layout", templateNames.contains(page) else { throw PageRenderError.unknownTemplate(page) }
        let document = Self.document(page, title: title, model: model, layout: layout)
        guard let html = library.render(document, withTemplate: "layout") else {
            throw PageRenderError.unknownTemplate("layout")
        }
        return html
    }

    /// The layout's links to the server's stylesheet and script, which a self-contained file replaces.
    static let assetLinks = "<link rel=\"stylesheet\" href=\"/static/carta.css\">\n<script src=\"/static/carta.js\" defer></script>"

    /// Renders a page as a self-contained document: the stylesheet inline, no script, no link to the server
    /// (the report file `carta report` writes). Throws when the layout no longer carries the links it replaces.
    public func renderStandalone<M: PageModel>(_ model: M, layout: LayoutModel) throws -> String {
        let html = try render(model, layout: layout)
        guard html.contains(Self.assetLinks), let css = Self.asset(named: "carta.css") else { throw PageRenderError.missingResource("layout asset links") }
        return html.replacingOccurrences(of: Self.assetLinks, with: "<style>\n" + String(decoding: css.data, as: UTF8.self) + "</style>")
    }

    /// The root object the layout template renders for the template named `page` with `model`.
    static func document<M: Sendable>(_ page: String, title: String, model: M, layout: LayoutModel) -> Document<M> {
        Document(layout: layout, page: model, bodyTemplate: page, pageTitle: title, csrf: layout.csrf)
    }

    /// The root object the layout template renders for a page model (the drift tests walk it).
    static func document<M: PageModel>(_ model: M, layout: LayoutModel) -> Document<M> {
        document(M.template, title: model.title, model: model, layout: layout)
    }
}

/// Why a page could not be rendered.
///
/// Source: DESIGN.md §4 (one small error type per module with a stable code).
public enum PageRenderError: Error, Equatable, Sendable {
    /// A resource folder or file is missing from the bundle.
    case missingResource(String)
    /// A template failed to parse.
    case badTemplate(name: String, detail: String)
    /// No template with this name was loaded.
    case unknownTemplate(String)

    /// A stable code for logs and error mapping.
    public var code: String {
        switch self {
        case .missingResource: "missing_resource"
        case .badTemplate: "bad_template"
        case .unknownTemplate: "unknown_template"
        }
    }
}
