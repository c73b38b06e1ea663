/*
 * The one activity: shows its screens in the chosen language (applied to its
 * resources; recreated when it changes), waits for the phone core to open, then lets
 * NavigationViewModel choose the screen — start, registration, home and the rest —
 * with the system's back gesture going back through its stack. A leaflet link that
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
import androidx.compose.material3.Scaffold
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.produceState
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.viewmodel.compose.viewModel
import jp.mimamori.app.ui.ContactScreen
import jp.mimamori.app.ui.DataRequestsScreen
import jp.mimamori.app.ui.HistoryScreen
import jp.mimamori.app.ui.HomeScreen
import jp.mimamori.app.ui.HouseholdScreen
import jp.mimamori.app.ui.LoginScreen
import jp.mimamori.app.ui.MimamoriTheme
import jp.mimamori.app.ui.RegistrationScreen
import jp.mimamori.app.ui.ReportFormScreen
import jp.mimamori.app.ui.ScreenErrorText
import jp.mimamori.app.ui.SettingsScreen
import jp.mimamori.app.ui.StartScreen
import jp.mimamori.app.ui.UrgentCheckScreen
import jp.mimamori.core.MimamoriRepository
import jp.mimamori.core.NavigationViewModel
import jp.mimamori.core.Outcome
import jp.mimamori.core.Screen
import kotlinx.coroutines.flow.MutableStateFlow

class MainActivity : ComponentActivity() {
    /** A leaflet link that arrived while the app runs. */
    private val links = MutableStateFlow<String?>(null)

    override fun attachBaseContext(newBase: Context) {
        super.attachBaseContext(PreferencesLanguageStore(newBase).wrap(newBase))
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val app = application as MimamoriApplication
        val firstLink = if (savedInstanceState == null) intent.leafletLink() else null
        setContent {
            MimamoriTheme {
                val opened by produceState<Outcome<MimamoriRepository>?>(initialValue = null) {
                    value = app.repository.await()
                }
                when (val o = opened) {
                    null -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
                    is Outcome.Failure -> Box(Modifier.fillMaxSize().padding(24.dp), contentAlignment = Alignment.Center) {
                        ScreenErrorText(o.error)
                    }
                    is Outcome.Success -> MimamoriApp(o.value, app, firstLink, links, onLanguageChanged = { recreate() })
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

/** The app's screens over [repository]. */
@Composable
private fun MimamoriApp(
    repository: MimamoriRepository,
    app: MimamoriApplication,
    firstLink: String?,
    links: MutableStateFlow<String?>,
    onLanguageChanged: () -> Unit,
) {
    val nav: NavigationViewModel = viewModel { NavigationHolder(repository) }.model
    val state by nav.state.collectAsState()
    val newLink by links.collectAsState()
    LaunchedEffect(Unit) { if (state.deciding) nav.start(firstLink) }
    LaunchedEffect(newLink) {
        newLink?.let { nav.openLink(it); links.value = null }
    }
    BackHandler(enabled = state.canGoBack) { nav.back() }

    Scaffold { padding ->
        Box(Modifier.padding(padding)) {
            when (val screen = state.current) {
                null -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
                Screen.Start -> StartScreen(
                    onRegister = { nav.open(Screen.Registration) },
                    onLogin = { nav.open(Screen.Login) },
                    onUrgentCheck = { nav.open(Screen.UrgentCheck) },
                    onContact = { nav.open(Screen.Contact()) },
                )
                Screen.Registration -> RegistrationScreen(
                    model = viewModel { RegistrationHolder(repository) }.model,
                    onDone = { nav.registered() },
                )
                Screen.Login -> LoginScreen(
                    model = viewModel { LoginHolder(repository, app) }.model,
                    onSignedIn = { nav.signedIn() },
                )
                Screen.Home -> HomeScreen(
                    model = viewModel { HomeHolder(repository) }.model,
                    onReport = { nav.open(Screen.Report) },
                    onOpen = { nav.open(it) },
                    onLoginRequired = { nav.loginRequired() },
                )
                Screen.Report -> ReportFormScreen(
                    model = viewModel { ReportFormHolder(repository, app) }.model,
                    onDone = { nav.back() },
                )
                Screen.Household -> HouseholdScreen(model = viewModel { HouseholdHolder(repository) }.model)
                Screen.History -> HistoryScreen(model = viewModel { HistoryHolder(repository) }.model)
                Screen.UrgentCheck -> UrgentCheckScreen(model = viewModel { UrgentCheckHolder(repository) }.model)
                is Screen.Contact -> ContactScreen(
                    model = viewModel { ContactHolder(repository) }.model,
                    link = screen.link,
                )
                Screen.Settings -> SettingsScreen(
                    model = viewModel { SettingsHolder(repository, app) }.model,
                    onLanguageChanged = onLanguageChanged,
                    onSignedOut = { nav.signedOut() },
                    onDataRequests = { nav.open(Screen.DataRequests) },
                )
                Screen.DataRequests -> DataRequestsScreen(model = viewModel { DataRequestsHolder(repository) }.model)
            }
        }
    }
}
