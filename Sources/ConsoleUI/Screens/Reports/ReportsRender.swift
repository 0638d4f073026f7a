import PrivacyOps

/// How reports look: columns, cells, the case detail and message content.
enum ReportsRender {
    static func columns(wide: Bool) -> [TableColumn] {
        if wide {
            return [
                TableColumn("ID", minWidth: 7), TableColumn("Filed", minWidth: 16), TableColumn("State", minWidth: 10),
                TableColumn("Trigger", minWidth: 14), TableColumn("Message", minWidth: 8), TableColumn("Customer", minWidth: 8),
                TableColumn("Ground", minWidth: 18), TableColumn("Confirmed", minWidth: 9), TableColumn("Reason", minWidth: 20, flex: 1),
                TableColumn("Decided by", minWidth: 10),
            ]
        }
        return [
            TableColumn("ID", minWidth: 7), TableColumn("Filed", minWidth: 10), TableColumn("State", minWidth: 10),
            TableColumn("Trigger", minWidth: 14), TableColumn("Reason", minWidth: 16, flex: 1),
        ]
    }

    static func column(of key: ReportSortKey, wide: Bool) -> Int? {
        switch key {
        case .queue: return nil
        case .id: return 0
        case .filed: return 1
        case .state: return 2
        case .trigger: return 3
        }
    }

    static func ground(_ r: Report) -> String {
        guard let g = r.ground else { return "" }
        return g.rawValue + (r.clause.map { " \($0)" } ?? "")
    }

    static func cells(_ r: Report, wide: Bool) -> [String] {
        if wide {
            return [r.id, Format.dateTime(r.filedAt), r.state.rawValue, r.trigger.rawValue, r.communicationId, r.customerId,
                    ground(r), confirmationCell(r), r.reason, r.decidedBy ?? ""]
        }
        return [r.id, Format.date(r.filedAt), r.state.rawValue, r.trigger.rawValue, r.reason]
    }

    /// The confirmation in a table cell: who confirmed, "awaiting" or "outside".
    static func confirmationCell(_ r: Report) -> String {
        switch r.confirmation {
        case .awaiting: return "awaiting"
        case .confirmed: return r.confirmedBy ?? "?"
        case .outsideReporter: return "outside"
        }
    }

    static func title(_ r: Report) -> String {
        "Report \(r.id) · \(r.state.rawValue) · about \(r.communicationId)"
    }

    /// The case: the reason, the decision, the communication's metadata and the history.
    /// `viewRefusal` is the service's reason why the user may not read the content through this
    /// case (nil when they may); `mayConfirm` whether the service lets them confirm it.
    static func detail(_ d: ReportDetail, width: Int, mayViewContent: Bool, viewRefusal: String? = nil,
                       mayConfirm: Bool = false) -> [StyledLine] {
        let r = d.report
        var lines: [StyledLine] = []
        lines += Format.field("State", r.state.rawValue + (r.state.isOpenCase ? " (open case)" : " (closed case)"), width: width)
        lines += Format.field("Trigger", r.trigger.rawValue, width: width)
        lines += Format.field("Reason", r.reason, width: width)
        lines += Format.field("Reporter", r.reporter, width: width)
        lines += Format.field("Filed", "\(Format.fullTime(r.filedAt)) by \(r.filedBy)", width: width)
        if let g = r.ground {
            lines += Format.field("Ground", "\(g.rawValue): \(g.label)" + (r.clause.map { ", clause \($0)" } ?? ""), width: width)
        }
        lines += Format.field("Confirmed", confirmation(r) + (mayConfirm ? " · press c to confirm it" : ""), width: width)
        if let by = r.decidedBy {
            lines += Format.field("Decided", "\(r.state.rawValue) by \(by) at \(Format.fullTime(r.decidedAt))", width: width)
        }

        lines += Format.heading("Communication \(r.communicationId) of customer \(r.customerId)")
        if let c = d.communication {
            lines += Format.field("From", c.from, width: width)
            lines += Format.field("To", c.to, width: width)
            lines += Format.field("Subject", c.subject, width: width)
            lines += Format.field("Date", Format.fullTime(c.date), width: width)
            lines += Format.field("Size", Format.bytes(c.size), width: width)
            lines += Format.field("SHA-256", c.sha256, width: width)
            lines += Format.field("State", c.state.rawValue, width: width)
            let content: String
            if c.state == .deleted {
                content = "deleted: only its SHA-256 and size remain"
            } else if !r.state.isOpenCase {
                content = "not viewable: the case is closed"
            } else if mayViewContent, let viewRefusal {
                content = "not viewable by you now: " + viewRefusal
            } else if mayViewContent {
                content = "press v to read it through this case (the view is recorded in the audit trail)"
            } else {
                content = "not viewable with your role"
            }
            lines += Format.field("Content", content, width: width, style: .dim)
        } else {
            lines.append(StyledLine("  the communication is not in the store", style: .error))
        }

        lines += Format.heading("Case history")
        for e in r.history {
            lines.append(StyledLine("  " + Format.columns([Format.dateTime(e.at), e.by, e.action], widths: [16, 10, 10])))
            if let note = e.note, !note.isEmpty { lines += Format.wrapped(note, indent: 6, width: width, style: .dim) }
        }
        return lines
    }

    /// Who stands behind the report besides its filer.
    static func confirmation(_ r: Report) -> String {
        switch r.confirmation {
        case .awaiting: return "not yet: \(r.filedBy) may not read the message through it until another moderator or admin confirms it"
        case .confirmed: return "by \(r.confirmedBy ?? "?") at \(Format.fullTime(r.confirmedAt))"
        case .outsideReporter: return "not needed: filed for an outside reporter"
        }
    }

    /// Message content as pager lines: the decoded message (``MimeMessage/displayLines()``),
    /// each line sanitised (escape sequences shown, never run) and cut into pieces of `width`
    /// columns, so long lines can be read without scrolling sideways. Part headings and the
    /// attachment list are titled, notes in the warning style.
    static func content(_ m: MessageContent, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        for line in m.decoded.displayLines() {
            let style: Style = switch line.kind {
            case .header: .normal
            case .heading: .title
            case .text, .blank: .normal
            case .attachment: .normal
            case .note: .warning
            }
            let text = TerminalText.sanitizeMultiline(line.text)
            for piece in hardWrap(text, width: width) { lines.append(StyledLine(piece, style: style)) }
        }
        return lines
    }

    /// `text` cut into pieces at most `width` columns wide, by columns (spaces kept as written);
    /// an empty line stays one empty line.
    /// - Complexity: O(*n*).
    static func hardWrap(_ text: String, width: Int) -> [String] {
        let width = max(10, width)
        if TerminalText.width(text) <= width { return [text] }
        var out: [String] = []
        var current = ""
        var used = 0
        for c in text {
            let w = DisplayWidth.of(c)
            if used + w > width, !current.isEmpty {
                out.append(current)
                current = ""
                used = 0
            }
            current.append(c)
            used += w
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
