/// Names an action a key can trigger ("optouts.apply"). Screens map action ids to what they
/// do; the keymap only knows the names.
public struct ActionID: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

/// Names a screen ("customers", "optouts") for the keymap's per-screen entries.
public struct ScreenID: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

/// How an action is confirmed before it runs.
public enum Confirmation: Equatable, Sendable {
    /// Runs at once.
    case none
    /// A ``ConfirmDialog`` opening with Cancel focused.
    case dialog
    /// A ``ConfirmDialog`` that also needs `word` typed (irreversible actions).
    case typedWord(String)
}
