/// One choice of a ``ListPicker``.
public struct PickerItem: Equatable, Sendable {
    public var id: String
    public var label: String
    /// A short explanation shown dimmed after the label.
    public var detail: String?

    public init(id: String, label: String, detail: String? = nil) {
        self.id = id
        self.label = label
        self.detail = detail
    }
}

/// Picks one item of a list (a ground, a reason, a status), optionally followed by a
/// free-text field (a clause, a note).
///
/// In the list: j/k and arrows move, Home/End/g/G jump, Enter picks (or moves to the text
/// field when there is one). In the field: editing keys, Enter picks, Tab/Shift-Tab go back
/// to the list. Esc cancels anywhere.
public struct ListPicker: Equatable, Sendable {
    public enum Focus: Equatable, Sendable { case list, text }

    public enum Outcome: Equatable, Sendable {
        case pending
        case cancelled
        /// The chosen item's id and the free text (nil when the picker has no field).
        case picked(id: String, text: String?)
    }

    public var title: String
    public var items: [PickerItem]
    public private(set) var cursor: Int = 0
    private var offset = 0
    public private(set) var focus: Focus = .list
    /// The label of the free-text field; nil for none.
    public let textLabel: String?
    /// Whether the free text may be left empty.
    public let textRequired: Bool
    public private(set) var text: TextInput
    public private(set) var error: String?

    public init(title: String, items: [PickerItem], selectedID: String? = nil, textLabel: String? = nil, textRequired: Bool = false, textPlaceholder: String = "") {
        self.title = title
        self.items = items
        self.textLabel = textLabel
        self.textRequired = textRequired
        self.text = TextInput(placeholder: textPlaceholder, maxLength: 500)
        if let selectedID, let i = items.firstIndex(where: { $0.id == selectedID }) { cursor = i }
    }

    /// The item under the cursor.
    public var selected: PickerItem? { items.indices.contains(cursor) ? items[cursor] : nil }

    private mutating func move(to index: Int) {
        cursor = items.isEmpty ? 0 : min(max(0, index), items.count - 1)
    }

    public mutating func handle(_ key: Key) -> Outcome {
        if key == .escape { return .cancelled }
        switch focus {
        case .list:
            switch key {
            case .down, .char("j"): move(to: cursor + 1)
            case .up, .char("k"): move(to: cursor - 1)
            case .home, .char("g"): move(to: 0)
            case .end, .char("G"): move(to: items.count - 1)
            case .pageDown, .ctrl("f"): move(to: cursor + 10)
            case .pageUp, .ctrl("b"): move(to: cursor - 10)
            case .tab, .backTab:
                if textLabel != nil { focus = .text }
            case .enter:
                guard let item = selected else { return .pending }
                if textLabel != nil {
                    focus = .text
                    return .pending
                }
                return .picked(id: item.id, text: nil)
            default: break
            }
        case .text:
            switch key {
            case .tab, .backTab:
                focus = .list
            case .enter:
                guard let item = selected else { return .pending }
                let value = text.text.trimmingSpaces
                if textRequired && value.isEmpty {
                    error = "\(textLabel ?? "text") is required"
                    return .pending
                }
                return .picked(id: item.id, text: value)
            default:
                // A paste is text for the field (never Enter); one cut to fit says so.
                if text.handle(key) { error = text.pasteNote }
            }
        }
        return .pending
    }

    /// Draws the picker as a dialog centred in `area`.
    public mutating func draw(on screen: TerminalScreen, in area: Rect) {
        let labels = items.map { item -> String in
            let label = TextFitting.clean(item.label)
            guard let detail = item.detail, !detail.isEmpty else { return label }
            return label + " — " + TextFitting.clean(detail)
        }
        let widest = max(labels.map(TextFitting.width).max() ?? 0, TextFitting.width(TextFitting.clean(title)) + 4, 42)
        let boxWidth = min(widest + 8, max(4, area.width - 4), 76)
        let textRows = textLabel == nil ? 0 : 4  // blank, label, field, error
        let listRows = max(1, min(items.count, area.height - 4 - textRows - 2))
        let box = DialogFrame.box(height: listRows + textRows + 4, width: boxWidth, in: area)
        let inside = DialogFrame.draw(box, title: title, on: screen)
        guard inside.height > 0 else { return }
        let visibleRows = max(1, min(listRows, inside.height - textRows - 2))

        if cursor < offset { offset = cursor }
        if cursor >= offset + visibleRows { offset = cursor - visibleRows + 1 }
        screen.hideCursor()
        for i in 0..<visibleRows {
            let index = offset + i
            guard index < items.count else { break }
            let row = inside.row + i
            let isCursor = index == cursor
            let style: Style = isCursor ? (focus == .list ? .selected : .marked) : .normal
            screen.fill(row: row, col: inside.col, width: inside.width, style: style)
            let marker = isCursor ? "> " : "  "
            screen.put(TextFitting.fit(marker + labels[index], width: inside.width), row: row, col: inside.col, style: style)
        }
        if items.isEmpty {
            screen.put("(nothing to pick)", row: inside.row, col: inside.col, style: .dim)
        }
        var row = inside.row + visibleRows + 1
        if let textLabel {
            screen.put(TextFitting.clip(TextFitting.clean(textLabel) + (textRequired ? " (required):" : " (optional):"), width: inside.width), row: row, col: inside.col, style: .normal)
            row += 1
            screen.put(">", row: row, col: inside.col, style: .normal)
            text.draw(on: screen, row: row, col: inside.col + 2, width: inside.width - 2, focused: focus == .text)
            row += 1
            if let error {
                screen.put(TextFitting.clip(error, width: inside.width), row: row, col: inside.col, style: .error)
            }
        }
        let hint = textLabel == nil ? "Enter pick · Esc cancel" : "Enter next/pick · Tab switch · Esc cancel"
        screen.put(TextFitting.clip(hint, width: inside.width), row: inside.bottom - 1, col: inside.col, style: .dim)
    }
}
