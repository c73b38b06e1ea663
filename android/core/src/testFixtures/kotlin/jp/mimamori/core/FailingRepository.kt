/*
 * A MimamoriRepository for tests that wraps the REAL one and can make the next call
 * fail with a ScreenError the real core produces (a full disk, an ended session, no
 * network, a throttled request, …) or hold a save until released. Everything else
 * goes to the real core unchanged: no wording, rule or data is made up here. Lives in
 * the test fixtures only; the app never ships it.
 */
package jp.mimamori.core

import kotlinx.coroutines.CompletableDeferred
import uniffi.mobile_core.AdviceView
import uniffi.mobile_core.ChecklistInput
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.HistoryDay
import uniffi.mobile_core.PersonView
import uniffi.mobile_core.ProfileView
import uniffi.mobile_core.ReminderPlan
import uniffi.mobile_core.ReportInput
import uniffi.mobile_core.SavedReport
import uniffi.mobile_core.SyncStatus
import uniffi.mobile_core.TodayStatus

/** Wraps [real]; [failNext] fails the next call of any kind that can fail, once. */
class FailingRepository(private val real: MimamoriRepository) : MimamoriRepository by real {
    /** When set, the next call that can fail fails with it (once). */
    @Volatile
    var failNext: ScreenError? = null

    /** When set, [saveReport] waits for it to complete before saving. */
    @Volatile
    var saveGate: CompletableDeferred<Unit>? = null

    /** How many saves reached the real core. */
    @Volatile
    var saves: Int = 0
        private set

    private fun <T> injected(): Outcome<T>? = failNext?.let { failNext = null; Outcome.Failure(it) }

    override suspend fun saveReport(input: ReportInput): Outcome<SavedReport> {
        saveGate?.await()
        injected<SavedReport>()?.let { return it }
        saves++
        return real.saveReport(input)
    }

    override suspend fun todayStatus(personId: String): Outcome<TodayStatus> = injected() ?: real.todayStatus(personId)

    override suspend fun emergencyContact(): Outcome<EmergencyContact?> = injected() ?: real.emergencyContact()

    override suspend fun setEmergencyContact(contact: EmergencyContact): Outcome<Unit> =
        injected() ?: real.setEmergencyContact(contact)

    override suspend fun checkUrgentSymptoms(input: ChecklistInput): Outcome<AdviceView> =
        injected() ?: real.checkUrgentSymptoms(input)

    override suspend fun sync(stop: SyncStop, timeLimitMs: Long?): Outcome<SyncStatus> = injected() ?: real.sync(stop, timeLimitMs)

    override suspend fun syncStatus(): Outcome<SyncStatus> = injected() ?: real.syncStatus()

    override suspend fun requestCode(email: String): Outcome<Long> = injected() ?: real.requestCode(email)

    override suspend fun verifyCode(code: String): Outcome<Unit> = injected() ?: real.verifyCode(code)

    override suspend fun login(email: String, password: String): Outcome<ProfileView> = injected() ?: real.login(email, password)

    override suspend fun addHouseholdMember(name: String, dateOfBirth: String, phone: String, inputId: String): Outcome<PersonView> =
        injected() ?: real.addHouseholdMember(name, dateOfBirth, phone, inputId)

    override suspend fun isLoggedIn(): Outcome<Boolean> = injected() ?: real.isLoggedIn()

    override suspend fun pendingSyncCount(): Outcome<Long> = injected() ?: real.pendingSyncCount()

    override suspend fun history(personId: String, days: Int): Outcome<List<HistoryDay>> = injected() ?: real.history(personId, days)

    override suspend fun nextReminder(nowEpochMs: Long, utcOffsetMinutes: Int): Outcome<ReminderPlan?> =
        injected() ?: real.nextReminder(nowEpochMs, utcOffsetMinutes)
}
