// A small writer that FlatStore's reliability tests run as a separate process.
//
//   flatstore-probe create DIR            create an empty store
//   flatstore-probe loop DIR [K]          commit forever; print each acknowledged seq; compact
//                                         after every K commits when K is given
//   flatstore-probe increment DIR N       N optimistic increments of counter "c", retrying conflicts
//   flatstore-probe put DIR ID TEXT       one commit
//   flatstore-probe watch DIR SEQ         refresh until seq >= SEQ; print the milliseconds it took
//   flatstore-probe dump DIR              print seq and each record's id, version, value
//   flatstore-probe compact DIR           compact the store
import FlatStore
import Foundation

struct Item: StoredRecord {
    var id: String
    var version: Int
    var value: Int
    var text: String
}

let items = RecordCollection<Item>("items")

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

/// Writes a line to standard output unbuffered, so a parent sees it before any SIGKILL.
func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBytes { raw in _ = write(1, raw.baseAddress, raw.count) }
}

let args = CommandLine.arguments
guard args.count >= 3 else { fail("usage: flatstore-probe create|loop|increment|put|watch|dump|compact DIR ...") }
let dir = args[2]

do {
    switch args[1] {
    case "create":
        try FlatStore.create(at: dir)
    case "loop":
        let store = try FlatStore.open(at: dir)
        let compactEvery = args.count >= 4 ? Int(args[3]) ?? 0 : 0
        var n = 0
        while true {
            n += 1
            let id = "i\(n % 50)"
            let seq = try store.commit { view in
                var tx = Transaction()
                let old = try view.get(items, id: id)
                let rec = Item(id: id, version: 0, value: (old?.value ?? 0) + 1, text: String(repeating: "x", count: n % 300))
                if let old { try tx.update(rec, in: items, expecting: old.version) } else { try tx.insert(rec, into: items) }
                return (tx, ())
            }.seq
            say("\(seq)")
            if compactEvery > 0, n % compactEvery == 0 { try store.compact() }
        }
    case "increment":
        guard args.count >= 4, let count = Int(args[3]) else { fail("usage: increment DIR N") }
        let store = try FlatStore.open(at: dir)
        var done = 0
        var conflicts = 0
        while done < count {
            _ = try? store.refresh()
            let view = store.view()
            let old = try view.get(items, id: "c")
            var tx = Transaction()
            let rec = Item(id: "c", version: 0, value: (old?.value ?? 0) + 1, text: "")
            if let old { try tx.update(rec, in: items, expecting: old.version) } else { try tx.insert(rec, into: items) }
            do {
                try store.commit(tx)
                done += 1
            } catch FlatStoreError.conflict {
                conflicts += 1
            }
        }
        print("conflicts \(conflicts)")
    case "put":
        guard args.count >= 5 else { fail("usage: put DIR ID TEXT") }
        let store = try FlatStore.open(at: dir)
        _ = try store.commit { view in
            var tx = Transaction()
            let v = view.version(items, id: args[3])
            let rec = Item(id: args[3], version: 0, value: 0, text: args[4])
            if v == 0 { try tx.insert(rec, into: items) } else { try tx.update(rec, in: items, expecting: v) }
            return (tx, ())
        }
    case "watch":
        guard args.count >= 4, let target = UInt64(args[3]) else { fail("usage: watch DIR SEQ") }
        let store = try FlatStore.open(at: dir)
        say("ready \(store.seq)")
        let start = Date()
        while store.seq < target {
            try store.refresh()
            usleep(10_000)
            if Date().timeIntervalSince(start) > 30 { fail("timed out at seq \(store.seq)") }
        }
        print("seen \(Int(Date().timeIntervalSince(start) * 1000))")
    case "compact":
        let report = try FlatStore.open(at: dir).compact()
        print("compacted \(report.seq) \(report.records)")
    case "dump":
        let store = try FlatStore.open(at: dir, readOnly: true)
        let view = store.view()
        print("seq \(view.seq)")
        for item in try view.all(items) { print("\(item.id) \(item.version) \(item.value) \(item.text)") }
    default:
        fail("unknown command \(args[1])")
    }
} catch {
    fail("flatstore-probe: \(error)")
}
