import PrivacyOps

/// What the report list can be sorted by; the service's order (open first, oldest first) first.
enum ReportSortKey: String, CaseIterable {
    case queue, filed, id, state, trigger
}

/// What the moderation screen shows: the reports as the service lists them (open first), the
/// state filter, the text filter, the sort and the open case.
struct ReportsModel {
    var pane = ListPane(columns: ReportsRender.columns(wide: false), emptyMessage: "(no reports here)")
    var state: ReportState?
    var listed: [Report] = []
    var sortKey: ReportSortKey = .queue
    var ascending = true
    /// A row to put the cursor on after the next reload: the one after a case just decided,
    /// so the queue moves on as in mutt.
    var selectAfterReload: String?
}

/// The report table's rows.
struct ReportRows: TableDataSource {
    var reports: [Report] = []
    var wide = false

    var count: Int { reports.count }

    func cells(at index: Int) -> [String] { ReportsRender.cells(reports[index], wide: wide) }

    func rowStyle(at index: Int) -> Style? {
        reports[index].state.isOpenCase ? nil : .dim
    }

    func rowKey(at index: Int) -> String { reports[index].id }
}
