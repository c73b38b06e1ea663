// The app's navigation as one model: which root screen shows (start with "new
// registration", "sign in" and the family's urgent check; a registration resumed where
// it stopped; login; the signed-in app), each visit with a fresh screen model (a
// second sign-in starts with empty fields), the session that ended (→ login with the
// reason, reports kept), an app too old for the server (every screen says how to
// update, with the App Store link), the daily reminder offered after registration or
// sign-in (its reason first), the queue sent after a save and a sign-in, and the
// leaflet's deep link, handled on any screen without an account. The views only draw
// these models and send these actions.
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
    /// This visit's registration (nil on other screens).
    @Published public private(set) var registration: RegistrationModel?
    /// This visit's sign-in (nil on other screens).
    @Published public private(set) var login: LoginModel?
    /// The signed-in app (nil when signed out).
    @Published public private(set) var main: MainModel?
    /// The emergency contact screen's model, which the deep link fills.
    public let contact: EmergencyContactModel
    /// What "update required" links to (the app's page in the App Store).
    public let appStore: URL
    private let service: any MimamoriService
    private let preferences: AppPreferences
    private let reminders: ReminderScheduler?
    private let sync: BackgroundSync?

    public init(service: any MimamoriService, preferences: AppPreferences = AppPreferences(),
                reminders: ReminderScheduler? = nil, sync: BackgroundSync? = nil,
                appStore: URL = AppStorePage.fallback) {
        self.service = service
        self.preferences = preferences
        self.reminders = reminders
        self.sync = sync
        self.appStore = appStore
        self.contact = EmergencyContactModel(service: service)
    }

    /// What every screen shows while the app is too old for the server.
    public var updateNotice: ScreenText? {
        state.updateRequired ? ServiceError.updateRequired(reason: "").text : nil
    }

    /// Chooses the first screen: the signed-in app, the registration step in progress,
    /// else the start screen. An account that cannot be read (the Keychain) goes to the
    /// start screen with a notice; nothing is deleted.
    public func load() async {
        do {
            if try await service.isLoggedIn() {
                await enterMain()
            } else if try await service.registrationProgress() != nil {
                await startRegistration()
            } else {
                showStart()
            }
        } catch {
            showStart()
            state.notice = ServiceError.from(error)
        }
    }

    /// "New registration" (or one resumed): a fresh registration on the step the core kept.
    public func startRegistration() async {
        let model = RegistrationModel(service: service)
        model.onError = { [weak self] error in self?.updateIfOld(error) }
        leaveScreens()
        state.notice = nil
        registration = model
        state.screen = .registration
        await model.load()
    }

    /// "Done" on the registration's last step: on to the signed-in app with the kind
    /// chosen, the reminder offered and the queue sent.
    public func finishRegistration() async {
        guard let model = registration else { return }
        model.finish()
        guard model.state.step == .done else { return }
        state.chosenKind = model.state.kind
        await signedIn()
    }

    /// "Cancel" on the registration: the request is abandoned, back to the start screen.
    public func cancelRegistration() async {
        guard let model = registration else { return }
        await model.cancel()
        if model.state.error == nil { showStart() }
    }

    /// "Sign in": a fresh sign-in screen.
    public func startLogin() {
        state.notice = nil
        showLogin()
    }

    /// "Sign in" on the sign-in screen: on success the signed-in app, the reminder
    /// offered and the waiting reports sent; a refusal stays on the screen.
    public func signIn() async {
        guard let model = login else { return }
        await model.submit()
        guard model.state.profile != nil else { return }
        state.chosenKind = nil
        await signedIn()
    }

    /// Back to the start screen ("back" on the sign-in screen).
    public func showStart() {
        leaveScreens()
        state.screen = .start
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
        state.offeringReminder = false
        state.notice = nil
        showStart()
    }

    /// An error any screen (or the background job) met: an ended session goes to a
    /// fresh sign-in screen that says why, an app too old for the server shows how to
    /// update; every report is kept.
    public func handle(_ error: ServiceError) {
        if error.needsLogin {
            state.notice = error
            showLogin()
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

    /// Sends the waiting reports now (after a save, a sign-in, when the network returns,
    /// on opening) through the background job, then shows home's queue as it is.
    public func syncSoon() async {
        guard let sync else { return }
        handle(await sync.run(stop: SyncStop()))
        await main?.today.refresh()
    }

    private func signedIn() async {
        await enterMain()
        await offerReminder()
        await syncSoon()
    }

    private func enterMain() async {
        let hooks = MainModel.Hooks(
            saved: { [weak self] in
                await self?.reminders?.reschedule()
                await self?.syncSoon()
            },
            error: { [weak self] error in self?.handle(error) },
            signedOut: { [weak self] in self?.signedOut() }
        )
        let model = MainModel(service: service, preferences: preferences, reminders: reminders,
                              preferredKind: state.chosenKind, hooks: hooks)
        leaveScreens()
        state.notice = nil
        main = model
        state.screen = .main
        await model.open()
    }

    private func showLogin() {
        leaveScreens()
        let model = LoginModel(service: service)
        model.onError = { [weak self] error in self?.updateIfOld(error) }
        login = model
        state.screen = .login
    }

    private func updateIfOld(_ error: ServiceError) {
        if case .updateRequired = error { handle(error) }
    }

    /// Every visit's model goes with its screen: the next visit starts fresh.
    private func leaveScreens() {
        registration = nil
        login = nil
        main = nil
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
