// The settings screen's model: the language of the screens, the daily reminder's time
// (or off; the notification is rescheduled at once), the data-handling notice from the
// leaflet, and signing out — with a warning first when reports still wait to be sent
// (signing out keeps them on the phone; they go after the next sign-in).
#if canImport(Combine)
import Combine
#endif
import MobileCore

@MainActor
public final class SettingsModel: ObservableObject {
    public struct State: Equatable {
        public var loading = true
        public var language = LanguageChoice.system
        /// The reminder's time; `nil` when off.
        public var reminder: ReminderTime?
        /// What scheduling the reminder last did (e.g. notifications not allowed).
        public var reminderOutcome: ReminderOutcome?
        public var notice: NoticeView?
        /// Reports still waiting when sign-out was asked for: the screen asks to confirm.
        public var signOutWarning: UInt64?
        public var signedOut = false
        /// A refused time (`reminder_time`) or another error.
        public var error: ServiceError?
    }

    @Published public private(set) var state = State()
    private let service: any MimamoriService
    private let preferences: AppPreferences
    private let reminders: ReminderScheduler?

    public init(service: any MimamoriService, preferences: AppPreferences, reminders: ReminderScheduler? = nil) {
        self.service = service
        self.preferences = preferences
        self.reminders = reminders
    }

    public func load() async {
        state.language = preferences.languageChoice
        state.notice = await service.dataHandlingNotice()
        do {
            state.reminder = try await service.reminderTime()
        } catch {
            state.error = ServiceError.from(error)
        }
        state.loading = false
    }

    /// Chooses the screens' language; the core's wording follows at the next load.
    public func setLanguage(_ choice: LanguageChoice) async {
        preferences.languageChoice = choice
        state.language = choice
        state.notice = await service.dataHandlingNotice()
        // The reminder's words are the core's, in the new language.
        if let reminders { state.reminderOutcome = await reminders.reschedule() }
    }

    /// Sets the reminder's time, or `nil` to switch it off, then reschedules it (asking
    /// for permission the first time it is switched on).
    public func setReminder(_ time: ReminderTime?) async {
        state.error = nil
        do {
            try await service.setReminderTime(time)
            state.reminder = try await service.reminderTime()
        } catch {
            state.error = ServiceError.from(error)
            return
        }
        if let reminders {
            state.reminderOutcome = time == nil ? await reminders.reschedule() : await reminders.askPermissionAndReschedule()
        }
    }

    /// "Sign out": warns first when reports still wait, else signs out at once.
    public func requestSignOut() async {
        state.error = nil
        do {
            let waiting = try await service.pendingSyncCount()
            if waiting > 0 {
                state.signOutWarning = waiting
                return
            }
        } catch {
            state.error = ServiceError.from(error)
            return
        }
        await signOut()
    }

    /// Signs out after the warning was confirmed; the waiting reports stay on the phone.
    public func confirmSignOut() async {
        await signOut()
    }

    /// Keeps the session after the warning.
    public func cancelSignOut() {
        state.signOutWarning = nil
    }

    private func signOut() async {
        state.signOutWarning = nil
        do {
            try await service.logout()
            state.signedOut = true
        } catch {
            state.error = ServiceError.from(error)
        }
        if let reminders { state.reminderOutcome = await reminders.reschedule() }
    }
}
