import Harness
import Foundation
import Testing

@testable import FlatStore

// Shared helpers for the FlatStore tests: temporary directories, a record type, raw file access,
// and running the `flatstore-probe` child process.

/// A record for tests.
struct Note: StoredRecord, Equatable {
    var id: String
    var version: Int
    var text: String
    var n: Int
}

let notes = RecordCollection<Note>("notes")

/// The record type `flatstore-probe` writes.
struct Item: StoredRecord, Equatable {
    var id: String
    var version: Int
    var value: Int
    var text: String
}

let items = RecordCollection<Item>("items")

/// Creates a fresh, empty directory with a unique name.
///
/// - Parameter inMemory: put it on `/dev/shm` (tmpfs) when there is one. For loops that open
///   hundreds of damaged copies of a store: recovery logic is the same on any file system, and
///   there `fsync` costs nothing. Everything else runs in the system's temporary directory, on a
///   real disk.
func makeTempDir(inMemory: Bool = false) throws -> String {
    var base = NSTemporaryDirectory()
    if inMemory, access("/dev/shm", W_OK) == 0 { base = "/dev/shm" }
    if !base.hasSuffix("/") { base += "/" }
    let dir = base + "flatstore-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Runs `body` with a fresh, empty directory that is removed afterwards.
func withTempDir<T>(inMemory: Bool = false, _ body: (String) throws -> T) throws -> T {
    let dir = try makeTempDir(inMemory: inMemory)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try body(dir)
}

/// The async flavour of ``withTempDir(inMemory:_:)``.
func withTempDir<T>(_ body: (String) async throws -> T) async throws -> T {
    let dir = try makeTempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try await body(dir)
}

// MARK: Files

func readBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

func writeBytes(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func fileSize(_ path: String) throws -> Int64 {
    try POSIXFileIO().stat(path).size
}

func fileExists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path)
}

/// Files in `dir` whose names contain `.broken`.
func brokenFiles(_ dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains(".broken") }.sorted()
}

/// Copies every file of store `from` into a new directory `to`.
func copyStore(_ from: String, to: String) throws {
    let fm = FileManager.default
    try fm.createDirectory(atPath: to, withIntermediateDirectories: false)
    for name in try fm.contentsOfDirectory(atPath: from) {
        try fm.copyItem(atPath: from + "/" + name, toPath: to + "/" + name)
    }
}

/// The byte ranges of a file's lines, each including its newline (the last may lack one).
func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var start = 0
    for (i, b) in bytes.enumerated() where b == 0x0A {
        out.append(start..<(i + 1))
        start = i + 1
    }
    if start < bytes.count { out.append(start..<bytes.count) }
    return out
}

// MARK: Store helpers

/// Commits one put of a note, inserting or updating, and returns the commit's seq.
@discardableResult
func put(_ store: FlatStore, _ id: String, _ text: String, n: Int = 0) throws -> UInt64 {
    try store.commit { view in
        var tx = Transaction()
        let v = view.version(notes, id: id)
        let rec = Note(id: id, version: 0, text: text, n: n)
        if v == 0 { try tx.insert(rec, into: notes) } else { try tx.update(rec, in: notes, expecting: v) }
        return (tx, ())
    }.seq
}

/// Every note in a store, by id.
func allNotes(_ store: FlatStore) throws -> [String: Note] {
    Dictionary(uniqueKeysWithValues: try store.view().all(notes).map { ($0.id, $0) })
}

/// Runs `body` and returns the `.corrupt` error it threw, recording an issue otherwise.
func expectCorrupt(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> (file: String, line: Int, reason: String)? {
    do {
        try body()
        Issue.record("expected FlatStoreError.corrupt, nothing was thrown", sourceLocation: sourceLocation)
    } catch FlatStoreError.corrupt(let file, let line, let reason) {
        return (file, line, reason)
    } catch {
        Issue.record("expected FlatStoreError.corrupt, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

// MARK: The probe process

/// The `flatstore-probe` executable, built next to the test bundle.
let probePath: String = {
    var candidates: [URL] = []
    let arg0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    candidates.append(arg0.deletingLastPathComponent())
    candidates.append(Bundle.main.bundleURL)
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
    for b in Bundle.allBundles { candidates.append(b.bundleURL.deletingLastPathComponent()) }
    for dir in candidates {
        let p = dir.appendingPathComponent("flatstore-probe").path
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return arg0.deletingLastPathComponent().appendingPathComponent("flatstore-probe").path
}()

/// A running `flatstore-probe`. Its output goes to files (never pipes), so reading it never
/// depends on which other processes hold a descriptor.
final class Probe: @unchecked Sendable {
    let child: ChildProcess

    init(_ args: [String]) throws {
        child = try ChildProcess(probePath, args)
    }

    /// Complete lines of standard output so far.
    var lines: [String] { child.lines }

    var stderr: String { String(decoding: child.errorOutput, as: UTF8.self) }

    var isRunning: Bool { child.isRunning }

    func kill() { child.kill(SIGKILL) }

    /// Waits for the process to end (killing it after two minutes, so a hung probe fails its
    /// test instead of hanging the suite).
    func wait() { child.wait(timeout: 120) }

    var status: Int32 {
        if case .exited(let code) = child.wait() { return code }
        return -1
    }

    var killedBySignal: Bool {
        if case .signalled = child.wait() { return true }
        return false
    }
}

/// Runs the probe to completion; returns its exit status, output lines and error text.
@discardableResult
func runProbe(_ args: [String]) throws -> (status: Int32, lines: [String], stderr: String) {
    let p = try Probe(args)
    p.wait()
    return (p.status, p.lines, p.stderr)
}

