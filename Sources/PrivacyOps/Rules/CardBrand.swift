/// A payment-card brand: the number prefixes (IIN ranges) it issues and the lengths of its numbers.
///
/// The guard calls a digit run a card number only when a brand issues numbers that start with
/// its first digits and have its length, and the run passes the Luhn check. That is what keeps
/// ISBNs (978…, 979…), numbers starting with 0, 1, 7, 8 or 9, and most order numbers from looking
/// like cards, and what lets the guard look for a card number inside a longer digit run.
///
/// Prefixes and lengths (13–19 digits only; the guard never looks at shorter runs):
/// - Visa 4 (13, 16, 19); Mastercard 51–55 and 2221–2720 (16); American Express 34, 37 (15);
/// - Discover 6011, 644–649, 65 (16–19); JCB 3528–3589 (16–19); Diners Club 300–305, 36, 38,
///   39 (14–19); UnionPay 62 (16–19);
/// - and, beyond the brands DESIGN §6c lists, Maestro 5018, 5020, 5038, 5893, 6304, 6759,
///   6761–6763 (13–19), Mir 2200–2204 (16–19) and RuPay 60, 65, 81, 82, 508 (16).
public enum CardBrand: String, Sendable, CaseIterable, Equatable {
    case visa, mastercard, amex, discover, jcb, diners, unionpay, maestro, mir, rupay

    /// The brand issuing `length`-digit numbers whose first four digits are `d0 d1 d2 d3`, or nil.
    ///
    /// - Complexity: O(1).
    static func issuing(_ d0: Int, _ d1: Int, _ d2: Int, _ d3: Int, length: Int) -> CardBrand? {
        let p2 = d0 &* 10 &+ d1
        let p3 = p2 &* 10 &+ d2
        let p4 = p3 &* 10 &+ d3
        switch d0 {
        case 2:
            if length == 16, p4 >= 2221, p4 <= 2720 { return .mastercard }
            if length >= 16, p4 >= 2200, p4 <= 2204 { return .mir }
        case 3:
            if length == 15, p2 == 34 || p2 == 37 { return .amex }
            if length >= 16, p4 >= 3528, p4 <= 3589 { return .jcb }
            if length >= 14, (p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39 { return .diners }
        case 4:
            if length == 13 || length == 16 || length == 19 { return .visa }
        case 5:
            if length == 16, p2 >= 51, p2 <= 55 { return .mastercard }
            if p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 { return .maestro }
            if length == 16, p3 == 508 { return .rupay }
        case 6:
            if length >= 16, p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 { return .discover }
            if length >= 16, p2 == 62 { return .unionpay }
            if p4 == 6304 || p4 == 6759 || p4 == 6761 || p4 == 6762 || p4 == 6763 { return .maestro }
            if length == 16, p2 == 60 { return .rupay }
        case 8:
            if length == 16, p2 == 81 || p2 == 82 { return .rupay }
        default:
            break
        }
        return nil
    }

    /// The brand issuing the number made of `digits` (values 0–9), or nil when no brand issues
    /// numbers of that prefix and length. The Luhn check is separate: see
    /// ``CardNumberGuard/passesLuhn(_:)``.
    public static func issuing(digits: [UInt8]) -> CardBrand? {
        guard digits.count >= 13, digits.count <= 19 else { return nil }
        return issuing(Int(digits[0]), Int(digits[1]), Int(digits[2]), Int(digits[3]), length: digits.count)
    }
}
