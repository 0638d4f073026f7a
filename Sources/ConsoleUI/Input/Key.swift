/// A key press, or an event the key reader reports in its place.
public enum Key: Hashable, Sendable {
    /// A printable character (including Space).
    case char(Character)
    /// A control key, by its lowercase letter: Ctrl-F is `.ctrl("f")`.
    case ctrl(Character)
    case up, down, left, right
    case home, end, pageUp, pageDown
    case enter, escape, backspace, delete
    case tab, backTab
    /// F1 is `.function(1)`.
    case function(Int)
    /// The terminal changed size (ncurses' own SIGWINCH handler reports it).
    case resize
    /// No key within the read timeout: time for periodic work.
    case timeout
    /// The terminal is gone (reads fail at once): leave.
    case hangup
    /// A key code this enum does not name.
    case unknown(Int)
    /// Text the terminal delivered as a bracketed paste (between `ESC [ 200 ~` and
    /// `ESC [ 201 ~`): text for the focused field, never key presses. Its line breaks,
    /// Escapes and control characters are in it as they came; text fields decide what to do
    /// with them (``TextInput/paste(_:)``), and nothing else acts on a paste.
    case paste(String)

    /// Space, the mark key.
    public static let space = Key.char(" ")

    /// The key as shown in hints and help: `j`, `↓`, `Ctrl-f`, `PgDn`, `Enter`.
    public var displayName: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-\(c)"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .function(let n): return "F\(n)"
        case .resize: return "<resize>"
        case .timeout: return "<timeout>"
        case .hangup: return "<hangup>"
        case .unknown(let code): return "<key \(code)>"
        case .paste: return "<paste>"
        }
    }

    /// Whether this is a real key press rather than an event (resize, timeout, hang-up).
    public var isKeyPress: Bool {
        switch self {
        case .resize, .timeout, .hangup: return false
        default: return true
        }
    }

    /// The key for a character as read from the terminal: control codes become ``ctrl(_:)``,
    /// Enter, Tab, Esc or Backspace.
    public init(character scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x0D, 0x0A: self = .enter
        case 0x09: self = .tab
        case 0x1B: self = .escape
        case 0x7F, 0x08: self = .backspace
        case 0x00: self = .ctrl("@")
        case 0x01...0x1A:
            self = .ctrl(Character(Unicode.Scalar(UInt8(0x60 + scalar.value))))
        case 0x1C...0x1F:
            self = .ctrl(Character(Unicode.Scalar(UInt8(0x40 + scalar.value))))
        case 0x80..<0xA0: self = .unknown(Int(scalar.value))
        default: self = .char(Character(scalar))
        }
    }
}
