/// The bounds the MIME decoder keeps to, whatever a message holds, so that hostile mail
/// (10,000 nested parts, a base64 body of gigabytes, a line without end) cannot make the content
/// view crash, hang or fill memory. What is past a bound is not shown, and a note says so.
public struct MimeLimits: Sendable, Equatable {
    /// How deep multiparts may nest: a multipart deeper than this is listed as an attachment.
    public var maxDepth: Int
    /// How many parts (of every level) are decoded: the rest are counted, not shown.
    public var maxParts: Int
    /// How many bytes of text (UTF-8, after decoding) the whole view shows: the rest is cut.
    public var maxTextBytes: Int

    /// Creates limits.
    public init(maxDepth: Int = 16, maxParts: Int = 500, maxTextBytes: Int = 4 << 20) {
        self.maxDepth = max(1, maxDepth)
        self.maxParts = max(1, maxParts)
        self.maxTextBytes = max(1024, maxTextBytes)
    }

    /// The limits the content view uses.
    public static let standard = MimeLimits()
}
