/*
 * The app's root composable, the same on Android and on the JVM: NavigationViewModel
 * chooses the screen (start, registration, home and the rest), each screen gets its
 * model from a ViewModel holder, and a leaflet link that arrives while the app runs
 * opens the contact screen. The platform gives the words, the device and the shared
 * services (Platform.kt) and handles the system's back gesture with [backHandler].
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.Scaffold
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.lifecycle.viewmodel.compose.LocalViewModelStoreOwner
import androidx.lifecycle.viewmodel.compose.viewModel
import jp.mimamori.core.MimamoriRepository
import jp.mimamori.core.NavigationViewModel
import jp.mimamori.core.Screen
import kotlinx.coroutines.flow.MutableStateFlow

/**
 * The app's screens over [repository]: [firstLink] is the leaflet link the app was
 * opened with, [links] those that arrive later; [backHandler] installs the platform's
 * back handling (enabled, action).
 */
@Composable
fun MimamoriApp(
    repository: MimamoriRepository,
    services: AppServices,
    firstLink: String?,
    links: MutableStateFlow<String?>,
    onLanguageChanged: () -> Unit,
    backHandler: @Composable (Boolean, () -> Unit) -> Unit = { _, _ -> },
) {
    val holder = viewModel { NavigationHolder(repository) }
    val nav: NavigationViewModel = holder.model
    val state by nav.state.collectAsState()
    val newLink by links.collectAsState()
    LaunchedEffect(Unit) { if (state.deciding) nav.start(firstLink) }
    LaunchedEffect(newLink) {
        newLink?.let { nav.openLink(it); links.value = null }
    }
    backHandler(state.canGoBack) { nav.back() }
    // A visit that left the stack takes its models with it.
    LaunchedEffect(state.entries) { holder.keepOnly(state.entries.map { it.visit }.toSet()) }

    Scaffold { padding ->
        Box(Modifier.padding(padding)) {
            val entry = state.currentEntry
            if (entry == null) {
                Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
            } else {
                // Each visit's models live in the visit's own store: a new visit starts fresh.
                CompositionLocalProvider(LocalViewModelStoreOwner provides holder.owner(entry.visit)) {
                    Destination(entry.screen, nav, repository, services) { nav.renewAll(); onLanguageChanged() }
                }
            }
        }
    }
}

/** The screen of one visit, its model from the visit's store. */
@Composable
private fun Destination(
    screen: Screen,
    nav: NavigationViewModel,
    repository: MimamoriRepository,
    services: AppServices,
    onLanguageChanged: () -> Unit,
) {
    when (screen) {
        Screen.Start -> StartScreen(
            onRegister = { nav.open(Screen.Registration) },
            onLogin = { nav.open(Screen.Login()) },
            onUrgentCheck = { nav.open(Screen.UrgentCheck) },
            onContact = { nav.open(Screen.Contact()) },
        )
        Screen.Registration -> RegistrationScreen(
            model = viewModel { RegistrationHolder(repository) }.model,
            onDone = { nav.registered() },
        )
        is Screen.Login -> LoginScreen(
            sessionEnded = screen.sessionEnded,
            model = viewModel { LoginHolder(repository, services) }.model,
            onSignedIn = { nav.signedIn() },
        )
        Screen.Home -> HomeScreen(
            model = viewModel { HomeHolder(repository) }.model,
            onReport = { nav.open(Screen.Report(it)) },
            onOpen = { nav.open(it) },
            onLoginRequired = { nav.loginRequired() },
        )
        is Screen.Report -> ReportFormScreen(
            model = viewModel { ReportFormHolder(repository, services, screen.personId) }.model,
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
            model = viewModel { SettingsHolder(repository, services) }.model,
            onLanguageChanged = onLanguageChanged,
            onSignedOut = { nav.signedOut() },
            onDataRequests = { nav.open(Screen.DataRequests) },
        )
        Screen.DataRequests -> DataRequestsScreen(model = viewModel { DataRequestsHolder(repository) }.model)
    }
}
