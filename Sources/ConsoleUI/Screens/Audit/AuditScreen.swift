import PrivacyOps

/// What the audit screen shows: event ids newest first (decoded only when drawn), the filter,
/// the chain's verification, and the event opened.
struct AuditModel {
    var pane: ListPane = {
        var p = ListPane(columns: AuditRender.columns(wide: false), emptyMessage: "(no audit events)")
        p.filter.placeholder = "actor:USER action:ACTION target:ID since:DAY until:DAY, or words · Enter keeps it · Esc clears"
        return p
    }()
    var verification: AuditChain.Verification?
    var verifyError: String?
}

/// The audit table's data source: ids only, each event decoded when its row is drawn.
final class AuditRows: TableDataSource {
    private let ops: PrivacyOps
    var ids: [String] = []
    var wide = false
    private var cache: [String: AuditEvent] = [:]

    init(ops: PrivacyOps) { self.ops = ops }

    var count: Int { ids.count }

    func event(at index: Int) -> AuditEvent? {
        let id = ids[index]
        if let hit = cache[id] { return hit }
        if cache.count > 4096 { cache.removeAll(keepingCapacity: true) }
        let e = try? ops.auditEvent(id)
        cache[id] = e
        return e
    }

    /// Audit events never change once written; a reload only drops the cache when the store was rewritten.
    func forget() { cache.removeAll() }

    func cells(at index: Int) -> [String] {
        guard let e = event(at: index) else { return [ids[index], "(cannot be read)"] }
        return AuditRender.cells(e, wide: wide)
    }

    func rowKey(at index: Int) -> String { ids[index] }
}

/// How audit events look.
enum AuditRender {
    static func columns(wide: Bool) -> [TableColumn] {
        if wide {
            return [
                TableColumn("Seq", minWidth: 6, alignment: .right), TableColumn("At (UTC)", minWidth: 19), TableColumn("Actor", minWidth: 10),
                TableColumn("Role", minWidth: 9), TableColumn("Action", minWidth: 20), TableColumn("Target", minWidth: 12),
                TableColumn("Case", minWidth: 8), TableColumn("Detail", minWidth: 30, flex: 1),
            ]
        }
        return [
            TableColumn("Seq", minWidth: 6, alignment: .right), TableColumn("At (UTC)", minWidth: 16), TableColumn("Actor", minWidth: 8),
            TableColumn("Action", minWidth: 20), TableColumn("Target", minWidth: 12, flex: 1),
        ]
    }

    static func cells(_ e: AuditEvent, wide: Bool) -> [String] {
        if wide {
            return [String(e.seq), Format.fullTime(e.at).replacingOccurrences(of: " UTC", with: ""), e.actorDescription, e.role, e.action, e.target,
                    e.caseId ?? "", e.detail]
        }
        return [String(e.seq), Format.dateTime(e.at), e.actorDescription, e.action, e.target]
    }

    /// The chain's state, as the line above the table.
    static func banner(_ v: AuditChain.Verification?, error: String?) -> StyledLine {
        if let error { return StyledLine("Chain not verified: \(error)", style: .error) }
        guard let v else { return StyledLine("Chain not verified yet", style: .dim) }
        if let bad = v.firstBadSeq {
            return StyledLine("Chain BROKEN at seq \(bad): \(v.problem ?? "it does not verify") (\(Format.count(v.events, "event")))", style: .error)
        }
        return StyledLine("Chain verified: intact, \(Format.count(v.events, "event")) (R verifies again)", style: .ok)
    }

    static func detail(_ e: AuditEvent, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        lines += Format.field("Seq", String(e.seq), width: width)
        lines += Format.field("At", Format.fullTime(e.at), width: width)
        lines += Format.field("Actor", "\(e.actorDescription) (\(e.role))", width: width)
        lines += Format.field("Action", e.action, width: width)
        lines += Format.field("Target", e.target, width: width)
        lines += Format.field("Case", e.caseId, width: width)
        lines += Format.field("Detail", e.detail, width: width)
        // Before and after, as the service kept them (personal data masked).
        for (k, c) in (e.changes ?? []).enumerated() {
            lines += Format.field(k == 0 ? "Changes" : "", c.summary(target: e.target), width: width)
        }
        lines += Format.field("Prev hash", e.prevHash, width: width, style: .dim)
        lines += Format.field("Hash", e.hash, width: width, style: .dim)
        return lines
    }
}

