import PrivacyOps

/// The part of a screen's model every list shares: the virtual table (cursor, scroll, marks,
/// sort indicator), the `/` filter as typed, and the record drilled into with its detail text.
struct ListPane {
    var table: TableView
    var filter = TextInput(placeholder: "type to filter · Enter keeps it · Esc clears", maxLength: 200)
    /// Whether keys go to the filter.
    var isEditingFilter = false
    /// ↑ and ↓ through earlier filters while typing one.
    var filterHistory = HistoryWalk()
    /// The row key of the record shown in detail; nil on the list.
    var openKey: String?
    /// The detail of the open record.
    var detail: TextPager?
    /// A line shown above the detail (e.g. "changed by someone else: this is the current record").
    var notice: (text: String, style: Style)?
    /// Why the list could not be loaded (e.g. the role may not list these records).
    var loadError: String?

    init(columns: [TableColumn], emptyMessage: String, marks: Bool = false) {
        table = TableView(columns: columns, emptyMessage: emptyMessage, showsMarks: marks)
    }

    /// The filter text, trimmed.
    var filterText: String { filter.text.trimmingSpaces }

    /// Whether the filter line is shown.
    var showsFilter: Bool { isEditingFilter || !filterText.isEmpty }

    var isInDetail: Bool { openKey != nil }

    /// Closes the detail.
    mutating func closeDetail() {
        openKey = nil
        detail = nil
        notice = nil
    }

    /// Replaces the detail's lines, keeping its scroll position when it shows the same record.
    mutating func setDetail(title: String, lines: [StyledLine]) {
        if var pager = detail {
            pager.title = title
            pager.lines = lines
            detail = pager
        } else {
            detail = TextPager(title: title, lines: lines)
        }
    }

    /// Moves the cursor, or scrolls the detail when one is open. Returns whether `action` was
    /// a movement.
    mutating func move(_ action: ActionID, count: Int) -> Bool {
        if var pager = detail {
            let key: Key
            switch action {
            case .cursorDown: key = .down
            case .cursorUp: key = .up
            case .top: key = .home
            case .bottom: key = .end
            case .pageDown: key = .pageDown
            case .pageUp: key = .pageUp
            default: return false
            }
            _ = pager.handle(key)
            detail = pager
            return true
        }
        switch action {
        case .cursorDown: table.moveCursor(by: 1, count: count)
        case .cursorUp: table.moveCursor(by: -1, count: count)
        case .top: table.moveToTop(count: count)
        case .bottom: table.moveToBottom(count: count)
        case .pageDown: table.pageDown(count: count)
        case .pageUp: table.pageUp(count: count)
        default: return false
        }
        return true
    }

    /// Puts the cursor back on the row with `key` after the rows changed, or keeps its index
    /// (clamped) when that row is gone.
    mutating func restoreCursor(to key: String?, in source: some TableDataSource) {
        let count = source.count
        if let key {
            // The row is usually where it was: look there first.
            let at = table.cursor
            if at < count, source.rowKey(at: at) == key {
                table.clamp(count: count)
                return
            }
            for i in 0..<count where source.rowKey(at: i) == key {
                table.setCursor(i, count: count)
                return
            }
        }
        table.clamp(count: count)
    }

    /// Drops marks on rows that are no longer listed.
    mutating func pruneMarks(keeping keys: Set<String>) {
        table.marks = table.marks.intersection(keys)
    }
}

/// Draws a ``ListPane``: the detail when a record is open, else the filter line (when a filter
/// is typed or set), banner lines and the table, asking the data source only for visible rows.
enum ListPaneRender {
    static func draw(_ pane: inout ListPane, source: some TableDataSource, banner: [StyledLine] = [],
                     on screen: TerminalScreen, in rect: Rect) {
        guard !rect.isEmpty else { return }
        let inner = rect.inset(cols: 1)
        if pane.detail != nil {
            var area = inner
            if let notice = pane.notice {
                for line in TextFitting.wrap(TextFitting.clean(notice.text), width: inner.width).prefix(3) {
                    screen.put(line, row: area.row, col: area.col, style: notice.style)
                    area = Rect(row: area.row + 1, col: area.col, height: area.height - 1, width: area.width)
                }
            }
            pane.detail?.draw(on: screen, in: area)
            return
        }
        var area = inner
        if let error = pane.loadError {
            let lines = TextFitting.wrap(TextFitting.clean(error), width: inner.width)
            for (i, line) in lines.prefix(area.height).enumerated() {
                screen.put(line, row: area.row + i, col: area.col, style: i == 0 ? .error : .normal)
            }
            return
        }
        for line in banner where area.height > 3 {
            screen.put(TextFitting.clip(TextFitting.clean(line.text), width: area.width), row: area.row, col: area.col, style: line.style)
            area = Rect(row: area.row + 1, col: area.col, height: area.height - 1, width: area.width)
        }
        if pane.showsFilter && area.height > 3 {
            screen.put("/", row: area.row, col: area.col, style: .title)
            pane.filter.draw(on: screen, row: area.row, col: area.col + 2, width: max(1, area.width - 2),
                             style: .normal, focused: pane.isEditingFilter)
            area = Rect(row: area.row + 1, col: area.col, height: area.height - 1, width: area.width)
        }
        pane.table.draw(source, on: screen, in: area)
    }
}

