/*
 * What a background sync does and how its end maps to WorkManager's result, in plain
 * Kotlin so it runs on the JVM against the real core: nothing to do without a session
 * or with an empty queue (no network used); otherwise send with the worker's stop and
 * time limit, and answer SUCCESS, RETRY (offline, throttled, stopped, a failing server
 * — nothing is lost) or FAILURE (sign-in needed, app update needed, storage trouble,
 * anything unexpected — retrying cannot help until the person acts). The app's
 * CoroutineWorker calls [SyncWork.run] and returns the matching Result; the
 * coroutine's cancellation when the system stops the worker reaches the core's
 * SyncCancel through the repository.
 */
package jp.mimamori.core

import uniffi.mobile_core.SyncStatus

/** How a background sync ended, for the worker's `Result`. */
enum class SyncWorkResult {
    /** Done, or nothing to do: `Result.success()`. */
    SUCCESS,

    /** Try again later with backoff (nothing was lost): `Result.retry()`. */
    RETRY,

    /** Retrying cannot help until the person acts (sign in, update): `Result.failure()`. */
    FAILURE,
}

/** What one run did: its [result], the queue after it, and the error if any. */
data class SyncWorkOutcome(
    val result: SyncWorkResult,
    /** The queue after the run, when it could be read. */
    val status: SyncStatus?,
    /** Why the run did not finish, if it did not. */
    val error: ScreenError?,
    /** True when nothing was sent because there was nothing to send or no session. */
    val skipped: Boolean = false,
)

/** Asks the app to send waiting reports soon, in the background (WorkManager). */
fun interface SyncScheduler {
    /** Sends what waits as soon as the phone is online. */
    fun syncSoon()
}

/**
 * One background sync over [repository]. A RETRY after [maxAttempts] attempts of a
 * failing server or secure connection becomes FAILURE, so a broken server does not
 * keep the phone busy; the periodic sync tries again later anyway.
 */
class SyncWork(
    private val repository: MimamoriRepository,
    private val maxAttempts: Int = 10,
) {
    /**
     * Runs one sync. [stop] and the calling coroutine's cancellation stop it;
     * [timeLimitMs] bounds it (a worker has about ten minutes); [attempt] is the
     * worker's run attempt count (0 on the first run).
     */
    suspend fun run(stop: SyncStop = SyncStop(), timeLimitMs: Long? = null, attempt: Int = 0): SyncWorkOutcome {
        when (val loggedIn = repository.isLoggedIn()) {
            is Outcome.Failure -> return SyncWorkOutcome(resultFor(loggedIn.error, attempt), null, loggedIn.error)
            is Outcome.Success -> if (!loggedIn.value) {
                return SyncWorkOutcome(SyncWorkResult.SUCCESS, repository.syncStatus().valueOrNull(), null, skipped = true)
            }
        }
        when (val pending = repository.pendingSyncCount()) {
            is Outcome.Failure -> return SyncWorkOutcome(resultFor(pending.error, attempt), null, pending.error)
            is Outcome.Success -> if (pending.value == 0L) {
                return SyncWorkOutcome(SyncWorkResult.SUCCESS, repository.syncStatus().valueOrNull(), null, skipped = true)
            }
        }
        return when (val sent = repository.sync(stop, timeLimitMs)) {
            is Outcome.Success -> SyncWorkOutcome(SyncWorkResult.SUCCESS, sent.value, null)
            is Outcome.Failure -> SyncWorkOutcome(resultFor(sent.error, attempt), repository.syncStatus().valueOrNull(), sent.error)
        }
    }

    /** The worker's result for [error] on attempt [attempt]. */
    fun resultFor(error: ScreenError, attempt: Int): SyncWorkResult = when (error) {
        is ScreenError.Offline, is ScreenError.Throttled, is ScreenError.Cancelled -> SyncWorkResult.RETRY
        is ScreenError.Server, is ScreenError.SecureConnection ->
            if (attempt + 1 >= maxAttempts) SyncWorkResult.FAILURE else SyncWorkResult.RETRY
        is ScreenError.LoginRequired, is ScreenError.UpdateRequired, is ScreenError.Invalid, is ScreenError.Corrupt,
        is ScreenError.Storage, is ScreenError.NewerData, is ScreenError.Keystore, is ScreenError.Unexpected,
        -> SyncWorkResult.FAILURE
    }
}
