import Foundation
import PrivacyOps

/// What is waiting, for the header: pending and overdue opt-outs, open reports, and the audit
/// chain's state. Counts the user's role may not list are left out.
struct WaitingWork: Equatable {
    var pendingOptOuts: Int?
    var overdueOptOuts: Int?
    var openReports: Int?
    var chain: AuditChain.Verification?

    static func load(_ session: ConsoleSession) -> WaitingWork {
        let ops = session.ops
        var w = WaitingWork()
        if session.may(.optoutsList), let all = try? ops.listOptOuts() {
            w.pendingOptOuts = all.filter { $0.state == .pending }.count
            w.overdueOptOuts = all.filter(ops.isOverdue).count
        }
        if session.may(.reportsList), let open = try? ops.listReports(state: .open) {
            w.openReports = open.count
        }
        w.chain = ops.auditChainState()
        return w
    }

    /// "opt-outs 12 pending, 3 OVERDUE · reports 29 open · audit chain ok", or a compact form;
    /// without `chain` the chain's state is left out unless it is broken.
    func text(compact: Bool, chain showChain: Bool = true) -> String {
        var parts: [String] = []
        if let pending = pendingOptOuts {
            let overdue = overdueOptOuts ?? 0
            let tail = overdue > 0 ? ", \(overdue) \(OptOutsRender.overdueMarker)" : ""
            parts.append(compact ? "\(pending) pending\(tail)" : "opt-outs \(pending) pending\(tail)")
        }
        if let open = openReports {
            parts.append(compact ? "\(open) open reports" : "reports \(open) open")
        }
        if let chain {
            let state = chain.firstBadSeq.map { "BROKEN at \($0)" } ?? "ok"
            if showChain || chain.firstBadSeq != nil { parts.append(compact ? "chain \(state)" : "audit chain \(state)") }
        } else if showChain {
            parts.append("chain ?")
        }
        return parts.joined(separator: " · ")
    }
}

/// The console application: the chrome (header, tabs, breadcrumbs, hint and flash lines), one
/// controller per screen, overlays on top, and the periodic work (catching up with other
/// processes' commits about every second, taking contact-form requests from the inbox spool).
///
/// Keys go to the top overlay, else to the screen's filter while it is typed, else through
/// the one keymap table: refused when the service says the user may not take the action.
final class PrivacyConsole: ConsoleApp {
    let session: ConsoleSession
    let screens: [any ConsoleScreen]
    private(set) var current: Int
    private(set) var waiting = WaitingWork()
    /// How often the store is checked for other processes' commits.
    var refreshInterval: Duration = .milliseconds(900)
    /// How often the contact-form spool is looked at.
    var ingestInterval: Duration = .seconds(3)
    /// How often the header's counts are recomputed anyway (requests become overdue with time).
    var waitingInterval: Duration = .seconds(60)
    private var lastRefresh: ContinuousClock.Instant?
    private var lastIngest: ContinuousClock.Instant?
    private var lastWaiting: ContinuousClock.Instant?
    private var lastBackgroundError: String?
    private var storeWasReadOnly: Bool

    init(ops: PrivacyOps, readOnly: Bool, size: (rows: Int, cols: Int) = (ConsoleLayout.minimumRows, ConsoleLayout.minimumCols),
         trafficLogs: [String] = [], userState: UserStateDirectory? = nil, clock: @escaping () -> ContinuousClock.Instant = { .now }) {
        session = ConsoleSession(ops: ops, readOnly: readOnly, clock: clock)
        session.userState = userState
        session.history = CommandHistory(directory: userState)
        session.views = SavedViews(directory: userState)
        session.textWidth = max(20, size.cols - 2)
        screens = [
            CustomersController(session: session), OptOutsController(session: session), ReportsController(session: session),
            DisclosuresController(session: session), AuditController(session: session), PolicyController(session: session),
            TrafficController(session: session, logs: trafficLogs),
        ]
        let home = ops.workQueue()
        current = screens.firstIndex { $0.id.rawValue == home.rawValue } ?? 0
        storeWasReadOnly = ops.readOnlyReason != nil
        screens[current].activate(arguments: nil)
        waiting = .load(session)
        // The policy check reads every file of the store: in the background, never before the first frame.
        if session.may(.policyCheck) { session.policy.start(ops, now: session.clock()) }
    }

