/*
 * The one interface view models use to reach the phone core: what each screen can ask
 * for. Every call returns an Outcome, so no failure of the core (expected or not)
 * reaches a screen as an exception. The real implementation wraps the generated
 * binding (CoreMimamoriRepository); tests inject failures with a wrapper around it.
 * Records (QuestionView, AdviceView, …) are the generated plain data classes: they
 * carry the core's wording unchanged.
 */
package jp.mimamori.core

import uniffi.mobile_core.AdviceView
import uniffi.mobile_core.ChecklistInput
import uniffi.mobile_core.DataRequestInput
import uniffi.mobile_core.DataRequestView
import uniffi.mobile_core.DisclosureView
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.FailedReport
import uniffi.mobile_core.HistoryDay
import uniffi.mobile_core.KindView
import uniffi.mobile_core.NoticeView
import uniffi.mobile_core.PasswordRuleView
import uniffi.mobile_core.PersonSyncStatus
import uniffi.mobile_core.PersonView
import uniffi.mobile_core.ProfileView
import uniffi.mobile_core.QuestionView
import uniffi.mobile_core.RegistrationProgress
import uniffi.mobile_core.ReminderPlan
import uniffi.mobile_core.ReminderTime
import uniffi.mobile_core.ReportInput
import uniffi.mobile_core.SavedReport
import uniffi.mobile_core.SyncStatus
import uniffi.mobile_core.TodayStatus
import uniffi.mobile_core.UrgentChecklistView

/** The person id of the phone's owner; household members get their own local ids. */
const val SELF_PERSON: String = "self"

/**
 * What the screens ask of the phone core. Every call is main-safe: implementations do
 * their work off the main thread. Wording is in the language the implementation was
 * set up with (Japanese by default).
 */
interface MimamoriRepository {
    // --- the daily report ---

    /** The nine questions of the daily report with their answer options. */
    suspend fun questions(): Outcome<List<QuestionView>>

    /** The kinds of person to choose from. */
    suspend fun kinds(): Outcome<List<KindView>>

    /** Validates and saves a report durably, and returns its advice. */
    suspend fun saveReport(input: ReportInput): Outcome<SavedReport>

    /** Whether [personId] reported today, the day's advice, and the upload backlog. */
    suspend fun todayStatus(personId: String = SELF_PERSON): Outcome<TodayStatus>

    /** The last [days] days of [personId], oldest first. */
    suspend fun history(personId: String, days: Int): Outcome<List<HistoryDay>>

    // --- the emergency contact and the family's check ---

    /** The stored emergency contact, if any. */
    suspend fun emergencyContact(): Outcome<EmergencyContact?>

    /** Stores the health centre's name and emergency number from the leaflet. */
    suspend fun setEmergencyContact(contact: EmergencyContact): Outcome<Unit>

    /**
     * Reads the leaflet's link (its QR code or a deep link) and stores its centre as the
     * emergency contact. Another server's link is refused (`Invalid` for `link`).
     */
    suspend fun openLeafletLink(link: String): Outcome<EmergencyContact>

    /** The urgent-symptom checklist as on the leaflet. */
    suspend fun urgentChecklist(): Outcome<UrgentChecklistView>

    /** Evaluates what a family member ticked; the advice includes the number to call. */
    suspend fun checkUrgentSymptoms(input: ChecklistInput): Outcome<AdviceView>

    // --- sending ---

    /**
     * Sends every waiting report and returns the queue's status. It stops when [stop]
     * is cancelled (from any thread: a WorkManager worker's `onStopped`), when the
     * calling coroutine is cancelled (a `CoroutineWorker` being stopped), or after
     * [timeLimitMs] if given, and then fails with [ScreenError.Cancelled]: nothing is
     * lost, the rest goes with the next sync. A request already on the network is
     * awaited for at most its own time limit before the call returns.
     */
    suspend fun sync(stop: SyncStop = SyncStop(), timeLimitMs: Long? = null): Outcome<SyncStatus>

    /** Where the upload queue stands: waiting, failed, last sent, last error. */
    suspend fun syncStatus(): Outcome<SyncStatus>

    /** Reports the server refused, kept on the phone, with the server's reasons. */
    suspend fun failedReports(): Outcome<List<FailedReport>>

    /** Queues every refused report again; returns how many. */
    suspend fun retryFailed(): Outcome<Long>

    /** Reports on the phone still waiting to be sent. */
    suspend fun pendingSyncCount(): Outcome<Long>

    // --- the account ---

    /** Mails a verification code to [email]; returns how many seconds it is valid. */
    suspend fun requestCode(email: String): Outcome<Long>

    /** Checks the mailed code. */
    suspend fun verifyCode(code: String): Outcome<Unit>

    /** The password rule ticked against what was typed so far. */
    suspend fun passwordRule(password: String): Outcome<PasswordRuleView>

    /** Sets the account's password. */
    suspend fun setPassword(password: String): Outcome<Unit>

    /** Sends name, date of birth, phone and input ID; on a match the person is signed in. */
    suspend fun submitAttributes(name: String, dateOfBirth: String, phone: String, inputId: String): Outcome<ProfileView>

    /** The registration step to resume on after a restart, if one is in progress. */
    suspend fun registrationProgress(): Outcome<RegistrationProgress?>

    /** Abandons a registration in progress. */
    suspend fun cancelRegistration(): Outcome<Unit>

    /** Signs in; the profile (and its emergency number) is stored for offline use. */
    suspend fun login(email: String, password: String): Outcome<ProfileView>

    /** Signs out; reports, profile and emergency contact stay on the phone. */
    suspend fun logout(): Outcome<Unit>

    /** Whether a session is stored. */
    suspend fun isLoggedIn(): Outcome<Boolean>

    /** The stored profile, if any. */
    suspend fun profile(): Outcome<ProfileView?>

    // --- the household (代理入力) ---

    /** The owner (`self`) first, then the household members. */
    suspend fun people(): Outcome<List<PersonView>>

    /** One person's upload queue. */
    suspend fun personSyncStatus(personId: String): Outcome<PersonSyncStatus>

    /** Links a household member's case by their attributes and input ID. */
    suspend fun addHouseholdMember(name: String, dateOfBirth: String, phone: String, inputId: String): Outcome<PersonView>

    /** Unlinks a member; every report stays. */
    suspend fun removeHouseholdMember(personId: String): Outcome<Unit>

    // --- the reminder and the notice ---

    /** The daily reminder's local time (9:00 until chosen), `null` when off. */
    suspend fun reminderTime(): Outcome<ReminderTime?>

    /** Chooses the reminder's time, or `null` to switch it off. */
    suspend fun setReminderTime(time: ReminderTime?): Outcome<Unit>

    /** When the reminder should next ring, seen from [nowEpochMs] at [utcOffsetMinutes]. */
    suspend fun nextReminder(nowEpochMs: Long, utcOffsetMinutes: Int): Outcome<ReminderPlan?>

    /** The data-handling notice of the leaflet. */
    suspend fun dataHandlingNotice(): Outcome<NoticeView>

    // --- the person's data requests (開示・訂正・利用停止); each needs the network ---

    /** Files a request with the health centre; a refused field is `Invalid` naming it. */
    suspend fun fileDataRequest(input: DataRequestInput): Outcome<DataRequestView>

    /** The person's requests with their status, newest first. */
    suspend fun dataRequests(): Outcome<List<DataRequestView>>

    /** Everything the health centre holds about the person. */
    suspend fun dataDisclosure(): Outcome<DisclosureView>
}
