import Foundation
import Harness
import Testing

@testable import PrivacyOps

/// Random and mutated messages through the MIME decoder: it never crashes, always returns, and
/// what it returns stays within its limits (parts, depth, text, notes) and within a bound in
/// the input's size. Every run prints its seed; `LGADMIN_TEST_SEED=N` replays one.
@Suite struct MimeFuzzTests {
    /// Pieces real and hostile mail is made of.
    static let fragments: [String] = [
        "Content-Type: multipart/mixed; boundary=\"B\"\r\n", "Content-Type: multipart/alternative; boundary=B\r\n",
        "Content-Type: multipart/digest; boundary=B\r\n", "Content-Type: text/plain; charset=utf-8\r\n",
        "Content-Type: text/html; charset=windows-1252\r\n", "Content-Type: text/plain; charset=x-unknown\r\n",
        "Content-Type: text/plain; charset=shift_jis\r\n", "Content-Type: application/pdf; name=\"a\u{1B}.pdf\"\r\n",
        "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n",
        "Content-Disposition: attachment; filename*=UTF-8''%E2%80%AE%00x\r\n", "Content-Disposition: inline\r\n",
        "Subject: =?UTF-8?B?w6k=?= =?ISO-8859-1?Q?=E9?=\r\n", "\r\n", "\n", "--B\r\n", "--B--\r\n", "--B", "--",
        "=\r\n", "=3D=C3=A9=E9=\n", "=XY", "SGVsbG8gd29ybGQ=\r\n", "!!!@@@", "<p>hi &amp; &#0; &#x110000; <a href='x'>l</a>",
        "<script>", "<!--", "&", "\u{0}", "\u{1B}[31m", "é", "日本", " folded\r\n", "\t", "\r",
    ]

    static func randomMessage(_ rng: inout Harness.SeededRandom) -> [UInt8] {
        var out: [UInt8] = []
        let pieces = Int.random(in: 1...80, using: &rng)
        for _ in 0..<pieces {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0:
                // Random bytes.
                for _ in 0..<Int.random(in: 1...40, using: &rng) { out.append(UInt8.random(in: 0...255, using: &rng)) }
            case 1:
                // A long line.
                out += [UInt8](repeating: UInt8.random(in: 0x20...0x7E, using: &rng), count: Int.random(in: 100...20_000, using: &rng))
            default:
                out += Array(fragments[Int.random(in: 0..<fragments.count, using: &rng)].utf8)
            }
        }
        return out
    }

    /// A real message with bytes flipped, cut, duplicated or NULs put in.
    static func mutated(_ base: [UInt8], _ rng: inout Harness.SeededRandom) -> [UInt8] {
        var b = base
        for _ in 0..<Int.random(in: 1...12, using: &rng) where !b.isEmpty {
            let at = Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: b[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...50, using: &rng)))
            case 2: b.insert(0, at: at)
            case 3: b.insert(contentsOf: b[at..<min(b.count, at + 60)], at: at)
            default: b = Array(b[..<at])
            }
        }
        return b
    }

    /// What the decoder returned is within its bounds.
    static func checkBounds(_ input: [UInt8], _ limits: MimeLimits, _ rng: Harness.SeededRandom, _ round: Int) {
        let m = MimeMessage.decode(input, limits: limits)
        let context = "\(rng), round \(round)"
        #expect(m.parts.count <= limits.maxParts, "\(context)")
        #expect(m.parts.allSatisfy { $0.number.split(separator: ".").count <= limits.maxDepth }, "\(context)")
        let text = m.parts.reduce(0) { $0 + ($1.text?.utf8.count ?? 0) }
        #expect(text <= limits.maxTextBytes, "\(context)")
        #expect(text <= 3 * input.count + 16, "\(context)")
        #expect(m.parts.allSatisfy { $0.size <= input.count }, "\(context)")
        #expect(m.notes.count <= 51, "\(context)")
        #expect(m.attachments.allSatisfy { ($0.filename ?? "").unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) } }, "\(context)")
        // The rendered view: bounded by the text, the parts, the notes and the headers.
        let shown = m.displayText().utf8.count
        #expect(shown <= text + 400 * (m.parts.count + m.notes.count + 2) + 4 * input.count, "\(context)")
        _ = TerminalText.sanitizeMultiline(m.displayText())
    }

    @Test func randomMessagesStayWithinTheLimits() {
        var rng = Harness.SeededRandom.fromEnvironment()
        let seed = rng.description
        print("MimeFuzzTests.randomMessages: \(seed)")
        let limits = MimeLimits(maxDepth: 8, maxParts: 60, maxTextBytes: 64 << 10)
        for round in 0..<400 {
            Self.checkBounds(Self.randomMessage(&rng), limits, rng, round)
        }
    }

    @Test func mutatedRealMessagesStayWithinTheLimits() {
        var rng = Harness.SeededRandom.fromEnvironment()
        print("MimeFuzzTests.mutatedMessages: \(rng)")
        let base = Array(MimeMessageTests.mixedWithAlternative.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        for round in 0..<400 {
            Self.checkBounds(Self.mutated(base, &rng), MimeLimits.standard, rng, round)
        }
    }
}