    /// The screen shown.
    var screen: any ConsoleScreen { screens[current] }

    /// Whether the user may open screen `index`: the service says which places a role may use.
    func isAvailable(_ index: Int) -> Bool {
        session.ops.mayUse(screens[index].workspace)
    }

    /// Why screen `index` cannot be opened, in one line.
    func unavailableMessage(_ index: Int) -> String {
        let roles = PrivacyOps.roles(allowedTo: screens[index].workspace.action).map(\.rawValue).joined(separator: ", ")
        return "\(screens[index].title) is not available to \(session.ops.actor.name) (\(session.roleName)): it needs the role \(roles)"
    }

    /// After the user's role changed: a screen they may no longer use is left for their queue.
    private func leaveUnavailableScreen() {
        guard !isAvailable(current) else { return }
        let home = session.ops.workQueue()
        let index = screens.indices.first { screens[$0].id.rawValue == home.rawValue && isAvailable($0) }
            ?? screens.indices.first(where: isAvailable)
        guard let index else { return }
        session.dismissAll()
        show(index)
    }

    // MARK: Keys

    func handle(_ key: Key) -> KeyResult {
        if let top = session.topOverlay {
            if !top.handle(key) { session.dismiss(top) }
        } else if screen.isEditingText {
            screen.handleTextKey(key)
        } else if case .paste = key {
            // Outside a text field a paste is nothing: never keys, never actions.
            session.show("paste ignored: paste into a text field (/ to filter, : for a command, or a form)", .warning)
        } else {
            let here = screen.unavailableHere()
            switch session.keymap.dispatch(key, on: screen.id, disabled: disabledHere(here)) {
            case .unbound:
                return .unchanged
            case .refused(let entry):
                session.show(refusal(for: entry, here: here), .error)
            case .action(let action):
                if perform(action, arguments: nil) == .quit { return .quit }
            }
        }
        settle()
        return session.quitRequested ? .quit : .redraw
    }

    /// Runs a keymap action (from a key, or from the command line with `arguments`).
    @discardableResult
    func perform(_ action: ActionID, arguments: [String]?) -> KeyResult {
        switch action {
        case .quit:
            // q quits from the top; inside a record it goes back first.
            if screen.isInDetail, screen.back() { return .redraw }
            return .quit
        case .help:
            showHelp()
        case .commandLine:
            session.present(CommandOverlay(keymap: session.keymap, history: session.history.lines(on: .command),
                                           completions: { [unowned self] in self.completions(for: $0) }) { [unowned self] line in
                self.session.remember(line, on: .command)
                self.run(command: line)
            })
        case .refresh:
            refreshNow()
        case .copyID:
            copySelectedID()
        case .nextScreen, .previousScreen:
            cycle(by: action == .nextScreen ? 1 : -1)
        case .showCustomers, .showOptOuts, .showReports, .showDisclosures, .showAudit, .showPolicy, .showTraffic:
            let target: ScreenID = action == .showCustomers ? .customers : action == .showOptOuts ? .optOuts
                : action == .showReports ? .reports : action == .showDisclosures ? .disclosures : action == .showAudit ? .audit
                : action == .showTraffic ? .traffic : .policy
            guard let index = screens.firstIndex(where: { $0.id == target }) else { break }
            guard isAvailable(index) else {
                session.show(unavailableMessage(index), .error)
                break
            }
            show(index, arguments: arguments)
        case .history:
            showHistory()
        default:
            if !screen.perform(action) { return .unchanged }
        }
        return .redraw
    }

