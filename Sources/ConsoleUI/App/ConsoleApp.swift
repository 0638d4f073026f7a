/// What a key did to the application.
public enum KeyResult: Equatable, Sendable {
    /// Nothing visible changed.
    case unchanged
    /// Something changed: redraw.
    case redraw
    /// Leave the console (q from the top, `:q`).
    case quit
}

/// An application the ``EventLoop`` drives: a model that draws itself onto a
/// ``TerminalScreen``, handles keys, and does periodic work on ``tick(now:)``.
public protocol ConsoleApp: AnyObject {
    /// Draws the whole interface onto `screen`, whose buffer the loop has cleared. Only the
    /// cells that differ from the last flush reach the terminal.
    func draw(on screen: TerminalScreen)

    /// Handles one key press.
    func handle(_ key: Key) -> KeyResult

    /// Periodic work: refresh the store, ingest the inbox, expire flash messages. Called when
    /// a read times out and at least every tick interval while keys arrive. Returns whether
    /// something visible changed.
    func tick(now: ContinuousClock.Instant) -> Bool

    /// Called when the terminal changed size, before the redraw. Optional.
    func resized(to size: (rows: Int, cols: Int))
}

extension ConsoleApp {
    public func resized(to size: (rows: Int, cols: Int)) {}
}
