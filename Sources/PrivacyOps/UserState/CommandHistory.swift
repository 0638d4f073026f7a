/// What a person typed on the console's `:` and `/` prompts, kept across sessions in their own
/// state directory (``UserStateDirectory``, file `history`), newest last.
///
/// Rules: at most ``limit`` entries (the oldest go first); a line holding a card number is never
/// stored (nor read back, should one be planted in the file); a line with control characters is
/// not stored; typing a line again moves it to the end instead of repeating it. A file that
/// cannot be read is an empty history, never an error.
///
/// The file is text, one entry a line: the prompt (`:` or `/`) then the line as typed. Each
/// ``add(_:on:)`` merges with what the file holds now, so two consoles of one person both keep
/// their lines.
public struct CommandHistory: Sendable, Equatable {
    /// The prompt an entry was typed on.
    public enum Prompt: Character, Sendable, CaseIterable {
        case command = ":"
        case filter = "/"
    }

    public struct Entry: Sendable, Equatable {
        public var prompt: Prompt
        public var text: String
    }

    /// How many entries are kept.
    public static let limit = 500
    public static let fileName = "history"

    /// Every entry, oldest first.
    public private(set) var entries: [Entry] = []
    /// Where the history is kept; nil keeps it for this session only.
    public let directory: UserStateDirectory?

    /// An empty history for this session only.
    public init() { directory = nil }

    /// The history kept in `directory` (empty when the file is missing or unreadable).
    public init(directory: UserStateDirectory?) {
        self.directory = directory
        entries = directory.map(Self.read) ?? []
    }

    /// The lines typed on `prompt`, oldest first.
    public func lines(on prompt: Prompt) -> [String] {
        entries.filter { $0.prompt == prompt }.map(\.text)
    }

    /// Whether `text` may be kept: not empty, no control character, no card number.
    public static func isStorable(_ text: String) -> Bool {
        guard !text.isEmpty, !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return false }
        return CardNumberGuard.find(in: text) == nil
    }

    /// Adds a line typed on `prompt` and saves the history. Returns whether it was kept (a line
    /// that may not be stored is dropped silently: it is not an error to have typed it).
    /// - Throws: ``OpsError/failure(_:)`` when the file cannot be written (the line is still
    ///   kept for this session).
    @discardableResult
    public mutating func add(_ text: String, on prompt: Prompt) throws -> Bool {
        guard Self.isStorable(text) else { return false }
        // What other sessions saved meanwhile, then this line at the end.
        if let directory {
            let saved = Self.read(directory)
            if !saved.isEmpty { entries = saved }
        }
        let entry = Entry(prompt: prompt, text: text)
        entries.removeAll { $0 == entry }
        entries.append(entry)
        if entries.count > Self.limit { entries.removeFirst(entries.count - Self.limit) }
        try directory?.write(Self.fileName, Self.encode(entries))
        return true
    }

    static func encode(_ entries: [Entry]) -> [UInt8] {
        var out: [UInt8] = []
        for e in entries {
            out.append(contentsOf: String(e.prompt.rawValue).utf8)
            out.append(contentsOf: e.text.utf8)
            out.append(0x0A)
        }
        return out
    }

    static func read(_ directory: UserStateDirectory) -> [Entry] {
        guard let bytes = directory.read(fileName) else { return [] }
        return decode(bytes)
    }

    /// The entries of a history file; lines that are not entries (or hold a card number) are
    /// skipped.
    static func decode(_ bytes: [UInt8]) -> [Entry] {
        var out: [Entry] = []
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            guard let text = String(validating: line, as: UTF8.self), let first = text.first,
                  let prompt = Prompt(rawValue: first) else { continue }
            let rest = String(text.dropFirst())
            guard isStorable(rest) else { continue }
            out.append(Entry(prompt: prompt, text: rest))
        }
        return Array(out.suffix(limit))
    }
}
