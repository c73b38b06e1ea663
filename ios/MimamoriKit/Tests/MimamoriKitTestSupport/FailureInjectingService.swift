// For tests only (never linked into the app): the REAL service with failures injected.
// Every call goes to the wrapped CoreMimamoriService (the real core), except that the
// next call can be made to throw one of the failures the core itself produces
// (storage, corrupt, offline, throttled, login required, server refusal, keystore,
// unexpected, …), and saves can be held until released to test double taps. It never
// invents a result: what a test sees otherwise is what the core did.
import MimamoriKit
import MobileCore

public actor FailureInjectingService: MimamoriService {
    private let real: any MimamoriService
    private var failNext: ServiceError?
    private var holdingSaves = false
    private var heldSave: CheckedContinuation<Void, Never>?

    public init(_ real: any MimamoriService) {
        self.real = real
    }

    /// Makes the next call that can fail throw `error` (once) instead of reaching the core.
    public func failNext(with error: ServiceError) {
        failNext = error
    }

    /// Makes saves wait until `releaseSaves()` before they reach the core.
    public func holdSaves() {
        holdingSaves = true
    }

    /// Lets a held save go on to the core.
    public func releaseSaves() {
        holdingSaves = false
        heldSave?.resume()
        heldSave = nil
    }

    private func take() throws {
        if let error = failNext {
            failNext = nil
            throw error
        }
    }

    public func questions() async -> [QuestionView] { await real.questions() }
    public func kinds() async -> [KindView] { await real.kinds() }

    public func saveReport(_ input: ReportInput) async throws -> SavedReport {
        if holdingSaves {
            await withCheckedContinuation { heldSave = $0 }
        }
        try take()
        return try await real.saveReport(input)
    }

    public func todayStatus(personId: String) async throws -> TodayStatus {
        try take(); return try await real.todayStatus(personId: personId)
    }

    public func history(personId: String, days: Int) async throws -> [HistoryDay] {
        try take(); return try await real.history(personId: personId, days: days)
    }

    public func emergencyContact() async throws -> EmergencyContact? {
        try take(); return try await real.emergencyContact()
    }

    public func setEmergencyContact(_ contact: EmergencyContact) async throws {
        try take(); try await real.setEmergencyContact(contact)
    }

    public func openLeafletLink(_ link: String) async throws -> EmergencyContact {
        try take(); return try await real.openLeafletLink(link)
    }

    public func urgentChecklist() async -> UrgentChecklistView { await real.urgentChecklist() }

    public func checkUrgentSymptoms(_ input: ChecklistInput) async throws -> AdviceView {
        try take(); return try await real.checkUrgentSymptoms(input)
    }

    public func isLoggedIn() async throws -> Bool {
        try take(); return try await real.isLoggedIn()
    }

    public func registrationProgress() async throws -> RegistrationProgress? {
        try take(); return try await real.registrationProgress()
    }

    public func requestCode(email: String) async throws -> UInt64 {
        try take(); return try await real.requestCode(email: email)
    }

    public func verifyCode(_ code: String) async throws {
        try take(); try await real.verifyCode(code)
    }

    public func passwordRule(_ password: String) async -> PasswordRuleView { await real.passwordRule(password) }

    public func setPassword(_ password: String) async throws {
        try take(); try await real.setPassword(password)
    }

    public func submitAttributes(name: String, dateOfBirth: String, phone: String, inputId: String) async throws -> ProfileView {
        try take()
        return try await real.submitAttributes(name: name, dateOfBirth: dateOfBirth, phone: phone, inputId: inputId)
    }

    public func cancelRegistration() async throws {
        try take(); try await real.cancelRegistration()
    }

    public func login(email: String, password: String) async throws -> ProfileView {
        try take(); return try await real.login(email: email, password: password)
    }

    public func logout() async throws {
        try take(); try await real.logout()
    }

    public func profile() async throws -> ProfileView? {
        try take(); return try await real.profile()
    }

    public func pendingSyncCount() async throws -> UInt64 {
        try take(); return try await real.pendingSyncCount()
    }

    public func sync(stop: SyncStop, timeLimitMs: UInt64?) async throws -> SyncStatus {
        try take(); return try await real.sync(stop: stop, timeLimitMs: timeLimitMs)
    }

    public func syncStatus() async throws -> SyncStatus {
        try take(); return try await real.syncStatus()
    }

    public func failedReports() async throws -> [FailedReport] {
        try take(); return try await real.failedReports()
    }

    public func retryFailed() async throws -> UInt64 {
        try take(); return try await real.retryFailed()
    }

    public func people() async throws -> [PersonView] {
        try take(); return try await real.people()
    }

    public func personSyncStatus(personId: String) async throws -> PersonSyncStatus {
        try take(); return try await real.personSyncStatus(personId: personId)
    }

    public func addHouseholdMember(name: String, dateOfBirth: String, phone: String, inputId: String) async throws -> PersonView {
        try take()
        return try await real.addHouseholdMember(name: name, dateOfBirth: dateOfBirth, phone: phone, inputId: inputId)
    }

    public func removeHouseholdMember(personId: String) async throws {
        try take(); try await real.removeHouseholdMember(personId: personId)
    }

    public func reminderTime() async throws -> ReminderTime? {
        try take(); return try await real.reminderTime()
    }

    public func setReminderTime(_ time: ReminderTime?) async throws {
        try take(); try await real.setReminderTime(time)
    }

    public func nextReminder(nowEpochMs: Int64, utcOffsetMinutes: Int32) async throws -> ReminderPlan? {
        try take(); return try await real.nextReminder(nowEpochMs: nowEpochMs, utcOffsetMinutes: utcOffsetMinutes)
    }

    public func dataHandlingNotice() async -> NoticeView { await real.dataHandlingNotice() }

    public func fileDataRequest(_ input: DataRequestInput) async throws -> DataRequestView {
        try take(); return try await real.fileDataRequest(input)
    }

    public func dataRequests() async throws -> [DataRequestView] {
        try take(); return try await real.dataRequests()
    }

    public func dataDisclosure() async throws -> DisclosureView {
        try take(); return try await real.dataDisclosure()
    }
}
