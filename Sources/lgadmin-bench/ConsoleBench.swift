import ConsoleUI
import Foundation
import PrivacyOps

/// The console on a large store: launch to the first frame of the customers screen (the whole
/// release process in a real terminal: tmux), its peak memory, each keystroke of the `/`
/// filter until the filtered table is drawn, and cursor and paging keys; beside one `grep -c`
/// pass over the same snapshot.
///
/// Keys are timed in this process on the code path the terminal uses: the console application
/// (``ConsoleLauncher/makeApp(ops:readOnly:size:)``) handles the key and draws the frame onto a
/// ``MemoryTerminal`` (clear, draw, flush: the cell diff a real terminal is sent), as
/// ``EventLoop`` does.
struct ConsoleBench {
    let store: String
    let size: Int
    let runs: Int

    static let rows = 40, cols = 120
    /// Typed one character at a time after `/`.
    static let needle = "smith"
    static let root = ActorIdentity(name: "root", isRoot: true)

    var snapshot: String { store + "/snapshot.jsonl" }

    func run() throws {
        let dataBytes = Measure.fileSize(snapshot) + Measure.fileSize(store + "/journal.jsonl")
        // Warm the page cache once so every contender reads from memory.
        _ = Measure.run("/bin/cat", [snapshot], captureOutput: false)

        var grep: [Double] = []
        if let g = Measure.which("grep") {
            // Output to a file (Measure.run captures it): GNU grep stops at the first match
            // when its output is /dev/null.
            for _ in 0..<runs { grep.append(Measure.run(g, ["-c", "customers", snapshot]).seconds) }
        }
        let gm = Measure.median(grep)

        // In this process first (the figures of the keys, and what the first row shows), then
        // the whole process in tmux once this one has let go of the store.
        let inner = try measureInProcess()
        firstFrame(inner: inner, grep: gm, dataBytes: dataBytes)
        printKeys(inner)
    }

    // MARK: First frame, whole process

    private func firstFrame(inner: InProcess, grep gm: Double, dataBytes: Int64) {
        let lgadmin = Measure.lgadminBinary
        guard FileManager.default.isExecutableFile(atPath: lgadmin) else {
            print("console first frame: build lgadmin first ('swift build -c release'), then run again")
            return
        }
        guard let tmux = Measure.which("tmux") else {
            print("console first frame: tmux is not installed (apt-get install tmux)")
            return
        }
        var wall: [Double] = [], hwm: [Double] = [], cycles: [Double] = [], floor: [Double] = []
        for _ in 0..<runs {
            guard let r = TmuxLaunch.firstFrame(tmux: tmux, argv: ["env", "-u", "SUDO_USER", lgadmin, "--store", store],
                                                until: inner.firstRowID, cols: Self.cols, rows: Self.rows) else {
                print("console first frame: the customers table did not show '\(inner.firstRowID)' within 60 s")
                return
            }
            wall.append(r.seconds)
            hwm.append(Double(r.peakKiB) * 1024)
            cycles.append(r.pollCycle)
            // What tmux and the polling alone cost: a program that prints the row at once.
            if let f = TmuxLaunch.firstFrame(tmux: tmux, argv: ["sh", "-c", "echo \(inner.firstRowID); exec sleep 60"], until: inner.firstRowID,
                                             cols: Self.cols, rows: Self.rows) {
                floor.append(f.seconds)
            }
        }
        // The process's own peak (runtime, libraries, ncurses) on an empty store.
        var idle = 0.0
        let empty = NSTemporaryDirectory() + "/lgbench-empty-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        if (try? PrivacyOps.initialize(at: empty, actor: Self.root)) != nil,
           let e = TmuxLaunch.firstFrame(tmux: tmux, argv: ["env", "-u", "SUDO_USER", lgadmin, "--store", empty],
                                         until: "no customers", cols: Self.cols, rows: Self.rows) {
            idle = Double(e.peakKiB) * 1024
        }
        try? FileManager.default.removeItem(atPath: empty)
        let w = Measure.median(wall)
        print("console first frame (tmux, whole process) \(Fmt.ms(w))   grep -c pass \(Fmt.ms(gm))   ratio \(Fmt.ratio(w, gm))"
              + "  (aim at 1M ≤ 1 s: \(w <= 1 ? "met" : "NOT met"); ≤ 3×: \(gm > 0 && w <= 3 * gm ? "met" : "NOT met"))")
        print("  includes tmux polling granularity: capture-pane every ~5 ms (a poll cycle took \(Fmt.ms(Measure.median(cycles))));"
              + " the same launch of 'echo' shows its line after \(Fmt.ms(Measure.median(floor)))")
        print("  in this process: open \(Fmt.ms(inner.open)) + console built \(Fmt.ms(inner.build)) + first draw \(Fmt.ms(inner.draw))")
        let peak = Measure.median(hwm)
        print("console peak memory at first frame \(Fmt.mib(Int64(peak)))   data on disk \(Fmt.mib(dataBytes))"
              + "   ratio \(Fmt.ratio(peak, Double(dataBytes)))  (aim ≤ 1.5×: \(peak <= 1.5 * Double(dataBytes) ? "met" : "NOT met"))")
        if idle > 0 {
            print("  of which lgadmin itself (runtime, libraries, ncurses; console on an empty store) \(Fmt.mib(Int64(idle)));"
                  + " above that \(Fmt.mib(Int64(peak - idle))), \(Fmt.ratio(peak - idle, Double(dataBytes))) of the data")
        }
    }

