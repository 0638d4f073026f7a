import Dispatch

/// A card number found by ``CardNumberGuard``.
///
/// The match never holds the full number: only where it is, how many digits it has, its brand
/// and its last four digits, which is all a message may show ("a card number ending 1111").
public struct CardNumberMatch: Sendable, Equatable, CustomStringConvertible {
    /// Byte offsets (UTF-8) of the number, from its first digit to just after its last digit,
    /// separators and invisible characters between its digits included.
    public var range: Range<Int>
    /// The number of digits in the number (13–19).
    public var digitCount: Int
    /// The last four digits of the number, in ASCII digits whatever script they were written in.
    public var last4: String
    /// The brand whose prefix and length the number has.
    public var brand: CardBrand

    /// Creates a match.
    public init(range: Range<Int>, digitCount: Int, last4: String, brand: CardBrand) {
        self.range = range
        self.digitCount = digitCount
        self.last4 = last4
        self.brand = brand
    }

    /// A description safe to show and log: "a card number ending 1111".
    public var description: String { "a card number ending \(last4)" }

    /// What replaces the number when it is masked: `*` for every digit but the last four, which
    /// stay (`************1111`).
    public var mask: String { String(repeating: "*", count: digitCount - 4) + last4 }
}

/// Finds payment card numbers, however they are written, so that no write path ever stores one
/// and `store scan` finds any that got in another way.
///
/// **Reading.** Text is read character by character after normalising: every Unicode decimal
/// digit counts as its value (full-width, Arabic-Indic, Devanagari, mathematical bold…);
/// invisible characters (zero-width space and joiners, word joiner, byte-order mark, soft
/// hyphen, combining marks) are skipped; and spaces, dashes, dots, slashes and underscores of
/// every script (tab and line breaks included) are separators (``CardNumberCharacters`` lists
/// them). A *digit sequence* is a run of digit groups joined by at most four separators each.
///
/// **Card numbers.** A window of 13–19 consecutive digits of a sequence is a card number when a
/// brand issues numbers of that prefix and length (``CardBrand``) and it passes the Luhn check,
/// and when it starts at the start of a digit group or ends at the end of one. So a number is
/// found beside other digit groups (followed by a security code, preceded by a reference) and
/// glued to other digits at either end of a run (then only with 15–19 digits: 13- and
/// 14-digit windows inside longer runs would match too often); the brands' prefixes and
/// lengths keep phone numbers, ISBNs, dates, amounts and most longer numbers from matching. Letters next to
/// digits end the sequence without hiding it (`card4111…` is found), except:
/// - a run of 24 or more ASCII hexadecimal characters with at least one letter a–f is a hex token
///   (a SHA-256, an audit hash, a suppression id, a key), and its digits are not read;
/// - so is a UUID (8-4-4-4-12 hex digits with dashes, at least one a letter).
///
/// **Limits, deliberately.** A number with other digits glued on *both* sides and no separator
/// (`99411111111111111112`) is not found anywhere in the middle of the run: looking at every
/// offset of long digit runs would make about a quarter of random 20-digit numbers look like
/// cards. Commas do not join groups (they separate list items). Nor are numbers spelled out in
/// words, or buried in a hex token, found.
///
/// **Masking.** ``masked(_:)`` replaces each number's digits (from its first to its last digit)
/// with `*`, keeping the last four digits: `4111 1111 1111 1111` becomes `************1111`.
public enum CardNumberGuard {
    /// Shortest number looked for.
    public static let minimumDigits = 13
    /// Longest number looked for.
    public static let maximumDigits = 19

    /// The first card number in `text`, or `nil` if there is none.
    ///
    /// Byte offsets in the match are UTF-8 offsets into `text`.
    /// - Complexity: O(*n*) in the UTF-8 length of `text`.
    public static func find(in text: String) -> CardNumberMatch? {
        var copy = text
        return copy.withUTF8 { buffer in
            var found: CardNumberMatch?
            var scanner = CardNumberScanner(jsonEscapes: false)
            scanner.run(UnsafeRawBufferPointer(buffer)) { match in
                found = match
                return false
            }
            return found
        }
    }

    /// Every card number in `text`, in order, not overlapping.
    public static func findAll(in text: String) -> [CardNumberMatch] {
        var copy = text
        return copy.withUTF8 { scanText(UnsafeRawBufferPointer($0)) }
    }

