import Foundation

/// The text a PostgreSQL store keeps beside each customer (`lgadmin_records.search`, under a
/// trigram index) so that the server can narrow a filter down: every field the customer filter
/// reads, as its match key (``CaseFold/folded(_:)``), then the phone's digits, separated by
/// U+0001.
///
/// A customer matches a filter when one of those fields' keys holds the filter's key, or its
/// phone's digits hold the filter's digits (``CustomerQuery``); so every match holds the
/// filter's key, or digits, in this text: `search LIKE '%key%'` finds a superset of the matches,
/// and the caller checks each candidate as on files.
enum CustomerSearchKey {
    static let separator: Character = "\u{1}"

    /// The key of a customer's stored bytes; nil when they are not a customer.
    static func make(_ json: [UInt8]) -> String? {
        let customer: Customer? = json.withUnsafeBytes { RawJSON(bytes: $0).customer() }
            ?? (try? RecordCoding.decoder.decode(Customer.self, from: Data(json)))
        guard let c = customer else { return nil }
        var fields = [c.id, c.name, c.email] + c.alternateEmails
        if let p = c.phone { fields.append(p) }
        if let a = c.address { fields.append(a) }
        var key = fields.map(CaseFold.folded).joined(separator: String(separator))
        key.append(separator)
        key += (c.phone ?? "").filter { $0.isASCII && $0.isNumber }
        return key
    }

    /// A LIKE pattern finding `text` anywhere (`%`, `_` and `\` taken literally).
    static func containsPattern(_ text: String) -> String {
        var p = "%"
        for ch in text {
            if ch == "%" || ch == "_" || ch == "\\" { p.append("\\") }
            p.append(ch)
        }
        p.append("%")
        return p
    }
}
