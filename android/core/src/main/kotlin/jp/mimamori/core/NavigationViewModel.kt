/*
 * Where the app is, in plain Kotlin: the first screen (home when signed in, the
 * registration step in progress after a restart, else the start screen with "new
 * registration", "sign in" and the family's urgent check), a back stack, the leaflet's
 * deep link opening the contact screen over whatever is shown, and the moves after
 * registration, sign-in, sign-out and an ended session. Each visit of a screen is an
 * entry of its own (a number never used before), so the app gives every visit fresh
 * state: a second report starts empty, a sign-in after an ended session starts a new
 * home, a language change starts every screen again in the new language.
 */
package jp.mimamori.core

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** The app's screens. */
sealed interface Screen {
    /** New registration, sign in, the family's urgent check; no account needed. */
    data object Start : Screen

    /** Sign in; [sessionEnded] when the server ended the session (the screen says why). */
    data class Login(val sessionEnded: Boolean = false) : Screen

    /** First registration, one step per screen. */
    data object Registration : Screen

    /** Reported today?, advice, sync status, the call button. */
    data object Home : Screen

    /** The daily report of [personId] (the owner, or the household member home shows). */
    data class Report(val personId: String = SELF_PERSON) : Screen

    /** Household members and whose report it is. */
    data object Household : Screen

    /** The temperature chart and each day's answers. */
    data object History : Screen

    /** The family's urgent-symptom check. */
    data object UrgentCheck : Screen

    /** The emergency contact; [link] is the leaflet's link the app was opened with. */
    data class Contact(val link: String? = null) : Screen

    /** Language, reminder, notice, sign-out. */
    data object Settings : Screen

    /** The person's requests about their data (開示・訂正・利用停止), from Settings. */
    data object DataRequests : Screen
}

/** One visit of [screen]: [visit] is never used again for another. */
data class Entry(val screen: Screen, val visit: Long)

/** The app's navigation; call [start] once the core is open. */
class NavigationViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
) {
    /** The back stack (last is shown) and whether the first screen is still being chosen. */
    data class State(
        val deciding: Boolean = true,
        val entries: List<Entry> = emptyList(),
        val error: ScreenError? = null,
    ) {
        /** The screens of the back stack. */
        val stack: List<Screen> get() = entries.map { it.screen }

        /** The visit shown. */
        val currentEntry: Entry? get() = entries.lastOrNull()

        /** The screen shown. */
        val current: Screen? get() = currentEntry?.screen

        /** Whether "back" stays in the app. */
        val canGoBack: Boolean get() = entries.size > 1
    }

    private val mutableState = MutableStateFlow(State())
    private var visits = 0L

    /** New visits of [screens]. */
    private fun visit(screens: List<Screen>): List<Entry> = screens.map { Entry(it, ++visits) }

    /** The navigation's current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /**
     * Chooses the first screen; with [link] (the app opened from the leaflet) the
     * contact screen opens over it.
     */
    fun start(link: String? = null): Job = scope.launch {
        val loggedIn = repository.isLoggedIn()
        val root = when {
            loggedIn.valueOrNull() == true -> Screen.Home
            repository.registrationProgress().valueOrNull() != null -> Screen.Registration
            else -> Screen.Start
        }
        val stack = if (root == Screen.Registration) listOf(Screen.Start, root) else listOf(root)
        mutableState.update {
            State(deciding = false, entries = visit(if (link != null) stack + Screen.Contact(link) else stack), error = loggedIn.errorOrNull())
        }
    }

    /** Opens [screen] over the current one (a screen already on top is not doubled). */
    fun open(screen: Screen) {
        mutableState.update { s -> if (s.current == screen) s else s.copy(entries = s.entries + visit(listOf(screen))) }
    }

    /** A deep link arrived while the app runs: the contact screen reads it. */
    fun openLink(link: String) = open(Screen.Contact(link))

    /** Goes back; false when there is nothing behind (the system then closes the app). */
    fun back(): Boolean {
        if (!mutableState.value.canGoBack) return false
        mutableState.update { it.copy(entries = it.entries.dropLast(1)) }
        return true
    }

    /** After a first registration: home, with the first report open. */
    fun registered() {
        mutableState.update { it.copy(entries = visit(listOf(Screen.Home, Screen.Report()))) }
    }

    /** After sign-in: home. */
    fun signedIn() {
        mutableState.update { it.copy(entries = visit(listOf(Screen.Home))) }
    }

    /** After sign-out: the start screen. */
    fun signedOut() {
        mutableState.update { it.copy(entries = visit(listOf(Screen.Start))) }
    }

    /** The server ended the session: the login screen over the current one; reports stay. */
    fun loginRequired() {
        mutableState.update { s -> if (s.current is Screen.Login) s else s.copy(entries = s.entries + visit(listOf(Screen.Login(sessionEnded = true)))) }
    }

    /** The language changed: every screen of the stack starts again (same screens, new visits). */
    fun renewAll() {
        mutableState.update { it.copy(entries = visit(it.stack)) }
    }
}
