/// One labelled field of a ``FormView``.
public struct FormField: Equatable, Sendable {
    public var id: String
    public var label: String
    public var input: TextInput
    /// The validator's message for this field, shown on the line below it; nil for none.
    public var error: String?

    public init(id: String, label: String, value: String = "", placeholder: String = "", maxLength: Int? = nil) {
        self.id = id
        self.label = label
        self.input = TextInput(text: value, placeholder: placeholder, maxLength: maxLength)
    }

    public var value: String { input.text }
}

/// A form of labelled one-line fields, each with an inline error line that the caller's
/// validator fills in.
///
/// Tab/↓ and Shift-Tab/↑ move between fields; Enter submits (the caller validates, sets
/// errors with ``setError(_:for:)`` and keeps the form open, or closes it); Esc cancels and
/// drops the input. A paste goes into the focused field as text (its line breaks never
/// submit, its Escapes never cancel); one cut to fit says so under the field.
public struct FormView: Equatable, Sendable {
    public enum Outcome: Equatable, Sendable {
        case pending
        case cancelled
        /// Enter was pressed: the values by field id.
        case submitted([String: String])
    }

    public var title: String
    public private(set) var fields: [FormField]
    /// The index of the focused field.
    public private(set) var focus: Int = 0
    /// A message about the whole form (e.g. "changed by someone else: reloaded").
    public var formError: String?
    private var firstVisible = 0

    public init(title: String, fields: [FormField]) {
        self.title = title
        self.fields = fields
    }

    /// The current values by field id.
    public var values: [String: String] {
        Dictionary(fields.map { ($0.id, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(id: String) -> String? {
        fields.first { $0.id == id }?.value
    }

    /// Sets (or clears, with nil) the error shown under field `id`.
    public mutating func setError(_ message: String?, for id: String) {
        guard let i = fields.firstIndex(where: { $0.id == id }) else { return }
        fields[i].error = message
    }

    /// Clears every field error and the form error.
    public mutating func clearErrors() {
        for i in fields.indices { fields[i].error = nil }
        formError = nil
    }

    /// Whether any field has an error.
    public var hasErrors: Bool { fields.contains { $0.error != nil } }

    /// Moves the focus to field `id`, e.g. the first one with an error.
    public mutating func focus(on id: String) {
        if let i = fields.firstIndex(where: { $0.id == id }) { focus = i }
    }

    /// Moves the focus to the first field with an error, if any.
    public mutating func focusFirstError() {
        if let i = fields.firstIndex(where: { $0.error != nil }) { focus = i }
    }

    public mutating func handle(_ key: Key) -> Outcome {
        guard !fields.isEmpty else { return key == .escape ? .cancelled : .pending }
        switch key {
        case .escape: return .cancelled
        case .enter: return .submitted(values)
        case .tab, .down: focus = (focus + 1) % fields.count
        case .backTab, .up: focus = (focus - 1 + fields.count) % fields.count
        default:
            if fields[focus].input.handle(key) { fields[focus].error = nil }
        }
        return .pending
    }

    /// Draws the form into `rect`: the title, then per field a line "label  [value]" and its
    /// error line, then a hint. Scrolls to keep the focused field visible.
    public mutating func draw(on screen: TerminalScreen, in rect: Rect) {
        guard !rect.isEmpty else { return }
        screen.fill(rect, style: .normal)
        screen.put(TextFitting.clip(TextFitting.clean(title), width: rect.width), row: rect.row, col: rect.col, style: .title)
        var top = rect.row + 2
        if let formError {
            screen.put(TextFitting.clip(TextFitting.clean(formError), width: rect.width), row: rect.row + 1, col: rect.col, style: .error)
        }
        let labels = fields.map { TextFitting.clean($0.label) + ":" }
        let labelWidth = min(max(labels.map(TextFitting.width).max() ?? 0, 8), max(1, rect.width / 3))
        let inputCol = rect.col + labelWidth + 1
        let inputWidth = max(1, rect.width - labelWidth - 1)
        let slots = max(1, (rect.bottom - 1 - top) / 2)
        if focus < firstVisible { firstVisible = focus }
        if focus >= firstVisible + slots { firstVisible = focus - slots + 1 }
        screen.hideCursor()
        for i in firstVisible..<min(fields.count, firstVisible + slots) {
            let focused = i == focus
            screen.put(TextFitting.fit(labels[i], width: labelWidth), row: top, col: rect.col, style: focused ? .title : .normal)
            fields[i].input.draw(on: screen, row: top, col: inputCol, width: inputWidth, style: focused ? .selected : .normal, focused: focused)
            if let error = fields[i].error {
                screen.put(TextFitting.clip(TextFitting.clean(error), width: inputWidth), row: top + 1, col: inputCol, style: .error)
            } else if let note = fields[i].input.pasteNote {
                screen.put(TextFitting.clip(note, width: inputWidth), row: top + 1, col: inputCol, style: .warning)
            }
            top += 2
        }
        if rect.height > 2 {
            screen.put(TextFitting.clip("Tab next field · Shift-Tab previous · Enter save · Esc cancel", width: rect.width), row: rect.bottom - 1, col: rect.col, style: .dim)
        }
    }
}
