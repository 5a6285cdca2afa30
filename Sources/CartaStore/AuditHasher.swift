import CartaModel
import Foundation
import Crypto

/// Computes audit record hashes: SHA-256 hex of the previous hash followed by sorted-key JSON of the content.
///
/// Source: issue 2 scope 4; notes/stack.md pitfall 4 (sorted keys so the bytes are stable between runs).
public enum AuditHasher {
    /// The `prev_hash` of the first record.
    public static let genesis = String(repeating: "0", count: 64)

    /// The canonical content of a record (everything except `seq`, `prev_hash` and `hash`).
    struct Content: Encodable {
        var at: String
        var userID: String?
        var username: String
        var source: String
        var entity: String
        var entityID: String
        var field: String
        var oldValue: String?
        var newValue: String?
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case at, username, source, entity, field, reason
            case userID = "user_id", entityID = "entity_id", oldValue = "old_value", newValue = "new_value"
        }

        // Explicit nulls, so that "absent" and "empty string" hash differently and every key is always present.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(at, forKey: .at)
            try c.encode(userID, forKey: .userID)
            try c.encode(username, forKey: .username)
            try c.encode(source, forKey: .source)
            try c.encode(entity, forKey: .entity)
            try c.encode(entityID, forKey: .entityID)
            try c.encode(field, forKey: .field)
            try c.encode(oldValue, forKey: .oldValue)
            try c.encode(newValue, forKey: .newValue)
            try c.encode(reason, forKey: .reason)
        }
    }

    /// The hash a record must carry given its predecessor's hash.
    ///
    /// Source: issue 2 scope 4.
    public static func hash(of event: AuditEvent, prevHash: String) -> String {
        hash(Content(at: event.at, userID: event.userID, username: event.username, source: event.source.rawValue,
                     entity: event.entity.rawValue, entityID: event.entityID, field: event.field,
                     oldValue: event.oldValue, newValue: event.newValue, reason: event.reason),
             prevHash: prevHash)
    }

    static func hash(_ content: Content, prevHash: String) -> String {
        SHA256.hash(data: bytes(content, prevHash: prevHash, encoder: makeEncoder())).hex
    }

    /// The keyed hash of a record written since migration 0007: HMAC-SHA256 under the key kept outside the
    /// database, over the same bytes as the plain hash (previous hash, then sorted-key JSON of the content).
    ///
    /// Source: RFC 2104; FIPS 198-1; issue 7 scope 8 (a keyless chain lets anyone who can write the file
    /// recompute every later hash or append a forged row with a valid hash).
    static func mac(_ content: Content, prevHash: String, key: AuditKey, encoder: JSONEncoder = makeEncoder()) -> String {
        key.mac(bytes(content, prevHash: prevHash, encoder: encoder))
    }

    static func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).hex }

    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func bytes(_ content: Content, prevHash: String, encoder: JSONEncoder) -> Data {
        // Encoding a struct of strings cannot fail.
        let json = (try? encoder.encode(content)) ?? Data()
        var bytes = Data(prevHash.utf8)
        bytes.append(json)
        return bytes
    }
}

extension SHA256Digest {
    /// Lowercase hex.
    var hex: String { Data(self).hex }
}