/// A screen of the console: a model, a render step and a controller mapping keymap actions to
/// service calls.
protocol ConsoleScreen: AnyObject {
    var id: ScreenID { get }
    var title: String { get }
    /// The place of the work the screen is: the service says which a role may use (its tab is
    /// shown only then).
    var workspace: Workspace { get }
    /// The store collections whose changes this screen shows.
    var collections: Set<String> { get }
    /// Whether the screen must reload before it is shown (other collections changed meanwhile).
    var isStale: Bool { get set }

    /// The screen is shown; `arguments` come from a `:` command (nil from a key).
    func activate(arguments: [String]?)
    /// Reloads what the screen lists (and the open record) from the service.
    func reload()
    /// Another process committed `changes`.
    func storeChanged(_ changes: StoreChanges)
    /// The breadcrumbs after the screen's title.
    func path() -> [String]
    /// The right-aligned part of the breadcrumb row ("3 marked").
    func trailing() -> String
    func drawBody(on screen: TerminalScreen, in rect: Rect)
    /// Runs a keymap action; returns whether the screen knew it.
    func perform(_ action: ActionID) -> Bool
    /// Goes back one level (detail → list, filter → none, marks → none). False at the top.
    func back() -> Bool
    /// Whether keys go to a text field of the screen (the filter).
    var isEditingText: Bool { get }
    /// Whether a record is open (Esc or q goes back to the list).
    var isInDetail: Bool { get }
    /// A key while ``isEditingText``.
    func handleTextKey(_ key: Key)
    /// Periodic work (a filter waiting to run). Returns whether something visible changed.
    func tick(now: ContinuousClock.Instant) -> Bool
    /// The terminal changed size.
    func resized()
    /// Actions the service refuses for the record the screen's actions work on now (its
    /// state, who filed it), each with the service's reason: greyed and refused like actions
    /// the role does not allow. Role and read-only refusals are the session's.
    func unavailableHere() -> [ActionID: String]
    /// Shows the record with key `key` (another screen asked for it): its row selected when
    /// it is listed, and its detail open.
    func reveal(_ key: String)
    /// The records listed now, in the order shown, for `:export`; or why there is nothing to
    /// export here.
    func exportSelection() -> ExportSelection
    /// The id of the record the cursor is on (or that is open), for `y`; nil when none.
    var selectedRecordID: String? { get }
}

/// What `:export` would write from a screen.
enum ExportSelection: Equatable {
    /// These records of this kind, in the order shown.
    case rows(ExportKind, [String])
    /// Nothing to export now, and why (one line).
    case unavailable(String)
}

extension ConsoleScreen {
    func unavailableHere() -> [ActionID: String] { [:] }
    func reveal(_ key: String) {}
    var selectedRecordID: String? { nil }
    func exportSelection() -> ExportSelection {
        .unavailable("\(title) has no list to export: :export works on Customers, Opt-outs, Reports, Disclosures and Audit")
    }
}

/// A screen whose model is a ``ListPane`` over a data source: movement, marks, the filter,
/// drilling in and going back are the same everywhere.
protocol TableScreen: ConsoleScreen {
    associatedtype Rows: TableDataSource
    var pane: ListPane { get set }
    var rows: Rows { get }
    var session: ConsoleSession { get }
    /// Lines above the table (e.g. the audit chain's state).
    var banner: [StyledLine] { get }
    /// Recomputes the rows for the filter text now in ``ListPane/filter``.
    func filterChanged()
    /// Opens the record with row key `key` (loads its detail).
    func open(_ key: String)
    /// Rebuilds the open record's detail from the service.
    func reloadDetail()
    /// Sorts by the next (or the same, reversed) column.
    func sort(next: Bool)
    /// A screen-specific action.
    func performScreenAction(_ action: ActionID) -> Bool
    /// What `:export` writes the rows as (their keys are the records' ids); nil when the rows
    /// are not records (policy findings).
    var exportKind: ExportKind? { get }
}

