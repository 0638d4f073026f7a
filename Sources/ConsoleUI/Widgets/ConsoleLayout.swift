/// Where the parts of the console go for a terminal of a given size (at least 80×24):
///
/// ```
/// row 0         header: store, user, role, what is waiting
/// row 1         tab bar
/// row 2         breadcrumbs
/// rows 3…r-3    body
/// row r-2       flash line
/// row r-1       hint line
/// ```
public struct ConsoleLayout: Equatable, Sendable {
    /// The smallest terminal the console draws into; below it, ``TooSmallView`` is shown.
    public static let minimumRows = 24
    public static let minimumCols = 80

    public let rows: Int
    public let cols: Int
    public let header: Rect
    public let tabs: Rect
    public let breadcrumbs: Rect
    public let body: Rect
    public let flash: Rect
    public let hint: Rect

    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        header = Rect(row: 0, col: 0, height: 1, width: cols)
        tabs = Rect(row: 1, col: 0, height: 1, width: cols)
        breadcrumbs = Rect(row: 2, col: 0, height: 1, width: cols)
        body = Rect(row: 3, col: 0, height: rows - 5, width: cols)
        flash = Rect(row: rows - 2, col: 0, height: 1, width: cols)
        hint = Rect(row: rows - 1, col: 0, height: 1, width: cols)
    }

    public init(size: (rows: Int, cols: Int)) { self.init(rows: size.rows, cols: size.cols) }

    /// Whether a terminal of this size is below the minimum.
    public static func isTooSmall(rows: Int, cols: Int, minimumRows: Int = minimumRows, minimumCols: Int = minimumCols) -> Bool {
        rows < minimumRows || cols < minimumCols
    }
}
