/// What the console shows below its minimum size instead of its screens.
public enum TooSmallView {
    /// "terminal too small: need 80×24, have W×H".
    public static func message(rows: Int, cols: Int, minimumRows: Int = ConsoleLayout.minimumRows, minimumCols: Int = ConsoleLayout.minimumCols) -> String {
        "terminal too small: need \(minimumCols)×\(minimumRows), have \(cols)×\(rows)"
    }

    /// Clears the screen's buffer and draws the message (wrapped when narrow) in the middle,
    /// with how to go on.
    public static func draw(on screen: TerminalScreen, minimumRows: Int = ConsoleLayout.minimumRows, minimumCols: Int = ConsoleLayout.minimumCols) {
        let (rows, cols) = screen.size
        screen.clear()
        screen.hideCursor()
        guard rows > 0, cols > 0 else { return }
        let whole = message(rows: rows, cols: cols, minimumRows: minimumRows, minimumCols: minimumCols)
        var lines: [String]
        if TextFitting.width(whole) <= cols {
            lines = [whole]
        } else {
            // Narrower than the message: break after the colon, then wrap.
            lines = TextFitting.wrap("terminal too small:", width: cols)
                + TextFitting.wrap("need \(minimumCols)×\(minimumRows), have \(cols)×\(rows)", width: cols)
        }
        lines.append(contentsOf: TextFitting.wrap("enlarge the window, or press q to quit", width: cols))
        let top = max(0, (rows - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < rows {
            let col = max(0, (cols - TextFitting.width(line)) / 2)
            screen.put(line, row: top + i, col: col, style: i == 0 ? .warning : .normal)
        }
    }
}
