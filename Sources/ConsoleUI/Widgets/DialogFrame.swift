/// Draws the bordered box that dialogs and pickers open in.
enum DialogFrame {
    /// A box of `height` × `width` centred in `area` (clamped to it).
    static func box(height: Int, width: Int, in area: Rect) -> Rect {
        area.centered(height: height, width: width)
    }

    /// Blanks `box`, draws its border with `title` in the top edge, and returns the inside
    /// (one column of padding left and right).
    @discardableResult
    static func draw(_ box: Rect, title: String, on screen: TerminalScreen) -> Rect {
        guard box.height >= 2, box.width >= 4 else { return Rect(row: box.row, col: box.col, height: 0, width: 0) }
        screen.fill(box, style: .normal)
        let horizontal = String(repeating: "─", count: box.width - 2)
        screen.put("┌" + horizontal + "┐", row: box.row, col: box.col, style: .normal)
        screen.put("└" + horizontal + "┘", row: box.bottom - 1, col: box.col, style: .normal)
        for row in (box.row + 1)..<(box.bottom - 1) {
            screen.put("│", row: row, col: box.col, style: .normal)
            screen.put("│", row: row, col: box.right - 1, style: .normal)
        }
        let shownTitle = TextFitting.clip(TextFitting.clean(title), width: box.width - 6)
        if !shownTitle.isEmpty {
            screen.put(" \(shownTitle) ", row: box.row, col: box.col + 2, style: .title)
        }
        return Rect(row: box.row + 1, col: box.col + 2, height: box.height - 2, width: box.width - 4)
    }
}
