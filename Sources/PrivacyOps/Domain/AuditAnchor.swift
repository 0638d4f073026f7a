/// A point of the audit chain recorded somewhere the store's owner cannot rewrite (a ticket, an
/// e-mail, another host): the seq and hash of one event, written `SEQ:HASH`.
///
/// The chain itself shows an edited or removed event in the middle, but not events cut from its
/// end: a journal truncated at a line boundary is a shorter, sound chain. An anchor taken
/// earlier (`lgadmin audit head`) and checked later (`lgadmin audit verify --anchor`) shows it.
public struct AuditAnchor: Sendable, Equatable, Encodable, CustomStringConvertible {
    public var seq: Int
    /// Lower-case hex SHA-256, as `audit head` prints it.
    public var hash: String

    public init(seq: Int, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// Reads `SEQ:HASH` (the hash in either case).
    /// - Throws: ``OpsError/usage(_:)`` naming the expected form.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let hex = parts.count == 2 ? parts[1].lowercased() : ""
        guard parts.count == 2, let seq = Int(parts[0]), seq >= 1,
              hex.utf8.count == 64, hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw OpsError.usage("'\(TerminalText.sanitize(text))' is not an anchor: give SEQ:HASH as 'lgadmin audit head' prints it, e.g. 12:\(String(repeating: "0", count: 64))")
        }
        self.seq = seq
        self.hash = hex
    }

    public var description: String { "\(seq):\(hash)" }
}