extension TableScreen {
    var banner: [StyledLine] { [] }
    var exportKind: ExportKind? { nil }
    /// The open record or the cursor's row, on screens whose rows are records.
    var selectedRecordID: String? { exportKind == nil ? nil : currentKey }

    /// Every row listed (the filter and sort applied), in order; never the open detail alone.
    func exportSelection() -> ExportSelection {
        guard let kind = exportKind else {
            return .unavailable("\(title) has no list to export: :export works on Customers, Opt-outs, Reports, Disclosures and Audit")
        }
        if let error = pane.loadError { return .unavailable(error) }
        return .rows(kind, (0..<rows.count).map(rows.rowKey(at:)))
    }
    var isEditingText: Bool { pane.isEditingFilter && pane.detail == nil }
    var isInDetail: Bool { pane.isInDetail }

    /// The row key the actions work on: the open record, else the cursor row.
    var currentKey: String? {
        if let key = pane.openKey { return key }
        guard rows.count > 0, pane.table.cursor < rows.count else { return nil }
        return rows.rowKey(at: pane.table.cursor)
    }

    func perform(_ action: ActionID) -> Bool {
        if pane.move(action, count: rows.count) { return true }
        switch action {
        case .open:
            guard !pane.isInDetail, let key = currentKey else { return pane.isInDetail }
            open(key)
            return true
        case .back:
            return back()
        case .filter:
            guard !pane.isInDetail else {
                session.show("close the record first (Esc), then filter the list", .warning)
                return true
            }
            pane.isEditingFilter = true
            pane.filterHistory.reset()
            return true
        case .mark:
            guard !pane.isInDetail, pane.table.showsMarks else { return false }
            pane.table.toggleMark(in: rows)
            return true
        case .sortNext, .sortReverse:
            guard !pane.isInDetail else { return false }
            sort(next: action == .sortNext)
            return true
        default:
            return performScreenAction(action)
        }
    }

    func back() -> Bool {
        if pane.isInDetail {
            pane.closeDetail()
            return true
        }
        if !pane.filterText.isEmpty || pane.isEditingFilter {
            pane.filter.clear()
            pane.isEditingFilter = false
            filterChanged()
            return true
        }
        if !pane.table.marks.isEmpty {
            pane.table.clearMarks()
            return true
        }
        return false
    }

    func handleTextKey(_ key: Key) {
        switch key {
        case .enter:
            pane.isEditingFilter = false
            pane.filterHistory.reset()
            if !pane.filterText.isEmpty { session.remember(pane.filterText, on: .filter) }
        case .escape:
            pane.filter.clear()
            pane.isEditingFilter = false
            pane.filterHistory.reset()
            filterChanged()
        case .up, .down:
            // Earlier filters (this and earlier sessions); PgUp and PgDn still move the rows.
            let lines = session.history.lines(on: .filter)
            let line = key == .up ? pane.filterHistory.older(lines, current: pane.filter.text) : pane.filterHistory.newer(lines)
            if let line, line != pane.filter.text {
                pane.filter.text = line
                filterChanged()
            }
        case .pageUp, .pageDown:
            _ = pane.move(key == .pageUp ? .pageUp : .pageDown, count: rows.count)
        case .backspace where pane.filter.isEmpty:
            pane.isEditingFilter = false
        default:
            let before = pane.filter.text
            pane.filter.handle(key)
            if let note = pane.filter.pasteNote, case .paste = key { session.show(note, .warning) }
            if pane.filter.text != before { filterChanged() }
        }
    }

    func drawBody(on screen: TerminalScreen, in rect: Rect) {
        var pane = self.pane
        ListPaneRender.draw(&pane, source: rows, banner: banner, on: screen, in: rect)
        self.pane = pane
    }

    func trailing() -> String {
        var parts: [String] = []
        if !pane.filterText.isEmpty && !pane.isInDetail { parts.append("\(TextFitting.grouped(rows.count)) matching") }
        if !pane.table.marks.isEmpty { parts.append("\(TextFitting.grouped(pane.table.marks.count)) marked") }
        return parts.joined(separator: " · ")
    }

    func resized() {
        if pane.isInDetail { reloadDetail() }
    }

    func tick(now: ContinuousClock.Instant) -> Bool { false }

    func reveal(_ key: String) {
        pane.closeDetail()
        if pane.isEditingFilter || !pane.filterText.isEmpty {
            pane.filter.clear()
            pane.isEditingFilter = false
            filterChanged()
        }
        pane.restoreCursor(to: key, in: rows)
        open(key)
    }
}