    // MARK: Keys, in this process

    struct InProcess {
        var firstRowID = ""
        var open = 0.0, build = 0.0, draw = 0.0
        /// Per typed prefix (and Esc): key until the filtered table is drawn, the debounce skipped.
        var untilDrawn: [String: [Double]] = [:]
        /// Per typed prefix: the key alone (handle + the frame echoing it).
        var echo: [Double] = []
        /// Per typed prefix: key until drawn with the event loop's own timing (debounce, read timeout).
        var loop: [String: [Double]] = [:]
        var background: [String: Bool] = [:]
        var matching: [String: Int] = [:]
        /// The store's own scan for each prefix (CustomerQuery alone, no console).
        var scan: [String: [Double]] = [:]
        var lines: [Double] = [], pages: [Double] = []
        var mismatches: [String] = []
    }

    /// The prefixes typed after `/`, then Esc.
    static var steps: [String] { (1...needle.count).map { String(needle.prefix($0)) } }

    private func measureInProcess() throws -> InProcess {
        var r = InProcess()
        var opens: [Double] = [], builds: [Double] = [], draws: [Double] = []
        for run in 0..<runs {
            do {
                var ops: PrivacyOps!
                opens.append(try Measure.time { ops = try PrivacyOps.open(at: store, actor: Self.root) })
                var h: Headless!
                builds.append(Measure.time { h = Headless(ops: ops, rows: Self.rows, cols: Self.cols) })
                draws.append(Measure.time { h.draw() })
                if run == 0 {
                    r.firstRowID = (try? ops.matchingCustomerIDs(limit: 1).first) ?? ""
                    if r.firstRowID.isEmpty || !h.term.text.contains(r.firstRowID) {
                        r.mismatches.append("first frame does not show the first customer '\(r.firstRowID)'")
                    }
                    for p in Self.steps {
                        var n = 0
                        r.scan[p, default: []].append(try Measure.time { n = try ops.matchingCustomerIDs(filter: p).count })
                        r.matching[p] = n
                    }
                } else {
                    for p in Self.steps { r.scan[p, default: []].append(try Measure.time { _ = try ops.matchingCustomerIDs(filter: p) }) }
                }
                // The loop's first idle tick (header counts, store refresh) before any key.
                h.tick()

                // Cursor and paging on the whole list.
                for (key, n) in [(Key.char("j"), 200), (.char("k"), 200)] { for _ in 0..<n { r.lines.append(h.press(key)) } }
                for (key, n) in [(Key.pageDown, 200), (.pageUp, 200)] { for _ in 0..<n { r.pages.append(h.press(key)) } }
                _ = h.press(.char("g"))

                // The filter, one character at a time, each until its table is drawn.
                r.echo.append(h.press(.char("/")))
                for p in Self.steps {
                    let t = h.untilDrawn(.char(p.last!))
                    r.echo.append(t.echo)
                    r.untilDrawn[p, default: []].append(t.total)
                    r.background[p] = (r.background[p] ?? false) || t.background
                    let want = "\(Self.grouped(r.matching[p] ?? -1)) matching"
                    if !h.crumbs.contains(want), run == 0 { r.mismatches.append("after '\(p)' the screen says '\(h.crumbs.trimmingCharacters(in: .whitespaces))', not '\(want)'") }
                }
                let esc = h.untilDrawn(.escape)
                r.untilDrawn["Esc", default: []].append(esc.total)

                // The same keys as the event loop runs them: a 250 ms read timeout, ticks on it.
                let paced = PacedKeys(term: h.term, steps: [("/", false, nil)] + Self.steps.map {
                    ($0, r.background[$0] ?? false, "\(Self.grouped(r.matching[$0] ?? -1)) matching")
                })
                h.runLoop(keys: paced)
                for (p, t) in paced.results { r.loop[p, default: []].append(t) }
                if paced.timedOut { r.mismatches.append("the event loop run did not show every result within 30 s a key") }
                withExtendedLifetime(ops) {}
            }
        }
        r.open = Measure.median(opens)
        r.build = Measure.median(builds)
        r.draw = Measure.median(draws)
        return r
    }

