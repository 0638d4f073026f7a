import Foundation
import Harness

/// Running commands and timing them.
enum Measure {
    struct Run {
        var seconds: Double
        var maxRSSKiB: Int
        var status: Int32
        var output: String
    }

    /// Runs `path` with `args` as a child process; wall time, peak memory and output.
    static func run(_ path: String, _ args: [String], stdinFile: String? = nil, captureOutput: Bool = true) -> Run {
        let start = DispatchTime.now()
        let child: ChildProcess
        do {
            child = try ChildProcess(path, args, stdin: stdinFile.map { .file($0) } ?? .null, captureOutput: captureOutput)
        } catch {
            return Run(seconds: 0, maxRSSKiB: 0, status: -1, output: "\(error)")
        }
        let termination = child.wait()
        let secs = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let out = captureOutput ? String(decoding: child.output, as: UTF8.self) : ""
        return Run(seconds: secs, maxRSSKiB: child.maxRSSKiB, status: termination.shellStatus, output: out)
    }

    /// This process's peak resident memory (VmHWM), in KiB; 0 where /proc is missing. Read with
    /// plain system calls, so that measuring touches no more library code than it must.
    static func peakRSSKiB() -> Int {
        let fd = open("/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return 0 }
        let key = Array("VmHWM:".utf8)
        var i = 0
        while i + key.count <= n {
            if buffer[i..<(i + key.count)].elementsEqual(key) {
                var j = i + key.count, v = 0
                while j < n, buffer[j] == 0x20 || buffer[j] == 0x09 { j += 1 }
                while j < n, buffer[j] >= 0x30, buffer[j] <= 0x39 { v = v * 10 + Int(buffer[j] - 0x30); j += 1 }
                return v
            }
            i += 1
        }
        return 0
    }

    /// Times `body` in this process.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now()
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    static func median(_ xs: [Double]) -> Double {
        guard !xs.isEmpty else { return 0 }
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func percentile(_ xs: [Double], _ p: Double) -> Double {
        guard !xs.isEmpty else { return 0 }
        let s = xs.sorted()
        return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
    }

    /// The `lgadmin` built beside this benchmark (the same configuration).
    static var lgadminBinary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lgadmin").path
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

/// Formatting for the result table.
enum Fmt {
    static func ms(_ s: Double) -> String { String(format: s < 0.01 ? "%.3f ms" : "%.1f ms", s * 1000) }
    static func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? String(format: "%.2f×", a / b) : "n/a" }
    static func mib(_ bytes: Int64) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
