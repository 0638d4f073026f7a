import Foundation

/// A deterministic random number generator (SplitMix64) for tests and benchmarks: a failing
/// run names its seed, and `LGADMIN_TEST_SEED=N` replays it.
public struct SeededRandom: RandomNumberGenerator, CustomStringConvertible, Sendable {
    /// The seed this generator started from.
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// A generator seeded from `$LGADMIN_TEST_SEED` when it is set (to replay a failure), else
    /// from the system's randomness.
    public static func fromEnvironment() -> SeededRandom {
        if let text = ProcessInfo.processInfo.environment["LGADMIN_TEST_SEED"], let seed = UInt64(text) {
            return SeededRandom(seed: seed)
        }
        return SeededRandom(seed: UInt64.random(in: 0...UInt64.max))
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// What a failure message says, so the run can be replayed.
    public var description: String { "seed \(seed) (replay with LGADMIN_TEST_SEED=\(seed))" }
}
