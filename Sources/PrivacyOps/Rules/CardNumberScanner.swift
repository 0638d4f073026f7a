/// The card-number guard's single pass over UTF-8 bytes (see ``CardNumberGuard`` for the rules).
///
/// It reads the bytes as characters (ASCII through a table, anything else decoded and classified
/// by its Unicode properties, JSON escapes decoded when asked), gathers each digit sequence (digit
/// groups joined by up to ``maxGap`` separators) with the byte offsets of its digits, and when a
/// sequence ends looks in it for windows a brand issues that pass the Luhn check.
///
/// - Complexity: O(*n*) in the number of bytes; memory O(1) beyond a sequence's digits, and a
///   sequence longer than ``chunk`` digits is judged in pieces.
struct CardNumberScanner {
    /// One digit of the current sequence.
    struct Digit {
        /// 0–9.
        var value: UInt8
        /// The first digit of a group (after a separator, or the first of the sequence).
        var groupStart: Bool
        /// Byte offsets of the character.
        var start: Int
        var end: Int
    }

    /// Most separators between two digit groups of one number.
    static let maxGap = 4
    /// Length from which a run of ASCII hexadecimal characters holding a letter is a hex token
    /// (a hash, key or id), whose digits are not a number. Longer than any card number by five,
    /// so a number glued to a word or a few hex letters is still found; as short as the
    /// store's shortest hex ids (24: suppression ids; hashes are 64).
    static let hexTokenLength = 24
    /// Fewest digits of a number glued to other digits (one that starts or ends inside a digit
    /// group). The 13-digit (old Visa) and 14-digit (Diners Club) lengths are looked for only as
    /// whole groups: with a one-digit prefix, a 13-digit Visa window would make one in ten
    /// 16-digit numbers starting with 4 look like a card with three digits glued on.
    static let minimumGluedDigits = 15
    /// Digits gathered before a long sequence is judged in part.
    static let chunk = 4096

    let jsonEscapes: Bool
    private var digits: [Digit] = []
    /// The first digit not yet judged as the start of a window.
    private var cursor = 0
    /// Separators since the last digit (0: in a group).
    private var gap = 0
    private var inSequence = false

    init(jsonEscapes: Bool) {
        self.jsonEscapes = jsonEscapes
        digits.reserveCapacity(64)
    }

    /// Calls `report` with every card number in `bytes`, in order; `report` returns `false` to stop.
    ///
    /// A first pass only counts: the digits of the current digit sequence, as the full reading
    /// defines it (every script, every separator, invisible characters skipped), with nothing
    /// stored. Only a sequence that reaches 13 digits is read again from the start of its hex
    /// run by ``fullPass(_:from:idleAfter:_:)``, which gathers digits, judges hex tokens and
    /// windows; it hands back where the sequence ended. Text without 13-digit sequences (nearly
    /// every byte of a store) costs one table lookup per byte.
    mutating func run(_ bytes: UnsafeRawBufferPointer, _ report: (CardNumberMatch) -> Bool) {
        let n = bytes.count
        guard n > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let table = jsonEscapes ? Self.fastJSON : Self.fastText
        var i = 0
        while i < n {
            // No sequence open: skip to the next digit, or a byte to decode.
            while i < n, table[Int(base[i])] < Self.fDigit { i += 1 }
            guard i < n else { return }
            // A sequence may start here: count its digits.
            let sequenceStart = i
            var count = 0
            var gap = 0
            var handOff = false
            while i < n {
                let c = table[Int(base[i])]
                if c == Self.fDigit {
                    count += 1
                    gap = 0
                    if count >= CardNumberGuard.minimumDigits { handOff = true; break }
                    i += 1
                } else if c == Self.fSeparator {
                    gap += 1
                    if gap > Self.maxGap || count == 0 { break }
                    i += 1
                } else if c == Self.fDecode {
                    let (kind, length) = decodeKind(bytes, at: i)
                    if kind == .digit {
                        count += 1
                        gap = 0
                        if count >= CardNumberGuard.minimumDigits { handOff = true; break }
                    } else if kind == .separator {
                        gap += 1
                        if gap > Self.maxGap || count == 0 { break }
                    } else if kind != .ignorable {
                        break
                    }
                    i += length
                } else {
                    break
                }
            }
            if handOff {
                let from = hexRunStart(bytes, before: sequenceStart)
                guard let (next, _) = fullPass(bytes, from: from, idleAfter: i, report) else { return }
                i = next
            } else if i < n, count == 0 {
                // A byte to decode that was not a digit: step over it.
                i += decodeKind(bytes, at: i).length
            }
        }
    }

