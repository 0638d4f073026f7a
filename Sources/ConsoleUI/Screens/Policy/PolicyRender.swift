import PrivacyOps

/// How the policy check and the transparency report look: a row per promise with its status in
/// words (PASS, WARN, FAIL: never colour alone), a row's detail, and the report's own text.
enum PolicyRender {
    static func columns(wide: Bool) -> [TableColumn] {
        if wide {
            return [
                TableColumn("Status", minWidth: 6), TableColumn("Check", minWidth: 19), TableColumn("Count", minWidth: 5, alignment: .right),
                TableColumn("Checked", minWidth: 7, alignment: .right), TableColumn("First ids", minWidth: 30),
                TableColumn("Finding", minWidth: 30, flex: 1),
            ]
        }
        return [
            TableColumn("Status", minWidth: 6), TableColumn("Check", minWidth: 19), TableColumn("Count", minWidth: 5, alignment: .right),
            TableColumn("First ids", minWidth: 12, flex: 1),
        ]
    }

    static func cells(_ r: PolicyRow, wide: Bool) -> [String] {
        let ids = r.firstIds.joined(separator: " ")
        if wide { return [r.status.rawValue, r.id, String(r.count), String(r.checked), ids, r.detail] }
        return [r.status.rawValue, r.id, String(r.count), ids]
    }

    /// The line above the rows: what the check ran on and what it found.
    static func banner(_ result: PolicyCheckResult?, error: String?, running: Bool) -> [StyledLine] {
        if let error, result == nil { return [StyledLine("The policy check failed: \(error) (R runs it again)", style: .error)] }
        guard let result else { return [StyledLine("Checking every promise of the policy… (in the background)", style: .dim)] }
        let again = running ? " · checking again…" : " · R checks again"
        let style: Style = result.status == .fail ? .error : result.status == .warn ? .warning : .ok
        return [
            StyledLine("Policy: \(result.summary) · \(result.checkedAt) · store seq \(result.storeSeq)\(again)", style: style),
            StyledLine("Audit chain head \(result.auditHead.description)", style: .dim),
        ]
    }

    /// A row in full: the promise, what was checked and the first findings.
    static func detail(_ r: PolicyRow, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        let style: Style = r.status == .fail ? .overdue : r.status == .warn ? .warning : .ok
        lines += Format.field("Status", "\(r.status.rawValue) · \(Format.count(r.count, "finding")) · \(TextFitting.grouped(r.checked)) checked", width: width, style: style)
        lines += Format.field("Promise", r.promise, width: width)
        lines += Format.field("Found", r.detail, width: width)
        if !r.first.isEmpty {
            lines += Format.heading("First findings")
            for f in r.first {
                lines += Format.wrapped("\(f.id) (\(f.kind.rawValue))", indent: 2, width: width)
                lines += Format.wrapped(f.problem, indent: 6, width: width, style: .dim)
            }
        }
        return lines
    }

    /// The periods offered for a transparency report around `today` (`YYYY-MM-DD`): this
    /// half-year, the last one, this year and the last.
    static func periods(today: String) -> [PickerItem] {
        let year = Int(today.prefix(4)) ?? 2026
        let firstHalf = today.dropFirst(5).prefix(2) < "07"
        let this = "\(year)H\(firstHalf ? 1 : 2)", last = firstHalf ? "\(year - 1)H2" : "\(year)H1"
        return [
            PickerItem(id: this, label: this, detail: "this half-year, so far"),
            PickerItem(id: last, label: last, detail: "the last half-year"),
            PickerItem(id: String(year), label: String(year), detail: "this year, so far"),
            PickerItem(id: String(year - 1), label: String(year - 1), detail: "last year"),
            PickerItem(id: "other", label: "other days…", detail: "from one day to another"),
        ]
    }

    /// The report as the command line prints its text, with a line saying how it was audited.
    static func report(_ out: TransparencyReportOutput) -> [StyledLine] {
        var lines = [StyledLine("Audited as seq \(out.auditSeq) (transparency.report); SHA-256 of this text \(out.sha256)", style: .dim), StyledLine("")]
        for line in out.text.split(separator: "\n", omittingEmptySubsequences: false) {
            let s = String(line)
            let word = s.prefix { $0 != " " }
            let heading = word.count >= 4 && word.allSatisfy { $0.isUppercase || $0 == "-" }
            lines.append(StyledLine(s, style: heading ? .title : .normal))
        }
        while lines.last?.text.isEmpty == true { lines.removeLast() }
        return lines
    }
}
