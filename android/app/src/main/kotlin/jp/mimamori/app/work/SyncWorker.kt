/*
 * The background upload on WorkManager: a CoroutineWorker that runs the core module's
 * SyncWork (nothing to do without a session or with an empty queue; otherwise send)
 * and returns its result — success, retry with backoff (offline, throttled, stopped,
 * a failing server; nothing lost) or failure (sign-in or an update needed). When the
 * system stops the worker, WorkManager cancels its coroutine and the repository turns
 * that into the core's SyncCancel, so the sync ends promptly with the rest queued.
 * Enqueued once soon after each save and sign-in (with a network constraint, so it
 * also runs when the phone comes back online) and periodically.
 */
package jp.mimamori.app.work

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import java.util.concurrent.TimeUnit
import jp.mimamori.app.MimamoriApplication
import jp.mimamori.core.Outcome
import jp.mimamori.core.SyncStop
import jp.mimamori.core.SyncWork
import jp.mimamori.core.SyncWorkResult

class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {

    override suspend fun doWork(): Result {
        val app = applicationContext as MimamoriApplication
        val opened = app.repository.await() as? Outcome.Success ?: return Result.failure()
        // WorkManager gives a worker about ten minutes; end well before, with nothing lost.
        val run = SyncWork(opened.value).run(SyncStop(), TIME_LIMIT_MS, runAttemptCount)
        return when (run.result) {
            SyncWorkResult.SUCCESS -> Result.success()
            SyncWorkResult.RETRY -> Result.retry()
            SyncWorkResult.FAILURE -> Result.failure()
        }
    }

    companion object {
        private const val SOON = "sync-soon"
        private const val PERIODIC = "sync-periodic"
        private const val TIME_LIMIT_MS = 8 * 60 * 1000L

        private val online = Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build()

        /** Sends what waits once the phone is online; a request already waiting is kept. */
        fun enqueueSoon(context: Context) {
            val request = OneTimeWorkRequestBuilder<SyncWorker>()
                .setConstraints(online)
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
                .build()
            WorkManager.getInstance(context).enqueueUniqueWork(SOON, ExistingWorkPolicy.KEEP, request)
        }

        /** A sync every few hours while online, in case a request was missed. */
        fun enqueuePeriodic(context: Context) {
            val request = PeriodicWorkRequestBuilder<SyncWorker>(3, TimeUnit.HOURS)
                .setConstraints(online)
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
                .build()
            WorkManager.getInstance(context).enqueueUniquePeriodicWork(PERIODIC, ExistingPeriodicWorkPolicy.KEEP, request)
        }
    }
}
