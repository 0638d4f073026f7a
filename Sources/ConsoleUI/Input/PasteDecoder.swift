/// One thing the terminal delivered, as `wget_wch` reports it: a character, or a key that
/// ncurses already decoded from an escape sequence it knows (an arrow, a function key).
public enum TerminalInput: Equatable, Sendable {
    case scalar(Unicode.Scalar)
    case key(Key)
}

/// Finds bracketed pastes in what the terminal sends.
///
/// With bracketed paste on (`ESC [ ? 2004 h`), a terminal wraps pasted text in
/// `ESC [ 200 ~` … `ESC [ 201 ~`. ncurses 6.4 knows neither marker as a key, so both arrive as
/// plain characters. The decoder turns everything between them into one ``Key/paste(_:)``,
/// so pasted text is text and never key presses; everything else becomes the keys it always
/// was.
///
/// - A partial start marker followed by anything else is the keys it was (Esc, `[`, …).
/// - Inside a paste, a nested start marker is dropped (it is no text anyone pasted); a partial
///   end marker followed by anything else is text; a key ncurses decoded from pasted bytes
///   (pasted text holding an arrow key's sequence) is dropped: it is neither text nor a key
///   press. A resize is passed on at once: it is an event, not input.
/// - A paste is bounded: past ``limit`` bytes (UTF-8) the rest is dropped until the end
///   marker, never taken as keys. A paste whose end marker never comes is ended by
///   ``finish()`` (the reader calls it when no input came for a while, or the terminal is
///   gone) and delivered as the text it holds.
public struct PasteDecoder: Sendable {
    public static let startMarker: [Unicode.Scalar] = ["\u{1B}", "[", "2", "0", "0", "~"]
    public static let endMarker: [Unicode.Scalar] = ["\u{1B}", "[", "2", "0", "1", "~"]
    /// 1 MiB.
    public static let defaultLimit = 1 << 20

    /// The most bytes (UTF-8) of one paste kept.
    public let limit: Int
    /// A partly read marker.
    private var held: [Unicode.Scalar] = []
    private var pasting = false
    private var text = String.UnicodeScalarView()
    private var bytes = 0
    /// Whether the paste being read (or the last one delivered) went past ``limit``.
    public private(set) var wasCut = false

    public init(limit: Int = PasteDecoder.defaultLimit) {
        self.limit = limit
    }

    /// Whether a start marker is partly read outside a paste: read again within the escape
    /// delay before taking it as keys (``inputPaused()``).
    public var isMatchingMarker: Bool { !pasting && !held.isEmpty }

    /// Whether a paste is open (its end marker not read yet).
    public var isInPaste: Bool { pasting }

    /// Takes one unit of input; returns the keys it completes (none while a marker or a paste
    /// is incomplete).
    public mutating func feed(_ input: TerminalInput) -> [Key] {
        switch input {
        case .key(.resize):
            return pasting ? [.resize] : heldAsKeys() + [.resize]
        case .key(let key):
            if pasting {
                flushHeldAsText()
                return []
            }
            return heldAsKeys() + [key]
        case .scalar(let s):
            return pasting ? feedPaste(s) : feedKeys(s)
        }
    }

    /// No input came within the wait: a partial start marker outside a paste is the keys it
    /// was. Inside a paste nothing changes (its end marker may still come).
    public mutating func inputPaused() -> [Key] {
        pasting ? [] : heldAsKeys()
    }

    /// Ends whatever is open: a partial start marker as keys, an open paste as the paste it is
    /// so far (a partial end marker in it as text).
    public mutating func finish() -> [Key] {
        guard pasting else { return heldAsKeys() }
        flushHeldAsText()
        pasting = false
        return [.paste(takeText())]
    }

    // MARK: Steps

    private mutating func feedKeys(_ s: Unicode.Scalar) -> [Key] {
        let candidate = held + [s]
        if candidate == Self.startMarker {
            held = []
            pasting = true
            text = String.UnicodeScalarView()
            bytes = 0
            wasCut = false
            return []
        }
        if Self.startMarker.starts(with: candidate) {
            held = candidate
            return []
        }
        // Not a start marker: what was held is keys, and `s` starts afresh.
        var keys = heldAsKeys()
        if s == Self.startMarker[0] { held = [s] } else { keys.append(Key(character: s)) }
        return keys
    }

    private mutating func feedPaste(_ s: Unicode.Scalar) -> [Key] {
        let candidate = held + [s]
        if candidate == Self.endMarker {
            held = []
            pasting = false
            return [.paste(takeText())]
        }
        if candidate == Self.startMarker {
            held = []
            return []
        }
        if Self.endMarker.starts(with: candidate) || Self.startMarker.starts(with: candidate) {
            held = candidate
            return []
        }
        flushHeldAsText()
        if s == Self.endMarker[0] { held = [s] } else { append(s) }
        return []
    }

    private mutating func heldAsKeys() -> [Key] {
        defer { held = [] }
        return held.map { Key(character: $0) }
    }

    private mutating func flushHeldAsText() {
        for s in held { append(s) }
        held = []
    }

    private mutating func append(_ s: Unicode.Scalar) {
        let size = UTF8.width(s)
        guard bytes + size <= limit else {
            wasCut = true
            return
        }
        text.append(s)
        bytes += size
    }

    private mutating func takeText() -> String {
        defer {
            text = String.UnicodeScalarView()
            bytes = 0
        }
        return String(text)
    }
}
