// The one interface the screen models use to reach the phone core: what each screen
// can ask for. The real implementation wraps the generated binding
// (CoreMimamoriService); tests wrap that real service to inject failures the core can
// produce. Records (QuestionView, AdviceView, …) are the generated value types: they
// carry the core's wording unchanged. Errors are ServiceError (ServiceError.swift).
import MobileCore

/// The person id of the phone's owner; household members get their own local ids.
public let selfPersonId = "self"

/// What the screens ask of the phone core. Every call is safe from the main actor:
/// implementations do their work elsewhere. Calls that can fail throw `ServiceError`.
/// Wording is in the language the implementation was set up with (Japanese by default).
public protocol MimamoriService: Sendable {
    // MARK: The daily report

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

    // MARK: Emergency contact and the family's check

    /// The stored emergency contact, if any.
    func emergencyContact() async throws -> EmergencyContact?
    /// Stores the health centre's name and emergency number from the leaflet.
    func setEmergencyContact(_ contact: EmergencyContact) async throws
    /// Reads the leaflet's link (QR code or deep link) and stores its centre as the
    /// emergency contact; another server's link is refused (`invalid` field `link`).
    func openLeafletLink(_ link: String) async throws -> EmergencyContact
    /// The urgent-symptom checklist as on the leaflet.
    func urgentChecklist() async -> UrgentChecklistView
    /// Evaluates what a family member ticked; the advice includes the number to call.
    func checkUrgentSymptoms(_ input: ChecklistInput) async throws -> AdviceView

    // MARK: Account

    /// Whether a session is stored.
    func isLoggedIn() async throws -> Bool
    /// The first registration in progress, if any: the screen to resume on.
    func registrationProgress() async throws -> RegistrationProgress?
    /// Mails a verification code to `email`; returns how many seconds it is valid.
    /// A resend too early throws `throttled` with the seconds to wait.
    func requestCode(email: String) async throws -> UInt64
    /// Checks the mailed code.
    func verifyCode(_ code: String) async throws
    /// The password rule ticked against what was typed so far.
    func passwordRule(_ password: String) async -> PasswordRuleView
    /// Sets the password of the registration in progress.
    func setPassword(_ password: String) async throws
    /// Sends the attributes and the input ID; on a match the session opens.
    func submitAttributes(name: String, dateOfBirth: String, phone: String, inputId: String) async throws -> ProfileView
    /// Abandons the registration in progress.
    func cancelRegistration() async throws
    /// Signs in; the profile (and its emergency number) is stored.
    func login(email: String, password: String) async throws -> ProfileView
    /// Signs out; reports, profile and emergency contact stay on the phone.
    func logout() async throws
    /// The stored profile, if signed in once.
    func profile() async throws -> ProfileView?
    /// Reports waiting to be sent.
    func pendingSyncCount() async throws -> UInt64

    // MARK: Sync

    /// Sends every waiting report and returns the queue's status. It stops when `stop`
    /// is cancelled (from any thread: a BGTask's expiration handler), when the calling
    /// task is cancelled, or after `timeLimitMs` if given, and then throws
    /// `ServiceError.cancelled`: nothing is lost, the rest goes with the next sync. A
    /// request already on the network is awaited for at most its own time limit.
    func sync(stop: SyncStop, timeLimitMs: UInt64?) async throws -> SyncStatus
    /// Waiting, failed, the last success and the last error's kind.
    func syncStatus() async throws -> SyncStatus
    /// Reports the server refused, kept with the server's reason.
    func failedReports() async throws -> [FailedReport]
    /// Queues every failed report again; returns how many.
    func retryFailed() async throws -> UInt64

    // MARK: Household

    /// The phone's owner first, then household members.
    func people() async throws -> [PersonView]
    /// One person's upload queue.
    func personSyncStatus(personId: String) async throws -> PersonSyncStatus
    /// Links a household member's case by their attributes and input ID.
    func addHouseholdMember(name: String, dateOfBirth: String, phone: String, inputId: String) async throws -> PersonView
    /// Unlinks a household member; their reports are kept.
    func removeHouseholdMember(personId: String) async throws

    // MARK: Reminder and notice

    /// The daily reminder's time (9:00 until chosen), `nil` when off.
    func reminderTime() async throws -> ReminderTime?
    /// Chooses the reminder's time, or `nil` to switch it off.
    func setReminderTime(_ time: ReminderTime?) async throws
    /// When the reminder should next ring and what it says; `nil`: none to schedule.
    func nextReminder(nowEpochMs: Int64, utcOffsetMinutes: Int32) async throws -> ReminderPlan?
    /// The data-handling notice of the leaflet.
    func dataHandlingNotice() async -> NoticeView

    // MARK: The person's data requests (開示・訂正・利用停止); each needs the network

    /// Files a request with the health centre; a refused field is `.invalid` naming it.
    func fileDataRequest(_ input: DataRequestInput) async throws -> DataRequestView
    /// The person's requests with their status, newest first.
    func dataRequests() async throws -> [DataRequestView]
    /// Everything the health centre holds about the person.
    func dataDisclosure() async throws -> DisclosureView
}

extension MimamoriService {
    /// Sends every waiting report; stops when the calling task is cancelled.
    public func sync() async throws -> SyncStatus {
        try await sync(stop: SyncStop(), timeLimitMs: nil)
    }
}
