internal import CNCurses

/// Tells a terminal that is gone from a read that simply timed out.
///
/// A read that fails after waiting about the timeout is a timeout. A terminal that is gone
/// (the SSH connection dropped while SIGHUP is ignored, as under `nohup`) makes every read
/// fail at once; several such fast failures in a row are a hang-up, never a busy loop.
struct HangupDetector: Sendable {
    /// A failed read faster than this did not wait.
    let fastFailure: Duration
    /// This many fast failures in a row are a hang-up.
    let limit: Int
    private(set) var consecutive = 0

    init(timeout: Duration, limit: Int = 5) {
        fastFailure = timeout / 4
        self.limit = limit
    }

    /// Records a failed read that took `elapsed`; true when the terminal is judged gone.
    mutating func failedRead(after elapsed: Duration) -> Bool {
        if elapsed < fastFailure {
            consecutive += 1
        } else {
            consecutive = 0
        }
        return consecutive >= limit
    }

    /// Records a successful read.
    mutating func succeeded() { consecutive = 0 }
}

/// Reads keys from a ``CursesTerminal`` with `wget_wch` and a timeout.
///
/// Esc is told from the start of an escape sequence within a short `ESCDELAY` (25 ms by
/// default). ncurses' own SIGWINCH handler turns a resize into ``Key/resize``; it is not
/// replaced.
public final class KeyReader: KeySource {
    private let window: UnsafeMutablePointer<WINDOW>
    private let clock = ContinuousClock()
    private var detector: HangupDetector

    /// - Parameters:
    ///   - timeout: how long a read waits before reporting ``Key/timeout``.
    ///   - escapeDelay: how long after Esc to wait for the rest of an escape sequence.
    public init(terminal: CursesTerminal, timeout: Duration = .milliseconds(250), escapeDelay: Duration = .milliseconds(25)) {
        window = terminal.window
        detector = HangupDetector(timeout: timeout)
        set_escdelay(Int32(escapeDelay.wholeMilliseconds))
        wtimeout(window, Int32(timeout.wholeMilliseconds))
    }

    public func nextKey() -> Key {
        var value: wint_t = 0
        let start = clock.now
        let status = wget_wch(window, &value)
        if status == ERR {
            if detector.failedRead(after: clock.now - start) { return .hangup }
            return .timeout
        }
        detector.succeeded()
        return Self.key(status: status, value: UInt32(value))
    }

    /// The key for what `wget_wch` returned: `KEY_CODE_YES` with a key code, or `OK` with a
    /// character.
    static func key(status: Int32, value: UInt32) -> Key {
        if status == KEY_CODE_YES {
            return key(code: Int32(bitPattern: value))
        }
        guard let scalar = Unicode.Scalar(value) else { return .unknown(Int(value)) }
        return Key(character: scalar)
    }

    /// The key for an ncurses `KEY_*` code.
    static func key(code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END, KEY_LL: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        case NCurses.functionKey(1)...NCurses.functionKey(63):
            return .function(Int(code - KEY_F0))
        default: return .unknown(Int(code))
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded down.
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
