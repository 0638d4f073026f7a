/// What a flash message reports. Errors and warnings also carry a textual prefix, so the
/// kind never rests on colour alone.
public enum FlashKind: Equatable, Sendable {
    case info, success, warning, error

    var style: Style {
        switch self {
        case .info: return .flash
        case .success: return .ok
        case .warning: return .warning
        case .error: return .error
        }
    }

    var prefix: String {
        switch self {
        case .info, .success: return ""
        case .warning: return "warning: "
        case .error: return "error: "
        }
    }

    /// How long a message of this kind stays: errors longer.
    var lifetime: Duration {
        switch self {
        case .error, .warning: return .seconds(8)
        case .info, .success: return .seconds(4)
        }
    }
}

/// A transient message and when it goes away.
public struct FlashMessage: Equatable, Sendable {
    public var text: String
    public var kind: FlashKind
    public var expires: ContinuousClock.Instant
}

/// The flash line: one message at a time, cleared a few seconds after it was shown.
public struct FlashLine: Equatable, Sendable {
    public private(set) var message: FlashMessage?

    public init() {}

    /// Shows `text` (sanitised when drawn) until `now` plus the kind's lifetime (or `lifetime`).
    public mutating func show(_ text: String, kind: FlashKind = .info, now: ContinuousClock.Instant = .now, lifetime: Duration? = nil) {
        message = FlashMessage(text: text, kind: kind, expires: now + (lifetime ?? kind.lifetime))
    }

    /// Clears the message if it has expired at `now`. Returns true when it did (redraw).
    @discardableResult
    public mutating func expire(now: ContinuousClock.Instant = .now) -> Bool {
        guard let message, now >= message.expires else { return false }
        self.message = nil
        return true
    }

    public mutating func dismiss() { message = nil }

    /// The line's text, without styling.
    public var text: String {
        guard let message else { return "" }
        return message.kind.prefix + TextFitting.clean(message.text)
    }

    /// Draws the message (or blanks the line) on `row`.
    public func draw(on screen: TerminalScreen, row: Int, col: Int = 0, width: Int) {
        screen.fill(row: row, col: col, width: width, style: .normal)
        guard let message else { return }
        screen.put(TextFitting.clip(text, width: width), row: row, col: col, style: message.kind.style)
    }
}
