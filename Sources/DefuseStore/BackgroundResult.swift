import Foundation

/// A value computed on another thread, waited for once.
final class BackgroundResult<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?

    func set(_ r: Result<T, any Error>) {
        result = r
        done.signal()
    }

    func wait() throws -> T {
        done.wait()
        guard let result else { throw StoreError("a background load finished without a result") }
        return try result.get()
    }
}
