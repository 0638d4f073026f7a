/// Why the event loop ended.
public enum ExitReason: Equatable, Sendable {
    /// The application asked to quit (q from the top).
    case quit
    /// SIGINT, SIGTERM or SIGHUP arrived; the process should exit with 128 + the number.
    case signal(Int32)
    /// The terminal is gone.
    case hangup
}

/// Reads keys with a timeout, calls ``ConsoleApp/tick(now:)`` when the loop is idle, dispatches
/// keys, redraws only when something changed, and leaves cleanly (closing the screen, i.e.
/// `endwin`) on quit, on a termination signal and on hang-up.
///
/// Below the minimum size it shows ``TooSmallView`` instead of the application; there only
/// `q` (quit) and resizes do anything, so no action runs unseen.
public final class EventLoop<App: ConsoleApp, Keys: KeySource> {
    public let app: App
    public let keys: Keys
    public let screen: TerminalScreen
    /// The termination signal received, if any (``TerminationSignals/pending`` by default).
    public let pendingSignal: () -> Int32?
    /// The longest the loop goes without a tick while keys keep coming.
    public var tickInterval: Duration
    public var minimumRows: Int
    public var minimumCols: Int
    private let clock = ContinuousClock()

    /// How many times the loop drew a frame (for tests: redraws happen only on change).
    public private(set) var drawCount = 0

    public init(
        app: App, keys: Keys, screen: TerminalScreen,
        pendingSignal: @escaping () -> Int32? = { TerminationSignals.pending },
        tickInterval: Duration = .seconds(1),
        minimumRows: Int = ConsoleLayout.minimumRows, minimumCols: Int = ConsoleLayout.minimumCols
    ) {
        self.app = app
        self.keys = keys
        self.screen = screen
        self.pendingSignal = pendingSignal
        self.tickInterval = tickInterval
        self.minimumRows = minimumRows
        self.minimumCols = minimumCols
    }

    private var isTooSmall: Bool {
        ConsoleLayout.isTooSmall(rows: screen.size.rows, cols: screen.size.cols, minimumRows: minimumRows, minimumCols: minimumCols)
    }

    private func redraw() {
        if isTooSmall {
            TooSmallView.draw(on: screen, minimumRows: minimumRows, minimumCols: minimumCols)
        } else {
            screen.clear()
            screen.hideCursor()
            app.draw(on: screen)
        }
        screen.flush()
        drawCount += 1
    }

    /// Runs until the application quits, a termination signal arrives or the terminal is
    /// gone; closes the screen before returning.
    @discardableResult
    public func run() -> ExitReason {
        defer { screen.close() }
        redraw()
        var lastTick = clock.now
        while true {
            if let signal = pendingSignal() { return .signal(signal) }
            let key = keys.nextKey()
            if let signal = pendingSignal() { return .signal(signal) }
            var changed = false
            switch key {
            case .hangup:
                return .hangup
            case .timeout:
                break
            case .resize:
                screen.syncSize()
                app.resized(to: screen.size)
                changed = true
            default:
                if isTooSmall {
                    if key == .char("q") { return .quit }
                    continue
                }
                switch app.handle(key) {
                case .quit: return .quit
                case .redraw: changed = true
                case .unchanged: break
                }
            }
            let now = clock.now
            if key == .timeout || now - lastTick >= tickInterval {
                lastTick = now
                if app.tick(now: now) { changed = true }
            }
            if changed { redraw() }
        }
    }
}
