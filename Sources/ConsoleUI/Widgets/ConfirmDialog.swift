/// A button of a ``ConfirmDialog``.
public struct DialogButton: Equatable, Sendable {
    public var id: String
    public var label: String
    /// The button that backs out; dialogs open with it focused.
    public var isCancel: Bool
    /// Whether choosing it destroys or hides something.
    public var isDestructive: Bool

    public init(id: String, label: String, isCancel: Bool = false, isDestructive: Bool = false) {
        self.id = id
        self.label = label
        self.isCancel = isCancel
        self.isDestructive = isDestructive
    }

    public static let cancel = DialogButton(id: "cancel", label: "Cancel", isCancel: true)
}

/// A confirmation dialog: a title, message lines and buttons, opening with Cancel focused.
///
/// Tab/Shift-Tab and ←/→ move the focus; Enter picks the focused button; Esc cancels. For
/// irreversible actions a word must be typed first: until it is, the other buttons are
/// disabled (greyed). Typing goes to that field; Enter in it confirms once the word matches.
public struct ConfirmDialog: Equatable, Sendable {
    /// Where the focus is.
    public enum Focus: Equatable, Sendable {
        case input
        case button(Int)
    }

    /// What a key did.
    public enum Outcome: Equatable, Sendable {
        /// The dialog stays open.
        case pending
        /// Esc or the Cancel button.
        case cancelled
        /// A button other than Cancel was picked, by id.
        case chosen(String)
    }

    public var title: String
    public var message: [String]
    public private(set) var buttons: [DialogButton]
    public private(set) var focus: Focus
    /// The word to type for an irreversible action, or nil.
    public let confirmationWord: String?
    public private(set) var input: TextInput
    /// A line shown in the error style, e.g. when Enter was pressed before the word matched.
    public private(set) var error: String?

    /// - Parameter buttons: at least one; a Cancel button is put first when none is given.
    public init(title: String, message: [String], buttons: [DialogButton], confirmationWord: String? = nil) {
        var buttons = buttons
        if !buttons.contains(where: \.isCancel) { buttons.insert(.cancel, at: 0) }
        self.title = title
        self.message = message
        self.buttons = buttons
        self.confirmationWord = confirmationWord.flatMap { $0.isEmpty ? nil : $0 }
        self.input = TextInput(maxLength: 64)
        self.focus = .button(buttons.firstIndex(where: \.isCancel) ?? 0)
    }

    /// Cancel plus one action button labelled `action`.
    public static func confirm(
        title: String, message: [String], action: String, id: String = "confirm",
        destructive: Bool = false, typeToConfirm word: String? = nil
    ) -> ConfirmDialog {
        ConfirmDialog(
            title: title, message: message,
            buttons: [.cancel, DialogButton(id: id, label: action, isDestructive: destructive)],
            confirmationWord: word)
    }

    /// Whether the typed word matches (always true without one).
    public var isWordConfirmed: Bool {
        guard let confirmationWord else { return true }
        return input.text.trimmingSpaces == confirmationWord
    }

    /// Whether button `index` can be picked now.
    public func isEnabled(_ index: Int) -> Bool {
        buttons[index].isCancel || isWordConfirmed
    }

    /// The id of the focused button, nil when the input has the focus.
    public var focusedButton: DialogButton? {
        if case .button(let i) = focus { return buttons[i] }
        return nil
    }

    private var focusRing: [Focus] {
        (confirmationWord == nil ? [] : [.input]) + buttons.indices.map { .button($0) }
    }

    private mutating func moveFocus(by delta: Int) {
        let ring = focusRing
        guard let current = ring.firstIndex(of: focus) else { return }
        focus = ring[(current + delta + ring.count) % ring.count]
    }

    private mutating func moveButton(by delta: Int) {
        guard case .button(let i) = focus else { return }
        focus = .button(min(max(0, i + delta), buttons.count - 1))
    }