    /// The kind of the character at `i` (a non-ASCII lead byte, or a backslash in JSON) and its
    /// length in bytes.
    @inline(__always)
    private func decodeKind(_ bytes: UnsafeRawBufferPointer, at i: Int) -> (kind: CardNumberCharacters.Kind, length: Int) {
        if bytes[i] < 0x80 {
            guard let e = CardNumberCharacters.decodeJSONEscape(bytes, at: i) else { return (.other, 1) }
            return (CardNumberCharacters.classify(e.scalar).kind, e.length)
        }
        let (scalar, length) = CardNumberCharacters.decodeUTF8(bytes, at: i)
        guard let scalar else { return (.other, length) }
        return (CardNumberCharacters.classify(scalar).kind, length)
    }

    /// Where the run of ASCII hex characters that ends just before `i` began (`i` itself when
    /// none does): the full reading starts there, so that it sees a hex token or UUID whole.
    /// In JSON, a run never reaches back into an escape.
    private func hexRunStart(_ bytes: UnsafeRawBufferPointer, before i: Int) -> Int {
        var r = i
        while r > 0, CardNumberCharacters.isHex(bytes[r - 1]), !(jsonEscapes && Self.endsJSONEscape(bytes, at: r)) {
            r -= 1
        }
        return r
    }

    /// The full reading of every byte, without the first pass: what ``run(_:_:)`` must give
    /// (tests compare the two).
    mutating func runFullReadingOnly(_ bytes: UnsafeRawBufferPointer, _ report: (CardNumberMatch) -> Bool) {
        _ = fullPass(bytes, from: 0, idleAfter: bytes.count, report)
    }

    // First-pass classes of bytes: below ``fDigit`` nothing can start a sequence.
    static let fOther: UInt8 = 0
    static let fHexLetter: UInt8 = 1
    static let fSeparator: UInt8 = 2
    static let fDigit: UInt8 = 3
    /// Decode and classify (non-ASCII; a backslash in JSON).
    static let fDecode: UInt8 = 4

    static func fastTable(json: Bool) -> UnsafePointer<UInt8> {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for b in 0..<256 {
            if b >= 0x80 {
                t[b] = fDecode
                continue
            }
            switch CardNumberCharacters.ascii[b] {
            case .digit: t[b] = fDigit
            case .separator: t[b] = fSeparator
            case .hexLetter: t[b] = fHexLetter
            case .backslash: t[b] = json ? fDecode : fOther
            default: t[b] = fOther
            }
        }
        return UnsafePointer(t)
    }

    /// The first-pass tables (allocated once, never freed).
    nonisolated(unsafe) static let fastText = fastTable(json: false)
    nonisolated(unsafe) static let fastJSON = fastTable(json: true)

    /// Reads `bytes` fully from `start` (the start of a run of hex characters, where no digit
    /// sequence is open) until a digit sequence has ended after `idleAfter`; returns where to go
    /// on and where the current hex run began, or nil when `report` asked to stop.
    private mutating func fullPass(_ bytes: UnsafeRawBufferPointer, from start: Int, idleAfter: Int,
                                   _ report: (CardNumberMatch) -> Bool) -> (Int, Int)? {
        let n = bytes.count
        var i = start
        // Where the current run of ASCII hex characters began.
        var hexRunStart = start
        // ASCII digits before this offset were judged by the hex-token check already.
        var checkedUntil = start
        // Just after the last plain ASCII digit.
        var lastDigitEnd = -1
        inSequence = false
        gap = 0
        while i < n {
            if i > idleAfter, !inSequence { return (i, hexRunStart) }
            let b = bytes[i]
            if b < 0x80 {
                switch CardNumberCharacters.ascii[Int(b)] {
                case .digit:
                    if i != lastDigitEnd, i >= checkedUntil {
                        let (skipTo, judged) = Self.hexToken(bytes, digitAt: i, runStart: hexRunStart, json: jsonEscapes)
                        checkedUntil = judged
                        if let skipTo {
                            guard endSequence(report) else { return nil }
                            i = skipTo
                            hexRunStart = skipTo
                            continue
                        }
                    }
                    guard addDigit(b &- 0x30, start: i, end: i + 1, report) else { return nil }
                    i += 1
                    lastDigitEnd = i
                case .hexLetter:
                    guard endSequence(report) else { return nil }
                    i += 1
                case .separator:
                    guard separator(report) else { return nil }
                    i += 1
                    hexRunStart = i
                case .backslash where jsonEscapes:
                    if let (scalar, length) = CardNumberCharacters.decodeJSONEscape(bytes, at: i) {
                        guard character(scalar, start: i, end: i + length, report) else { return nil }
                        i += length
                    } else {
                        guard endSequence(report) else { return nil }
                        i += 1
                    }
                    hexRunStart = i
                default:
                    guard endSequence(report) else { return nil }
                    i += 1
                    hexRunStart = i
                }
            } else {
                let (scalar, length) = CardNumberCharacters.decodeUTF8(bytes, at: i)
                if let scalar {
                    guard character(scalar, start: i, end: i + length, report) else { return nil }
                } else {
                    guard endSequence(report) else { return nil }
                }
                i += length
                hexRunStart = i
            }
        }
        guard endSequence(report) else { return nil }
        return (n, hexRunStart)
    }