    /// `H`: the audit list filtered to the record the screen's actions work on (the open one,
    /// else the cursor row).
    private func showHistory() {
        guard let key = (screen as? any TableScreen)?.currentKey else {
            session.show("no record here: move to one (or open it), then H shows its history", .warning)
            return
        }
        guard let index = screens.firstIndex(where: { $0.id == .audit }), isAvailable(index) else {
            session.show("history: the audit trail is not available to \(session.ops.actor.name) (\(session.roleName))", .error)
            return
        }
        show(index, arguments: ["target:" + key])
    }

    func show(_ index: Int, arguments: [String]? = nil) {
        current = index
        screen.activate(arguments: arguments)
    }

    private func cycle(by step: Int) {
        var i = current
        for _ in screens.indices {
            i = (i + step + screens.count) % screens.count
            if isAvailable(i) {
                show(i)
                return
            }
        }
    }

    /// Runs a `:` command line: a record id (`:C0000004`, `:o12`) opens that record, anything
    /// else is a keymap command.
    func run(command line: String) {
        if PrivacyOps.recordID(line) != nil {
            jump(to: line)
            return
        }
        switch session.keymap.resolve(command: line) {
        case .empty:
            return
        case .unknown(let name):
            session.show("unknown command :\(name): type : then Tab to see the commands", .error)
        case .ambiguous(let names):
            session.show(":\(line) could be " + names.map { ":" + $0 }.joined(separator: " or ") + ": type more of it", .error)
        case .badArgument(let argument, let allowed):
            session.show("\(argument) is not one of \(allowed.joined(separator: ", "))", .error)
        case .action(let action, let arguments):
            let here = screen.unavailableHere()
            if disabledHere(here).contains(action), let entry = session.keymap.entry(for: action) {
                session.show(refusal(for: entry, here: here), .error)
                return
            }
            if action == .quit {
                session.quitRequested = true
                return
            }
            if action == .exportView {
                export(format: arguments.first, path: Self.text(of: line, afterWords: 2))
                return
            }
            if action == .savedViews {
                savedView(arguments)
                return
            }
            if action == .customerColumns, !(screen is CustomersController) || screen.isInDetail {
                session.show(":columns chooses the Customers list's columns: go to the Customers list (1) first", .warning)
                return
            }
            if action == .customerFrequency {
                guard let customers = screen as? CustomersController, !customers.isInDetail else {
                    session.show(":freq counts the customers listed: go to the Customers list (1) first", .warning)
                    return
                }
                customers.showFrequencies(arguments.first.flatMap(FrequencyColumn.init(rawValue:)))
                return
            }
            perform(action, arguments: arguments)
        }
    }

    /// `line` without its first `count` words (and the spaces after them): the free text of a
    /// command, spaces inside kept (`:export csv My Exports/today.csv`).
    static func text(of line: String, afterWords count: Int) -> String {
        var rest = Substring(line)
        for _ in 0..<count {
            rest = rest.drop { $0 == " " }
            rest = rest.drop { $0 != " " }
        }
        return String(rest.drop { $0 == " " }).trimmingSpaces
    }

    /// `:export csv|json PATH`: the list shown, written by the service (which checks the role,
    /// masks card numbers, refuses an existing file and records the export in the audit trail).
    private func export(format name: String?, path: String) {
        guard let format = name.flatMap(ExportFormat.init(rawValue:)) else {
            session.show("say the format and the file: :export csv PATH or :export json PATH", .error)
            return
        }
        guard !path.isEmpty else {
            session.show("name the file to write: :export \(format.rawValue) PATH (a new file; an existing one is never written over)", .error)
            return
        }
        guard exportJob == nil else {
            session.show("an export is still being made: wait for it to finish", .warning)
            return
        }
        switch screen.exportSelection() {
        case .unavailable(let why):
            session.show(why, .warning)
        case .rows(let kind, let ids):
            let target = Self.expandingHome(path)
            if let problem = session.ops.exportPathProblem(target) {
                session.show(problem, .error)
                return
            }
            let title = screen.title, ops = session.ops
            if ids.count <= exportInlineLimit {
                finishExport(Result { try ops.prepareExport(kind, ids: ids, format: format) }, path: path, target: target, title: title)
            } else {
                // A large list is read and formatted off the loop's thread; the file is written
                // and the export recorded on a tick when it is ready.
                exportJob = (path, target, title, BackgroundJob { try ops.prepareExport(kind, ids: ids, format: format) })
                session.show("exporting \(Format.count(ids.count, "row")) of \(title)… (keys still work)")
            }
        }
    }

