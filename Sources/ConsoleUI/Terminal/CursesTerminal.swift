internal import CNCurses

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the terminal could not be opened.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// `TERM` is unset or names a terminal type the terminfo database does not know.
    case unknownTerminalType(String)
    /// The terminal type cannot move the cursor (e.g. `dumb`).
    case unsupportedTerminalType(String)
    /// Standard input or output is not a terminal.
    case notATerminal

    public var description: String {
        switch self {
        case .unknownTerminalType(let name):
            let shown = name.isEmpty ? "TERM is not set" : "the terminal type \"\(name)\" is unknown"
            return "cannot open the console: \(shown); set a known type, e.g. TERM=xterm-256color"
        case .unsupportedTerminalType(let name):
            return "cannot open the console: the terminal type \"\(name)\" cannot move the cursor; "
                + "set a full-screen type, e.g. TERM=xterm-256color"
        case .notATerminal:
            return "cannot open the console: standard input and output must be a terminal; "
                + "run lgadmin in a terminal, or use a subcommand (lgadmin --help)"
        }
    }
}

/// Bracketed paste mode: with it on, the terminal wraps pasted text in `ESC [ 200 ~` …
/// `ESC [ 201 ~`, so the key reader can tell pasted text from typing (see ``PasteDecoder``).
/// Terminals without it ignore the private mode. Written straight to the terminal (standard
/// output), outside ncurses' screen model: on when the terminal opens, off after `endwin`
/// when it closes (quit, SIGINT/SIGTERM/SIGHUP all leave through ``CursesTerminal/close()``),
/// and off for the time of a suspend (Ctrl-Z) by a SIGTSTP handler in the C shim that wraps
/// ncurses' own.
enum BracketedPaste {
    static let on = Array("\u{1B}[?2004h".utf8)
    static let off = Array("\u{1B}[?2004l".utf8)

    static func enable() { send(on) }
    static func disable() { send(off) }

    static func send(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = write(STDOUT_FILENO, base + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return  // the terminal is gone: nothing to restore
                }
            }
        }
    }
}

/// The accessors the Swift side needs from ncurses, through the `lg_` helpers of shim.h.
enum NCurses {
    static var stdscr: UnsafeMutablePointer<WINDOW>? { lg_stdscr() }
    static var lines: Int { Int(lg_lines()) }
    static var cols: Int { Int(lg_cols()) }

    static var normal: attr_t { lg_a_normal() }
    static var underline: attr_t { lg_a_underline() }
    static var reverse: attr_t { lg_a_reverse() }
    static var dim: attr_t { lg_a_dim() }
    static var bold: attr_t { lg_a_bold() }

    /// `COLOR_PAIR(n)`, the attribute bits selecting colour pair `n`.
    static func colorPair(_ n: Int) -> Int { Int(lg_color_pair(Int32(n))) }
    /// `KEY_F(n)`.
    static func functionKey(_ n: Int) -> Int32 { lg_key_f(Int32(n)) }
    /// The C library's `wcwidth` in the current locale: -1 for what it cannot print.
    static func wcwidth(_ scalar: Unicode.Scalar) -> Int {
        Int(lg_wcwidth(wchar_t(truncatingIfNeeded: scalar.value)))
    }

    static func attributes(of appearance: Appearance) -> attr_t {
        var a = normal
        if appearance.bold { a |= bold }
        if appearance.dim { a |= dim }
        if appearance.reverse { a |= reverse }
        if appearance.underline { a |= underline }
        return a
    }
}

/// The ncurses ``TerminalScreen``: the only type besides ``KeyReader`` that calls ncurses.
///
/// Opening sets the locale from the environment, starts ncurses with `newterm` (so an
/// unknown `TERM` is an error rather than an exit), and puts the terminal in cbreak, noecho,
/// keypad and nonl modes with the cursor hidden and the mouse off. Drawing goes to a back
/// buffer; ``flush()`` writes only changed cells with the wide-character calls and updates
/// the terminal with `wnoutrefresh`/`doupdate`. ``close()`` (idempotent; also run on deinit)
/// calls `endwin`.
public final class CursesTerminal: TerminalScreen {
    /// The theme in use: ``Theme/monochrome`` when the terminal has no colours.
    public let theme: Theme

    private let screen: OpaquePointer
    let window: UnsafeMutablePointer<WINDOW>
    private var back: ScreenBuffer
    private var front: ScreenBuffer?
    private var attributes: [Style: attr_t] = [:]
    private var pairs: [Style: Int16] = [:]
    private var cursor: (row: Int, col: Int, visible: Bool) = (0, 0, false)
    private var cursorShown = false
    private var isClosed = false

    /// Opens the terminal named by the environment's `TERM` on standard input and output.
    ///
    /// - Throws: ``TerminalError`` when `TERM` is unknown or cannot address the cursor, or the
    ///   streams are not a terminal; nothing has been written to the screen then.
    public init(theme requested: Theme) throws {
        setlocale(LC_ALL, "")
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError.notATerminal
        }
        guard let termValue = getenv("TERM"), termValue.pointee != 0 else {
            throw TerminalError.unknownTerminalType("")
        }
        let termName = String(cString: termValue)
        guard let screen = newterm(termName, lg_stdout(), lg_stdin()) else {
            throw TerminalError.unknownTerminalType(termName)
        }
        set_term(screen)
        guard lg_can_address_cursor() == 1, let window = lg_stdscr() else {
            // Nothing was drawn yet: restore the tty modes without endwin's cursor movement.
            reset_shell_mode()
            delscreen(screen)
            throw TerminalError.unsupportedTerminalType(termName)
        }
        self.screen = screen
        self.window = window

        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        intrflush(window, false)
        leaveok(window, true)
        curs_set(0)
        mousemask(0, nil)

