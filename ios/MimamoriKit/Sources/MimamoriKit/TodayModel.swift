// The home screen's model for SwiftUI: whether the chosen person reported today, the
// advice of today's effective (latest) report, the stored emergency contact for the
// large call button, and the upload queue as the core keeps it — waiting, last sent,
// reports the server refused with its reasons, "send now" and "retry". Whose report
// it is comes from the household's people. Mirrors TodayViewModel.
#if canImport(Combine)
import Combine
#endif
import MobileCore

@MainActor
public final class TodayModel: ObservableObject {
    /// Everything the home screen shows.
    public struct State: Equatable {
        public var loading = true
        /// Whose day is shown (the owner `self`, or a household member).
        public var personId = selfPersonId
        /// The owner first, then household members.
        public var people: [PersonView] = []
        public var localDate: String?
        public var reportedToday = false
        public var latest: StoredReport?
        public var advice: AdviceView?
        public var pendingSync: UInt64 = 0
        public var emergency: EmergencyContact?
        /// The whole phone's upload queue: waiting, failed, last success, last error.
        public var sync: SyncStatus?
        /// Reports the server refused, with its reasons.
        public var failed: [FailedReport] = []
        public var syncing = false
        /// Why the last "send now" did not finish (offline, …); reports are kept.
        public var syncError: ServiceError?
        public var error: ServiceError?

        /// Whether the emergency number is to be shown prominently.
        public var showEmergencyNumber: Bool { advice?.showEmergencyNumber == true }

        /// Whether the app is to show the login screen (the session ended; reports are kept).
        public var needsLogin: Bool { error?.needsLogin == true || syncError?.needsLogin == true }

        /// The chosen person's name (the core's wording for the owner).
        public var personName: String? { people.first { $0.personId == personId }?.name }

        /// Home's heading: reported today or not.
        public var headline: ScreenText { .words(reportedToday ? "today.reported" : "today.notReported") }

        /// The report button's words.
        public var reportButton: ScreenText { .words(reportedToday ? "today.reportAgain" : "today.report") }

        /// The call home offers: the stored centre's number (none without one; home's
        /// card then says how to store it, and 119).
        public var call: CallAction? { emergency.map { CallAction.to($0) } }

        /// The queue as home words it: what waits, and when the last report went (in
        /// the phone's time zone).
        public var queue: [ScreenText] {
            guard let sync else { return [] }
            let waiting: ScreenText = sync.pending > 0
                ? .words("today.pending %lld", [.number(Int(clamping: sync.pending))]) : .words("sync.nothingWaiting")
            let sent: ScreenText = sync.lastSuccessAt.map { .words("sync.lastSent %@", [.text(localTimeText($0))]) }
                ?? .words("sync.neverSent")
            return [waiting, sent]
        }
    }

    @Published public private(set) var state = State()
    private let service: any MimamoriService
    /// Bounds "send now", so the spinner always ends and a stalled server never holds
    /// the screen (the rest stays queued).
    private let syncTimeLimitMs: UInt64

    public init(service: any MimamoriService, personId: String = selfPersonId, syncTimeLimitMs: UInt64 = 60_000) {
        self.service = service
        self.syncTimeLimitMs = syncTimeLimitMs
        state.personId = personId
    }

    /// Shows `personId`'s day.
    public func select(personId: String) async {
        state.personId = personId
        await refresh()
    }

    /// Reads today's status, the people, the emergency contact and the queue again.
    public func refresh() async {
        state.loading = true
        defer { state.loading = false }
        do {
            state.people = try await service.people()
            if !state.people.contains(where: { $0.personId == state.personId }) {
                state.personId = selfPersonId
            }
            let status = try await service.todayStatus(personId: state.personId)
            state.localDate = status.localDate
            state.reportedToday = status.reportedToday
            state.latest = status.latest
            state.advice = status.advice
            state.pendingSync = status.pendingSync
            state.emergency = try await service.emergencyContact() ?? status.advice?.emergency
            state.sync = try await service.syncStatus()
            state.failed = try await service.failedReports()
            state.error = nil
        } catch {
            state.error = ServiceError.from(error)
        }
    }

    /// Sends the waiting reports now, then shows the queue again.
    public func syncNow() async {
        guard !state.syncing else { return }
        state.syncing = true
        state.syncError = nil
        do {
            _ = try await service.sync(stop: SyncStop(), timeLimitMs: syncTimeLimitMs)
        } catch {
            state.syncError = ServiceError.from(error)
        }
        state.syncing = false
        await refresh()
    }

    /// Queues the refused reports again and sends them.
    public func retryFailed() async {
        do {
            _ = try await service.retryFailed()
        } catch {
            state.syncError = ServiceError.from(error)
            return
        }
        await syncNow()
    }
}
