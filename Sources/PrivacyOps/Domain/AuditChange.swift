/// One field of one record as an audited change left it: the value before and after, each in
/// the form the audit may keep (``AuditValueRule``).
///
/// `before` is nil when the record was created, `after` nil when it was deleted or the field
/// removed; an empty string is a field set to the empty string.
public struct AuditChange: Codable, Sendable, Equatable {
    /// The id of the record changed (a customer, an opt-out, a report...).
    public var record: String
    /// The field's stored name, e.g. `status` or `alternate_emails`.
    public var field: String
    public var before: String?
    public var after: String?

    public init(record: String, field: String, before: String?, after: String?) {
        self.record = record
        self.field = field
        self.before = before
        self.after = after
    }
}

extension AuditChange {
    /// The change in words: `status: active -> suspended`, `phone: (none) -> …4567`; the record
    /// is named first when it is not `target` (`O000001 state: pending -> applied`).
    public func summary(target: String) -> String {
        let name = record == target ? field : "\(record) \(field)"
        return "\(name): \(before ?? "(none)") -> \(after ?? "(none)")"
    }
}

extension AuditEvent {
    /// Every change in words, separated by `; ` (empty when the event changed no field).
    public var changesSummary: String {
        (changes ?? []).map { $0.summary(target: target) }.joined(separator: "; ")
    }
}
