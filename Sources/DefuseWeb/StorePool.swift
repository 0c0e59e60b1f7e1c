import DefuseStore
import Foundation

/// Store connections for the worker threads: each request borrows one for itself.
final class StorePool: @unchecked Sendable {
    let location: String
    private var idle: [Store] = []  // guarded by `lock`
    private let lock = NSLock()

    init(location: String) { self.location = location }

    func with<T>(_ body: (Store) throws -> T) throws -> T {
        let store = try lock.withLock { idle.popLast() } ?? openStore(location)
        defer { lock.withLock { if idle.count < 16 { idle.append(store) } } }
        return try body(store)
    }
}
