// The signed-in app as one model: its five places (home, the daily report, the
// household, the history, the settings), whose day, report and history are shown, and
// every action that moves between them. The views draw these models and send these
// actions; nothing about navigation is decided in a view.
//
// A visit of the report form ends with its save: the next visit (home's "report
// again", the household's "report for", a new person) gets a fresh form, so a second
// report starts empty; a draft not yet saved stays while the person looks at another
// tab. An ended session or an app too old for the server, met by any action here, goes
// to the app model (the login screen, or how to update); every report is kept.
#if canImport(Combine)
import Combine
#endif
import MobileCore

@MainActor
public final class MainModel: ObservableObject {
    /// The five places of the signed-in app.
    public enum Tab: Hashable, Sendable {
        case home, report, household, history, settings
    }

    /// What the signed-in app tells the app model.
    public struct Hooks {
        /// After a report was saved: send the queue, plan the reminder again.
        public var saved: @MainActor () async -> Void
        /// An error the app model acts on (an ended session, an update needed).
        public var error: @MainActor (ServiceError) -> Void
        /// Signed out in the settings.
        public var signedOut: @MainActor () -> Void

        public init(saved: @escaping @MainActor () async -> Void = {}, error: @escaping @MainActor (ServiceError) -> Void = { _ in },
                    signedOut: @escaping @MainActor () -> Void = {}) {
            self.saved = saved
            self.error = error
            self.signedOut = signedOut
        }
    }

    @Published public private(set) var tab = Tab.home
    /// Whose day, report and history are shown (the owner `self`, or a household member).
    @Published public private(set) var personId = selfPersonId
    /// This visit's report form.
    @Published public private(set) var form: ReportFormModel
    public let today: TodayModel
    public let household: HouseholdModel
    public let history: HistoryModel
    public let settings: SettingsModel
    public let rights: DataRequestsModel

    private let service: any MimamoriService
    private let preferredKind: PersonKind?
    private let hooks: Hooks
    private var formLoaded = false

    public init(service: any MimamoriService, preferences: AppPreferences, reminders: ReminderScheduler? = nil,
                preferredKind: PersonKind? = nil, hooks: Hooks = Hooks()) {
        self.service = service
        self.preferredKind = preferredKind
        self.hooks = hooks
        today = TodayModel(service: service)
        form = ReportFormModel(service: service, preferredKind: preferredKind)
        household = HouseholdModel(service: service)
        history = HistoryModel(service: service)
        settings = SettingsModel(service: service, preferences: preferences, reminders: reminders)
        rights = DataRequestsModel(service: service)
    }

    /// The first screen after sign-in or registration: home.
    public func open() async {
        tab = .home
        await today.refresh()
        route(today.state.error)
    }

    /// Shows `tab`, loading what it draws.
    public func show(_ tab: Tab) async {
        self.tab = tab
        switch tab {
        case .home:
            await today.refresh()
            route(today.state.error)
        case .report:
            await openForm()
        case .household:
            await household.load()
            route(household.state.error)
        case .history:
            await history.load(personId: personId)
            route(history.state.error)
        case .settings:
            await settings.load()
            await rights.load()
            route(rights.state.error)
        }
    }

    /// Makes `personId` the person whose day, report and history are shown.
    public func choose(_ personId: String) async {
        self.personId = personId
        household.select(personId)
        await today.select(personId: personId)
        if tab == .history { await history.load(personId: personId) }
        if tab == .report { await openForm() }
    }

    /// "Report" (home) or "report for" (the household): the form for `personId`.
    public func report(for personId: String? = nil) async {
        if let personId, personId != self.personId { await choose(personId) }
        await show(.report)
    }

    /// The advice was read: home, with the day as it is now; the next visit of the
    /// form starts empty.
    public func reportDone() async {
        formLoaded = false
        form = newForm()
        await show(.home)
    }

    /// "Send now" on home.
    public func sendNow() async {
        await today.syncNow()
        route(today.state.syncError ?? today.state.error)
    }

    /// "Send again" for the reports the server refused.
    public func retryFailed() async {
        await today.retryFailed()
        route(today.state.syncError ?? today.state.error)
    }

    /// "Add" in the household (needs the server: the member's input ID is checked).
    public func addMember() async {
        await household.add()
        route(household.state.error)
        // The member just added is the one whose day and report come next.
        if let added = household.state.added {
            await choose(added.personId)
        } else {
            await today.refresh()
        }
    }

    /// A new language: the settings keep it, and every place reads the core's words
    /// again in it (the form starts again).
    public func setLanguage(_ choice: LanguageChoice) async {
        await settings.setLanguage(choice)
        formLoaded = false
        form = newForm()
        await today.refresh()
        if tab == .history { await history.load(personId: personId) }
    }

    /// "Sign out": at once, or a warning first when reports still wait.
    public func signOut() async {
        await settings.requestSignOut()
        signedOutIfDone()
    }

    /// "Sign out" confirmed after the warning (the waiting reports stay on the phone).
    public func confirmSignOut() async {
        await settings.confirmSignOut()
        signedOutIfDone()
    }

    private func signedOutIfDone() {
        if settings.state.signedOut { hooks.signedOut() }
    }

    /// A fresh form when this visit needs one (never loaded, saved, another person).
    private func openForm() async {
        if formLoaded, form.state.saved == nil, form.state.personId == personId { return }
        form = newForm()
        formLoaded = true
        await form.load()
    }

    private func newForm() -> ReportFormModel {
        let form = ReportFormModel(service: service, personId: personId, preferredKind: preferredKind)
        form.onSaved = { [weak self] in
            guard let self else { return }
            await self.hooks.saved()
            await self.today.refresh()
        }
        return form
    }

    /// An ended session or an app too old for the server is the app model's to handle.
    private func route(_ error: ServiceError?) {
        guard let error else { return }
        switch error {
        case .loginRequired, .updateRequired: hooks.error(error)
        default: break
        }
    }
}