/// The audit screen (admins and auditors): the events newest first with the chain's verify
/// result above them.
final class AuditController: TableScreen {
    let exportKind: ExportKind? = .audit
    let id = ScreenID.audit
    let title = "Audit"
    let workspace: Workspace = .audit
    let collections: Set<String> = ["audit"]
    var isStale = true
    let session: ConsoleSession
    var model = AuditModel()
    let rows: AuditRows
    static let wideWidth = 140

    var pane: ListPane {
        get { model.pane }
        set { model.pane = newValue }
    }

    private var ops: PrivacyOps { session.ops }

    init(session: ConsoleSession) {
        self.session = session
        rows = AuditRows(ops: session.ops)
    }

    var banner: [StyledLine] {
        [AuditRender.banner(model.verification, error: model.verifyError)]
    }

    /// `arguments` (from `H` on a record: `target:ID`) become the filter.
    func activate(arguments: [String]?) {
        if let arguments {
            pane.closeDetail()
            pane.isEditingFilter = false
            pane.filter.text = arguments.joined(separator: " ")
            pane.table.moveToTop(count: rows.count)
            reload()
            pane.table.moveToTop(count: rows.count)
            return
        }
        if isStale { reload() }
    }

    func reload() {
        isStale = false
        let keep = pane.table.cursor < rows.count ? rows.rowKey(at: pane.table.cursor) : nil
        let wasAtTop = pane.table.cursor == 0
        do {
            // The filter line is the service's (actor:, action:, target:, since:, until:, words).
            let filter = AuditFilter(parsing: pane.filterText)
            pane.table.emptyMessage = filter.isEmpty ? "(no audit events)"
                : "(no audit event matches \(pane.filterText): / edits the filter, Esc clears it)"
            if filter.isEmpty {
                rows.ids = try ops.auditEventIDs()
            } else {
                rows.ids = try ops.listAudit(filter: filter).map(\.id)
            }
            pane.loadError = nil
        } catch {
            rows.ids = []
            pane.loadError = OpsError.from(error).consoleText
        }
        verify()
        // Newest first: a reader at the top keeps seeing the newest event.
        if wasAtTop { pane.table.moveToTop(count: rows.count) } else { pane.restoreCursor(to: keep, in: rows) }
        if pane.isInDetail { reloadDetail() }
    }

    private func verify() {
        do {
            model.verification = try ops.verifyAudit()
            model.verifyError = nil
        } catch {
            model.verification = nil
            model.verifyError = OpsError.from(error).consoleText
        }
    }

    func storeChanged(_ changes: StoreChanges) {
        if changes.reloaded { rows.forget() }
        if changes.touches("audit") { isStale = true }
    }

    func filterChanged() {
        reload()
        pane.table.moveToTop(count: rows.count)
    }

    func open(_ key: String) {
        pane.openKey = key
        pane.detail = nil
        reloadDetail()
    }

    func reloadDetail() {
        guard let key = pane.openKey else { return }
        do {
            guard let e = try ops.auditEvent(key) else { throw OpsError.notFound("no audit event \(key)") }
            pane.setDetail(title: "Audit event \(e.seq) · \(e.action)", lines: AuditRender.detail(e, width: session.textWidth))
        } catch {
            pane.setDetail(title: key, lines: [StyledLine(OpsError.from(error).consoleText, style: .error)])
        }
    }

    func drawBody(on screen: TerminalScreen, in rect: Rect) {
        let wide = rect.width - 2 >= Self.wideWidth
        if wide != rows.wide {
            rows.wide = wide
            pane.table.columns = AuditRender.columns(wide: wide)
        }
        var pane = self.pane
        ListPaneRender.draw(&pane, source: rows, banner: pane.loadError == nil ? banner : [], on: screen, in: rect)
        self.pane = pane
    }

    func path() -> [String] {
        let target = AuditFilter(parsing: pane.filterText).target
        return [target.map { "history of \($0)" } ?? "newest first"] + (pane.openKey.map { [$0] } ?? [])
    }

    func sort(next: Bool) {
        session.show("the audit trail is shown in one order: newest first")
    }

    func performScreenAction(_ action: ActionID) -> Bool { false }
}
