/*
 * The Android application object: first hands the application context to the core's
 * keystore (the session token lives in the Android Keystore), then opens the phone
 * core's database once, off the main thread, in the app's private files folder,
 * connected to the server of this build (BuildConfig.SERVER_URL) through the phone's
 * own HTTP stack. It owns what the whole app shares: the chosen language, the sync
 * requests (WorkManager: after a save, on reconnect, periodically) and the daily
 * reminder's scheduling, started once the core is open.
 */
package jp.mimamori.app

import android.app.Application
import android.net.ConnectivityManager
import android.net.Network
import io.crates.keyring.Keyring
import jp.mimamori.app.work.Notifications
import jp.mimamori.app.work.SyncWorker
import jp.mimamori.app.work.WorkManagerAlarm
import jp.mimamori.core.CoreMimamoriRepository
import jp.mimamori.core.Outcome
import jp.mimamori.core.ReminderScheduler
import jp.mimamori.core.SyncScheduler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import jp.mimamori.app.ui.AppServices
import jp.mimamori.core.AlarmPort
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.launch

class MimamoriApplication : Application(), AppServices {
    private val appScope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    /** The opened repository, or why the database could not be opened. */
    lateinit var repository: Deferred<Outcome<CoreMimamoriRepository>>
        private set

    /** The language the person chose (Japanese unless the phone is in English). */
    override val languages: PreferencesLanguageStore by lazy { PreferencesLanguageStore(this) }

    /** The daily reminder, as unique delayed WorkManager work. */
    override val alarm: AlarmPort by lazy { WorkManagerAlarm(this) }

    /** Asks WorkManager to send waiting reports as soon as the phone is online. */
    val syncScheduler: SyncScheduler = SyncScheduler { SyncWorker.enqueueSoon(this) }

    override fun onCreate() {
        super.onCreate()
        // Without this call the core answers Keystore("not initialised") at sign-in; a
        // missing native library shows as an unexpected error when the core opens.
        runCatching { Keyring.initializeNdkContext(applicationContext) }
        val path = filesDir.resolve("mimamori.db").path
        repository = appScope.async {
            CoreMimamoriRepository.openWithServer(path, BuildConfig.SERVER_URL, io = Dispatchers.IO) { languages.get().core }
        }
        Notifications.createChannel(this)
        SyncWorker.enqueuePeriodic(this)
        syncOnReconnect()
        appScope.launch { reminders()?.reschedule() }
    }

    /** The reminder's scheduler on the opened core, or `null` when it could not be opened. */
    suspend fun reminders(): ReminderScheduler? {
        val opened = repository.await() as? Outcome.Success ?: return null
        return ReminderScheduler(opened.value, alarm)
    }

    /** After a save or a sign-in: send soon, and plan the reminder again. */
    override suspend fun afterChange() {
        syncScheduler.syncSoon()
        reminders()?.reschedule()
    }

    /** A network that comes back sends what waits (the worker skips an empty queue). */
    private fun syncOnReconnect() {
        val connectivity = getSystemService(ConnectivityManager::class.java) ?: return
        runCatching {
            connectivity.registerDefaultNetworkCallback(object : ConnectivityManager.NetworkCallback() {
                override fun onAvailable(network: Network) {
                    syncScheduler.syncSoon()
                }
            })
        }
    }
}
