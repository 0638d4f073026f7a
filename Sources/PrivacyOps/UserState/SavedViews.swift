import Foundation

/// A saved way of looking at the customer list: its filter, status, sort and columns, under a
/// name the person chose (`:view save overdue-smiths`).
public struct SavedView: Codable, Sendable, Equatable {
    public var name: String
    /// The `/` filter text ("" for none).
    public var filter: String
    /// The status filter (`:customers active`); nil for every status.
    public var status: CustomerStatus?
    public var sort: CustomerSortKey
    public var ascending: Bool
    /// The columns shown, in order (``CustomerSortKey`` names: `id`, `name`, `email`, `phone`,
    /// `status`, `services`, `opt-outs`); nil for the columns that fit the width.
    public var columns: [CustomerSortKey]?

    public init(name: String, filter: String = "", status: CustomerStatus? = nil, sort: CustomerSortKey = .id,
                ascending: Bool = true, columns: [CustomerSortKey]? = nil) {
        self.name = name
        self.filter = filter
        self.status = status
        self.sort = sort
        self.ascending = ascending
        self.columns = columns
    }

    /// "filter "smith" · active · by name (reversed) · columns id, name, email"
    public var summary: String {
        var parts: [String] = [filter.isEmpty ? "no filter" : "filter \"\(TerminalText.sanitize(filter))\""]
        parts.append(status?.rawValue ?? "all")
        parts.append("by \(sort.rawValue)" + (ascending ? "" : " (reversed)"))
        parts.append(columns.map { "columns " + $0.map(\.rawValue).joined(separator: ", ") } ?? "columns that fit")
        return parts.joined(separator: " · ")
    }
}

extension CustomerSortKey: Codable {}

/// The views a person saved, kept in their state directory (``UserStateDirectory``, file
/// `views.json`, 0600) so they survive a restart.
///
/// Rules: a name is 1–40 letters, digits, `-`, `_` or `.`; a filter holding a card number is
/// refused (it would be kept in a file); at most ``limit`` views; the id column is always shown.
/// A file that cannot be read is no views, never an error; each save merges with what the file
/// holds now, so two consoles of one person both keep theirs.
public struct SavedViews: Sendable, Equatable {
    public static let fileName = "views.json"
    public static let limit = 100

    /// The views, by name.
    public private(set) var views: [SavedView] = []
    public let directory: UserStateDirectory?

    public init(directory: UserStateDirectory?) {
        self.directory = directory
        views = directory.map(Self.read) ?? []
    }

    public func view(named name: String) -> SavedView? {
        views.first { $0.name == name }
    }

    /// Checks a view and saves it (replacing one of the same name).
    /// - Throws: ``OpsError``: `invalid` (65) for a bad name, a card number in the filter, no
    ///   columns or too many views; `failure` (1) when the file cannot be written (the view is
    ///   kept for this session).
    public mutating func save(_ view: SavedView) throws {
        let view = try Self.checked(view)
        merge()
        views.removeAll { $0.name == view.name }
        guard views.count < Self.limit else {
            throw OpsError.invalid("\(Self.limit) views are saved already: delete one first (:view delete NAME)")
        }
        views.append(view)
        views.sort { $0.name < $1.name }
        try write()
    }

    /// Deletes the view `name`.
    /// - Throws: ``OpsError/notFound(_:)`` when there is none of that name.
    public mutating func delete(_ name: String) throws {
        merge()
        guard views.contains(where: { $0.name == name }) else {
            throw OpsError.notFound("no saved view \(TerminalText.sanitize(name)): :view lists them")
        }
        views.removeAll { $0.name == name }
        try write()
    }

    /// Whether `name` may name a view.
    public static func isValidName(_ name: String) -> Bool {
        (1...40).contains(name.count) && name.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic || $0.properties.numericType == .decimal || "-_.".unicodeScalars.contains($0))
                && !$0.properties.isWhitespace
        } && name != "save" && name != "delete"
    }

    static func checked(_ view: SavedView) throws -> SavedView {
        var view = view
        guard isValidName(view.name) else {
            throw OpsError.invalid("'\(TerminalText.sanitize(view.name))' cannot name a view: use 1 to 40 letters, digits, - _ or . (not save or delete)")
        }
        try Validate.noCardNumber("the view's filter", view.filter)
        if let columns = view.columns {
            var seen: [CustomerSortKey] = []
            for c in columns where !seen.contains(c) { seen.append(c) }
            // The id says which record a row is: always there, first.
            seen.removeAll { $0 == .id }
            view.columns = [.id] + seen
        }
        return view
    }

    private mutating func merge() {
        guard let directory else { return }
        let saved = Self.read(directory)
        if !saved.isEmpty { views = saved }
    }

    private func write() throws {
        guard let directory else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(File(views: views))
        try directory.write(Self.fileName, Array(data) + [0x0A])
    }

    /// The file's form: versioned, so a later release can read it.
    struct File: Codable {
        var version = 1
        var views: [SavedView]
    }

    static func read(_ directory: UserStateDirectory) -> [SavedView] {
        guard let bytes = directory.read(fileName), let file = try? JSONDecoder().decode(File.self, from: Data(bytes)) else { return [] }
        // A view that breaks a rule (edited by hand) is left out.
        var out: [SavedView] = []
        for view in file.views {
            if let ok = try? checked(view), !out.contains(where: { $0.name == ok.name }) { out.append(ok) }
        }
        return Array(out.prefix(limit))
    }
}