    /// Every card number in the bytes of a store file, in order.
    ///
    /// Works on raw bytes, so whole files (JSON Lines, spool requests, messages) are scanned
    /// without parsing them; JSON escapes (`\u00a0`, `\uff14`, `\t`, `\/`…) are read as the
    /// characters they stand for, and match ranges span the escapes as written.
    /// - Complexity: O(*n*) in the number of bytes; allocates only for the matches.
    public static func scan(_ bytes: UnsafeRawBufferPointer) -> [CardNumberMatch] {
        var matches: [CardNumberMatch] = []
        var scanner = CardNumberScanner(jsonEscapes: true)
        scanner.run(bytes) { match in
            matches.append(match)
            return true
        }
        return matches
    }

    /// ``scan(_:)`` of a large buffer on several threads: it is cut into about `parts` pieces
    /// just after a byte that ends every digit sequence, hex token and escape (`,` `:` `{` `}`
    /// `[` `]`, as JSON Lines are full of), so the pieces give exactly the matches of one scan.
    public static func scanInParallel(_ bytes: UnsafeRawBufferPointer, parts: Int) -> [CardNumberMatch] {
        let n = bytes.count
        guard parts > 1, n >= 1 << 20 else { return scan(bytes) }
        var cuts = [0]
        for k in 1..<parts {
            var p = max(n / parts * k, cuts[cuts.count - 1])
            while p < n, !isCutAfter(bytes[p]) { p += 1 }
            if p < n { cuts.append(p + 1) }
        }
        cuts.append(n)
        let bounds = cuts
        let pieces = bounds.count - 1
        var results = [[CardNumberMatch]](repeating: [], count: pieces)
        results.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendable(out)
            let whole = UnsafeSendable(bytes)
            DispatchQueue.concurrentPerform(iterations: pieces) { k in
                let lo = bounds[k], hi = bounds[k + 1]
                let piece = UnsafeRawBufferPointer(rebasing: whole.value[lo..<hi])
                out.value[k] = scan(piece).map { m in
                    var m = m
                    m.range = (m.range.lowerBound + lo)..<(m.range.upperBound + lo)
                    return m
                }
            }
        }
        return results.flatMap { $0 }
    }

    private static func isCutAfter(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ",") || b == UInt8(ascii: ":") || b == UInt8(ascii: "{") || b == UInt8(ascii: "}")
            || b == UInt8(ascii: "[") || b == UInt8(ascii: "]")
    }

    /// A value handed to the threads of one `concurrentPerform`, each touching its own part.
    private struct UnsafeSendable<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }

    static func scanText(_ bytes: UnsafeRawBufferPointer) -> [CardNumberMatch] {
        var matches: [CardNumberMatch] = []
        var scanner = CardNumberScanner(jsonEscapes: false)
        scanner.run(bytes) { match in
            matches.append(match)
            return true
        }
        return matches
    }

    /// `text` with every card number masked (``CardNumberMatch/mask``), repeated until none is
    /// left; `text` itself when it holds none.
    public static func masked(_ text: String) -> String {
        guard find(in: text) != nil else { return text }
        return String(decoding: masked(bytes: Array(text.utf8), json: false), as: UTF8.self)
    }

    /// The bytes of a file with every card number masked, JSON escapes read as ``scan(_:)``
    /// reads them when `json` is true. The masks are ASCII, so JSON text stays JSON.
    public static func masked(bytes: [UInt8], json: Bool) -> [UInt8] {
        var current = bytes
        while true {
            let matches = current.withUnsafeBytes { json ? scan($0) : scanText($0) }
            guard !matches.isEmpty else { return current }
            var out: [UInt8] = []
            out.reserveCapacity(current.count)
            var at = 0
            for m in matches {
                out.append(contentsOf: current[at..<m.range.lowerBound])
                out.append(contentsOf: m.mask.utf8)
                at = m.range.upperBound
            }
            out.append(contentsOf: current[at...])
            current = out
        }
    }

    /// `true` if the decimal digits of `digits` (of any script; other characters ignored) pass
    /// the Luhn check.
    public static func passesLuhn(_ digits: some StringProtocol) -> Bool {
        var sum = 0
        var double = false
        for scalar in digits.unicodeScalars.reversed() {
            let (kind, value) = CardNumberCharacters.classify(scalar)
            guard kind == .digit else { continue }
            var v = Int(value)
            if double { v = v < 5 ? v * 2 : v * 2 - 9 }
            sum += v
            double.toggle()
        }
        return sum % 10 == 0
    }
}
