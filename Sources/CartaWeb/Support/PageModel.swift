/// A page's view model: names its template and its document title, and is rendered inside the layout.
///
/// Source: DESIGN.md §4 (pages as `enum XPage { struct Model }` plus `x.mustache`).
public protocol PageModel: Sendable {
    /// The template file name without `.mustache`, e.g. `"participant"`.
    static var template: String { get }
    /// The text for the document `<title>` (the renderer appends " · Carta").
    var title: String { get }
}
