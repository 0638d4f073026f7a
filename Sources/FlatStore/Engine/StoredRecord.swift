/// A record FlatStore can keep: `Codable`, identified by `id`, with a `version` that goes up by
/// one with each change.
public protocol StoredRecord: Codable, Sendable {
    var id: String { get }
    var version: Int { get set }
}

/// A typed name for a collection of records.
public struct RecordCollection<Record: StoredRecord>: Sendable, Hashable {
    public let name: String
    public init(_ name: String) {
        self.name = name
    }
}

/// Rules for names FlatStore writes into its lines without escaping.
enum Names {
    /// Ids: 1–128 of `A–Z a–z 0–9 . _ : @ -`.
    static func isValidID(_ id: String) -> Bool {
        let u = id.utf8
        guard !u.isEmpty, u.count <= 128 else { return false }
        return u.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
                || b == UInt8(ascii: "@") || b == UInt8(ascii: "-")
        }
    }

    /// Collections: 1–64 of `a–z 0–9 _ -`.
    static func isValidCollection(_ name: String) -> Bool {
        let u = name.utf8
        guard !u.isEmpty, u.count <= 64 else { return false }
        return u.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
    }
}
