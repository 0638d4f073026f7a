import PrivacyOps

/// What the customers screen shows: the matching ids (never the records), the filter the ids
/// were computed for, the status filter, the sort, and the list pane (cursor, detail).
struct CustomersModel {
    var pane = ListPane(columns: CustomersRender.columns(for: CustomersRender.layout(width: 78)), emptyMessage: "(no customers match)")
    var statusFilter: CustomerStatus?
    var sortKey: CustomerSortKey = .id
    var ascending = true
    /// The filter text the rows were computed for (the typed text may be ahead of it on a
    /// large store, until the next tick).
    var appliedFilter = ""
    /// When the typed filter changed and has not been applied yet.
    var filterPendingSince: ContinuousClock.Instant?
    /// The version of the open record when its detail was loaded.
    var openVersion: Int?
    /// A row to put the cursor on after the next reload (a customer just added).
    var selectAfterReload: String?
    /// The sort the rows are in now (``sortKey`` may be ahead while a large store sorts).
    var shownSort: (key: CustomerSortKey, ascending: Bool) = (.id, true)
    /// What the background job computing the rows is doing ("sorting 1,000,000 rows"), if one runs.
    var working: String?
    /// The columns the user chose (`:columns`, a saved view); nil for those that fit the width.
    var chosenColumns: [CustomersRender.Column]?
}

/// What the customer rows are computed from.
struct CustomerListQuery: Equatable, Sendable {
    var text: String
    var status: CustomerStatus?
    var sortKey: CustomerSortKey
    var ascending: Bool

    /// The ids, filtered through the raw bytes and sorted reading one field per record.
    func run(_ ops: PrivacyOps) throws -> [String] {
        var ids = try ops.matchingCustomerIDs(filter: text, status: status)
        if sortKey != .id || !ascending {
            ids = try ops.sortCustomerIDs(ids, by: sortKey, ascending: ascending)
        }
        return ids
    }

    /// Whether it reads every record (a text or status filter, or a sort other than by id).
    var scansRecords: Bool { !text.isEmpty || status != nil || sortKey != .id || !ascending }
}

/// The customers table's data source: keeps only ids and decodes a record when its row is
/// drawn, caching the cells of rows seen (a million customers never become a million strings).
final class CustomerRows: TableDataSource {
    private let ops: PrivacyOps
    private(set) var ids: [String] = []
    /// The scopes suppressed per contact-point key.
    private(set) var suppressed: [String: [OptOutScope]] = [:]
    /// Open opt-out requests per customer id.
    private(set) var openOptOuts: [String: Int] = [:]
    /// The columns shown, in order.
    var layout: [CustomersRender.Column] = CustomersRender.layout(width: 78)
    private var cache: [String: CustomersRender.RowValues] = [:]
    /// Records decoded since the last reset (for tests: only visible rows are decoded).
    private(set) var decodeCount = 0

    init(ops: PrivacyOps) { self.ops = ops }

    var count: Int { ids.count }

    func update(ids: [String], suppressed: [String: [OptOutScope]], openOptOuts: [String: Int]) {
        if suppressed != self.suppressed || openOptOuts != self.openOptOuts { cache.removeAll() }
        self.ids = ids
        self.suppressed = suppressed
        self.openOptOuts = openOptOuts
    }

    /// Forgets the cached rows of `changed` (all when nil).
    func invalidate(_ changed: Set<String>?) {
        guard let changed else {
            cache.removeAll()
            return
        }
        for id in changed { cache[id] = nil }
    }

    func resetDecodeCount() { decodeCount = 0 }

    func values(at index: Int) -> CustomersRender.RowValues {
        let id = ids[index]
        if let hit = cache[id] { return hit }
        if cache.count > 4096 { cache.removeAll(keepingCapacity: true) }
        decodeCount += 1
        let values: CustomersRender.RowValues
        if let c = try? ops.customer(id) {
            values = CustomersRender.values(of: c, suppressed: suppressed, openOptOuts: openOptOuts[id] ?? 0)
        } else {
            values = CustomersRender.RowValues(id: id, name: "(cannot be read)", email: "", phone: "", status: "", services: "", optOuts: "", isClosed: false)
        }
        cache[id] = values
        return values
    }

    func cells(at index: Int) -> [String] {
        let v = values(at: index)
        return layout.map { v[$0] }
    }

    func rowStyle(at index: Int) -> Style? {
        values(at: index).isClosed ? .dim : nil
    }

    func rowKey(at index: Int) -> String { ids[index] }
}
