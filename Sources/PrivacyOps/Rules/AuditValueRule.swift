/// What the audit keeps of a field's value before and after a change (DESIGN.md §4: "personal
/// data kept minimal").
///
/// The rule, by the field's stored name:
/// - **Real values** for what says what happened and never who someone is: states and statuses,
///   roles, kinds, grounds, scopes, services, triggers, clauses, outcomes, channels, dates and
///   times, record ids, staff user names (`*_by`), references, hashes, sizes
///   (``realValueFields``).
/// - **Not kept** for bookkeeping that changes with every write or is derived from another field:
///   `id`, `version`, `updated_at`, `updated_by`, `contact_keys`, `normalized`; a case's
///   `history` and a release's `manifest` are kept as their length (`3 items`).
/// - **Masked** for everything else, which is personal data or free text: names, e-mail
///   addresses, postal addresses, notes, reasons, messages, subjects, requesters, file names,
///   and any field not named above (a new field is masked until it is listed). A phone number
///   keeps `…` and its last four digits (`…4567`); any other value keeps its first character,
///   `…` and its length in characters (`Z… (10 chars)`); an empty value stays empty; a list keeps
///   each item masked, separated by `, `.
///
/// And whatever the class, a card number never reaches the audit: a real value passes through
/// ``CardNumberGuard/masked(_:)`` (digits but the last four starred), and a masked value keeps
/// one character of it at most.
public enum AuditValueRule {
    /// How a field's values are kept.
    public enum Treatment: Sendable, Equatable {
        case real
        case masked
        case phone
        case count
        case omitted
    }

    static let realValueFields: Set<String> = [
        "status", "state", "role", "services", "scopes", "channel", "kind", "ground", "clause", "trigger",
        "requester_type", "request_type", "data_categories", "outcome", "notice_state", "notice_method",
        "confirmation", "source", "reference", "notice_order_ref",
        "customer_id", "customer_ids", "communication_id", "communication_ids", "case_id", "matches", "request_ids",
        "created_at", "imported_at", "received_at", "due_at", "decided_at", "recorded_at", "approved_at",
        "released_at", "notified_at", "notice_delay_until", "filed_at", "confirmed_at", "granted_at", "at", "date",
        "decided_by", "recorded_by", "approved_by", "released_by", "filed_by", "confirmed_by", "granted_by", "by",
        "sha256", "size", "subdir", "device", "inode", "file_uid", "file_gid", "file_mode",
    ]
    static let omittedFields: Set<String> = ["id", "version", "updated_at", "updated_by", "contact_keys", "normalized"]
    static let countedFields: Set<String> = ["history", "manifest"]
    static let phoneFields: Set<String> = ["phone"]

    /// How the field named `field` is kept.
    public static func treatment(of field: String) -> Treatment {
        if omittedFields.contains(field) { return .omitted }
        if countedFields.contains(field) { return .count }
        if phoneFields.contains(field) { return .phone }
        if realValueFields.contains(field) { return .real }
        return .masked
    }

    /// A stored value as the audit keeps it: `value` is the value's text (a list as its items).
    static func kept(_ value: AuditFieldValue, as treatment: Treatment) -> String? {
        switch (treatment, value) {
        case (.omitted, _): return nil
        case (.count, .list(let items)): return items.count == 1 ? "1 item" : "\(items.count) items"
        case (.count, .text(let t)): return CardNumberGuard.masked(t)
        case (.real, .text(let t)): return CardNumberGuard.masked(t)
        case (.real, .list(let items)): return CardNumberGuard.masked(items.joined(separator: ", "))
        case (.masked, .text(let t)): return masked(t)
        case (.masked, .list(let items)): return items.map(masked).joined(separator: ", ")
        case (.phone, .text(let t)): return maskedPhone(t)
        case (.phone, .list(let items)): return items.map(maskedPhone).joined(separator: ", ")
        }
    }

    /// Personal text as kept: its first character (when a letter or digit), `…`, and its length
    /// in characters; empty text stays empty.
    public static func masked(_ text: String) -> String {
        guard let first = text.first else { return "" }
        let shown = first.isLetter || first.isNumber ? String(first) : ""
        return "\(shown)… (\(text.count) char\(text.count == 1 ? "" : "s"))"
    }

    /// A phone number as kept: `…` and its last four digits; one with fewer than seven digits
    /// is masked as other personal text.
    public static func maskedPhone(_ text: String) -> String {
        let digits = text.unicodeScalars.filter { $0.properties.numericType == .decimal }
        guard digits.count >= 7 else { return masked(text) }
        let last4 = digits.suffix(4).map { String(Character($0).wholeNumberValue ?? 0) }.joined()
        return "…" + last4
    }
}

/// A stored field's value, as text: a scalar as its text, a list of scalars as its items, a
/// nested object as its compact JSON.
enum AuditFieldValue: Equatable {
    case text(String)
    case list([String])
}
