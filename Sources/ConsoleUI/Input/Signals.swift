import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The last termination signal received (SIGINT, SIGTERM or SIGHUP), 0 when none.
/// Set by the signal handler, polled by the event loop.
let pendingTerminationSignal = Atomic<Int32>(0)

/// SIGINT (Ctrl-C under cbreak), SIGTERM and SIGHUP (a dropped SSH connection) only set a
/// flag; the event loop sees it within one read timeout and leaves through `endwin`.
/// SIGWINCH is left to ncurses.
public enum TerminationSignals {
    /// The signals handled.
    public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handlers and returns what was there before, for ``SavedSignalHandlers/restore()``.
    /// A handler may only store to the atomic flag. A signal that was ignored when the process
    /// started (SIGHUP under `nohup`) stays ignored; a gone terminal is then noticed by the key
    /// reader as a hang-up.
    @discardableResult
    public static func install() -> SavedSignalHandlers {
        var saved: [(Int32, __sighandler_t?)] = []
        for signalNumber in handled {
            let previous = signal(signalNumber) { received in
                pendingTerminationSignal.store(received, ordering: .relaxed)
            }
            saved.append((signalNumber, previous))
            if isIgnore(previous) { _ = signal(signalNumber, SIG_IGN) }
        }
        return SavedSignalHandlers(saved: saved)
    }

    private static func isIgnore(_ handler: __sighandler_t?) -> Bool {
        guard let handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// Restores the default dispositions of the handled signals.
    public static func uninstall() {
        for signalNumber in handled {
            _ = signal(signalNumber, SIG_DFL)
        }
    }

    /// The signal received since the last ``reset()``, if any.
    public static var pending: Int32? {
        let value = pendingTerminationSignal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Forgets a received signal.
    public static func reset() {
        pendingTerminationSignal.store(0, ordering: .relaxed)
    }
}

/// The signal dispositions that ``TerminationSignals/install()`` replaced.
public struct SavedSignalHandlers {
    fileprivate let saved: [(Int32, __sighandler_t?)]

    /// Puts the previous dispositions back.
    public func restore() {
        for (signalNumber, handler) in saved {
            _ = signal(signalNumber, handler)
        }
    }
}
