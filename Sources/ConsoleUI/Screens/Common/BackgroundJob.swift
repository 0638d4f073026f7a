import Foundation

/// Work run off the event loop's thread (filtering or sorting a large store), whose result the
/// loop polls from `tick`, so no key waits for it.
final class BackgroundJob<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, any Error>?

    /// Starts `work` on a background queue at once.
    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let outcome = Result { try work() }
            lock.lock()
            result = outcome
            lock.unlock()
        }
    }

    /// The result once the work finished; nil while it runs.
    func poll() -> Result<Value, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return result
    }

    /// Waits until the work finished (tests).
    func wait(timeout: Duration = .seconds(30)) -> Result<Value, any Error>? {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            if let r = poll() { return r }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return poll()
    }
}
