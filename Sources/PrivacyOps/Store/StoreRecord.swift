import Foundation

/// A record the service keeps: `Codable`, identified by `id`, with a `version` that goes up by
/// one with each change (0: absent).
///
/// The service's own protocol: a backend stores the bytes ``RecordCoding`` makes and gives
/// them back; it never sees a customer.
protocol StoreRecord: Codable, Sendable {
    var id: String { get }
    var version: Int { get set }
}

/// A typed name for a collection of records, e.g. `RecordKind<Customer>("customers")`.
struct RecordKind<Record: StoreRecord>: Sendable, Hashable {
    let name: String
    init(_ name: String) {
        self.name = name
    }
}

/// The one encoder and decoder of stored records, shared by every writer (transactions) and
/// every reader (typed reads, and the byte-level fast paths that must find a value written
/// exactly as this encoder writes it).
///
/// The encoding: keys sorted, `/` not escaped, dates ISO 8601; strings as JSONEncoder escapes
/// them (`"` and `\` with a backslash, control characters as `\n`, `\t`, … or `\u00xx`),
/// everything else, non-ASCII included, as its UTF-8 bytes.
enum RecordCoding {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    /// A record's stored bytes. Customers, by far the most numerous, are written by hand
    /// (``Customer/fastJSON()``), to the same bytes.
    static func encode<R: Encodable>(_ record: R, collection: String, id: String) throws -> [UInt8] {
        if let c = record as? Customer { return c.fastJSON() }
        do {
            return [UInt8](try encoder.encode(record))
        } catch {
            throw StoreError.invalid("cannot encode \(collection) \(id): \(error)")
        }
    }

    /// A record read back from its stored bytes.
    static func decode<R: Decodable>(_ type: R.Type, _ bytes: UnsafeRawBufferPointer, collection: String, id: String) throws -> R {
        do {
            return try decoder.decode(R.self, from: Data(bytes))
        } catch {
            throw StoreError.unreadable(collection: collection, id: id, reason: "cannot be read as \(R.self): \(error)")
        }
    }

    /// A string as the encoder writes it inside a JSON string literal (without the quotes): what
    /// a byte search for that text in the stored records must look for.
    static func escapedInner(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        appendString(s, to: &out)
        return Array(out.dropFirst().dropLast())
    }

    /// Appends `s` as a JSON string literal, exactly as `JSONEncoder` writes it: `"` and `\`
    /// escaped with a backslash; U+0008, U+0009, U+000A, U+000C, U+000D as `\b`, `\t`, `\n`,
    /// `\f`, `\r`; every other code point below U+0020 as `\u00xx` (lower-case hex); everything
    /// else, `/`, U+007F and all non-ASCII included, as its UTF-8 bytes.
    static func appendString(_ s: String, to o: inout [UInt8]) {
        o.append(UInt8(ascii: "\""))
        // Most strings need no escape: copy them whole.
        let plain = s.utf8.withContiguousStorageIfAvailable { b -> Bool in
            for c in b where c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { return false }
            o.append(contentsOf: b)
            return true
        }
        if plain == true {
            o.append(UInt8(ascii: "\""))
            return
        }
        let hex = Array("0123456789abcdef".utf8)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): o.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): o.append(contentsOf: [0x5C, 0x5C])
            case 0x08: o.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x09: o.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: o.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0C: o.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0D: o.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0..<0x20:
                o.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                o.append(hex[Int(b >> 4)])
                o.append(hex[Int(b & 0xF)])
            default: o.append(b)
            }
        }
        o.append(UInt8(ascii: "\""))
    }
}
