/// The `:` command line: a ``TextInput`` with Tab completion from the keymap
/// (``Keymap/completions(for:)``).
///
/// Tab completes a unique match, or extends to the longest common prefix and lists the
/// candidates; ↑ and ↓ walk the earlier lines (``history``, oldest first); Enter submits the line (resolve it with ``Keymap/resolve(command:)``); Esc, or
/// Backspace on an empty line, cancels. A paste is text on the line: it never submits it.
public struct CommandLineInput: Equatable, Sendable {
    public enum Outcome: Equatable, Sendable {
        case pending
        case cancelled
        case submitted(String)
    }

    public private(set) var input = TextInput(maxLength: 200)
    /// The candidates of the last ambiguous Tab, shown after the input.
    public private(set) var candidates: [String] = []
    /// Earlier lines, oldest first, for ↑ and ↓.
    public var history: [String]
    private var walk = HistoryWalk()

    public init(text: String = "", history: [String] = []) {
        input.text = text
        self.history = history
    }

    public var text: String { input.text }

    public mutating func handle(_ key: Key, completions: (String) -> [String]) -> Outcome {
        switch key {
        case .escape:
            return .cancelled
        case .backspace where input.isEmpty:
            return .cancelled
        case .enter:
            return .submitted(input.text.trimmingSpaces)
        case .tab:
            complete(with: completions(input.text))
        case .up:
            if let line = walk.older(history, current: input.text) { show(line) }
        case .down:
            if let line = walk.newer(history) { show(line) }
        default:
            if input.handle(key) { candidates = [] }
        }
        return .pending
    }

    private mutating func show(_ line: String) {
        input.text = line
        candidates = []
    }

    private mutating func complete(with matches: [String]) {
        guard let first = matches.first else {
            candidates = []
            return
        }
        if matches.count == 1 {
            input.text = first
            candidates = []
            return
        }
        var prefix = first
        for match in matches.dropFirst() {
            while !match.hasPrefix(prefix) { prefix.removeLast() }
        }
        if prefix.count > input.text.count { input.text = prefix }
        candidates = matches
    }

    /// Draws ":" and the input on `row`, the candidates dimmed after it.
    public mutating func draw(on screen: TerminalScreen, row: Int, col: Int = 0, width: Int) {
        guard width > 2 else { return }
        screen.fill(row: row, col: col, width: width, style: .normal)
        screen.put(":", row: row, col: col, style: .title)
        let inputWidth = candidates.isEmpty ? width - 1 : max(10, min(width - 1, (width - 1) / 2))
        input.draw(on: screen, row: row, col: col + 1, width: inputWidth, focused: true)
        if !candidates.isEmpty && width - 1 - inputWidth > 2 {
            let list = TextFitting.clip(candidates.map(TextFitting.clean).joined(separator: "  "), width: width - 2 - inputWidth)
            screen.put(list, row: row, col: col + 2 + inputWidth, style: .dim)
        } else if let note = input.pasteNote {
            // Over the end of the line: the note matters more than the rest of the text.
            let shown = TextFitting.clip(note, width: max(0, width - 2))
            let start = max(col + 1, col + width - TextFitting.width(shown))
            screen.put(shown, row: row, col: start, style: .warning)
        }
    }
}
