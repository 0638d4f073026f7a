internal import CSV
import FlatStore
import Foundation

/// A CSV row that cannot be imported, and why.
public struct ImportProblem: Sendable, Equatable {
    /// The row number counting the header as row 1.
    public var row: Int
    public var reason: String
}

extension PrivacyOps {
    /// Column names `customers import` understands (header row, any order, case-insensitive).
    public static let importColumns = ["name", "email", "phone", "address", "services", "status", "alternate_emails"]

    /// Imports customers from a CSV file with a header row: every row valid, or nothing imported.
    ///
    /// `services` and `alternate_emails` hold several values separated by `;`.
    /// - Throws: ``OpsError/invalid(_:)`` listing the bad rows and reasons; nothing is written then.
    public func importCustomers(csvFile path: String) throws -> [Customer] {
        try authorize(.customersImport)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OpsError.notFound("cannot read \(path): check the path and its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw OpsError.invalid("\(path) is not UTF-8 text: save the CSV as UTF-8 and try again")
        }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch {
            throw OpsError.invalid("\(path) cannot be read as CSV: \(error)")
        }
        guard let header = reader.headerRow?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw OpsError.invalid("\(path) has no header row: the first row must name the columns (\(Self.importColumns.joined(separator: ", ")))")
        }
        let unknown = header.filter { !Self.importColumns.contains($0) }
        guard unknown.isEmpty else {
            throw OpsError.invalid("\(path): unknown column(s) \(unknown.joined(separator: ", ")): use \(Self.importColumns.joined(separator: ", "))")
        }
        guard header.contains("name"), header.contains("email") else {
            throw OpsError.invalid("\(path): the header needs at least the columns name and email")
        }
        var inputs: [CustomerInput] = []
        var problems: [ImportProblem] = []
        var rowNumber = 1
        while let row = reader.next() {
            rowNumber += 1
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.count == header.count else {
                problems.append(ImportProblem(row: rowNumber, reason: "has \(row.count) fields, the header has \(header.count)"))
                continue
            }
            var f: [String: String] = [:]
            for (k, v) in zip(header, row) { f[k] = v }
            func list(_ key: String) -> [String] {
                (f[key] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            do {
                var status = CustomerStatus.active
                if let s = f["status"]?.trimmingCharacters(in: .whitespaces).lowercased(), !s.isEmpty {
                    guard let st = CustomerStatus(rawValue: s) else {
                        throw OpsError.invalid("status '\(TerminalText.sanitize(CardNumberGuard.masked(s)))' is not one of active, suspended, closed")
                    }
                    status = st
                }
                let input = CustomerInput(name: f["name"] ?? "", email: f["email"] ?? "", alternateEmails: list("alternate_emails"),
                                          phone: f["phone"].flatMap { $0.isEmpty ? nil : $0 },
                                          address: f["address"].flatMap { $0.isEmpty ? nil : $0 },
                                          services: list("services"), status: status)
                inputs.append(try validated(input))
            } catch {
                problems.append(ImportProblem(row: rowNumber, reason: OpsError.from(error).message))
            }
        }
        if let e = reader.error {
            problems.append(ImportProblem(row: rowNumber + 1, reason: "the CSV is malformed there (\(e))"))
        }
        guard problems.isEmpty else {
            let shown = problems.prefix(20).map { "row \($0.row): \($0.reason)" }.joined(separator: "; ")
            let more = problems.count > 20 ? "; and \(problems.count - 20) more" : ""
            throw OpsError.invalid("nothing imported: \(problems.count) bad row(s): \(shown)\(more)")
        }
        guard !inputs.isEmpty else { throw OpsError.invalid("\(path) has a header but no rows: nothing imported") }
        // The file's name is the audit event's target: a card number in it is masked there.
        return try change(.customersImport, target: CardNumberGuard.masked((path as NSString).lastPathComponent)) { ctx in
            var out: [Customer] = []
            out.reserveCapacity(inputs.count)
            for i in inputs {
                let id = try ctx.nextID("customers", prefix: "C", width: Self.customerIDWidth)
                var c = Customer(id: id, name: i.name, email: i.email, alternateEmails: i.alternateEmails, phone: i.phone,
                                 address: i.address, status: i.status, services: i.services, createdAt: ctx.now, updatedAt: ctx.now)
                try ctx.tx.insert(c, into: Collections.customers)
                c.version = 1
                out.append(c)
            }
            return ("imported \(out.count) customer(s)", out)
        }
    }
}
