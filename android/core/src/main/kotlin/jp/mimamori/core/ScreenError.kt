/*
 * The errors screens act on: ScreenError (one case per thing a screen does
 * differently), what each means for the screen (go to login, try later), and the
 * Outcome of a repository call that can fail. Carries no personal data.
 */
package jp.mimamori.core

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

    /**
     * Something the core or the binding did not foresee (a failure inside the native
     * library, a call on a closed core). Shown as a plain "unexpected error" message,
     * never a crash; nothing was changed. [detail] names the failure's class only.
     */
    data class Unexpected(val detail: String) : ScreenError
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
