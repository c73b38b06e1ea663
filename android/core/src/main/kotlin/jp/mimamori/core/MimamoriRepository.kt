/*
 * The one interface view models use to reach the phone core: what each screen can ask
 * for, the outcome of a call that can fail, and the screen-level error it maps to.
 * The real implementation wraps the generated binding (CoreMimamoriRepository); tests
 * and previews use FakeMimamoriRepository. Records (QuestionView, AdviceView, …) are
 * the generated plain data classes: they carry the core's wording unchanged.
 */
package jp.mimamori.core

import uniffi.mobile_core.AdviceView
import uniffi.mobile_core.ChecklistInput
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.HistoryDay
import uniffi.mobile_core.KindView
import uniffi.mobile_core.QuestionView
import uniffi.mobile_core.ReportInput
import uniffi.mobile_core.SavedReport
import uniffi.mobile_core.SyncStatus
import uniffi.mobile_core.TodayStatus
import uniffi.mobile_core.UrgentChecklistView

/** The person id of the phone's owner; household members get their own local ids. */
const val SELF_PERSON: String = "self"

/** An error a screen acts on. Carries no personal data. */
sealed interface ScreenError {
    /**
     * An input was refused and nothing was saved. [field] names the input
     * (`temperature`, `answers.breathlessness`, `phone_number`, …); [reason] is the
     * core's message, already in the screen's language.
     */
    data class Invalid(val field: String, val reason: String) : ScreenError

    /** The local database is damaged. It is left untouched for recovery. */
    data object Corrupt : ScreenError

    /** Saving or reading failed; nothing changed. [detail] is for logs and support. */
    data class Storage(val detail: String) : ScreenError

    /**
     * There is no session, or the server no longer accepts it: the screen goes to the
     * login screen. Every report on the phone is kept and is sent after the next login.
     */
    data class LoginRequired(val reason: String) : ScreenError

    /**
     * The server could not be reached. Nothing is lost: reports stay queued on the
     * phone and go with the next sync. [reason] is the core's text for the notice.
     */
    data class Offline(val reason: String) : ScreenError

    /** Too many attempts: the person waits [retryAfterSeconds] before trying again. */
    data class Throttled(val retryAfterSeconds: Long, val reason: String) : ScreenError

    /**
     * The server refused the request (a wrong code, a weak password, attributes that do
     * not match, …) or failed. [code] is the server's stable code; [reason] is shown.
     */
    data class Server(val code: String, val reason: String) : ScreenError

    /**
     * The secure connection to the server could not be set up (certificate, the phone's
     * date, a Wi-Fi that wants a sign-in); [reason] says what to check. Reports stay.
     */
    data class SecureConnection(val reason: String) : ScreenError

    /** The database is from a newer version of the app: ask for an app update. */
    data object NewerData : ScreenError

    /** The server no longer accepts this app version; [reason] asks for an update. */
    data class UpdateRequired(val reason: String) : ScreenError

    /**
     * The phone's keystore could not keep the session (on Android: not initialised at
     * start-up, or failing). Reports are safe. [detail] is for logs and support.
     */
    data class Keystore(val detail: String) : ScreenError

    /**
     * The upload stopped before it finished: its [SyncStop] was cancelled or its time
     * limit passed (the system took the background time back). Not a failure: what the
     * server committed is recorded and the rest stays queued for the next sync.
     */
    data class Cancelled(val reason: String) : ScreenError
}

/** Whether the screen showing this error should go to the login screen. */
val ScreenError.needsLogin: Boolean get() = this is ScreenError.LoginRequired

/**
 * Whether this error is temporary (offline, throttled, a stopped sync): the same action
 * can be tried later (a worker returns `Result.retry()`).
 */
val ScreenError.tryLater: Boolean
    get() = this is ScreenError.Offline || this is ScreenError.Throttled || this is ScreenError.Cancelled

/** The result of a repository call that can fail. */
sealed interface Outcome<out T> {
    /** The call succeeded with [value]. */
    data class Success<out T>(val value: T) : Outcome<T>

    /** The call failed with [error]; nothing changed. */
    data class Failure(val error: ScreenError) : Outcome<Nothing>
}

/**
 * What the screens ask of the phone core. Every call is main-safe: implementations do
 * their work off the main thread. Wording is in the language the implementation was
 * set up with (Japanese by default).
 */
interface MimamoriRepository {
    /** The nine questions of the daily report with their answer options. */
    suspend fun questions(): List<QuestionView>

    /** The kinds of person to choose from. */
    suspend fun kinds(): List<KindView>

    /** Validates and saves a report durably, and returns its advice. */
    suspend fun saveReport(input: ReportInput): Outcome<SavedReport>

    /** Whether [personId] reported today, the day's advice, and the upload backlog. */
    suspend fun todayStatus(personId: String = SELF_PERSON): Outcome<TodayStatus>

    /** The last [days] days of [personId], oldest first. */
    suspend fun history(personId: String, days: Int): Outcome<List<HistoryDay>>

    /** The stored emergency contact, if any. */
    suspend fun emergencyContact(): Outcome<EmergencyContact?>

    /** Stores the health centre's name and emergency number from the leaflet. */
    suspend fun setEmergencyContact(contact: EmergencyContact): Outcome<Unit>

    /** The urgent-symptom checklist as on the leaflet. */
    suspend fun urgentChecklist(): UrgentChecklistView

    /** Evaluates what a family member ticked; the advice includes the number to call. */
    suspend fun checkUrgentSymptoms(input: ChecklistInput): Outcome<AdviceView>

    /**
     * Sends every waiting report and returns the queue's status. It stops when [stop]
     * is cancelled (from any thread: a WorkManager worker's `onStopped`), when the
     * calling coroutine is cancelled (a `CoroutineWorker` being stopped), or after
     * [timeLimitMs] if given, and then fails with [ScreenError.Cancelled]: nothing is
     * lost, the rest goes with the next sync. A request already on the network is
     * awaited for at most its own time limit before the call returns.
     */
    suspend fun sync(stop: SyncStop = SyncStop(), timeLimitMs: Long? = null): Outcome<SyncStatus>
}