    // MARK: - Characters

    /// A decoded character (non-ASCII, or from a JSON escape).
    private mutating func character(_ scalar: Unicode.Scalar, start: Int, end: Int,
                                    _ report: (CardNumberMatch) -> Bool) -> Bool {
        let (kind, value) = CardNumberCharacters.classify(scalar)
        switch kind {
        case .digit: return addDigit(value, start: start, end: end, report)
        case .separator: return separator(report)
        case .ignorable: return true
        default: return endSequence(report)
        }
    }

    @inline(__always)
    private mutating func addDigit(_ value: UInt8, start: Int, end: Int, _ report: (CardNumberMatch) -> Bool) -> Bool {
        if !inSequence {
            inSequence = true
            digits.removeAll(keepingCapacity: true)
            cursor = 0
            digits.append(Digit(value: value, groupStart: true, start: start, end: end))
        } else {
            digits.append(Digit(value: value, groupStart: gap > 0, start: start, end: end))
        }
        gap = 0
        if digits.count >= Self.chunk { return evaluate(final: false, report) }
        return true
    }

    @inline(__always)
    private mutating func separator(_ report: (CardNumberMatch) -> Bool) -> Bool {
        guard inSequence else { return true }
        gap += 1
        return gap > Self.maxGap ? endSequence(report) : true
    }

    @inline(__always)
    private mutating func endSequence(_ report: (CardNumberMatch) -> Bool) -> Bool {
        guard inSequence else { return true }
        inSequence = false
        gap = 0
        return evaluate(final: true, report)
    }

    // MARK: - Hex tokens and UUIDs

    /// Judges the ASCII digit at `i` (not preceded by a digit) against the run of ASCII hex
    /// characters it belongs to, which began at `runStart`: returns where to skip to when the
    /// run is a hex token (at least ``hexTokenLength`` characters with a letter) or lies in a
    /// UUID, and how far the run was read.
    static func hexToken(_ bytes: UnsafeRawBufferPointer, digitAt i: Int, runStart: Int, json: Bool) -> (skipTo: Int?, judged: Int) {
        let n = bytes.count
        // The byte before a digit that starts a run inside a hex run is a hex letter.
        var letter = runStart < i
        var j = i
        while j < n {
            let b = bytes[j]
            guard b < 0x80 else { break }
            let k = CardNumberCharacters.ascii[Int(b)]
            if k == .hexLetter { letter = true } else if k != .digit { break }
            j += 1
        }
        if letter, j - runStart >= hexTokenLength { return (j, j) }
        if j - runStart <= 12, let end = uuidEnd(bytes, runStart: runStart, json: json) { return (end, end) }
        return (nil, j)
    }

    /// The end of the UUID (8-4-4-4-12 hex digits with dashes, at least one a letter) whose
    /// segment begins at `runStart`, if there is one.
    static func uuidEnd(_ bytes: UnsafeRawBufferPointer, runStart t: Int, json: Bool) -> Int? {
        for back in [0, 9, 14, 19, 24] where t - back >= 0 {
            let u = t - back
            if isUUID(bytes, at: u, json: json) { return u + 36 }
        }
        return nil
    }

    static func isUUID(_ bytes: UnsafeRawBufferPointer, at u: Int, json: Bool) -> Bool {
        let n = bytes.count
        guard u + 36 <= n else { return false }
        // Not part of a longer hex string (a letter that is not hex may touch it, and so may a
        // JSON escape, whose last byte can be a hex digit). A dash may: names such as
        // `svc-<UUID>` or `<UUID>-part2` are everyday ids, and the UUID's own digits are the
        // same either way.
        if u > 0, CardNumberCharacters.isHex(bytes[u - 1]), !(json && endsJSONEscape(bytes, at: u)) { return false }
        if u + 36 < n, CardNumberCharacters.isHex(bytes[u + 36]) { return false }
        var letter = false
        for k in 0..<36 {
            let b = bytes[u + k]
            if k == 8 || k == 13 || k == 18 || k == 23 {
                guard b == UInt8(ascii: "-") else { return false }
            } else {
                guard b < 0x80 else { return false }
                let c = CardNumberCharacters.ascii[Int(b)]
                if c == .hexLetter { letter = true } else if c != .digit { return false }
            }
        }
        return letter
    }

