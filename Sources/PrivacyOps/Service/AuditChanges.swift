import Foundation

/// The before and after of every field a change writes, read off the transaction itself, so that
/// no change can leave them out (``AuditValueRule`` says what is kept of each value).
enum AuditChanges {
    /// The collections whose records are staff's and customers' data; bookkeeping (counters,
    /// the chain's head, the audit itself) and derived records (suppressions) are not listed.
    static let tracked: Set<String> = [
        Collections.customers.name, Collections.notes.name, Collections.optouts.name, Collections.communications.name,
        Collections.reports.name, Collections.users.name, Collections.disclosures.name,
    ]

    /// Above this many records written by one event (an import), the event keeps no per-field
    /// changes: its detail gives the count, and the records themselves are their creation.
    static let maximumRecords = 20

    /// The changes `tx` makes to the records of `view`, in the transaction's order and by field
    /// name within a record; nil when it changes no field (or writes more than
    /// ``maximumRecords`` records).
    static func of(_ tx: StoreTransaction, in view: any StoreSnapshot) -> [AuditChange]? {
        // Stops looking at the first record past the limit: a bulk import's million records are
        // not walked twice.
        var ops: [StoreTransaction.Operation] = []
        for op in tx.operations where tracked.contains(op.collection) {
            guard ops.count < maximumRecords else { return nil }
            ops.append(op)
        }
        guard !ops.isEmpty else { return nil }
        var out: [AuditChange] = []
        for op in ops {
            let before = op.expected == 0 ? [:] : fields(view.rawJSON(op.collection, id: op.id))
            let after: [String: AuditFieldValue]
            switch op {
            case .put(_, _, _, let json), .restore(_, _, _, let json): after = fields(json)
            case .delete: after = [:]
            }
            for name in Set(before.keys).union(after.keys).sorted() where before[name] != after[name] {
                let t = AuditValueRule.treatment(of: name)
                guard t != .omitted else { continue }
                out.append(AuditChange(record: op.id, field: name,
                                       before: before[name].flatMap { AuditValueRule.kept($0, as: t) },
                                       after: after[name].flatMap { AuditValueRule.kept($0, as: t) }))
            }
        }
        return out.isEmpty ? nil : out
    }

    /// The top-level fields of a record's JSON, null ones left out.
    static func fields(_ json: [UInt8]?) -> [String: AuditFieldValue] {
        guard let json, let obj = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else { return [:] }
        var out: [String: AuditFieldValue] = [:]
        for (k, v) in obj {
            if v is NSNull { continue }
            if let items = v as? [Any] { out[k] = .list(items.map(text)) } else { out[k] = .text(text(v)) }
        }
        return out
    }

    private static func text(_ v: Any) -> String {
        if let s = v as? String { return s }
        if let n = v as? NSNumber { return n.stringValue }
        if JSONSerialization.isValidJSONObject(v),
           let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .withoutEscapingSlashes]) {
            return String(decoding: d, as: UTF8.self)
        }
        return "\(v)"
    }
}
