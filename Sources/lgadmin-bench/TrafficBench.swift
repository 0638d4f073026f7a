import Foundation
import PrivacyOps

/// Issue 10's figures: a whole `lgadmin traffic report` process over generated access logs
/// (plain and gzip), beside GoAccess (Debian's `goaccess`, one-shot JSON output) and an `awk`
/// pass that aggregates the same lines (distinct client-days, page views per day and path), in
/// the same run; wall time and peak memory (GNU time's maximum resident set of the command and
/// what it waited for), medians of `runs`. The logs hold addresses only, as nginx writes them:
/// GoAccess refuses resolved host names in the client field.
struct TrafficBench {
    let dir: String
    let lines: Int
    let runs: Int

    var selfPath: String { CommandLine.arguments[0] }
    var lgadmin: String { URL(fileURLWithPath: selfPath).deletingLastPathComponent().appendingPathComponent("lgadmin").path }
    var plain: String { "\(dir)/traffic-\(lines).log" }
    var gz: String { plain + ".gz" }
    var store: String { "\(dir)/traffic-store" }

    /// The awk program: distinct client-days and page views per (day, path without query).
    static let awkProgram = #"{ split($7, p, "?"); d = substr($4, 2, 11); v[$1 " " d] = 1; n[d " " p[1]]++ } END { print length(v), length(n) }"#

    /// Child mode: writes `lines` lines of a 30-day log to `path` and a gzip copy to `path.gz`
    /// (in its own process, so that the parent's memory stays small: see ``measure``).
    static func generate(lines: Int, path: String) throws {
        let first = TrafficCalendarDays.march2026
        let gen = AccessLogGenerator(lines: lines, visitors: max(1000, lines / 25), seed: 42, firstDay: first, days: 30,
                                       resolvesNames: false)
        guard FileManager.default.createFile(atPath: path, contents: nil), FileManager.default.createFile(atPath: path + ".gz", contents: nil),
              let out = FileHandle(forWritingAtPath: path), let zipped = FileHandle(forWritingAtPath: path + ".gz")
        else { throw OpsError.failure("cannot write \(path)") }
        let gzip = try GzipWriter()
        try gen.generate { day, bytes in
            out.write(Data(bytes))
            try gzip.write(bytes)
            zipped.write(Data(gzip.takeOutput()))
            FileHandle.standardError.write(Data("\r  generating \(path): day \(day + 1) of 30   ".utf8))
        }
        try gzip.finish()
        zipped.write(Data(gzip.takeOutput()))
        try out.close()
        try zipped.close()
        FileHandle.standardError.write(Data("\n".utf8))
    }

    struct Figure {
        var seconds: Double
        var peakKiB: Int
        var ok: Bool
    }

    /// Runs `argv` under GNU time `runs` times; the median wall time and peak memory.
    func measure(_ argv: [String]) -> Figure {
        let rssFile = "\(dir)/traffic-rss.txt"
        var secs: [Double] = [], peaks: [Double] = []
        var ok = true
        for _ in 0..<runs {
            let r = Measure.run("/usr/bin/time", ["-f", "%M", "-o", rssFile] + argv)
            if r.status != 0 { ok = false }
            secs.append(r.seconds)
            let text = (try? String(contentsOfFile: rssFile, encoding: .utf8)) ?? ""
            peaks.append(Double(text.split(whereSeparator: \.isNewline).last.flatMap { Int($0) } ?? 0))
        }
        return Figure(seconds: Measure.median(secs), peakKiB: Int(Measure.median(peaks)), ok: ok)
    }

    func run() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            print("traffic: /usr/bin/time (GNU time) is needed to measure peak memory: apt-get install time")
            return
        }
        guard FileManager.default.isExecutableFile(atPath: lgadmin) else {
            print("traffic: \(lgadmin) is missing: swift build -c release first")
            return
        }
        if !FileManager.default.fileExists(atPath: gz) {
            let r = Measure.run(selfPath, ["--generate-traffic", String(lines), plain], captureOutput: false)
            guard r.status == 0 else { throw OpsError.failure("generating \(plain) failed") }
        }
        if !FileManager.default.fileExists(atPath: store + "/journal.jsonl") {
            _ = try PrivacyOps.initialize(at: store, actor: ActorIdentity(name: "root", isRoot: true))
        }
        let goaccess = Measure.which("goaccess")
        let awk = Measure.which("awk") ?? "/usr/bin/awk"
        print("\n== traffic report: \(lines) lines (plain \(Fmt.mib(Measure.fileSize(plain))), gzip \(Fmt.mib(Measure.fileSize(gz)))) ==")
        if goaccess == nil { print("(goaccess not installed: apt-get install goaccess)") }
        for (label, file) in [("plain", plain), ("gzip", gz)] {
            // Warm the page cache so every contender reads from memory.
            _ = Measure.run("/bin/cat", [file], captureOutput: false)
            let zipped = file.hasSuffix(".gz")
            let ours = measure([lgadmin, "traffic", "report", file, "--store", store, "--csv", "--site", "loopgalaxy.com"])
            let ga: Figure? = goaccess.map { g in
                zipped ? measure(["/bin/sh", "-c", "zcat '\(file)' | '\(g)' - --log-format=COMBINED --no-progress -o '\(dir)/goaccess.json'"])
                    : measure([g, file, "--log-format=COMBINED", "--no-progress", "-o", "\(dir)/goaccess.json"])
            }
            let aw = zipped ? measure(["/bin/sh", "-c", "zcat '\(file)' | '\(awk)' '\(Self.awkProgram)'"])
                : measure([awk, Self.awkProgram, file])
            func show(_ f: Figure) -> String {
                String(format: "%6.2f s %7.1f MiB", f.seconds, Double(f.peakKiB) / 1024) + (f.ok ? "" : " (FAILED)")
            }
            print("\(label):  lgadmin \(show(ours))   goaccess \(ga.map(show) ?? "n/a")   awk \(show(aw))")
            print("        time: \(ga.map { Fmt.ratio(ours.seconds, $0.seconds) } ?? "n/a") of goaccess (aim ≤ 1×), \(Fmt.ratio(ours.seconds, aw.seconds)) of awk (aim ≤ 3×)"
                  + "   memory: \(ga.map { Fmt.ratio(Double(ours.peakKiB), Double($0.peakKiB)) } ?? "n/a") of goaccess")
        }
    }
}

/// 2026-03-01 as a day number: the benchmark's logs cover March 2026.
enum TrafficCalendarDays {
    static let march2026 = 20_513
}