    /// Lists at most this long are exported while the key waits; longer ones in the background.
    var exportInlineLimit = 20_000
    /// The export being made in the background: where it goes, and from which screen.
    private var exportJob: (path: String, target: String, title: String, work: BackgroundJob<PreparedExport>)?

    /// Writes a prepared export (the service records it) and says how it went in one line.
    private func finishExport(_ prepared: Result<PreparedExport, any Error>, path: String, target: String, title: String) {
        do {
            let r = try session.ops.writeExport(prepared.get(), to: target)
            session.didCommit()
            var text = "exported \(Format.count(r.rows, "row")) of \(title) to \(TerminalText.sanitize(path))"
            text += " (\(r.format.rawValue.uppercased()), \(TextFitting.grouped(r.bytes)) bytes, SHA-256 \(r.sha256.prefix(12))…; audited)"
            if r.maskedCells > 0 { text += "; card numbers masked in \(r.maskedCells) cell(s): run store scan" }
            session.show(text, r.maskedCells > 0 ? .warning : .success)
        } catch {
            session.show(OpsError.from(error).consoleText, .error)
        }
    }

    /// Finishes the background export when it is ready; returns whether it did.
    private func takeExportResult() -> Bool {
        guard let job = exportJob, let result = job.work.poll() else { return false }
        exportJob = nil
        finishExport(result, path: job.path, target: job.target, title: job.title)
        return true
    }

    /// Waits for a background export (tests).
    func finishBackgroundExport() {
        guard let job = exportJob else { return }
        _ = job.work.wait()
        _ = takeExportResult()
    }

    /// Completions of a `:` line: the keymap's, and the saved views' names after `view`.
    func completions(for input: String) -> [String] {
        let words = input.split(separator: " ").map(String.init)
        let trailingSpace = input.last == " "
        if words.first == "view", (words.count == 1 && trailingSpace) || (words.count == 2 && !trailingSpace) {
            let partial = words.count == 2 ? words[1] : ""
            return (["save", "delete"] + session.views.views.map(\.name)).filter { $0.hasPrefix(partial) }.map { "view " + $0 }
        }
        return session.keymap.completions(for: input)
    }

    /// `:view` lists the saved views (Enter opens one); `:view NAME` opens one on Customers;
    /// `:view save NAME` keeps the Customers screen's filter, status, sort and columns;
    /// `:view delete NAME` forgets one. The service's rules decide what may be saved.
    private func savedView(_ arguments: [String]) {
        guard let customersIndex = screens.firstIndex(where: { $0.id == .customers }),
              let customers = screens[customersIndex] as? CustomersController else { return }
        func open(_ view: SavedView) {
            guard isAvailable(customersIndex) else {
                session.show(unavailableMessage(customersIndex), .error)
                return
            }
            show(customersIndex)
            customers.apply(view)
            session.show("view \(view.name): \(view.summary)")
        }
        switch arguments.count {
        case 0:
            guard !session.views.views.isEmpty else {
                session.show("no saved views yet: set a filter, sort and columns on Customers, then :view save NAME")
                return
            }
            let items = session.views.views.map { PickerItem(id: $0.name, label: $0.name, detail: $0.summary) }
            let picker = ListPicker(title: "Saved views (Enter opens, Esc closes)", items: items, selectedID: items.first?.id)
            session.present(PickerOverlay(picker, crumb: "views") { [unowned self] name, _ in
                if let view = self.session.views.view(named: name) { open(view) }
            })
        case 1 where !["save", "delete"].contains(arguments[0]):
            guard let view = session.views.view(named: arguments[0]) else {
                session.show("no saved view \(TerminalText.sanitize(arguments[0])): :view lists them", .error)
                return
            }
            open(view)
        case 2 where arguments[0] == "save":
            let view = customers.savedView(named: arguments[1])
            do {
                try session.views.save(view)
                session.show("saved view \(arguments[1]): \(view.summary)", .success)
            } catch {
                let e = OpsError.from(error)
                if case .failure = e { session.stateFailed(e) } else { session.show(e.consoleText, .error) }
            }
        case 2 where arguments[0] == "delete":
            do {
                try session.views.delete(arguments[1])
                session.show("deleted view \(arguments[1])", .success)
            } catch {
                let e = OpsError.from(error)
                if case .failure = e { session.stateFailed(e) } else { session.show(e.consoleText, .error) }
            }
        default:
            session.show("use :view, :view NAME, :view save NAME or :view delete NAME (a name is one word)", .error)
        }
    }

