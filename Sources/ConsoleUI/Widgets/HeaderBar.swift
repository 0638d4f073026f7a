/// The top line: what and who on the left (store, user, role), what is waiting on the right.
public enum HeaderBar {
    /// Draws `left` and `right` (both sanitised) on `row`; the right part is dropped first
    /// when the two do not fit.
    public static func draw(left: String, right: String, on screen: TerminalScreen, row: Int, col: Int = 0, width: Int) {
        screen.fill(row: row, col: col, width: width, style: .header)
        let leftText = TextFitting.clean(left), rightText = TextFitting.clean(right)
        let rightWidth = TextFitting.width(rightText)
        let leftRoom = rightText.isEmpty ? width - 2 : width - rightWidth - 4
        if leftRoom >= min(20, TextFitting.width(leftText)) {
            screen.put(TextFitting.clip(leftText, width: leftRoom), row: row, col: col + 1, style: .header)
            if !rightText.isEmpty && rightWidth + 2 <= width {
                screen.put(rightText, row: row, col: col + width - rightWidth - 1, style: .header)
            }
        } else {
            screen.put(TextFitting.clip(leftText, width: width - 2), row: row, col: col + 1, style: .header)
        }
    }
}
