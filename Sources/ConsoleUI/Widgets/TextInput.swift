/// What ``TextInput/paste(_:)`` did.
public struct PasteOutcome: Equatable, Sendable {
    /// Characters inserted.
    public var inserted: Int
    /// Characters left out because the field was full.
    public var cut: Int
}

/// A one-line text editor: insert at the cursor, Backspace, Delete, ←/→, Home/End (and
/// Ctrl-a/Ctrl-e), Ctrl-u clears, Ctrl-w deletes the word before the cursor, Ctrl-k deletes
/// to the end. Scrolls horizontally by display width when the text is wider than its field.
///
/// A bracketed paste (``Key/paste(_:)``) is inserted as text (``paste(_:)``): it never
/// submits, cancels or moves between fields, whatever it holds.
public struct TextInput: Equatable, Sendable {
    private var characters: [Character]
    /// The cursor position, in characters from the start (0...count).
    public private(set) var cursor: Int
    /// The first character shown (horizontal scroll).
    public private(set) var scroll: Int = 0
    /// Shown dimmed while the text is empty.
    public var placeholder: String
    /// At most this many characters; nil for no limit.
    public var maxLength: Int?
    /// Says that the last paste was cut to fit ``maxLength``, until the next edit; owners show
    /// it by the field.
    public private(set) var pasteNote: String?

    public init(text: String = "", placeholder: String = "", maxLength: Int? = nil) {
        characters = Array(text)
        cursor = characters.count
        self.placeholder = placeholder
        self.maxLength = maxLength
    }

    /// The text being edited.
    public var text: String {
        get { String(characters) }
        set {
            characters = Array(newValue)
            cursor = characters.count
            scroll = 0
        }
    }

    public var isEmpty: Bool { characters.isEmpty }

    // MARK: Editing

    /// Inserts `character` at the cursor; control characters and input past ``maxLength``
    /// are refused (returns false).
    @discardableResult
    public mutating func insert(_ character: Character) -> Bool {
        guard !DisplayWidth.isControl(character) else { return false }
        if let maxLength, characters.count >= maxLength { return false }
        characters.insert(character, at: cursor)
        cursor += 1
        return true
    }

    /// Inserts each character of `text` (pasting).
    public mutating func insert(contentsOf text: String) {
        for c in text { insert(c) }
    }

    /// Inserts pasted text at the cursor, as text. A one-line field has no place for line
    /// breaks, and a paste never acts as a key: line breaks (CR, LF, CR LF, U+2028, U+2029),
    /// tabs, Escape and every other control character become spaces. As much as fits under
    /// ``maxLength`` goes in; the rest is cut, and ``pasteNote`` says so.
    @discardableResult
    public mutating func paste(_ text: String) -> PasteOutcome {
        var inserted = 0
        var cut = 0
        for c in text {
            let character: Character = DisplayWidth.isControl(c) || c == "\u{2028}" || c == "\u{2029}" ? " " : c
            if let maxLength, characters.count >= maxLength {
                cut += 1
                continue
            }
            characters.insert(character, at: cursor)
            cursor += 1
            inserted += 1
        }
        if cut > 0, let maxLength {
            pasteNote = "pasted text cut to fit: \(inserted) of \(inserted + cut) characters kept (this field holds \(maxLength))"
        } else {
            pasteNote = nil
        }
        return PasteOutcome(inserted: inserted, cut: cut)
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
    public mutating func moveToStart() { cursor = 0 }
    public mutating func moveToEnd() { cursor = characters.count }

    /// Ctrl-u: clears the whole line.
    public mutating func clear() {
        pasteNote = nil
        characters.removeAll()
        cursor = 0
        scroll = 0
    }

    /// Ctrl-w: deletes the spaces before the cursor, then the word before them.
    public mutating func deleteWordBackward() {
        var start = cursor
        while start > 0 && characters[start - 1].isWhitespace { start -= 1 }
        while start > 0 && !characters[start - 1].isWhitespace { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    /// Ctrl-k: deletes from the cursor to the end.
    public mutating func deleteToEnd() {
        characters.removeSubrange(cursor..<characters.count)
    }

    /// Applies an editing key. Returns true when the key belongs to the editor (even if the
    /// text did not change); Enter, Esc, Tab and other keys return false for the owner.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        if case .paste(let text) = key {
            paste(text)
            return true
        }
        pasteNote = nil
        switch key {
        case .char(let c): insert(c)
        case .backspace: backspace()
        case .delete, .ctrl("d"): deleteForward()
        case .left, .ctrl("b"): moveLeft()
        case .right, .ctrl("f"): moveRight()
        case .home, .ctrl("a"): moveToStart()
        case .end, .ctrl("e"): moveToEnd()
        case .ctrl("u"): clear()
        case .ctrl("w"): deleteWordBackward()
        case .ctrl("k"): deleteToEnd()
        default: return false
        }
        return true
    }

    // MARK: Drawing

    /// Adjusts ``scroll`` so the cursor is visible in a field `width` columns wide, with a
    /// column left for the cursor at the end.
    public mutating func scrollToCursor(width: Int) {
        guard width > 1 else { scroll = cursor; return }
        if scroll > cursor { scroll = cursor }
        while scroll < cursor && widthOf(scroll..<cursor) > width - 1 { scroll += 1 }
    }

    /// The part of the text shown in a field `width` columns wide (sanitised), and the
    /// cursor's column within the field.
    public func visible(width: Int) -> (text: String, cursorColumn: Int) {
        var shown = ""
        var used = 0
        var index = scroll
        while index < characters.count {
            let piece = TextFitting.clean(String(characters[index]))
            let w = TextFitting.width(piece)
            if used + w > width { break }
            shown += piece
            used += w
            index += 1
        }
        return (shown, min(widthOf(scroll..<cursor), max(0, width - 1)))
    }

    /// Draws the field at `row`, `col`, `width` columns wide, filling it with `style`; when
    /// `focused`, places the terminal cursor at the editing position.
    public mutating func draw(on screen: TerminalScreen, row: Int, col: Int, width: Int, style: Style = .normal, focused: Bool) {
        guard width > 0 else { return }
        scrollToCursor(width: width)
        screen.fill(row: row, col: col, width: width, style: style)
        if characters.isEmpty && !placeholder.isEmpty {
            screen.put(TextFitting.clip(TextFitting.clean(placeholder), width: width), row: row, col: col, style: .dim)
        } else {
            screen.put(visible(width: width).text, row: row, col: col, style: style)
        }
        if focused {
            screen.setCursor(row: row, col: col + visible(width: width).cursorColumn, visible: true)
        }
    }

    private func widthOf(_ range: Range<Int>) -> Int {
        range.reduce(0) { $0 + TextFitting.width(TextFitting.clean(String(characters[$1]))) }
    }
}