    /// Applies a key.
    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape:
            return .cancelled
        case .tab:
            moveFocus(by: 1)
        case .backTab:
            moveFocus(by: -1)
        case .enter:
            return pick()
        case .left where focus != .input:
            moveButton(by: -1)
        case .right where focus != .input:
            moveButton(by: 1)
        case .up where confirmationWord != nil:
            focus = .input
        case .down where focus == .input:
            moveFocus(by: 1)
        default:
            guard confirmationWord != nil else { break }
            switch key {
            case .char, .paste: if focus != .input { focus = .input }
            default: break
            }
            // A paste is text for the word field (never Enter); one cut to fit says so.
            if focus == .input, input.handle(key) { error = input.pasteNote }
        }
        return .pending
    }

    private mutating func pick() -> Outcome {
        switch focus {
        case .input:
            if isWordConfirmed, let target = buttons.firstIndex(where: { !$0.isCancel && $0.isDestructive })
                ?? buttons.firstIndex(where: { !$0.isCancel })
            {
                return .chosen(buttons[target].id)
            }
            error = wordHint
            return .pending
        case .button(let i):
            if buttons[i].isCancel { return .cancelled }
            guard isEnabled(i) else {
                error = wordHint
                focus = .input
                return .pending
            }
            return .chosen(buttons[i].id)
        }
    }

    private var wordHint: String {
        "type \"\(confirmationWord ?? "")\" to confirm"
    }

    // MARK: Drawing

    /// Draws the dialog centred in `area` (usually the whole screen).
    public mutating func draw(on screen: TerminalScreen, in area: Rect) {
        let buttonTexts = buttons.map { "[ \(TextFitting.clean($0.label)) ]" }
        let buttonsWidth = buttonTexts.reduce(0) { $0 + TextFitting.width($1) } + 2 * (buttons.count - 1)
        let cleanMessage = message.map(TextFitting.clean)
        let widest = max(
            cleanMessage.map(TextFitting.width).max() ?? 0,
            TextFitting.width(TextFitting.clean(title)) + 4,
            buttonsWidth,
            confirmationWord == nil ? 0 : 36)
        let boxWidth = min(max(widest + 4, 40), max(4, area.width - 4), 76)
        let inner = boxWidth - 4
        let wrapped = cleanMessage.flatMap { $0.isEmpty ? [""] : TextFitting.wrap($0, width: inner) }
        let wordRows = confirmationWord == nil ? 0 : 3  // prompt, field, error
        let boxHeight = min(wrapped.count + wordRows + 4, area.height)
        let box = DialogFrame.box(height: boxHeight, width: boxWidth, in: area)
        let inside = DialogFrame.draw(box, title: title, on: screen)
        guard inside.height > 0 else { return }

        var row = inside.row
        let messageRows = max(0, inside.height - wordRows - 2)
        for line in wrapped.prefix(messageRows) {
            screen.put(line, row: row, col: inside.col, style: .normal)
            row += 1
        }
        screen.hideCursor()
        if let word = confirmationWord {
            screen.put(TextFitting.clip("Type \(TextFitting.clean(word)) to confirm:", width: inside.width), row: row, col: inside.col, style: .normal)
            row += 1
            screen.put(">", row: row, col: inside.col, style: .normal)
            input.draw(on: screen, row: row, col: inside.col + 2, width: inside.width - 2, style: .normal, focused: focus == .input)
            row += 1
            if let error {
                screen.put(TextFitting.clip(error, width: inside.width), row: row, col: inside.col, style: .error)
            }
            row += 1
        } else if let error {
            screen.put(TextFitting.clip(error, width: inside.width), row: row, col: inside.col, style: .error)
        }

        // Buttons, right-aligned on the last inside row.
        let buttonRow = inside.bottom - 1
        var col = inside.right - buttonsWidth
        col = max(inside.col, col)
        for (i, text) in buttonTexts.enumerated() {
            let style: Style = focus == .button(i) ? .selected : (isEnabled(i) ? .normal : .dim)
            screen.put(text, row: buttonRow, col: col, style: style)
            col += TextFitting.width(text) + 2
        }
    }
}
