// The home screen's model for SwiftUI: whether today's report was made, the advice of
// today's effective (latest) report, how many reports still wait to be sent, and the
// stored emergency contact — all as the core computes them. Mirrors TodayViewModel.
#if canImport(Combine)
import Combine
#endif
import MobileCore

@MainActor
public final class TodayModel: ObservableObject {
    /// Everything the home screen shows.
    public struct State: Equatable {
        public var loading = true
        public var localDate: String?
        public var reportedToday = false
        public var latest: StoredReport?
        public var advice: AdviceView?
        public var pendingSync: UInt64 = 0
        public var emergency: EmergencyContact?
        public var error: ServiceError?

        /// Whether the emergency number is to be shown prominently.
        public var showEmergencyNumber: Bool { advice?.showEmergencyNumber == true }

        /// Whether the app is to show the login screen (the session ended; reports are kept).
        public var needsLogin: Bool { error?.needsLogin == true }
    }

    @Published public private(set) var state = State()
    private let service: any MimamoriService
    private let personId: String

    public init(service: any MimamoriService, personId: String = selfPersonId) {
        self.service = service
        self.personId = personId
    }

    /// Reads today's status and the emergency contact again.
    public func refresh() async {
        state.loading = true
        defer { state.loading = false }
        let status: TodayStatus
        do {
            status = try await service.todayStatus(personId: personId)
        } catch {
            state.error = error as? ServiceError ?? .storage(detail: String(describing: type(of: error)))
            return
        }
        state.localDate = status.localDate
        state.reportedToday = status.reportedToday
        state.latest = status.latest
        state.advice = status.advice
        state.pendingSync = status.pendingSync
        state.error = nil
        do {
            state.emergency = try await service.emergencyContact() ?? status.advice?.emergency
        } catch {
            state.emergency = status.advice?.emergency
            state.error = error as? ServiceError
        }
    }
}
