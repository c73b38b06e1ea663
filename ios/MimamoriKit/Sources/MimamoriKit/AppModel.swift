// The app's navigation and onboarding as a model: which root screen shows (start with
// "new registration", "sign in" and the family's urgent check; a registration resumed
// where it stopped; login; the signed-in tabs), moving between them, the session that
// ended (→ login, reports kept), the daily reminder offered after registration or
// sign-in (its reason first), and the leaflet's deep link, handled on any screen
// without an account. The views only draw `state.screen`.
#if canImport(Combine)
import Combine
#endif
import Foundation
import MobileCore

@MainActor
public final class AppModel: ObservableObject {
    /// The root screen.
    public enum Screen: Equatable {
        case loading
        /// No account yet: new registration, sign in, the family's urgent check.
        case start
        /// First registration (resumed on its step when one is in progress).
        case registration
        case login
        /// Signed in: home, report, household, history, settings.
        case main
    }

    /// Sheets shown over any root screen.
    public enum Sheet: Equatable {
        case urgentCheck
        case emergencyContact
    }

    public struct State: Equatable {
        public var screen = Screen.loading
        public var sheet: Sheet?
        /// The kind chosen at the end of registration, for the first report.
        public var chosenKind: PersonKind?
        /// Why the app is on the login screen or could not read the account.
        public var notice: ServiceError?
        /// Whether home explains the daily reminder and offers to allow notifications
        /// (after registration or sign-in, when the phone was never asked); the system's
        /// dialog comes only after the person chose "allow".
        public var offeringReminder = false
        /// The server no longer accepts this version (met in the background or on a
        /// screen): every screen shows how to update until the app is updated.
        public var updateRequired = false
    }

    @Published public private(set) var state = State()
    private let service: any MimamoriService
    private let reminders: ReminderScheduler?
    /// The emergency contact screen's model, which the deep link fills.
    public let contact: EmergencyContactModel

    public init(service: any MimamoriService, reminders: ReminderScheduler? = nil) {
        self.service = service
        self.reminders = reminders
        self.contact = EmergencyContactModel(service: service)
    }

    /// Chooses the first screen: the tabs when signed in, the registration step in
    /// progress, else the start screen. An account that cannot be read (the Keychain)
    /// goes to the start screen with a notice; nothing is deleted.
    public func load() async {
        do {
            if try await service.isLoggedIn() {
                state.screen = .main
            } else if try await service.registrationProgress() != nil {
                state.screen = .registration
            } else {
                state.screen = .start
            }
        } catch {
            state.notice = ServiceError.from(error)
            state.screen = .start
        }
    }

    public func startRegistration() {
        state.notice = nil
        state.screen = .registration
    }

    public func startLogin() {
        state.notice = nil
        state.screen = .login
    }

    /// Back to the start screen (registration cancelled, or "back" on login).
    public func showStart() {
        state.screen = .start
    }

    /// Registration finished with the person's kind: on to the tabs.
    public func registered(kind: PersonKind?) {
        state.chosenKind = kind
        state.notice = nil
        state.screen = .main
    }

    public func loggedIn() {
        state.notice = nil
        state.screen = .main
    }

    /// After registration or sign-in: offer the daily reminder if the phone was never
    /// asked about notifications (the reason first, the system's dialog after "allow").
    public func offerReminder() async {
        guard let reminders else { return }
        state.offeringReminder = await reminders.permission() == .notAsked
    }

    /// "Allow" on the reminder's explanation: the system asks, and the reminders are planned.
    @discardableResult
    public func allowReminder() async -> ReminderOutcome? {
        state.offeringReminder = false
        return await reminders?.askPermissionAndReschedule()
    }

    /// "Later": the explanation goes away; Settings can turn the reminder on.
    public func reminderLater() {
        state.offeringReminder = false
    }

    /// Signed out in the settings: back to the start screen.
    public func signedOut() {
        state.chosenKind = nil
        state.screen = .start
    }

    /// An error any screen (or the background job) met: an ended session goes to login,
    /// an app too old for the server shows how to update; every report is kept.
    public func handle(_ error: ServiceError) {
        if error.needsLogin {
            state.notice = error
            state.screen = .login
        }
        if case .updateRequired = error {
            state.updateRequired = true
        }
    }

    /// What the background job's end means for the screens.
    public func handle(_ outcome: BackgroundSyncOutcome) {
        switch outcome {
        case .needsLogin: handle(.loginRequired(reason: ""))
        case .needsUpdate: handle(.updateRequired(reason: ""))
        default: break
        }
    }

    public func showUrgentCheck() {
        state.sheet = .urgentCheck
    }

    public func showEmergencyContact() {
        state.sheet = .emergencyContact
    }

    public func dismissSheet() {
        state.sheet = nil
    }

    /// The app was opened from a URL (the leaflet's QR code): the contact screen shows
    /// the centre it stored, or why the link was refused. Works on every screen.
    public func open(url: URL) async {
        state.sheet = .emergencyContact
        await contact.open(url: url)
    }
}
