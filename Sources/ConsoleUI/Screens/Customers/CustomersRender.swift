import PrivacyOps

/// How customers look: the table's columns for a width, a row's cells, and the detail text.
enum CustomersRender {
    enum Column: CaseIterable {
        case id, name, email, phone, status, services, optOuts

        var sortKey: CustomerSortKey {
            switch self {
            case .id: return .id
            case .name: return .name
            case .email: return .email
            case .phone: return .phone
            case .status: return .status
            case .services: return .services
            case .optOuts: return .optOuts
            }
        }

        /// The column of a sort key (each column sorts by its own key).
        init?(_ key: CustomerSortKey) {
            guard let found = Self.allCases.first(where: { $0.sortKey == key }) else { return nil }
            self = found
        }

        var table: TableColumn {
            switch self {
            case .id: return TableColumn("ID", minWidth: 8)
            case .name: return TableColumn("Name", minWidth: 14, flex: 3)
            case .email: return TableColumn("E-mail", minWidth: 16, flex: 3)
            case .phone: return TableColumn("Phone", minWidth: 17)
            case .status: return TableColumn("Status", minWidth: 9)
            case .services: return TableColumn("Services", minWidth: 12, flex: 2)
            case .optOuts: return TableColumn("Opt-outs", minWidth: 8, flex: 2)
            }
        }
    }

    /// The columns that fit a table `width` columns wide: every column from about 140, the
    /// phone from 100, else id, name, e-mail, status and opt-outs.
    static func layout(width: Int) -> [Column] {
        if width >= 138 { return Column.allCases }
        if width >= 98 { return [.id, .name, .email, .phone, .status, .optOuts] }
        return [.id, .name, .email, .status, .optOuts]
    }

    static func columns(for layout: [Column]) -> [TableColumn] { layout.map(\.table) }

    /// The text of every column of one customer row.
    struct RowValues: Equatable {
        var id, name, email, phone, status, services, optOuts: String
        var isClosed: Bool

        subscript(column: Column) -> String {
            switch column {
            case .id: return id
            case .name: return name
            case .email: return email
            case .phone: return phone
            case .status: return status
            case .services: return services
            case .optOuts: return optOuts
            }
        }
    }

    static func values(of c: Customer, suppressed: [String: [OptOutScope]], openOptOuts: Int) -> RowValues {
        let scopes = Set(c.contactKeys.flatMap { suppressed[$0] ?? [] })
        var parts: [String] = []
        if !scopes.isEmpty { parts.append(Format.shortScopes(scopes)) }
        if openOptOuts > 0 { parts.append("\(openOptOuts) open") }
        let optOuts = parts.isEmpty ? "—" : parts.joined(separator: " · ")
        let email = c.alternateEmails.isEmpty ? c.email : "\(c.email) +\(c.alternateEmails.count)"
        return RowValues(id: c.id, name: c.name, email: email, phone: c.phone ?? "", status: c.status.rawValue,
                         services: c.services.joined(separator: ", "), optOuts: optOuts, isClosed: c.status == .closed)
    }

    // MARK: Detail

    static func title(_ c: Customer) -> String {
        "\(c.id) · \(TerminalText.sanitize(c.name))"
    }

    /// The detail of a customer: status and services, each contact point with its
    /// suppressions per scope, the customer log, opt-out requests and communications.
    static func detail(_ d: CustomerDetail, width: Int, showsOptOuts: Bool, showsCommunications: Bool) -> [StyledLine] {
        let c = d.customer
        var lines: [StyledLine] = []
        lines += Format.field("Status", c.status.rawValue, width: width)
        lines += Format.field("Services", c.services.isEmpty ? "none" : c.services.joined(separator: ", "), width: width)
        lines += Format.field("Created", Format.fullTime(c.createdAt), width: width)
        lines += Format.field("Updated", "\(Format.fullTime(c.updatedAt)) (version \(c.version))", width: width)

        // Contact points × scopes. The word, not a colour, says what is suppressed.
        lines += Format.heading("Contact points and their opt-outs")
        let scopeWidth = 10  // "SUPPRESSED"
        let valueWidth = max(16, min(44, width - 2 - 9 - 2 - 3 * (scopeWidth + 2)))
        let widths = [9, valueWidth] + Array(repeating: scopeWidth, count: OptOutScope.allCases.count)
        lines.append(StyledLine("  " + Format.columns(["channel", "contact"] + OptOutScope.allCases.map(Format.short), widths: widths), style: .dim))
        if d.contactPoints.isEmpty { lines.append(StyledLine("  (none)", style: .dim)) }
        for cp in d.contactPoints {
            let cells = [cp.point.channel.rawValue, cp.written] + OptOutScope.allCases.map { cp.suppressed.contains($0) ? "SUPPRESSED" : "—" }
            lines.append(StyledLine("  " + Format.columns(cells, widths: widths), style: cp.suppressed.isEmpty ? .normal : .warning))
        }

        lines += Format.heading("Customer log (\(Format.count(d.notes.count, "note")))")
        if d.notes.isEmpty { lines.append(StyledLine("  (no notes yet: press n to add one)", style: .dim)) }
        for note in d.notes {
            lines.append(StyledLine("  \(Format.dateTime(note.at))  \(TerminalText.sanitize(note.by))", style: .dim))
            lines += Format.wrapped(note.text, indent: 4, width: width)
        }

        lines += Format.heading("Opt-out requests" + (showsOptOuts ? " (\(d.optOuts.count))" : ""))
        if !showsOptOuts {
            lines.append(StyledLine("  (not shown: your role does not list opt-out requests)", style: .dim))
        } else if d.optOuts.isEmpty {
            lines.append(StyledLine("  (none)", style: .dim))
        }
        for r in d.optOuts {
            lines.append(StyledLine("  " + Format.columns([r.id, r.state.rawValue, r.channel.rawValue, r.contact, "received " + Format.date(r.receivedAt)],
                                                          widths: [7, 10, 7, min(40, max(12, width - 2 - 7 - 10 - 7 - 19 - 8)), 19])))
        }

        lines += Format.heading("Communications" + (showsCommunications ? " (\(d.communications.count))" : ""))
        if !showsCommunications {
            lines.append(StyledLine("  (not shown: your role does not list communications)", style: .dim))
        } else if d.communications.isEmpty {
            lines.append(StyledLine("  (none)", style: .dim))
        }
        for m in d.communications {
            let subjectWidth = min(60, max(10, width - 2 - 8 - 10 - 7 - 24 - 8))
            lines.append(StyledLine("  " + Format.columns([m.id, Format.date(m.date), m.state.rawValue, m.from, m.subject],
                                                          widths: [8, 10, 7, 24, subjectWidth]), style: m.state == .visible ? .normal : .dim))
        }
        return lines
    }
}
