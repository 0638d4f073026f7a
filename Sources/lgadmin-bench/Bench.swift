import FlatStore
import Foundation
import PrivacyOps

/// `swift run -c release lgadmin-bench [--sizes 10000,100000,1000000] [--runs 5] [--dir DIR]`
///
/// Generates customer-shaped stores and prints medians beside reference commands measured in
/// the same run (grep, sqlite3), with ratios. Not a test: nothing here asserts a time.
@main
struct Bench {
    static func main() throws {
        var args = Array(CommandLine.arguments.dropFirst())
        if args.first == "--probe-open", args.count >= 2 {
            // Child mode: open a store; report how long that took inside the process and the
            // process's peak resident memory (its own VmHWM: the rusage of a posix_spawn child
            // also counts the parent's peak, which the child shared until exec).
            var store: FlatStore?
            let t = try Measure.time { store = try FlatStore.open(at: args[1], readOnly: true) }
            let peak = Measure.peakRSSKiB()
            print(String(format: "%.6f", t), peak)
            withExtendedLifetime(store) {}
            return
        }
        if args.first == "--generate-traffic", args.count >= 3, let lines = Int(args[1]) {
            // Child mode: write a generated access log (and its gzip copy) for the traffic benchmark.
            try TrafficBench.generate(lines: lines, path: args[2])
            return
        }
        if args.first == "--probe-baseline" {
            // Child mode: the peak memory of this process doing nothing, for comparison.
            print(0, Measure.peakRSSKiB())
            return
        }
        var sizes = [10_000, 100_000, 1_000_000]
        var runs = 5
        var dir = FileManager.default.currentDirectoryPath + "/bench-data"
        var scenarios: Set<String> = ["store", "filter"]
        var trafficLines = [1_000_000, 10_000_000]
        var postgres = ProcessInfo.processInfo.environment["LGADMIN_TEST_POSTGRES"] ?? ""
        while !args.isEmpty {
            let a = args.removeFirst()
            switch a {
            case "--sizes": sizes = (args.isEmpty ? "" : args.removeFirst()).split(separator: ",").compactMap { Int($0) }
            case "--runs": runs = Int(args.isEmpty ? "" : args.removeFirst()) ?? runs
            case "--dir": dir = args.isEmpty ? dir : args.removeFirst()
            case "--traffic-lines": trafficLines = (args.isEmpty ? "" : args.removeFirst()).split(separator: ",").compactMap { Int($0) }
            case "--postgres": postgres = args.isEmpty ? postgres : args.removeFirst()
            case "--only": scenarios = Set((args.isEmpty ? "" : args.removeFirst()).split(separator: ",").map(String.init))
            case "-h", "--help":
                print("usage: lgadmin-bench [--sizes 10000,100000,1000000] [--runs 5] [--dir DIR] [--only store,filter,console,scan,traffic,postgres] [--traffic-lines 1000000,10000000] [--postgres URL]")
                return
            default:
                FileHandle.standardError.write(Data("lgadmin-bench: unknown argument \(a): see --help\n".utf8))
                exit(64)
            }
        }
        guard !sizes.isEmpty, runs > 0 else {
            FileHandle.standardError.write(Data("lgadmin-bench: --sizes needs numbers and --runs at least 1\n".utf8))
            exit(64)
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        print("lgadmin-bench: \(ProcessInfo.processInfo.processorCount) cores, \(Fmt.mib(Int64(ProcessInfo.processInfo.physicalMemory))) memory; medians of \(runs) runs")
        if scenarios.contains("traffic") {
            for lines in trafficLines { try TrafficBench(dir: dir, lines: lines, runs: runs).run() }
            if scenarios == ["traffic"] { return }
        }
        for size in sizes {
            let store = "\(dir)/store-\(size)"
            let gen = try ensureStore(store, size: size)
            print("\n== \(size) customers (\(Fmt.mib(Measure.fileSize(store + "/snapshot.jsonl")))) ==")
            if let gen { print("generate (demo customers, release): \(String(format: "%.2f s", gen))") }
            if scenarios.contains("store") { try StoreBench(store: store, size: size, runs: runs).run() }
            if scenarios.contains("filter") { try FilterBench(store: store, runs: runs).run() }
            if scenarios.contains("console") { try ConsoleBench(store: store, size: size, runs: runs).run() }
            if scenarios.contains("scan") { try ScanBench(store: store, runs: runs).run() }
            if scenarios.contains("postgres") {
                if postgres.isEmpty {
                    print("postgres: no server: pass --postgres URL (or set LGADMIN_TEST_POSTGRES; .ci/postgres start DIR prints one)")
                } else {
                    try PostgresBench(flatStore: store, size: size, runs: runs, server: postgres).run()
                }
            }
        }
    }

    /// Creates the store for `size` once (kept between runs); returns how long generation took.
    static func ensureStore(_ path: String, size: Int) throws -> Double? {
        if FlatStore.exists(at: path) { return nil }
        let gen = DemoGenerator(customers: size, seed: 42) { step in
            FileHandle.standardError.write(Data("\r  generating \(step)   ".utf8))
        }
        let t = try Measure.time { try gen.createCustomerStore(at: path, actor: ActorIdentity(name: "bench", isRoot: true)) }
        FileHandle.standardError.write(Data("\n".utf8))
        return t
    }
}
