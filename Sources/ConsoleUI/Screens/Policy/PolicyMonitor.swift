import PrivacyOps

/// The latest policy check, run in the background (``BackgroundJob``) so that no frame waits for
/// it: when the console opens, on `R`, and again after the store changed once ``interval`` has
/// passed since the last run (a run reads every file of the store). The header and the Policy
/// screen show what it holds; "checking…" until the first run is done.
final class PolicyMonitor {
    /// The last finished check, and the store seq it ran at.
    private(set) var latest: PolicyCheckResult?
    /// Why the last run failed (cleared by the next success).
    private(set) var error: String?
    private var job: BackgroundJob<PolicyCheckResult>?
    private var lastStart: ContinuousClock.Instant?
    /// The store changed since the running or last check started.
    private var changedSince = false
    /// A run asked for now (`R`) while one was running: start again when it ends.
    private var again = false
    /// The least time between two runs caused by changes in the store.
    var interval: Duration = .seconds(60)

    var isRunning: Bool { job != nil }

    /// Starts a run unless one is running (then one starts when it ends).
    func start(_ ops: PrivacyOps, now: ContinuousClock.Instant) {
        guard job == nil else {
            again = true
            return
        }
        lastStart = now
        changedSince = false
        again = false
        job = BackgroundJob { try ops.policyCheck() }
    }

    /// The store changed: the check runs again (at most once per ``interval``).
    func storeChanged() { changedSince = true }

    /// Takes a finished run and starts the next one when due. Returns whether what the header
    /// and the screen show changed.
    func poll(_ ops: PrivacyOps, now: ContinuousClock.Instant) -> Bool {
        var changed = false
        if let job, let outcome = job.poll() {
            self.job = nil
            switch outcome {
            case .success(let r):
                latest = r
                error = nil
            case .failure(let e):
                error = OpsError.from(e).consoleText
            }
            changed = true
        }
        if job == nil, again || (changedSince && lastStart.map { now - $0 >= interval } ?? true) {
            start(ops, now: now)
        }
        return changed
    }

    /// Waits for the running check to finish (tests); it is taken by the next ``poll(_:now:)``.
    func waitForRun() {
        _ = job?.wait()
    }

    /// "policy: PASS", "policy: 2 FAIL", "policy: checking…", "policy: ?" (the check failed);
    /// `compact` drops the colon, `worstOnly` the counts ("policy FAIL", "policy …").
    func headerText(compact: Bool, worstOnly: Bool = false) -> String {
        let label = compact ? "policy " : "policy: "
        if let latest { return label + (worstOnly ? latest.status.rawValue : latest.summary) }
        if error != nil { return label + "?" }
        return label + (worstOnly ? "…" : "checking…")
    }
}