    /// Whether the bytes just before `end` are a JSON escape (`\uXXXX`, `\b`, `\f`; the
    /// backslash not itself escaped).
    static func endsJSONEscape(_ bytes: UnsafeRawBufferPointer, at end: Int) -> Bool {
        let backslash = UInt8(ascii: "\\")
        var start: Int
        if end >= 6, bytes[end - 6] == backslash, bytes[end - 5] == UInt8(ascii: "u"),
           (end - 4..<end).allSatisfy({ CardNumberCharacters.isHex(bytes[$0]) }) {
            start = end - 6
        } else if end >= 2, bytes[end - 2] == backslash, bytes[end - 1] == UInt8(ascii: "b") || bytes[end - 1] == UInt8(ascii: "f") {
            start = end - 2
        } else {
            return false
        }
        var slashes = 0
        while start > 0, bytes[start - 1] == backslash {
            slashes += 1
            start -= 1
        }
        return slashes % 2 == 0
    }

    // MARK: - Windows

    /// Judges the windows of the current sequence that start at or after ``cursor``: all of them
    /// when the sequence has ended (`final`), else those whose every length can be judged now.
    private mutating func evaluate(final: Bool, _ report: (CardNumberMatch) -> Bool) -> Bool {
        let count = digits.count
        let last = final ? count - CardNumberGuard.minimumDigits : count - CardNumberGuard.maximumDigits - 1
        var i = cursor
        var keepGoing = true
        while i <= last {
            if let (length, brand) = window(at: i, count: count) {
                let m = match(at: i, length: length, brand: brand)
                i += length
                if !report(m) {
                    keepGoing = false
                    break
                }
            } else {
                i += 1
            }
        }
        cursor = max(cursor, i)
        if !final, cursor > 0 {
            digits.removeFirst(min(cursor, digits.count))
            cursor = 0
        }
        return keepGoing
    }

    /// The longest window starting at digit `i` that is a card number, if any.
    ///
    /// A window must start at the start of a digit group or end at the end of one (the sequence's
    /// end included): a number written in groups is found among other groups, and a number glued
    /// to other digits is found at either end of the run. One glued to other digits (starting or
    /// ending inside a group) must have at least ``minimumGluedDigits`` digits.
    private func window(at i: Int, count: Int) -> (Int, CardBrand)? {
        let maxLength = min(CardNumberGuard.maximumDigits, count - i)
        guard maxLength >= CardNumberGuard.minimumDigits else { return nil }
        let d0 = Int(digits[i].value)
        // No brand issues numbers starting with 0, 1, 7 or 9.
        guard d0 >= 2, d0 <= 8, d0 != 7 else { return nil }
        let d1 = Int(digits[i + 1].value), d2 = Int(digits[i + 2].value), d3 = Int(digits[i + 3].value)
        let startsGroup = digits[i].groupStart
        var length = maxLength
        while length >= CardNumberGuard.minimumDigits {
            let end = i + length
            let endsGroup = end == count || digits[end].groupStart
            // Glued to other digits at one end, a number must have at least 15 digits.
            if startsGroup ? (endsGroup || length >= Self.minimumGluedDigits) : (endsGroup && length >= Self.minimumGluedDigits),
               let brand = CardBrand.issuing(d0, d1, d2, d3, length: length),
               luhn(at: i, length: length) {
                return (length, brand)
            }
            length -= 1
        }
        return nil
    }

    private func luhn(at i: Int, length: Int) -> Bool {
        var sum = 0
        var double = false
        var k = i + length - 1
        while k >= i {
            var v = Int(digits[k].value)
            if double { v = v < 5 ? v &* 2 : v &* 2 &- 9 }
            sum &+= v
            double.toggle()
            k -= 1
        }
        return sum % 10 == 0
    }

    private func match(at i: Int, length: Int, brand: CardBrand) -> CardNumberMatch {
        let last = i + length
        var last4 = ""
        for k in (last - 4)..<last { last4.unicodeScalars.append(Unicode.Scalar(0x30 + digits[k].value)) }
        return CardNumberMatch(range: digits[i].start..<digits[last - 1].end, digitCount: length, last4: last4, brand: brand)
    }
}
