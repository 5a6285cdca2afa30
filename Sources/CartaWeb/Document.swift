/// The root object the layout template sees; page templates reach `csrf` from here.
///
/// The templates read its stored properties through `child(named:)` (Document+Mustache.swift).
/// Internal (not private) so the drift tests can walk the same tree the renderer renders.
struct Document<M: Sendable>: Sendable {
    let layout: LayoutModel
    let page: M
    let bodyTemplate: String
    let pageTitle: String
    let csrf: String
}
