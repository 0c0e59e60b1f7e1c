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

    /// `body(k)` for every part `k` in `0..<parts`, part 0 on this thread and each other on a
    /// new one; returns their results in part order once all are done.
    public static func each<T: Sendable>(_ parts: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        guard parts > 1 else { return parts == 1 ? [body(0)] : [] }
        let boxes = (1..<parts).map { k -> Box<T> in
            let box = Box<T>()
            let thread = Thread { box.set(body(k)) }
            thread.stackSize = 8 << 20
            thread.start()
            return box
        }
        return [body(0)] + boxes.map { $0.wait() }
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

/// Values gathered by several threads at once, each into its own bin (no locks, no sharing),
/// read once every thread is done.
public final class PartBins<T>: @unchecked Sendable {
    private final class Bin { var items: [T] = [] }
    private let bins: [Bin]

    public init(parts: Int) { bins = (0..<max(1, parts)).map { _ in Bin() } }

    /// Only the thread of part `part` calls this for that part.
    public func append(_ item: T, part: Int) { bins[part].items.append(item) }

    /// Everything gathered, part 0's first.
    public var all: [T] { bins.flatMap(\.items) }
}