    private func printKeys(_ r: InProcess) {
        let typed = Self.steps.flatMap { r.untilDrawn[$0] ?? [] }
        let med = Measure.median(typed), mx = typed.max() ?? 0
        let bg = Self.steps.contains { r.background[$0] ?? false }
        func verdict(_ med: Double, _ mx: Double) -> String { mx <= 0.1 ? "met" : med <= 0.1 ? "median met, max NOT" : "NOT met" }
        print("console filter keystroke until drawn  median \(Fmt.ms(med))  max \(Fmt.ms(mx))  (aim at 1M ≤ 100 ms: \(verdict(med, mx)))")
        print("  " + (bg ? "filtering runs in a background job here: timed until its result is drawn (ticks polled every 1 ms), the app's 200 ms typing pause skipped"
                         : "filtering runs on the loop's thread here, inside the key"))
        print("  key alone (handle + echo frame): median \(Fmt.ms(Measure.median(r.echo)))  max \(Fmt.ms(r.echo.max() ?? 0))")
        var per: [String] = []
        for p in Self.steps {
            per.append("'\(p)' \(Fmt.ms(Measure.median(r.untilDrawn[p] ?? []))) (\(Self.grouped(r.matching[p] ?? 0)) rows; scan alone \(Fmt.ms(Measure.median(r.scan[p] ?? []))))")
        }
        per.append("Esc \(Fmt.ms(Measure.median(r.untilDrawn["Esc"] ?? [])))")
        print("  per key: " + per.joined(separator: ", "))
        let loop = Self.steps.flatMap { r.loop[$0] ?? [] }
        let lm = Measure.median(loop), lx = loop.max() ?? 0
        print("  with the event loop's own timing (200 ms pause before filtering, 250 ms read timeout between ticks):"
              + " median \(Fmt.ms(lm))  max \(Fmt.ms(lx))  (aim at 1M ≤ 100 ms: \(verdict(lm, lx)))")
        let l50 = Measure.median(r.lines), l99 = Measure.percentile(r.lines, 0.99)
        let p50 = Measure.median(r.pages), p99 = Measure.percentile(r.pages, 0.99)
        print("console cursor j/k  median \(Fmt.ms(l50))  p99 \(Fmt.ms(l99))   PgDn/PgUp  median \(Fmt.ms(p50))  p99 \(Fmt.ms(p99))"
              + "  (\(r.lines.count + r.pages.count) keys; aim ≤ 16 ms: \(max(l99, p99) <= 0.016 ? "met" : "NOT met"))")
        for m in r.mismatches { print("  warning: \(m)") }
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}

/// The console application driven headless, as ``EventLoop`` drives it: a key, then a redraw
/// (clear, draw, flush) when the key changed something; ticks likewise.
final class Headless {
    let app: any ConsoleApp
    let term: MemoryTerminal

    init(ops: PrivacyOps, rows: Int, cols: Int) {
        term = MemoryTerminal(rows: rows, cols: cols)
        app = ConsoleLauncher.makeApp(ops: ops, readOnly: false, size: (rows, cols))
    }

    func draw() {
        term.clear()
        term.hideCursor()
        app.draw(on: term)
        term.flush()
    }

    /// The breadcrumb row: the screen's path and, at its right, "filtering …" or "N matching".
    var crumbs: String { term.lines()[2] }

    /// Presses `key`; returns the seconds until its frame was flushed.
    func press(_ key: Key) -> Double {
        Measure.time {
            if app.handle(key) != .unchanged { draw() }
        }
    }

    func tick(now: ContinuousClock.Instant = .now) {
        if app.tick(now: now) { draw() }
    }

    /// Presses `key` and drives ticks until what it asked for is drawn: a large store filters
    /// when typing pauses (a tick 200 ms after the key) in a background job whose result a
    /// later tick takes. Ticks are handed a time past that pause, so the pause is skipped.
    func untilDrawn(_ key: Key) -> (echo: Double, total: Double, background: Bool) {
        let clock = ContinuousClock()
        let start = clock.now
        let echo = press(key)
        tick(now: .now + .milliseconds(250))
        var background = false
        while crumbs.contains("filtering") {
            background = true
            usleep(1000)
            tick(now: .now + .milliseconds(250))
        }
        let d = clock.now - start
        return (echo, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, background)
    }

