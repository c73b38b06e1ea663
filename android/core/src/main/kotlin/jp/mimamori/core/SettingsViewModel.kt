/*
 * Settings, in plain Kotlin: the app's language (Japanese by default, English), the
 * daily reminder's time or off (then the one planned reminder is planned again), the
 * data-handling notice as the core words it, and signing out — with a warning first
 * when reports still wait to be sent (they stay on the phone and go after the next
 * sign-in).
 */
package jp.mimamori.core

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import uniffi.mobile_core.Language
import uniffi.mobile_core.NoticeView
import uniffi.mobile_core.ReminderTime

/** The app's languages: Japanese first (the default), English second. */
enum class AppLanguage(val tag: String, val core: Language) {
    JA("ja", Language.JA),
    EN("en", Language.EN),
    ;

    companion object {
        /** The language for a stored or system tag; Japanese unless it is English. */
        fun fromTag(tag: String?): AppLanguage = if (tag?.lowercase()?.startsWith("en") == true) EN else JA
    }
}

/** Where the chosen language is kept (SharedPreferences in the app). */
interface LanguageStore {
    /** The chosen language. */
    fun get(): AppLanguage

    /** Keeps [language]; the app shows it from the next screen on. */
    fun set(language: AppLanguage)
}

/** The settings screen. [reminders] plans the reminder again after a change. */
class SettingsViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
    private val languages: LanguageStore,
    private val reminders: ReminderScheduler,
) {
    /** Everything the settings screen shows. */
    data class State(
        val loading: Boolean = true,
        val language: AppLanguage = AppLanguage.JA,
        /** The reminder's time; `null` when it is off. */
        val reminder: ReminderTime? = null,
        val notice: NoticeView? = null,
        /** Reports waiting when sign-out was asked: the warning shows this many. */
        val signOutWarning: Long? = null,
        val signedOut: Boolean = false,
        /** A refused setting (`reminder_time`) with the core's message. */
        val fieldError: ScreenError.Invalid? = null,
        val error: ScreenError? = null,
    )

    private val mutableState = MutableStateFlow(State())

    /** The screen's current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /** Reads the language, the reminder's time and the notice. */
    fun load(): Job = scope.launch {
        val reminder = repository.reminderTime()
        val notice = repository.dataHandlingNotice()
        mutableState.update {
            it.copy(
                loading = false,
                language = languages.get(),
                reminder = reminder.valueOrNull(),
                notice = notice.valueOrNull(),
                error = reminder.errorOrNull() ?: notice.errorOrNull(),
            )
        }
    }

    /** Chooses the app's language; the notice is read again in it. */
    fun setLanguage(language: AppLanguage): Job {
        languages.set(language)
        mutableState.update { it.copy(language = language) }
        return scope.launch {
            val notice = repository.dataHandlingNotice()
            mutableState.update { it.copy(notice = notice.valueOrNull() ?: it.notice) }
        }
    }

    /** Chooses the reminder's time (`null`: off) and plans the reminder again. */
    fun setReminder(time: ReminderTime?): Job = scope.launch {
        val result = repository.setReminderTime(time)
        if (result is Outcome.Success) reminders.reschedule()
        val now = repository.reminderTime()
        mutableState.update {
            it.copy(
                reminder = if (now is Outcome.Success) now.value else it.reminder,
                fieldError = result.errorOrNull() as? ScreenError.Invalid,
                error = result.errorOrNull()?.takeUnless { e -> e is ScreenError.Invalid } ?: now.errorOrNull(),
            )
        }
    }

    /** Asks to sign out: with reports waiting, the warning shows first. */
    fun requestSignOut(): Job = scope.launch {
        when (val pending = repository.pendingSyncCount()) {
            is Outcome.Failure -> mutableState.update { it.copy(error = pending.error) }
            is Outcome.Success -> if (pending.value > 0) {
                mutableState.update { it.copy(signOutWarning = pending.value) }
            } else {
                signOut()
            }
        }
    }

    /** Keeps the session (the warning's "cancel"). */
    fun keepSignedIn() {
        mutableState.update { it.copy(signOutWarning = null) }
    }

    /** Signs out after the warning; the reports stay on the phone. */
    fun confirmSignOut(): Job = scope.launch { signOut() }

    private suspend fun signOut() {
        val result = repository.logout()
        mutableState.update {
            it.copy(signOutWarning = null, signedOut = result is Outcome.Success, error = result.errorOrNull())
        }
        if (result is Outcome.Success) reminders.reschedule()
    }
}
