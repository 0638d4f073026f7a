import Foundation

/// What each commit changed, as the `lgadmin_commits` table keeps it for other hosts'
/// refreshes: `{"collection":["id",…],…}`, keys sorted.
enum PostgresCommitLog {
    static func encode(_ changed: [String: Set<String>]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (k, coll) in changed.keys.sorted().enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            RecordCoding.appendString(coll, to: &out)
            out.append(contentsOf: Array(":[".utf8))
            for (j, id) in changed[coll, default: []].sorted().enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                RecordCoding.appendString(id, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Nil when the text is not such a map (the caller then reloads whole).
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [String: [String]]? {
        try? JSONDecoder().decode([String: [String]].self, from: Data(bytes))
    }
}
