// The error every screen model shows: ServiceError, the one conversion point from the
// binding's CoreError (and from anything else thrown, which becomes `unexpected`
// instead of a crash), and what a screen does with each kind (go to login, try later,
// show beside a field). Carries no personal data.
import MobileCore

/// An error a screen acts on. Carries no personal data.
public enum ServiceError: Error, Equatable, Sendable {
    /// An input was refused and nothing was saved. `field` names the input
    /// (`temperature`, `answers.breathlessness`, `phone_number`, …); `reason` is the
    /// core's message, already in the screen's language.
    case invalid(field: String, reason: String)
    /// The local database is damaged. It is left untouched for recovery.
    case corrupt
    /// Saving or reading failed; nothing changed. `detail` is for logs and support.
    case storage(detail: String)
    /// There is no session, or the server no longer accepts it: the screen goes to the
    /// login screen. Every report on the phone is kept and is sent after the next login.
    case loginRequired(reason: String)
    /// The server could not be reached. Nothing is lost: reports stay queued on the
    /// phone and go with the next sync. `reason` is the core's text for the notice.
    case offline(reason: String)
    /// Too many attempts: the person waits `retryAfterSeconds` before trying again.
    case throttled(retryAfterSeconds: UInt64, reason: String)
    /// The server refused the request (a wrong code, a weak password, attributes that
    /// do not match, …) or failed. `code` is the server's stable code; `reason` is shown.
    case server(code: String, reason: String)
    /// The secure connection to the server could not be set up (certificate, the
    /// phone's date, a Wi-Fi that wants a sign-in); `reason` says what to check.
    case secureConnection(reason: String)
    /// The database is from a newer version of the app: ask for an app update.
    case newerData
    /// The server no longer accepts this app version; `reason` asks for an update.
    case updateRequired(reason: String)
    /// The Keychain could not keep the session. Reports are safe. `detail` is for logs
    /// and support.
    case keystore(detail: String)
    /// The upload stopped before it finished: its `SyncStop` was cancelled, its task
    /// was cancelled or its time limit passed (the system took the background time
    /// back). Not a failure: what the server committed is recorded and the rest stays
    /// queued for the next sync.
    case cancelled(reason: String)
    /// Anything the core's error kinds do not cover (a failure inside the binding, an
    /// error from the platform): shown as a general "something went wrong" message,
    /// never a crash. `detail` is the error's type, for support; no personal data.
    case unexpected(detail: String)

    /// The field a refusal names, if this is one.
    public var field: String? {
        if case let .invalid(field, _) = self { return field }
        return nil
    }

    /// The core's message for a refused field, if this is one.
    public var reason: String? {
        if case let .invalid(_, reason) = self { return reason }
        return nil
    }

    /// Whether the screen showing this error should go to the login screen.
    public var needsLogin: Bool {
        if case .loginRequired = self { return true }
        return false
    }

    /// Whether this error is temporary (offline, throttled, a stopped sync): the same
    /// action can be tried later (schedule the background task again).
    public var tryLater: Bool {
        switch self {
        case .offline, .throttled, .cancelled: return true
        default: return false
        }
    }
}

extension ServiceError {
    /// The one conversion point from the binding's error to what screens show.
    public init(_ error: CoreError) {
        switch error {
        case let .Invalid(field, reason): self = .invalid(field: field, reason: reason)
        case .Corrupt: self = .corrupt
        case let .Storage(detail): self = .storage(detail: detail)
        case let .Unauthorized(reason): self = .loginRequired(reason: reason)
        case let .Network(reason): self = .offline(reason: reason)
        case let .Throttled(seconds, reason): self = .throttled(retryAfterSeconds: seconds, reason: reason)
        case let .Server(code, reason): self = .server(code: code, reason: reason)
        case let .SecureConnection(reason): self = .secureConnection(reason: reason)
        case .NewerData: self = .newerData
        case let .UpdateRequired(reason): self = .updateRequired(reason: reason)
        case let .Keystore(detail): self = .keystore(detail: detail)
        case let .Cancelled(reason): self = .cancelled(reason: reason)
        }
    }

    /// Any error as a screen shows it: a ServiceError as it is, the core's error
    /// mapped, a cancelled task as a stop, anything else as `unexpected` (its type
    /// only: an error's text may quote input).
    public static func from(_ error: Error) -> ServiceError {
        switch error {
        case let error as ServiceError: return error
        case let error as CoreError: return ServiceError(error)
        case is CancellationError: return .cancelled(reason: "")
        default: return .unexpected(detail: String(describing: type(of: error)))
        }
    }
}
