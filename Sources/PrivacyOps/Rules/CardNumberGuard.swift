/// A card-number-like digit run found by ``CardNumberGuard``.
///
/// The match never holds the full number: only where it is, how many digits it has and its last
/// four digits, which is all a message may show ("a card number ending 1111").
public struct CardNumberMatch: Sendable, Equatable, CustomStringConvertible {
    /// Byte offsets (UTF-8) of the run, from its first digit to just after its last digit,
    /// separators included.
    public var range: Range<Int>
    /// The number of digits in the run (13–19).
    public var digitCount: Int
    /// The last four digits of the run.
    public var last4: String

    /// Creates a match.
    public init(range: Range<Int>, digitCount: Int, last4: String) {
        self.range = range
        self.digitCount = digitCount
        self.last4 = last4
    }

    /// A description safe to show and log: "a card number ending 1111".
    public var description: String { "a card number ending \(last4)" }
}

/// Finds card-number-like digit runs, so that no write path ever stores a payment card number.
///
/// A card number is a maximal run of 13–19 ASCII digits, where consecutive digits may be
/// separated by a single space or a single dash, that passes the Luhn check. A run that is glued
/// to an ASCII letter or underscore on either side (as inside a hexadecimal hash such as
/// `…ab4111111111111111cd…`) is part of a word, not a card number, and is not reported; a run
/// next to any other character (punctuation, quotes, non-ASCII text) is.
///
/// Runs joined by anything else (two spaces, a dot, a slash, a comma, parentheses) are separate
/// runs, so a digit run split that way is judged piece by piece.
public enum CardNumberGuard {
    /// Shortest digit run reported.
    public static let minimumDigits = 13
    /// Longest digit run reported.
    public static let maximumDigits = 19

    /// The first card-number-like run in `text`, or `nil` if there is none.
    ///
    /// Byte offsets in the match are UTF-8 offsets into `text`.
    /// - Complexity: O(*n*) in the UTF-8 length of `text`.
    public static func find(in text: String) -> CardNumberMatch? {
        var copy = text
        return copy.withUTF8 { buffer in
            var found: CardNumberMatch?
            scanRuns(UnsafeRawBufferPointer(buffer)) { match in
                found = match
                return false
            }
            return found
        }
    }

    /// Every card-number-like run in `bytes`, in order.
    ///
    /// Works on raw bytes, so whole store files (JSON Lines) can be scanned without decoding:
    /// digits inside JSON strings and JSON numbers are found alike, with spaces or dashes
    /// between digit groups as they were typed.
    /// - Complexity: O(*n*) in the number of bytes; allocates only for the matches.
    public static func scan(_ bytes: UnsafeRawBufferPointer) -> [CardNumberMatch] {
        var matches: [CardNumberMatch] = []
        scanRuns(bytes) { match in
            matches.append(match)
            return true
        }
        return matches
    }

    /// `true` if the digits of `digits` (ASCII digits only, other characters ignored) pass the
    /// Luhn check.
    public static func passesLuhn(_ digits: some StringProtocol) -> Bool {
        var sum = 0
        var double = false
        for byte in digits.utf8.reversed() where isDigit(byte) {
            var value = Int(byte &- 0x30)
            if double {
                value &*= 2
                if value > 9 { value -= 9 }
            }
            sum += value
            double.toggle()
        }
        return sum % 10 == 0
    }

    // MARK: - Scanner

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    static func isSeparator(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x2D }

    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= 0x61 && lower <= 0x7A) || byte == 0x5F
    }

    /// Luhn doubling of a digit: 0→0, 1→2, …, 5→1, …, 9→9.
    @inline(__always)
    private static func doubledDigit(_ d: Int) -> Int { d < 5 ? d &* 2 : d &* 2 &- 9 }

    /// Walks every maximal separated digit run and calls `report` for each card-number-like one;
    /// `report` returns `false` to stop.
    static func scanRuns(_ bytes: UnsafeRawBufferPointer, _ report: (CardNumberMatch) -> Bool) {
        let count = bytes.count
        var i = 0
        while i < count {
            if !isDigit(bytes[i]) {
                i += 1
                continue
            }
            let start = i
            // Luhn sums kept for both parities of the digit index, plain and doubled, so the
            // run is checked in one pass whatever its final length.
            var plain = (0, 0)
            var twice = (0, 0)
            var digits = 0
            var last4: UInt32 = 0  // last four digits, one per byte, oldest in the high byte
            var j = i
            var end = i
            while true {
                let d = Int(bytes[j] &- 0x30)
                if digits & 1 == 0 {
                    plain.0 += d
                    twice.0 += doubledDigit(d)
                } else {
                    plain.1 += d
                    twice.1 += doubledDigit(d)
                }
                digits += 1
                last4 = (last4 << 8) | UInt32(bytes[j])
                end = j + 1
                if end < count, isDigit(bytes[end]) {
                    j = end
                } else if end + 1 < count, isSeparator(bytes[end]), isDigit(bytes[end + 1]) {
                    j = end + 1
                } else {
                    break
                }
            }
            i = end
            guard digits >= minimumDigits, digits <= maximumDigits else { continue }
            if start > 0, isWordByte(bytes[start - 1]) { continue }
            if end < count, isWordByte(bytes[end]) { continue }
            // The last digit (index digits-1) is not doubled; indices of the other parity are.
            let sum = (digits - 1) & 1 == 0 ? plain.0 + twice.1 : plain.1 + twice.0
            guard sum % 10 == 0 else { continue }
            let match = CardNumberMatch(
                range: start..<end, digitCount: digits, last4: lastFour(last4))
            if !report(match) { return }
        }
    }

    private static func lastFour(_ packed: UInt32) -> String {
        let bytes: [UInt8] = [
            UInt8(truncatingIfNeeded: packed >> 24), UInt8(truncatingIfNeeded: packed >> 16),
            UInt8(truncatingIfNeeded: packed >> 8), UInt8(truncatingIfNeeded: packed),
        ]
        return String(decoding: bytes, as: UTF8.self)
    }
}
