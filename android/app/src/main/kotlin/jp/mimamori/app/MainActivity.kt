/*
 * The one activity: shows its screens in the chosen language (applied to its
 * resources; recreated when it changes), waits for the phone core to open, then shows
 * the app's root composable (ui/MimamoriApp.kt) with Android's words, device and
 * services, the system's back gesture going back through its stack. A leaflet link that
 * opened the app (or arrives while it runs) goes to the contact screen, where the
 * core reads it. A database that cannot be opened is explained, never replaced.
 */
package jp.mimamori.app

import android.content.Context
import android.content.Intent
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.compose.runtime.produceState
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import jp.mimamori.app.ui.LocalDevice
import jp.mimamori.app.ui.LocalWords
import jp.mimamori.app.ui.MimamoriApp
import jp.mimamori.app.ui.MimamoriTheme
import jp.mimamori.app.ui.ScreenErrorText
import jp.mimamori.core.MimamoriRepository
import jp.mimamori.core.Outcome
import kotlinx.coroutines.flow.MutableStateFlow

class MainActivity : ComponentActivity() {
    /** A leaflet link that arrived while the app runs. */
    private val links = MutableStateFlow<String?>(null)

    /** Asks for POST_NOTIFICATIONS (registered before the activity starts, as required). */
    private val notificationPermission = NotificationPermission(this)

    override fun attachBaseContext(newBase: Context) {
        super.attachBaseContext(PreferencesLanguageStore(newBase).wrap(newBase))
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val app = application as MimamoriApplication
        val firstLink = if (savedInstanceState == null) intent.leafletLink() else null
        val words = AndroidWords(this)
        val device = AndroidDevice(this, notificationPermission)
        setContent {
            CompositionLocalProvider(LocalWords provides words, LocalDevice provides device) {
                MimamoriTheme {
                    val opened by produceState<Outcome<MimamoriRepository>?>(initialValue = null) {
                        value = app.repository.await()
                    }
                    when (val o = opened) {
                        null -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
                        is Outcome.Failure -> Box(Modifier.fillMaxSize().padding(24.dp), contentAlignment = Alignment.Center) {
                            ScreenErrorText(o.error)
                        }
                        is Outcome.Success -> MimamoriApp(
                            o.value,
                            app,
                            firstLink,
                            links,
                            onLanguageChanged = { recreate() },
                            backHandler = { enabled, onBack -> BackHandler(enabled = enabled, onBack = onBack) },
                        )
                    }
                }
            }
        }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        intent.leafletLink()?.let { links.value = it }
    }

    /** The link of a VIEW intent (the leaflet's https address or the app's scheme). */
    private fun Intent.leafletLink(): String? = if (action == Intent.ACTION_VIEW) dataString else null
}
