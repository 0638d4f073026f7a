/// Where the event loop gets its keys: the terminal (``KeyReader``) or a script in tests.
public protocol KeySource: AnyObject {
    /// The next key, ``Key/timeout`` when none came within the source's timeout, or
    /// ``Key/hangup`` when the terminal is gone.
    func nextKey() -> Key
}

/// A ``KeySource`` that plays back a fixed list of keys, then reports `whenExhausted`
/// (by default ``Key/hangup``, so a loop under test always ends).
public final class ScriptedKeySource: KeySource {
    private var keys: [Key]
    private var position = 0
    private let whenExhausted: Key
    /// Called before each key is returned, with its index: lets a test change state
    /// (resize the terminal, raise a flag) at a chosen moment.
    public var beforeKey: ((Int) -> Void)?

    public init(_ keys: [Key], whenExhausted: Key = .hangup) {
        self.keys = keys
        self.whenExhausted = whenExhausted
    }

    /// Keys for each character of `text` (`\n` is Enter, `\t` Tab, `\u{1B}` Esc).
    public convenience init(typing text: String, then rest: [Key] = [], whenExhausted: Key = .hangup) {
        let typed = text.unicodeScalars.map { Key(character: $0) }
        self.init(typed + rest, whenExhausted: whenExhausted)
    }

    /// How many keys were read so far.
    public var consumed: Int { position }

    public func nextKey() -> Key {
        beforeKey?(position)
        guard position < keys.count else { return whenExhausted }
        defer { position += 1 }
        return keys[position]
    }
}
