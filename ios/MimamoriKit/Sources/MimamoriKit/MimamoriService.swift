// The one interface the screen models use to reach the phone core: what each screen
// can ask for, and the error it maps to. The real implementation wraps the generated
// binding (CoreMimamoriService); tests and previews use FakeMimamoriService. Records
// (QuestionView, AdviceView, …) are the generated value types: they carry the core's
// wording unchanged.
import MobileCore

/// The person id of the phone's owner; household members get their own local ids.
public let selfPersonId = "self"

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

/// What the screens ask of the phone core. Every call is safe from the main actor:
/// implementations do their work elsewhere. Calls that can fail throw `ServiceError`.
/// Wording is in the language the implementation was set up with (Japanese by default).
public protocol MimamoriService: Sendable {
    /// The nine questions of the daily report with their answer options.
    func questions() async -> [QuestionView]
    /// The kinds of person to choose from.
    func kinds() async -> [KindView]
    /// Validates and saves a report durably, and returns its advice.
    func saveReport(_ input: ReportInput) async throws -> SavedReport
    /// Whether `personId` reported today, the day's advice, and the upload backlog.
    func todayStatus(personId: String) async throws -> TodayStatus
    /// The last `days` days of `personId`, oldest first.
    func history(personId: String, days: Int) async throws -> [HistoryDay]
    /// The stored emergency contact, if any.
    func emergencyContact() async throws -> EmergencyContact?
    /// Stores the health centre's name and emergency number from the leaflet.
    func setEmergencyContact(_ contact: EmergencyContact) async throws
    /// The urgent-symptom checklist as on the leaflet.
    func urgentChecklist() async -> UrgentChecklistView
    /// Evaluates what a family member ticked; the advice includes the number to call.
    func checkUrgentSymptoms(_ input: ChecklistInput) async throws -> AdviceView
    /// Sends every waiting report and returns the queue's status. It stops when `stop`
    /// is cancelled (from any thread: a BGTask's expiration handler), when the calling
    /// task is cancelled, or after `timeLimitMs` if given, and then throws
    /// `ServiceError.cancelled`: nothing is lost, the rest goes with the next sync. A
    /// request already on the network is awaited for at most its own time limit.
    func sync(stop: SyncStop, timeLimitMs: UInt64?) async throws -> SyncStatus
}

extension MimamoriService {
    /// Sends every waiting report; stops when the calling task is cancelled.
    public func sync() async throws -> SyncStatus {
        try await sync(stop: SyncStop(), timeLimitMs: nil)
    }
}
