import Harness
import Testing

@testable import FlatStore

@Suite struct CRC32CTests {
    @Test func standardCheckValue() {
        #expect(CRC32C.checksum("123456789") == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    @Test func knownVectors() {
        // RFC 3720 (iSCSI) B.4 test vectors.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    }

    @Test func incrementalEqualsOneShot() {
        var g = SeededRandom.fromEnvironment()
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 1000, 4097] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &g) }
            let whole = CRC32C.checksum(bytes)
            for cut in Set([0, length / 3, length / 2, max(0, length - 1), length]) {
                let first = bytes[0..<cut].withUnsafeBytes { CRC32C.update(0, $0) }
                let both = bytes[cut...].withUnsafeBytes { CRC32C.update(first, $0) }
                #expect(both == whole, "length \(length), cut at \(cut), \(g)")
            }
            // Byte by byte.
            var c: UInt32 = 0
            for b in bytes { c = [b].withUnsafeBytes { CRC32C.update(c, $0) } }
            #expect(c == whole, "length \(length), byte by byte, \(g)")
        }
    }

    @Test func saltedLinesDifferBySalt() {
        var a = Array(#"{"seq":1,"at":"2026-01-01T00:00:00Z","ops":[]"#.utf8)
        var b = a
        LineFormat.seal(&a, salt: 1)
        LineFormat.seal(&b, salt: 2)
        #expect(a != b)
        let line = Array(a.dropLast())
        #expect(line.withUnsafeBytes { LineFormat.verify($0, salt: 1) } != nil)
        #expect(line.withUnsafeBytes { LineFormat.verify($0, salt: 2) } == nil)
    }
}