        if !requested.isMonochrome && has_colors() {
            start_color()
            use_default_colors()
            theme = requested
        } else {
            theme = .monochrome
        }
        back = ScreenBuffer(rows: NCurses.lines, cols: NCurses.cols)
        setUpStyles()
        BracketedPaste.enable()
        // After newterm, which installed ncurses' own SIGTSTP handler: wrap it.
        lg_bracketed_paste_tstp_install()
    }

    deinit { close() }

    private func setUpStyles() {
        var pairOf: [Appearance: Int16] = [:]
        var next: Int16 = 1
        for style in Style.allCases {
            let appearance = theme[style]
            attributes[style] = NCurses.attributes(of: appearance)
            guard !theme.isMonochrome, appearance.usesColor else {
                pairs[style] = 0
                continue
            }
            let key = Appearance(foreground: appearance.foreground, background: appearance.background)
            if let existing = pairOf[key] {
                pairs[style] = existing
            } else if Int32(next) < lg_color_pairs() {
                init_pair(next, appearance.foreground.rawValue, appearance.background.rawValue)
                pairOf[key] = next
                pairs[style] = next
                next += 1
            } else {
                pairs[style] = 0
            }
        }
    }

    // MARK: TerminalScreen

    public var size: (rows: Int, cols: Int) { (back.rows, back.cols) }

    public func put(_ text: String, row: Int, col: Int, style: Style) {
        back.put(text, row: row, col: col, style: style)
    }

    public func fill(row: Int, col: Int, width: Int, style: Style) {
        back.fill(row: row, col: col, width: width, style: style)
    }

    public func clearLine(row: Int) {
        back.fill(row: row, col: 0, width: back.cols, style: .normal)
    }

    public func clear() { back.clearAll() }

    public func setCursor(row: Int, col: Int, visible: Bool) {
        cursor = (row, col, visible)
    }

    public func syncSize() {
        guard !isClosed else { return }
        let rows = NCurses.lines, cols = NCurses.cols
        if rows != back.rows || cols != back.cols {
            back = ScreenBuffer(rows: rows, cols: cols)
        }
        // What the terminal shows after a resize is not what was flushed: rewrite every cell
        // into the window; ncurses still sends only what differs from its idea of the screen.
        front = nil
    }

    public func flush() {
        guard !isClosed else { return }
        for (row, col) in back.changedCells(since: front) {
            write(back[row, col], row: row, col: col)
        }
        front = back
        if cursor.visible && back.contains(row: cursor.row, col: cursor.col) {
            if !cursorShown { curs_set(1); cursorShown = true }
            leaveok(window, false)
            wmove(window, Int32(cursor.row), Int32(cursor.col))
        } else {
            if cursorShown { curs_set(0); cursorShown = false }
            leaveok(window, true)
        }
        wnoutrefresh(window)
        doupdate()
        // After ncurses has written its frame, so the two never interleave.
        for bytes in controls { BracketedPaste.send(bytes) }
        controls.removeAll()
    }

    /// Control sequences waiting for the next flush.
    private var controls: [[UInt8]] = []

    public func sendControl(_ bytes: [UInt8]) {
        guard !isClosed else { return }
        controls.append(bytes)
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        if cursorShown { curs_set(1) }
        lg_bracketed_paste_tstp_remove()
        endwin()
        // After endwin's own output, so the shell gets its terminal back without the mode.
        BracketedPaste.disable()
        delscreen(screen)
    }

    // MARK: Writing cells

    private func write(_ cell: Cell, row: Int, col: Int) {
        let attr = attributes[cell.style] ?? NCurses.normal
        let pair = pairs[cell.style] ?? 0
        let width = DisplayWidth.of(cell.character)
        var wide: [wchar_t] = []
        for scalar in cell.character.unicodeScalars {
            if wide.isEmpty {
                // ncurses must agree on the width, or every later column would shift.
                guard NCurses.wcwidth(scalar) == width else { break }
                wide.append(wchar_t(truncatingIfNeeded: scalar.value))
            } else if wide.count < 5 && NCurses.wcwidth(scalar) == 0 {
                wide.append(wchar_t(truncatingIfNeeded: scalar.value))  // combining marks
            } else {
                break  // the rest of an emoji sequence: the base alone keeps the width right
            }
        }
        if wide.isEmpty {
            // The locale cannot show it as we measured it: a placeholder of the same width.
            for k in 0..<width {
                writeScalars([wchar_t(UInt8(ascii: "?"))], attr: attr, pair: pair, row: row, col: col + k)
            }
            return
        }
        writeScalars(wide, attr: attr, pair: pair, row: row, col: col)
    }

    private func writeScalars(_ scalars: [wchar_t], attr: attr_t, pair: Int16, row: Int, col: Int) {
        var cchar = cchar_t()
        let terminated = scalars + [0]
        let status = terminated.withUnsafeBufferPointer { buffer in
            setcchar(&cchar, buffer.baseAddress, attr, pair, nil)
        }
        guard status != ERR else { return }
        // The bottom-right cell reports ERR because the cursor cannot advance; it is drawn.
        _ = mvwadd_wch(window, Int32(row), Int32(col), &cchar)
    }
}
