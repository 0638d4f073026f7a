/// Walking earlier lines of a prompt with ↑ and ↓, as shells do: ↑ shows the previous line,
/// ↓ the next, and ↓ past the newest brings back what was being typed before the walk began.
public struct HistoryWalk: Equatable, Sendable {
    /// The position in the lines shown now; nil when not walking.
    public private(set) var index: Int?
    /// What was typed before the walk began.
    public private(set) var draft = ""

    public init() {}

    /// The line before the one shown (`lines` oldest first), or nil when there is none.
    public mutating func older(_ lines: [String], current: String) -> String? {
        guard !lines.isEmpty else { return nil }
        if index == nil { draft = current }
        let next = max(0, min(lines.count, index ?? lines.count) - 1)
        if index == next { return nil }
        index = next
        return lines[next]
    }

    /// The line after the one shown, or the draft after the newest; nil when not walking.
    public mutating func newer(_ lines: [String]) -> String? {
        guard let at = index else { return nil }
        if at + 1 < lines.count {
            index = at + 1
            return lines[at + 1]
        }
        index = nil
        return draft
    }

    /// Ends the walk (the line was submitted or cleared).
    public mutating func reset() {
        index = nil
        draft = ""
    }
}
