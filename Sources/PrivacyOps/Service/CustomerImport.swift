internal import CSV
internal import FlatStore
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
    /// `services` and `alternate_emails` hold several values separated by `;`. Under sudo the
    /// file is opened with the invoking user's rights (``InvokingUser``), then read through its
    /// descriptor. Errors name rows and columns, never the file's content.
    /// - Throws: ``OpsError/invalid(_:)`` listing the bad rows and reasons; nothing is written then.
    public func importCustomers(csvFile path: String) throws -> [Customer] {
        try authorize(.customersImport)
        let (fd, status) = try InvokingUser.openNamedFile(path, what: "the CSV file", user: actor.invokingUser, io: io)
        let bytes: [UInt8]
        do {
            defer { io.close(fd) }
            bytes = try io.readRange(fd, from: 0, count: Int(status.size))
        } catch {
            throw OpsError.failure("cannot read \(path): \(SystemError.from(error).message)")
        }
        guard let text = String(data: Data(bytes), encoding: .utf8) else {  // (a byte order mark is dropped)
            throw OpsError.invalid("\(path) is not UTF-8 text: save the CSV as UTF-8 and try again")
        }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch {
            throw OpsError.invalid("\(path) cannot be read as CSV: \(error)")
        }
        guard let header = reader.headerRow?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw OpsError.invalid("\(path) has no header row: the first row must name the columns (\(Self.importColumns.joined(separator: ", ")))")
        }
        // Named by position: the header is the file's content too.
        let unknown = header.indices.filter { !Self.importColumns.contains(header[$0]) }.map { String($0 + 1) }
        guard unknown.isEmpty else {
            throw OpsError.invalid("\(path): the header's column(s) \(unknown.joined(separator: ", ")) are not known: name the columns \(Self.importColumns.joined(separator: ", "))")
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
            var problem: String?
            func checked<T>(_ column: String, _ value: String, _ rule: () throws -> T) -> T? {
                do { return try rule() } catch {
                    if problem == nil { problem = Self.problemWithoutValue(column, value, error) }
                    return nil
                }
            }
            var status = CustomerStatus.active
            if let s = f["status"]?.trimmingCharacters(in: .whitespaces).lowercased(), !s.isEmpty {
                if let st = CustomerStatus(rawValue: s) { status = st } else if problem == nil {
                    problem = "status is not one of active, suspended, closed"
                }
            }
            let name = checked("name", f["name"] ?? "") { try CustomerFieldRules.name(f["name"] ?? "") }
            let email = checked("email", f["email"] ?? "") { try CustomerFieldRules.email(f["email"] ?? "") }
            let alternates = list("alternate_emails").compactMap { v in checked("alternate_emails", v) { try CustomerFieldRules.alternateEmail(v) } }
            let phoneValue = f["phone"].flatMap { $0.isEmpty ? nil : $0 }
            let phone = checked("phone", phoneValue ?? "") { try CustomerFieldRules.phone(phoneValue) }
            let addressValue = f["address"].flatMap { $0.isEmpty ? nil : $0 }
            let address = checked("address", addressValue ?? "") { try CustomerFieldRules.address(addressValue) }
            let services = checked("services", f["services"] ?? "") { try CustomerFieldRules.services(list("services")) }
            if let problem {
                problems.append(ImportProblem(row: rowNumber, reason: problem))
                continue
            }
            guard let name, let email, let phone, let address, let services else { continue }
            inputs.append(CustomerInput(name: name, email: email, alternateEmails: alternates, phone: phone, address: address,
                                        services: services, status: status))
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

extension PrivacyOps {
    /// Why a CSV field was refused, without its value: the file's content never appears in an
    /// error (the rule's message names the field; a quoted value and a card number's last digits
    /// are left out).
    static func problemWithoutValue(_ column: String, _ value: String, _ error: any Error) -> String {
        if (try? Validate.noCardNumber(column, value)) == nil {
            return "\(column) holds what looks like a card number: Loopgalaxy.com never stores card numbers (PayPal handles payments); remove it"
        }
        var message = OpsError.from(error).message
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        for shown in Set([value, trimmed, TerminalText.sanitize(value), TerminalText.sanitize(trimmed)]) where !shown.isEmpty {
            message = message.replacingOccurrences(of: " '\(shown)'", with: "")
        }
        // Whatever else a rule's message might quote: say only which column and that it is not valid.
        if trimmed.count >= 3, message.contains(trimmed) || message.contains(TerminalText.sanitize(trimmed)) {
            return "\(column) is not valid here: see 'lgadmin customers add --help' for its form"
        }
        return message
    }
}
