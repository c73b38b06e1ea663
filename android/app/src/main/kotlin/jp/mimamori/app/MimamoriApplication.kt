/*
 * The Android application object: first hands the application context to the core's
 * keystore (the session token lives in the Android Keystore), then opens the phone
 * core's database once, off the main thread, in the app's private files folder, and
 * hands the repository (or the reason it could not be opened) to the activity. The
 * core's language follows the phone's.
 */
package jp.mimamori.app

import android.app.Application
import io.crates.keyring.Keyring
import java.util.Locale
import jp.mimamori.core.CoreMimamoriRepository
import jp.mimamori.core.Outcome
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import uniffi.mobile_core.Language

class MimamoriApplication : Application() {
    private val appScope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    /** The opened repository, or why the database could not be opened. */
    lateinit var repository: Deferred<Outcome<CoreMimamoriRepository>>
        private set

    override fun onCreate() {
        super.onCreate()
        Keyring.initializeNdkContext(applicationContext)
        val path = filesDir.resolve("mimamori.db").path
        repository = appScope.async {
            CoreMimamoriRepository.open(path, Dispatchers.IO, ::phoneLanguage)
        }
    }

    /** English when the phone is set to English, Japanese otherwise. */
    private fun phoneLanguage(): Language =
        if (Locale.getDefault().language == "en") Language.EN else Language.JA
}
