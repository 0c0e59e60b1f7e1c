import Foundation

/// Pure work split in two: the second half on a new thread, the first on this one. The
/// machines have two cores; this is all the parallelism the report needs.
public enum TwoThreads {
    public static func run<T: Sendable>(_ first: () -> T, _ second: @escaping @Sendable () -> T) -> (T, T) {
        let box = Box<T>()
        let thread = Thread { box.set(second()) }
        thread.stackSize = 8 << 20
        thread.start()
        let a = first()
        return (a, box.wait())
    }

    /// `count` values made by `make(i)`, the two halves filled at once into one array, so
    /// that no half is copied afterwards.
    public static func map<T: Sendable>(count: Int, minimum: Int = 20_000, _ make: @escaping @Sendable (Int) -> T) -> [T] {
        guard count >= minimum else { return (0..<count).map(make) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = SendablePointer(buffer.baseAddress)
            let mid = count / 2
            _ = run({ for i in 0..<mid { (base.pointer! + i).initialize(to: make(i)) } },
                    { for i in mid..<count { (base.pointer! + i).initialize(to: make(i)) } })
            initialized = count
        }
    }

    private struct SendablePointer<T>: @unchecked Sendable { let pointer: UnsafeMutablePointer<T>? ; init(_ p: UnsafeMutablePointer<T>?) { pointer = p } }

    private final class Box<T: Sendable>: @unchecked Sendable {
        private var value: T?
        private let done = DispatchSemaphore(value: 0)
        func set(_ v: T) { value = v; done.signal() }
        func wait() -> T {
            done.wait()
            guard let value else { preconditionFailure("the second half signalled without a value") }
            return value
        }
    }
}
