import Foundation
import PrivacyOps

extension ScreenID {
    public static let traffic: ScreenID = "traffic"
}

extension ActionID {
    public static let showTraffic: ActionID = "screen.traffic"
    public static let trafficRun: ActionID = "traffic.run"
}

/// How far a background traffic report has read, shared between the reading thread and the
/// event loop; and whether the screen asked it to stop.
final class TrafficProgressBox: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: TrafficProgress?
    private var stop = false

    func set(_ p: TrafficProgress) {
        lock.lock()
        latest = p
        lock.unlock()
    }

    var value: TrafficProgress? {
        lock.lock()
        defer { lock.unlock() }
        return latest
    }

    func cancel() {
        lock.lock()
        stop = true
        lock.unlock()
    }

    var cancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stop
    }
}

/// How the traffic screen shows things.
enum TrafficRender {
    /// "reading access.log.2.gz: 12.3 of 40.1 MiB (30%), 123456 lines"
    static func progress(_ p: TrafficProgress?) -> String {
        guard let p else { return "opening the access logs…" }
        let mib = { (b: Int64) in String(format: "%.1f", Double(b) / 1_048_576) }
        var text = "reading \(p.file): \(mib(p.bytesRead))"
        if let total = p.totalBytes, total > 0 {
            text += " of \(mib(total)) MiB (\(min(100, Int(p.bytesRead * 100 / total)))%)"
        } else {
            text += " MiB"
        }
        return text + ", \(p.lines) lines"
    }

    /// The report as the pager shows it: its text, then what reading found.
    static func lines(_ run: TrafficReportRun) -> [StyledLine] {
        var out = String(decoding: run.report.rendered(.text), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map { StyledLine(String($0)) }
        let s = run.input
        out.append(StyledLine(""))
        out.append(StyledLine("Read \(s.lines) lines from \(s.files.count) logs: \(s.pageViews) page views, \(s.otherRequests) other requests, \(s.crawlerRequests) from crawlers; \(s.unreadable) lines could not be read (named in the audit trail's count, never shown).", style: .dim))
        if !s.unreadableAt.isEmpty {
            out.append(StyledLine("Unreadable: " + s.unreadableAt.prefix(20).joined(separator: ", ") + (s.unreadable > 20 ? ", …" : ""), style: .dim))
        }
        for p in s.problems { out.append(StyledLine("Incomplete: \(p)", style: .warning)) }
        out.append(StyledLine("Audited as traffic.report; SHA-256 of this report: \(run.sha256)", style: .dim))
        return out
    }
}

/// The traffic screen (admins): runs a traffic report over the access logs the console was
/// started with (`--traffic-log`, or the demo's logs), in the background with a progress line,
/// then shows the report. Every run is audited by the service, so a run starts only on `t`.
final class TrafficController: ConsoleScreen {
    let id = ScreenID.traffic
    let title = "Traffic"
    let workspace: Workspace = .traffic
    let collections: Set<String> = []
    var isStale = false
    var isEditingText: Bool { false }
    var isInDetail: Bool { false }
    let session: ConsoleSession
    let logs: [String]
    private(set) var job: BackgroundJob<TrafficReportRun>?
    private var box = TrafficProgressBox()
    private var shownProgress: String?
    private(set) var pager: TextPager?
    private(set) var failure: String?

    init(session: ConsoleSession, logs: [String]) {
        self.session = session
        self.logs = logs
    }

    func activate(arguments: [String]?) {}
    func reload() { isStale = false }
    func storeChanged(_ changes: StoreChanges) {}
    func path() -> [String] { job != nil ? ["reading"] : pager != nil ? ["report"] : [] }
    func trailing() -> String { logs.isEmpty ? "" : "\(logs.count) log(s)" }
    func handleTextKey(_ key: Key) {}
    func resized() {}

    func back() -> Bool {
        if job != nil {
            box.cancel()
            return true
        }
        return false
    }

    /// Starts a report over the logs; refused while one runs or without logs.
    func start() {
        guard job == nil else { return session.show("a traffic report is already being read", .warning) }
        guard !logs.isEmpty else {
            return session.show("no access logs: start the console with --traffic-log PATH", .error)
        }
        let box = TrafficProgressBox()
        self.box = box
        let ops = session.ops
        let request = TrafficReportRequest(logs: logs)
        failure = nil
        job = BackgroundJob {
            try ops.trafficReport(request, progress: { box.set($0) }, cancelled: { box.cancelled })
        }
    }

    func perform(_ action: ActionID) -> Bool {
        let key: Key
        switch action {
        case .trafficRun:
            start()
            return true
        case .cursorDown: key = .down
        case .cursorUp: key = .up
        case .pageDown: key = .pageDown
        case .pageUp: key = .pageUp
        case .top: key = .home
        case .bottom: key = .end
        default: return false
        }
        _ = pager?.handle(key)
        return true
    }

    func tick(now: ContinuousClock.Instant) -> Bool {
        guard let job else { return false }
        guard let result = job.poll() else {
            let text = TrafficRender.progress(box.value)
            defer { shownProgress = text }
            return text != shownProgress
        }
        self.job = nil
        shownProgress = nil
        switch result {
        case .success(let run):
            pager = TextPager(title: "Traffic report over \(logs.count) log(s)   (t runs it again; each run is audited)",
                              lines: TrafficRender.lines(run))
            session.didCommit()
            session.show("traffic report made and audited")
        case .failure(let error):
            failure = OpsError.from(error).message
            session.show(failure ?? "", .error)
        }
        return true
    }

    func drawBody(on screen: TerminalScreen, in rect: Rect) {
        let inner = rect.inset(cols: 1)
        if job != nil {
            screen.fill(rect, style: .normal)
            screen.put(TextFitting.clip(TextFitting.clean(TrafficRender.progress(box.value)), width: inner.width),
                       row: inner.row, col: inner.col, style: .title)
            screen.put(TextFitting.clip("Esc stops reading (nothing is recorded).", width: inner.width), row: inner.row + 2, col: inner.col, style: .dim)
            return
        }
        if var pager {
            pager.draw(on: screen, in: inner)
            self.pager = pager
            return
        }
        screen.fill(rect, style: .normal)
        var text = [StyledLine("Traffic report", style: .title)]
        if logs.isEmpty {
            text.append(StyledLine("No access logs were named. Start the console with --traffic-log PATH (repeatable, gzip too), or run 'lgadmin traffic report ACCESS_LOG...'."))
        } else {
            text.append(StyledLine("Press t to read these \(logs.count) access log(s) and show the aggregate report (K = \(TrafficReportRequest.defaultMinCount), by month; each run is audited):"))
            text += logs.map { StyledLine("  " + $0, style: .dim) }
        }
        if let failure { text.append(StyledLine(failure, style: .error)) }
        var row = inner.row
        for line in text {
            for piece in TextFitting.wrap(TextFitting.clean(line.text), width: inner.width) where row < inner.bottom {
                screen.put(piece, row: row, col: inner.col, style: line.style)
                row += 1
            }
        }
    }
}
