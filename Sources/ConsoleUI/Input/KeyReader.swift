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
        failedRead(after: elapsed, waited: fastFailure * 4)
    }

    /// Records a failed read that took `elapsed` of a wait of `waited` (a shorter wait than
    /// the usual timeout, e.g. the escape delay, is judged by its own length).
    mutating func failedRead(after elapsed: Duration, waited: Duration) -> Bool {
        if elapsed < min(fastFailure, waited / 4) {
            consecutive += 1
        } else {
            consecutive = 0
        }
        return consecutive >= limit
    }

    /// Records a successful read.
    mutating func succeeded() { consecutive = 0 }
}

/// What one read of the terminal returned.
enum RawRead: Equatable, Sendable {
    case input(TerminalInput)
    /// Nothing came (a timeout, or an error) after waiting `after`.
    case nothing(after: Duration)
}

/// Where ``DecodingKeySource`` reads the terminal: ncurses' `wget_wch` (``CursesInput``), or
/// a script in tests.
protocol RawTerminalInput: AnyObject {
    /// Reads one unit, waiting at most `timeout`.
    func read(timeout: Duration) -> RawRead
}

/// Turns raw terminal reads into keys: a bracketed paste becomes one ``Key/paste(_:)``
/// (``PasteDecoder``), a read that times out is ``Key/timeout``, reads that fail at once are a
/// ``Key/hangup``.
///
/// After an Esc it reads again within `escapeDelay` to tell a paste's start marker from Esc
/// and the keys after it. While a paste is open it reports timeouts as usual (the loop keeps
/// ticking); a paste with no input for `pasteIdleLimit` is ended and delivered as it is, and
/// one still open when the terminal is gone is delivered before the hang-up.
final class DecodingKeySource<Source: RawTerminalInput>: KeySource {
    private let source: Source
    private let timeout: Duration
    private let escapeDelay: Duration
    private let pasteIdleLimit: Duration
    private var decoder: PasteDecoder
    private var detector: HangupDetector
    private var pending: [Key] = []
    private var pasteIdle: Duration = .zero

    init(source: Source, timeout: Duration, escapeDelay: Duration, pasteIdleLimit: Duration = .seconds(2),
         pasteLimit: Int = PasteDecoder.defaultLimit) {
        self.source = source
        self.timeout = timeout
        self.escapeDelay = escapeDelay
        self.pasteIdleLimit = pasteIdleLimit
        decoder = PasteDecoder(limit: pasteLimit)
        detector = HangupDetector(timeout: timeout)
    }

    /// Whether a paste is open (its end marker not read yet).
    var isInPaste: Bool { decoder.isInPaste }

    func nextKey() -> Key {
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            let wait = decoder.isMatchingMarker ? escapeDelay : timeout
            switch source.read(timeout: wait) {
            case .input(let input):
                detector.succeeded()
                pasteIdle = .zero
                pending += decoder.feed(input)
            case .nothing(let elapsed):
                if detector.failedRead(after: elapsed, waited: wait) {
                    pending += decoder.finish()
                    pending.append(.hangup)
                    continue
                }
                if decoder.isMatchingMarker {
                    pending += decoder.inputPaused()
                    continue
                }
                if decoder.isInPaste {
                    pasteIdle += elapsed
                    if pasteIdle >= pasteIdleLimit {
                        pasteIdle = .zero
                        pending += decoder.finish()
                        continue
                    }
                }
                return .timeout
            }
        }
    }
}

/// Reads the terminal with ncurses' `wget_wch` and a timeout per read.
final class CursesInput: RawTerminalInput {
    private let window: UnsafeMutablePointer<WINDOW>
    private let clock = ContinuousClock()
    private var currentTimeout: Int32 = -2

    init(window: UnsafeMutablePointer<WINDOW>) {
        self.window = window
    }

    func read(timeout: Duration) -> RawRead {
        let ms = Int32(max(0, timeout.wholeMilliseconds))
        if ms != currentTimeout {
            wtimeout(window, ms)
            currentTimeout = ms
        }
        var value: wint_t = 0
        let start = clock.now
        let status = wget_wch(window, &value)
        if status == ERR { return .nothing(after: clock.now - start) }
        if status == KEY_CODE_YES { return .input(.key(KeyReader.key(code: Int32(bitPattern: UInt32(value))))) }
        guard let scalar = Unicode.Scalar(UInt32(value)) else { return .input(.key(.unknown(Int(value)))) }
        return .input(.scalar(scalar))
    }
}

/// Reads keys from a ``CursesTerminal`` with `wget_wch` and a timeout.
///
/// Esc is told from the start of an escape sequence within a short `ESCDELAY` (25 ms by
/// default). ncurses' own SIGWINCH handler turns a resize into ``Key/resize``; it is not
/// replaced. Bracketed pastes (which ncurses delivers as plain characters) become one
/// ``Key/paste(_:)`` each (see ``PasteDecoder``).
public final class KeyReader: KeySource {
    private let keys: DecodingKeySource<CursesInput>

    /// - Parameters:
    ///   - timeout: how long a read waits before reporting ``Key/timeout``.
    ///   - escapeDelay: how long after Esc to wait for the rest of an escape sequence.
    public init(terminal: CursesTerminal, timeout: Duration = .milliseconds(250), escapeDelay: Duration = .milliseconds(25)) {
        set_escdelay(Int32(escapeDelay.wholeMilliseconds))
        keys = DecodingKeySource(source: CursesInput(window: terminal.window), timeout: timeout, escapeDelay: escapeDelay)
    }

    public func nextKey() -> Key {
        keys.nextKey()
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
