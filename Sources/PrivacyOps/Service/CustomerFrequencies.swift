/// A column of the customer list whose values can be counted (`:freq status`).
public enum FrequencyColumn: String, Sendable, CaseIterable {
    case status
    /// Each service a customer has counts once; a customer with none counts as "(none)".
    case services
    /// The domain of the customer's e-mail address (after the last `@`, lower case).
    case domain

    /// How people call it ("e-mail domain").
    public var title: String {
        switch self {
        case .status: return "status"
        case .services: return "services"
        case .domain: return "e-mail domain"
        }
    }
}

/// How many customers have each value of a column, most common first.
public struct FrequencyTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var value: String
        public var count: Int
    }

    public var column: FrequencyColumn
    /// The customers counted (those matching the filter).
    public var customers: Int
    /// Every distinct value with its count: by count (highest first), ties by value.
    public var rows: [Row]

    /// What a customer without a value counts as.
    public static let noValue = "(none)"
}

extension PrivacyOps {
    /// Counts the customers matching `filter` and `status` (as ``matchingCustomerIDs(filter:status:limit:)``
    /// finds them) per value of `column`, reading only that field of each record.
    /// - Complexity: one pass over the customers' raw records; no full decode.
    public func customerFrequencies(of column: FrequencyColumn, filter: String? = nil, status: CustomerStatus? = nil) throws -> FrequencyTable {
        try authorize(.customersList)
        let v = view()
        let total = v.count(Collections.customers)
        let ids = try matchingCustomerIDs(filter: filter, status: status)
        let wanted: Set<String>? = ids.count == total ? nil : Set(ids)
        var counts: [String: Int] = [:]
        v.forEachRaw(Collections.customers.name) { id, _, bytes in
            if let wanted, !wanted.contains(id) { return true }
            let json = RawJSON(bytes: bytes)
            switch column {
            case .status:
                counts[json.strings(["status"])["status"] ?? FrequencyTable.noValue, default: 0] += 1
            case .services:
                let services = json.stringArray("services") ?? []
                if services.isEmpty { counts[FrequencyTable.noValue, default: 0] += 1 }
                // A service named twice on one customer counts once.
                for s in Set(services) { counts[s, default: 0] += 1 }
            case .domain:
                let email = json.strings(["email"])["email"] ?? ""
                let domain = email.split(separator: "@", omittingEmptySubsequences: false).last.map { $0.lowercased() } ?? ""
                counts[email.contains("@") && !domain.isEmpty ? domain : FrequencyTable.noValue, default: 0] += 1
            }
            return true
        }
        let rows = counts.map { FrequencyTable.Row(value: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
        return FrequencyTable(column: column, customers: ids.count, rows: rows)
    }
}
