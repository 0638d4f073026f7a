import PrivacyOps

extension ActionID {
    // Disclosures.
    public static let disclosureRecord: ActionID = "disclosures.record"
    public static let disclosureEdit: ActionID = "disclosures.edit"
    public static let disclosureApprove: ActionID = "disclosures.approve"
    public static let disclosureRefuse: ActionID = "disclosures.refuse"
    public static let disclosureWithdraw: ActionID = "disclosures.withdraw"
    public static let disclosureRelease: ActionID = "disclosures.release"
    public static let disclosureNotify: ActionID = "disclosures.notify"
    public static let disclosureDelayNotice: ActionID = "disclosures.delay-notice"
}

/// Which disclosures the screen lists.
enum DisclosureQueue: Equatable {
    /// Everything, what awaits approval or release first (the service's queue order).
    case all
    case state(DisclosureState)
    /// Those whose customer is to be told now.
    case noticeDue

    init(argument: String?) {
        switch argument {
        case "notice-due"?: self = .noticeDue
        case let a?: self = DisclosureState(rawValue: a).map(DisclosureQueue.state) ?? .all
        case nil: self = .all
        }
    }

    var label: String {
        switch self {
        case .all: return "queue"
        case .state(let s): return s.rawValue
        case .noticeDue: return "notice due"
        }
    }

    var filter: DisclosureFilter {
        switch self {
        case .all: return DisclosureFilter()
        case .state(let s): return DisclosureFilter(state: s)
        case .noticeDue: return DisclosureFilter(noticeDue: true)
        }
    }
}

/// What the disclosures screen shows: the register in the service's queue order, each row's
/// flags in words, the text filter and the record opened.
struct DisclosuresModel {
    var pane = ListPane(columns: DisclosuresRender.columns(wide: false),
                        emptyMessage: "(no disclosure records here: A records a request)")
    var queue: DisclosureQueue = .all
    /// The queue's disclosures in the service's order.
    var listed: [Disclosure] = []
    /// Each listed disclosure's flags, by id.
    var flags: [String: DisclosureFlags] = [:]
    /// The open disclosure's version when its detail was loaded.
    var openVersion: Int?
}

/// The disclosures table's rows (a register holds hundreds, not millions).
struct DisclosureRows: TableDataSource {
    var disclosures: [Disclosure] = []
    var flags: [String: DisclosureFlags] = [:]
    var wide = false

    var count: Int { disclosures.count }

    func cells(at index: Int) -> [String] {
        let d = disclosures[index]
        return DisclosuresRender.cells(d, flags: flags[d.id], wide: wide)
    }

    func rowStyle(at index: Int) -> Style? {
        let d = disclosures[index]
        if let f = flags[d.id], f.overdue || f.delayRunOut || f.noticeDue { return .overdue }
        return d.state.isOpen ? nil : .dim
    }

    func rowKey(at index: Int) -> String { disclosures[index].id }
}