    /// `~/…` as the user means it: under their home directory.
    static func expandingHome(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = environment["HOME"], !home.isEmpty else { return path }
        return home + path.dropFirst()
    }

    /// Opens the record `text` names on its screen; the service finds it and says whether the
    /// user may see it, and a refusal or a missing record is one line on the flash line.
    private func jump(to text: String) {
        do {
            let found = try session.ops.locate(text)
            guard let index = screens.firstIndex(where: { $0.workspace == found.workspace }) else { return }
            guard isAvailable(index) else {
                session.show(unavailableMessage(index), .error)
                return
            }
            show(index)
            screen.reveal(found.id)
        } catch {
            session.show(OpsError.from(error).consoleText, .error)
        }
    }

    /// What is disabled on the shown screen now: what the session disables (role, read-only)
    /// and what the service refuses for the screen's current record.
    private func disabledHere(_ here: [ActionID: String]) -> Set<ActionID> {
        session.disabled.union(here.keys)
    }

    /// Why `entry` is refused: the role or read-only first, else the service's reason for the
    /// current record.
    private func refusal(for entry: KeymapEntry, here: [ActionID: String]) -> String {
        if session.disabled.contains(entry.action) { return session.refusal(for: entry) }
        return here[entry.action].map { "\(entry.label): \($0)" } ?? session.refusal(for: entry)
    }

    private func showHelp() {
        var lines = [
            StyledLine("You are \(session.ops.actor.name) (\(session.roleName))" + (session.readOnly ? ", read-only." : ".")
                       + " Greyed entries are not available to you here."),
            StyledLine(""),
        ]
        lines += session.keymap.helpLines(for: screen.id, title: screen.title, disabled: disabledHere(screen.unavailableHere()))
        session.present(HelpOverlay(lines: lines, screenTitle: screen.title))
    }

    /// `y`: the current record's id onto the terminal's clipboard (OSC 52, sent with the next
    /// frame; see ``Clipboard``).
    private func copySelectedID() {
        guard let id = screen.selectedRecordID, let bytes = Clipboard.osc52(id) else {
            session.show("nothing to copy here: y copies the id of the record the cursor is on", .warning)
            return
        }
        session.pendingControls.append(bytes)
        session.show("copied \(TerminalText.sanitize(id))", .success)
    }

    private func refreshNow() {
        _ = refreshStore()
        for s in screens { s.isStale = true }
        waiting = .load(session)
        session.updatePermissions()
        if session.may(.policyCheck) { session.policy.start(session.ops, now: session.clock()) }
        screen.reload()
        session.show("refreshed")
    }

    /// After a key or a tick: reload everything when something was committed, and the shown
    /// screen when it is stale.
    private func settle() {
        if session.takeCommitted() {
            for s in screens { s.isStale = true }
            waiting = .load(session)
            session.updatePermissions()
            session.policy.storeChanged()
            leaveUnavailableScreen()
        }
        if let jump = session.takeJump() { reveal(jump.key, on: jump.screen) }
        if screen.isStale { screen.reload() }
    }

