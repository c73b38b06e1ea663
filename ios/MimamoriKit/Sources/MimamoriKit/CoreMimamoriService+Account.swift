// The real MimamoriService's calls for the account (registration one screen at a time,
// login, logout, profile), the upload queue's status and retry, the household, the
// daily reminder and the data-handling notice: each runs on the core's queue in the
// screen's language, errors mapped to ServiceError. Passwords, codes and attributes go
// straight to the core and are never kept or logged here.
import MobileCore

extension CoreMimamoriService {
    // MARK: Account

    public func isLoggedIn() async throws -> Bool {
        try await call { core, _ in try core.isLoggedIn() }
    }

    public func registrationProgress() async throws -> RegistrationProgress? {
        try await call { core, _ in try core.registrationProgress() }
    }

    public func requestCode(email: String) async throws -> UInt64 {
        try await call { core, lang in try core.requestCode(email: email, lang: lang) }
    }

    public func verifyCode(_ code: String) async throws {
        try await call { core, lang in try core.verifyCode(code: code, lang: lang) }
    }

    public func passwordRule(_ password: String) async -> PasswordRuleView {
        await infallible { core, lang in core.passwordRule(password: password, lang: lang) }
    }

    public func setPassword(_ password: String) async throws {
        try await call { core, lang in try core.setPassword(password: password, lang: lang) }
    }

    public func submitAttributes(name: String, dateOfBirth: String, phone: String, inputId: String) async throws -> ProfileView {
        try await call { core, lang in
            try core.submitAttributes(name: name, dateOfBirth: dateOfBirth, phone: phone, inputId: inputId, lang: lang)
        }
    }

    public func cancelRegistration() async throws {
        try await call { core, _ in try core.cancelRegistration() }
    }

    public func login(email: String, password: String) async throws -> ProfileView {
        try await call { core, lang in try core.login(email: email, password: password, lang: lang) }
    }

    public func logout() async throws {
        try await call { core, lang in try core.logout(lang: lang) }
    }

    public func profile() async throws -> ProfileView? {
        try await call { core, _ in try core.profile() }
    }

    public func pendingSyncCount() async throws -> UInt64 {
        try await call { core, _ in try core.pendingSyncCount() }
    }

    // MARK: Sync

    public func syncStatus() async throws -> SyncStatus {
        try await call { core, _ in try core.syncStatus() }
    }

    public func failedReports() async throws -> [FailedReport] {
        try await call { core, _ in try core.failedReports() }
    }

    public func retryFailed() async throws -> UInt64 {
        try await call { core, _ in try core.retryFailed() }
    }

    // MARK: Household

    public func people() async throws -> [PersonView] {
        try await call { core, lang in try core.people(lang: lang) }
    }

    public func personSyncStatus(personId: String) async throws -> PersonSyncStatus {
        try await call { core, lang in try core.personSyncStatus(personId: personId, lang: lang) }
    }

    public func addHouseholdMember(name: String, dateOfBirth: String, phone: String, inputId: String) async throws -> PersonView {
        try await call { core, lang in
            try core.addHouseholdMember(name: name, dateOfBirth: dateOfBirth, phone: phone, inputId: inputId, lang: lang)
        }
    }

    public func removeHouseholdMember(personId: String) async throws {
        try await call { core, lang in try core.removeHouseholdMember(personId: personId, lang: lang) }
    }

    // MARK: Reminder and notice

    public func reminderTime() async throws -> ReminderTime? {
        try await call { core, _ in try core.reminderTime() }
    }

    public func setReminderTime(_ time: ReminderTime?) async throws {
        try await call { core, lang in try core.setReminderTime(time: time, lang: lang) }
    }

    public func nextReminder(nowEpochMs: Int64, utcOffsetMinutes: Int32) async throws -> ReminderPlan? {
        try await call { core, lang in
            try core.nextReminder(nowEpochMs: nowEpochMs, utcOffsetMinutes: utcOffsetMinutes, lang: lang)
        }
    }

    public func dataHandlingNotice() async -> NoticeView {
        await infallible { core, lang in core.dataHandlingNotice(lang: lang) }
    }
}
