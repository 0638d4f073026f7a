import PrivacyOps

/// Which opt-out requests the queue lists.
enum OptOutQueue: Equatable {
    /// Pending and needs-info: what still needs a decision (the default).
    case open
    case state(OptOutState)

    var label: String {
        switch self {
        case .open: return "open queue"
        case .state(let s): return s.rawValue
        }
    }
}

/// What the opt-out list can be sorted by; the service's order (due date) first.
enum OptOutSortKey: String, CaseIterable {
    case due, received, id, state, contact, matches
}

/// What the opt-out screen shows: the requests of the queue as the service lists them (by due
/// date), which are overdue, the text filter, the sort, the marks and the open request.
struct OptOutsModel {
    var pane = ListPane(columns: OptOutsRender.columns(wide: false), emptyMessage: "(no opt-out requests here)", marks: true)
    var queue: OptOutQueue = .open
    /// The queue's requests in the service's order.
    var listed: [OptOutRequest] = []
    var overdue: Set<String> = []
    var sortKey: OptOutSortKey = .due
    var ascending = true
    /// The open request's version when its detail was loaded.
    var openVersion: Int?
}

/// The opt-out table's rows (a queue is small: thousands, not millions).
struct OptOutRows: TableDataSource {
    var requests: [OptOutRequest] = []
    var overdue: Set<String> = []
    var wide = false

    var count: Int { requests.count }

    func cells(at index: Int) -> [String] {
        OptOutsRender.cells(requests[index], overdue: overdue.contains(requests[index].id), wide: wide)
    }

    func rowStyle(at index: Int) -> Style? {
        let r = requests[index]
        if overdue.contains(r.id) { return .overdue }
        return r.isOpen ? nil : .dim
    }

    func rowKey(at index: Int) -> String { requests[index].id }
}