    /// Shows record `key` on `screen` (a policy finding), if the user may open that screen.
    private func reveal(_ key: String, on target: ScreenID) {
        guard let index = screens.firstIndex(where: { $0.id == target }) else { return }
        guard isAvailable(index) else {
            session.show("\(key) is on the \(screens[index].title) screen, which \(session.ops.actor.name) (\(session.roleName)) may not open", .error)
            return
        }
        show(index)
        screen.reveal(key)
    }

    // MARK: Periodic work

    func tick(now: ContinuousClock.Instant) -> Bool {
        var changed = session.flash.expire(now: now)
        if session.ops.storeHasNewerCommits || (lastRefresh.map({ now - $0 >= refreshInterval }) ?? true) {
            lastRefresh = now
            if refreshStore() { changed = true }
        }
        if lastIngest.map({ now - $0 >= ingestInterval }) ?? true {
            lastIngest = now
            if ingest() { changed = true }
        }
        if lastWaiting.map({ now - $0 >= waitingInterval }) ?? true {
            lastWaiting = now
            let fresh = WaitingWork.load(session)
            if fresh != waiting {
                waiting = fresh
                screens.first { $0.id == .optOuts }?.isStale = true
                changed = true
            }
        }
        if session.may(.policyCheck), session.policy.poll(session.ops, now: now) {
            screens.first { $0.id == .policy }?.isStale = true
            changed = true
        }
        if screen.tick(now: now) { changed = true }
        if takeExportResult() { changed = true }
        let stale = screen.isStale
        settle()
        return changed || stale
    }

    /// Catches up with other processes' commits; returns whether anything shown changed.
    private func refreshStore() -> Bool {
        do {
            let changes = try session.ops.refresh()
            var changed = false
            let readOnlyNow = session.ops.readOnlyReason != nil
            if changes.touches("users") || readOnlyNow != storeWasReadOnly {
                storeWasReadOnly = readOnlyNow
                if session.updatePermissions() { changed = true }
                if !isAvailable(current) {
                    leaveUnavailableScreen()
                    changed = true
                }
            }
            lastBackgroundError = nil
            guard !changes.isEmpty else { return changed }
            session.policy.storeChanged()
            for s in screens where s.collections.contains(where: changes.touches) {
                s.storeChanged(changes)
            }
            waiting = .load(session)
            return true
        } catch {
            return backgroundFailed(error)
        }
    }

    /// Takes the contact form's requests waiting in the inbox spool.
    private func ingest() -> Bool {
        guard session.may(.optoutsIngest) else { return false }
        do {
            guard try session.ops.optOutsWaitingInSpool() > 0 else { return false }
            let report = try session.ops.ingestOptOuts()
            // A file that keeps failing is said once (as any failure of periodic work), not every tick.
            let failure = report.failed.first.map {
                OpsError.failure("\(report.failed.count) spool file(s) could not be handled (\($0.file): \($0.problem))")
            }
            guard !report.taken.isEmpty || !report.rejected.isEmpty else { return failure.map(backgroundFailed) ?? false }
            var text = Format.count(report.taken.count, "new opt-out request") + " from the contact form"
            if !report.masked.isEmpty { text += " (a card number masked in \(report.masked.count))" }
            if !report.rejected.isEmpty {
                text += "; \(report.rejected.count) unreadable, set aside in \(IngestReport.setAsidePlace)"
            }
            if let failure { text += "; " + failure.consoleText }
            session.show(text, report.rejected.isEmpty && failure == nil ? .info : .warning)
            session.didCommit()
            return true
        } catch {
            return backgroundFailed(error)
        }
    }

    /// Shows a failure of periodic work once, not every second.
    private func backgroundFailed(_ error: any Error) -> Bool {
        let message = OpsError.from(error).consoleText
        guard message != lastBackgroundError else { return false }
        lastBackgroundError = message
        session.show(message, .error)
        return true
    }

