/// A use case's failure, in the terms both front ends map: the CLI to exit codes 2/1/3, the
/// API to 400/404/409.
public enum AppError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The request itself is malformed (unknown event or field). CLI 2, HTTP 400.
    case usage(String)
    /// A bad value or an unknown id. CLI 1, HTTP 400 (404 for `notFound`).
    case input(String)
    case notFound(String)
    /// The playbook refuses. CLI 3, HTTP 409.
    case refused(String)
    /// A file over the configured size. CLI 1, HTTP 413.
    case tooLarge(String)
    /// A file of a type the evidence locker does not take. CLI 1, HTTP 415.
    case unsupported(String)

    public var description: String {
        switch self {
        case .usage(let m), .input(let m), .notFound(let m), .refused(let m), .tooLarge(let m), .unsupported(let m): m
        }
    }
}
