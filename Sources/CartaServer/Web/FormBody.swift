import CartaTrial
import Foundation

/// The fields of an `application/x-www-form-urlencoded` body, in order, keeping repeated names.
///
/// Source: WHATWG URL Standard §5.1 (application/x-www-form-urlencoded parsing): split on `&`,
/// then on the first `=`, `+` → space, then percent-decode.
public struct FormBody: Sendable {
    public let fields: [(name: String, value: String)]

    public init(_ body: String) {
        fields = body.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The first value for `name`, trimmed; nil when absent.
    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value for `name`.
    public func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// Fields whose names start with `prefix`, keyed by the rest of the name (`item.HGB` → `HGB`).
    public func withPrefix(_ prefix: String) -> [String: String] {
        var out: [String: String] = [:]
        for f in fields where f.name.hasPrefix(prefix) { out[String(f.name.dropFirst(prefix.count))] = f.value }
        return out
    }
}
