import Foundation
import PrivacyOps

/// The Policy screen (admins and auditors): the latest policy check, a row per promise with its
/// status in words; Enter on a row opens its first offending record on its own screen (an
/// opt-out, a report, a disclosure, an audit event), or the row in full when the finding is not
/// a record (a file, a list, a user). `t` generates the transparency report for a period picked
/// from a list (audited, as on the command line) and shows its text here.
final class PolicyController: TableScreen {
    let id = ScreenID.policy
    let title = "Policy"
    let workspace: Workspace = .policy
    /// The check is run by the console's ``PolicyMonitor``, not reloaded on every change.
    let collections: Set<String> = []
    var isStale = true
    let session: ConsoleSession
    var model = PolicyModel()
    private(set) var rows = PolicyRows()
    /// The body width from which the findings are shown in the table.
    static let wideWidth = 118

    var pane: ListPane {
        get { model.pane }
        set { model.pane = newValue }
    }

    private var ops: PrivacyOps { session.ops }

    init(session: ConsoleSession) {
        self.session = session
    }

    var banner: [StyledLine] {
        PolicyRender.banner(model.result, error: model.error, running: session.policy.isRunning)
    }

    // MARK: Loading

    func activate(arguments: [String]?) {
        if isStale { reload() }
    }

    /// Shows the monitor's latest result (no check is run here).
    func reload() {
        isStale = false
        let keep = pane.table.cursor < rows.count ? rows.rowKey(at: pane.table.cursor) : nil
        model.result = session.policy.latest
        model.error = session.policy.error
        if session.may(.policyCheck) {
            pane.loadError = nil
        } else {
            pane.loadError = "\(ops.actor.name) (\(session.roleName)) may not run the policy check: it needs the role admin or auditor"
        }
        rows.rows = model.result?.rows ?? []
        pane.restoreCursor(to: keep, in: rows)
        if pane.isInDetail { reloadDetail() }
    }

    func storeChanged(_ changes: StoreChanges) {}

    func filterChanged() {
        let needle = pane.filterText.lowercased()
        let all = model.result?.rows ?? []
        rows.rows = needle.isEmpty ? all : all.filter { r in
            [r.id, r.status.rawValue, r.promise, r.detail].contains { $0.lowercased().contains(needle) } || r.firstIds.contains { $0.lowercased().contains(needle) }
        }
        pane.table.clamp(count: rows.count)
    }

    // MARK: Opening

    /// Enter on a row: its first offending record on its own screen, else the row in full.
    func open(_ key: String) {
        guard let row = rows.rows.first(where: { $0.id == key }) else { return }
        if row.status != .pass, let first = row.first.first, let target = jumpTarget(first) {
            session.requestJump(to: target.screen, key: target.key)
            return
        }
        pane.openKey = key
        pane.detail = nil
        reloadDetail()
    }

    /// The screen and record a finding opens, as the service lists them; nil when the finding
    /// is not a record a screen shows.
    func jumpTarget(_ f: PolicyFinding) -> (screen: ScreenID, key: String)? {
        switch f.kind {
        case .optOut: return (.optOuts, f.id)
        case .report: return (.reports, f.id)
        case .disclosure: return (.disclosures, f.id)
        case .auditEvent: return (.audit, f.id)
        case .communication:
            // The report about the message, when there is one (auditors may not list messages).
            guard let r = try? ops.listReports().first(where: { $0.communicationId == f.id }) else { return nil }
            return (.reports, r.id)
        case .user, .file, .list:
            return nil
        }
    }

    func reloadDetail() {
        guard let key = pane.openKey else { return }
        if key == PolicyModel.reportKey, let out = model.report {
            pane.setDetail(title: "Transparency report \(out.report.period.label) (\(out.report.period.days))", lines: PolicyRender.report(out))
            return
        }
        guard let row = model.result?.rows.first(where: { $0.id == key }) else {
            pane.setDetail(title: key, lines: [StyledLine("this check is no longer listed", style: .error)])
            return
        }
        pane.setDetail(title: "Policy check · \(row.id) · \(row.status.rawValue)", lines: PolicyRender.detail(row, width: session.textWidth))
    }

    // MARK: Layout

    func drawBody(on screen: TerminalScreen, in rect: Rect) {
        let wide = rect.width - 2 >= Self.wideWidth
        if wide != rows.wide || pane.table.columns.isEmpty {
            rows.wide = wide
            pane.table.columns = PolicyRender.columns(wide: wide)
        }
        var pane = self.pane
        ListPaneRender.draw(&pane, source: rows, banner: pane.loadError == nil ? banner : [], on: screen, in: rect)
        self.pane = pane
    }

    func path() -> [String] {
        if pane.openKey == PolicyModel.reportKey, let out = model.report { return ["transparency report \(out.report.period.label)"] }
        return ["check"] + (pane.openKey.map { [$0] } ?? [])
    }

    func trailing() -> String {
        guard !pane.isInDetail, let r = model.result else { return "" }
        var parts: [String] = []
        if r.count(.fail) > 0 { parts.append("\(r.count(.fail)) FAIL") }
        if r.count(.warn) > 0 { parts.append("\(r.count(.warn)) WARN") }
        if !pane.filterText.isEmpty { parts.append("\(rows.count) matching") }
        return parts.joined(separator: " · ")
    }

    func sort(next: Bool) {
        session.show("the checks are shown in one order: the policy's")
    }

    // MARK: Actions

    func performScreenAction(_ action: ActionID) -> Bool {
        guard action == .policyTransparency else { return false }
        pickPeriod()
        return true
    }

    /// Picks a period, then generates the report (audited) and shows it.
    private func pickPeriod() {
        let today = String(ops.currentTime.prefix(10))
        let picker = ListPicker(title: "Transparency report: which period?", items: PolicyRender.periods(today: today))
        session.present(PickerOverlay(picker, crumb: "period") { [unowned self] id, _ in
            if id == "other" {
                self.askDays()
            } else {
                self.generate { try ReportPeriod.named(id) }
            }
        })
    }

    private func askDays() {
        let form = FormView(title: "Transparency report for the days from … to … (UTC, both included)", fields: [
            FormField(id: "from", label: "From", placeholder: "first day, e.g. 2026-01-01", maxLength: 10),
            FormField(id: "to", label: "To", placeholder: "last day, e.g. 2026-03-31", maxLength: 10),
        ])
        session.present(FormOverlay(form, crumb: "days") { [unowned self] form in
            do {
                let period = try ReportPeriod.between(from: form["from"] ?? "", to: form["to"] ?? "")
                self.generate { period }
                return true
            } catch {
                let e = OpsError.from(error)
                form.setError(e.consoleText, for: e.consoleText.hasPrefix("--to") ? "to" : "from")
                form.focusFirstError()
                return false
            }
        })
    }

    /// Generates the report for the period `make` gives, through the service (which audits it).
    private func generate(_ make: () throws -> ReportPeriod) {
        guard let out = session.attempt({ try ops.transparencyReport(try make(), format: .text) }) else { return }
        model.report = out
        session.didCommit()
        pane.openKey = PolicyModel.reportKey
        pane.detail = nil
        reloadDetail()
        session.show("transparency report \(out.report.period.label) generated; audited as seq \(out.auditSeq)", .success)
    }
}