    /// Runs the real event loop over `keys` on the memory terminal until they are used up.
    func runLoop(keys: PacedKeys) {
        func run<A: ConsoleApp>(_ app: A) {
            let loop = EventLoop(app: app, keys: keys, screen: term, pendingSignal: { nil })
            _ = loop.run()
        }
        run(app)
    }
}

/// Keys for the real ``EventLoop``: each key once the previous one's result is on the screen;
/// while waiting, a 250 ms read timeout as ``Console`` sets (the loop ticks on it). Records the
/// time from handing out each key to the first frame showing its result.
final class PacedKeys: KeySource {
    let term: MemoryTerminal
    /// The filter prefix each key completes, whether its result comes from a background job,
    /// and the "N matching" it ends on.
    let steps: [(prefix: String, background: Bool, expect: String?)]
    private var index = 0
    private var sentAt: ContinuousClock.Instant?
    private var sawWorking = false
    private let clock = ContinuousClock()
    private(set) var results: [(String, Double)] = []
    private(set) var timedOut = false

    init(term: MemoryTerminal, steps: [(prefix: String, background: Bool, expect: String?)]) {
        self.term = term
        self.steps = steps
    }

    func nextKey() -> Key {
        if let sent = sentAt {
            let step = steps[index - 1]
            let crumbs = term.lines()[2]
            let working = crumbs.contains("filtering")
            if working { sawWorking = true }
            let done = !working && (step.background ? sawWorking : (step.expect.map { crumbs.contains($0) } ?? true))
            let d = clock.now - sent
            if done {
                results.append((step.prefix, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
                sentAt = nil
            } else if d > .seconds(30) {
                timedOut = true
                return .char("q")
            } else {
                usleep(250_000)
                return .timeout
            }
        }
        guard index < steps.count else { return .hangup }
        let step = steps[index]
        index += 1
        sawWorking = false
        sentAt = clock.now
        return .char(step.prefix.last!)
    }
}

/// Starting a program in a private tmux server and waiting for a text on its screen.
enum TmuxLaunch {
    struct Result {
        var seconds: Double
        var peakKiB: Int
        var pollCycle: Double
    }

    /// Starts `argv` in a detached `cols`×`rows` session whose shell waits on a FIFO, releases
    /// it (the moment timed from: the shell then execs the program, keeping its pid), polls
    /// `capture-pane -p` about every 5 ms until `needle` shows, reads the program's VmHWM, and
    /// ends the server. Nil when the text never showed.
    static func firstFrame(tmux: String, argv: [String], until needle: String, cols: Int, rows: Int) -> Result? {
        let socket = "lgbench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fifo = NSTemporaryDirectory() + "/" + socket + ".go"
        guard mkfifo(fifo, 0o600) == 0 else { return nil }
        defer { unlink(fifo) }
        func t(_ args: [String]) -> String { Measure.run(tmux, ["-L", socket] + args).output }
        defer {
            _ = Measure.run(tmux, ["-L", socket, "kill-server"], captureOutput: false)
            // The server leaves its socket file behind.
            let dir = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            unlink("\(dir)/tmux-\(getuid())/\(socket)")
        }
        let quoted = argv.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let script = "read go < '\(fifo)'; exec \(quoted)"
        _ = t(["-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", String(cols), "-y", String(rows), "sh", "-c", script])
        _ = t(["set-option", "-t", "b", "status", "off"])
        guard let pid = Int32(t(["list-panes", "-t", "b", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        let fd = open(fifo, O_WRONLY)  // waits for the shell to open its end
        guard fd >= 0 else { return nil }
        let clock = ContinuousClock()
        let start = clock.now
        _ = write(fd, "go\n", 3)
        close(fd)
        var polls = 0
        while clock.now - start < .seconds(60) {
            let pollStart = clock.now
            let screen = t(["capture-pane", "-p", "-t", "b"])
            polls += 1
            if screen.contains(needle) {
                let d = clock.now - start
                let secs = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
                let peak = peakKiB(pid)
                return Result(seconds: secs, peakKiB: peak, pollCycle: secs / Double(polls))
            }
            let spent = clock.now - pollStart
            if spent < .milliseconds(5) { Thread.sleep(forTimeInterval: Double((.milliseconds(5) - spent).components.attoseconds) / 1e18) }
        }
        return nil
    }

    /// A process's peak resident memory (VmHWM), in KiB; 0 once it is gone.
    static func peakKiB(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            // "VmHWM:\t   82676 kB": a tab, then spaces.
            return Int(line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? 0
        }
        return 0
    }
}
