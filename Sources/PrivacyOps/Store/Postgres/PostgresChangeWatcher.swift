import Foundation

/// Waits, on a connection of its own, for the server's `NOTIFY lgadmin, 'SEQ'` that every commit
/// sends, and keeps the newest commit number heard of (``newestSeq``), so that a refresh asks
/// the server only when there is something to read.
///
/// A notification is never replayed: when the connection drops, ``newestSeq`` turns nil (a
/// refresh then queries the server, catching up from its own last commit) while the watcher
/// connects again. Without a notification it reads `chain_head` once a second, so a missed
/// one costs at most about a second.
final class PostgresChangeWatcher: @unchecked Sendable {
    private let place: PostgresLocation
    private let lock = NSLock()
    private var newest: UInt64?
    private var stopping = false
    private var thread: Thread?

    init(place: PostgresLocation) {
        self.place = place
        let t = Thread { [weak self] in self?.run() }
        t.name = "lgadmin-pg-watcher"
        thread = t
        t.start()
    }

    /// The newest commit heard of; nil while not connected (anything may have happened).
    var newestSeq: UInt64? {
        lock.lock()
        defer { lock.unlock() }
        return newest
    }

    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func set(_ seq: UInt64?) {
        lock.lock()
        if let seq, let n = newest { newest = max(n, seq) } else { newest = seq }
        lock.unlock()
    }

    private func run() {
        while !isStopping {
            guard let c = try? PGConnection(conninfo: place.conninfo, server: place.server),
                  (try? c.execute("SET application_name = 'lgadmin-watcher'; LISTEN lgadmin")) != nil else {
                set(nil)
                sleepInterruptibly(seconds: 1)
                continue
            }
            listen(on: c)
            set(nil)
        }
    }

    /// Returns when the connection is lost or the watcher is stopped.
    private func listen(on c: PGConnection) {
        var lastPoll = Date.distantPast
        while !isStopping {
            if Date().timeIntervalSince(lastPoll) >= 1 {
                guard let r = try? c.query("SELECT seq FROM lgadmin_chain_head"), let s = r.int(0, 0) else { return }
                lock.lock()
                newest = UInt64(s)
                lock.unlock()
                lastPoll = Date()
            }
            var p = pollfd(fd: c.socket, events: Int16(POLLIN), revents: 0)
            let n = poll(&p, 1, 250)
            if n < 0, errno != EINTR { return }
            if n > 0 {
                guard let payloads = try? c.takeNotifications() else { return }
                for payload in payloads { if let s = UInt64(payload) { set(s) } }
                if !c.isConnected { return }
            }
        }
    }

    private func sleepInterruptibly(seconds: Double) {
        let end = Date().addingTimeInterval(seconds)
        while !isStopping, Date() < end { usleep(100_000) }
    }
}
