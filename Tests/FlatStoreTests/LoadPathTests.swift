import Foundation
import Harness
import Testing

@testable import FlatStore

/// The fast paths of loading: hardware CRC against the table one, the id index against a
/// dictionary, and a snapshot large enough to be read by several threads.
@Suite struct LoadPathTests {
    @Test func hardwareAndPortableCRCAgree() {
        var g = SeededRandom.fromEnvironment()
        let bytes = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &g) }
        bytes.withUnsafeBytes { raw in
            for start in [0, 1, 3, 7, 8] {
                for length in [0, 1, 7, 8, 15, 31, 32, 33, 100, 999, 4000] {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                    for seed: UInt32 in [0, 0xDEAD_BEEF] {
                        #expect(CRC32C.update(seed, slice) == CRC32C.updatePortable(seed, slice),
                                "start \(start), length \(length), \(g)")
                    }
                }
            }
        }
        #expect(LineFormat.seed(0x0102_0304) == CRC32C.checksum([1, 2, 3, 4] as [UInt8]))
        bytes.withUnsafeBytes { raw in
            for (la, lb, lc) in [(0, 0, 0), (1, 9, 17), (500, 7, 64), (64, 64, 64), (3, 4000, 8)] {
                let a = UnsafeRawBufferPointer(rebasing: raw[0..<la])
                let b = UnsafeRawBufferPointer(rebasing: raw[1..<(1 + lb)])
                let c = UnsafeRawBufferPointer(rebasing: raw[5..<(5 + lc)])
                let (x, y, z) = CRC32C.update3(0x1234_5678, a, b, c)
                #expect(x == CRC32C.update(0x1234_5678, a) && y == CRC32C.update(0x1234_5678, b) && z == CRC32C.update(0x1234_5678, c),
                        "\(la) \(lb) \(lc), \(g)")
            }
        }
    }

    @Test func idIndexAgreesWithADictionary() {
        var g = SeededRandom.fromEnvironment()
        var cs = CollectionState()
        var model: [String: UInt32] = [:]
        let buffer = ByteBuffer([UInt8](repeating: 0x7B, count: 16))
        for step in 0..<20_000 {
            let id = "k\(Int.random(in: 0..<3000, using: &g))"
            if Int.random(in: 0..<3, using: &g) == 0 {
                cs.delete(id)
                model[id] = nil
            } else {
                let v = UInt32(step + 1)
                cs.put(id, Entry(buffer: buffer, start: 0, count: 1, version: v))
                model[id] = v
            }
            if step % 997 == 0 {
                for k in 0..<3000 {
                    let key = "k\(k)"
                    #expect(cs.version(of: key) == Int(model[key] ?? 0), "step \(step), \(key), \(g)")
                }
            }
        }
        #expect(cs.live == model.count)
        #expect(cs.index.count == model.count)
        for (id, v) in model { #expect(cs.version(of: id) == Int(v), "\(g)") }
    }

    @Test func idIndexBuiltInBulk() {
        for n in [0, 1, 100, 70_000] {
            let ids = (0..<n).map { "C\($0 * 7)" }
            let index = IDIndex.build(ids: ids)
            #expect(index != nil)
            guard let index else { continue }
            #expect(index.count == n)
            for (k, id) in ids.enumerated() where k % 13 == 0 || n < 1000 {
                #expect(index.find(id, hash: IDIndex.hash(id), ids: ids).position == k)
            }
            #expect(index.find("absent", hash: IDIndex.hash("absent"), ids: ids).position == nil)
        }
        #expect(IDIndex.build(ids: ["a", "b", "a"]) == nil)
        #expect(IDIndex.build(ids: (0..<70_000).map { "x\($0)" } + ["x5"]) == nil)
    }

    /// Enough records (several MiB) for the loader to split the file between threads and fill
    /// one collection from several parts.
    @Test func largeSnapshotRoundTrips() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            let pad = String(repeating: "x", count: 300)
            var expected: [String: [UInt8]] = [:]
            var order: [String] = []
            for batch in 0..<4 {
                var tx = Transaction()
                for k in 0..<4000 {
                    let n = batch * 4000 + k
                    let id = "R\(n)"
                    let json = Array(#"{"n":\#(n),"text":"\#(pad) é \\"q\\" \#(n)"}"#.utf8)
                    try tx.putRaw(collection: n % 5 == 0 ? "fives" : "rest", id: id, expected: 0, json: json)
                    expected[id] = json
                    order.append(id)
                }
                try store.commit(tx)
            }
            var del = Transaction()
            try del.putRaw(collection: "rest", id: "R1", expected: 1, json: Array(#"{"n":1,"again":true}"#.utf8))
            expected["R1"] = Array(#"{"n":1,"again":true}"#.utf8)
            try store.commit(del)
            try store.compact()
            #expect(try fileSize(dir + "/snapshot.jsonl") > 5 << 20)

            let reopened = try FlatStore.open(at: dir)
            let view = reopened.view()
            #expect(view.count("fives") + view.count("rest") == expected.count)
            for (id, json) in expected {
                let collection = Int(id.dropFirst())! % 5 == 0 ? "fives" : "rest"
                #expect(view.rawJSON(collection, id: id) == json, "\(id)")
                #expect(view.version(collection, id: id) == (id == "R1" ? 2 : 1))
            }
            #expect(view.ids("rest") == order.filter { Int($0.dropFirst())! % 5 != 0 })
            // And it keeps working: an update and a new record after the bulk-built index.
            var tx = Transaction()
            try tx.putRaw(collection: "rest", id: "R2", expected: 1, json: Array(#"{"n":2}"#.utf8))
            try tx.putRaw(collection: "rest", id: "new", expected: 0, json: Array(#"{"n":-1}"#.utf8))
            try reopened.commit(tx)
            #expect(reopened.view().version("rest", id: "R2") == 2)
            #expect(reopened.view().rawJSON("rest", id: "new") == Array(#"{"n":-1}"#.utf8))
        }
    }

    /// A snapshot line whose checksum holds but whose record is not an object is refused.
    @Test func snapshotRecordMustBeAnObject() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            var tx = Transaction()
            try tx.putRaw(collection: "c", id: "a", expected: 0, json: Array(#"{"a":1}"#.utf8))
            try store.commit(tx)
            try store.compact()
            let path = dir + "/snapshot.jsonl"
            let bytes = try readBytes(path)
            var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
            // Re-seal the record line with a number in place of the object.
            let salt = try bytes.withUnsafeBytes { try FileHeader.parse($0, file: "s").0.salt }
            var bad = Array(#"{"id":"a","c":"c","v":1,"r":7"#.utf8)
            LineFormat.seal(&bad, salt: salt)
            lines[1] = String(decoding: bad.dropLast(), as: UTF8.self)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: FlatStoreError.self) { _ = try FlatStore.open(at: dir) }
        }
    }
}
