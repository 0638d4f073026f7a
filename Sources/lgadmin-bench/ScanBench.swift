import Foundation
import PrivacyOps

/// `store scan` (the card-number guard over every file of the store): in-process and as a whole
/// `lgadmin store scan` process, beside one `grep -c -E` pass for long digit runs over the same
/// snapshot (a regular expression that finds candidates but checks neither Luhn nor brands).
struct ScanBench {
    let store: String
    let runs: Int

    func run() throws {
        let snapshot = store + "/snapshot.jsonl"
        _ = Measure.run("/bin/cat", [snapshot], captureOutput: false)
        let ops = try PrivacyOps.open(at: store, actor: ActorIdentity(name: "bench", isRoot: true), readOnly: true)
        var inner: [Double] = [], findings = 0
        for _ in 0..<runs { inner.append(try Measure.time { findings = try ops.scanStore().count }) }
        var whole: [Double] = []
        let lgadmin = Measure.lgadminBinary
        if FileManager.default.isExecutableFile(atPath: lgadmin) {
            for _ in 0..<runs { whole.append(Measure.run(lgadmin, ["store", "scan", "--store", store]).seconds) }
        }
        var grep: [Double] = []
        if let g = Measure.which("grep") {
            for _ in 0..<runs { grep.append(Measure.run(g, ["-c", "-E", "[0-9][0-9 -]{11,}[0-9]", snapshot]).seconds) }
        }
        let i = Measure.median(inner), w = Measure.median(whole), g = Measure.median(grep)
        print("store scan  in-process \(Fmt.ms(i)) (\(findings) finding(s))   whole process \(whole.isEmpty ? "n/a (build lgadmin)" : Fmt.ms(w))   grep -c -E digit runs \(Fmt.ms(g))   ratio in-process \(Fmt.ratio(i, g))")
    }
}