    func resized(to size: (rows: Int, cols: Int)) {
        layoutChanged(cols: size.cols)
    }

    private func layoutChanged(cols: Int) {
        let width = max(20, cols - 2)
        guard width != session.textWidth else { return }
        session.textWidth = width
        for s in screens { s.resized() }
    }

    // MARK: Drawing

    func draw(on terminal: TerminalScreen) {
        let layout = ConsoleLayout(size: terminal.size)
        layoutChanged(cols: layout.cols)
        drawHeader(on: terminal, layout: layout)
        // Only the places the role may use, each under the number key that opens it.
        let visible = screens.indices.filter(isAvailable)
        TabBar.draw(visible.map { (number: $0 + 1, title: screens[$0].title) }, active: visible.firstIndex(of: current),
                    on: terminal, row: layout.tabs.row, width: layout.cols)
        let crumbs = [screen.title] + screen.path() + session.overlays.compactMap(\.crumb)
        Breadcrumbs.draw(crumbs, trailing: screen.trailing(), on: terminal, row: layout.breadcrumbs.row, width: layout.cols)
        screen.drawBody(on: terminal, in: layout.body)
        session.flash.draw(on: terminal, row: layout.flash.row, width: layout.cols)
        let hints: [HintItem]
        if let top = session.topOverlay {
            hints = top.hints
        } else if screen.isEditingText {
            hints = [HintItem(key: "type", label: "to filter"), HintItem(key: "↑↓", label: "earlier filters"), HintItem(key: "PgDn", label: "move"),
                     HintItem(key: "Enter", label: "keep filter"), HintItem(key: "Esc", label: "clear")]
        } else {
            // Inside a record, list-only keys leave the hint line (they are not refused).
            let listOnly: Set<ActionID> = screen.isInDetail ? [.open, .mark, .filter, .sortNext, .sortReverse] : []
            hints = session.keymap.hints(for: screen.id, width: layout.cols,
                                         disabled: disabledHere(screen.unavailableHere()).union(listOnly))
        }
        HintBar.draw(hints, on: terminal, row: layout.hint.row, width: layout.cols)
        for overlay in session.overlays {
            terminal.hideCursor()
            overlay.draw(on: terminal, layout: layout)
        }
        for bytes in session.pendingControls { terminal.sendControl(bytes) }
        session.pendingControls.removeAll()
    }

    private func drawHeader(on terminal: TerminalScreen, layout: ConsoleLayout) {
        // Who first: a long store path is what gets cut.
        var left = "\(session.ops.actor.name) (\(session.roleName))"
        if session.readOnly { left += " · READ-ONLY" } else if session.ops.readOnlyReason != nil { left += " · STORE READ-ONLY" }
        // Who, and read-only, always stay whole: the right part gets what is left of the rest.
        let reserve = max(24, TextFitting.width(left) + 4)
        left += " · lgadmin \(session.ops.storePath)"
        var candidates = [waiting.text(compact: false), waiting.text(compact: true)]
        if session.may(.policyCheck) {
            // The policy's state replaces the chain's when room is short (it checks the chain too).
            let full = session.policy.headerText(compact: false), short = session.policy.headerText(compact: true)
            let word = session.policy.headerText(compact: true, worstOnly: true)
            let lean = waiting.text(compact: true, chain: false)
            candidates = [waiting.text(compact: false) + " · " + full, waiting.text(compact: true) + " · " + short, lean + " · " + short,
                          lean + " · " + word, ([short] + (waiting.chain?.firstBadSeq.map { ["chain BROKEN at \($0)"] } ?? [])).joined(separator: " · ")]
        }
        let right = candidates.first { TextFitting.width($0) + reserve <= layout.cols } ?? candidates[candidates.count - 1]
        HeaderBar.draw(left: left, right: right, on: terminal, row: layout.header.row, width: layout.cols)
    }
}
