/*
 * Sign-in, in plain Kotlin: e-mail and password to the core's login, which stores the
 * profile and its emergency number for offline warnings. A refusal is the core's
 * message on the field it names (a wrong e-mail or password on the password field);
 * being offline or throttled is shown at the top, nothing typed is lost.
 */
package jp.mimamori.core

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import uniffi.mobile_core.ProfileView

/** The login screen. [afterLogin] runs once signed in (the app asks for a sync). */
class LoginViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
    private val afterLogin: suspend (ProfileView) -> Unit = {},
) {
    /** Everything the login screen shows. */
    data class State(
        val email: String = "",
        val password: String = "",
        val busy: Boolean = false,
        /** The profile once signed in. */
        val profile: ProfileView? = null,
        val fieldErrors: Map<String, String> = emptyMap(),
        val error: ScreenError? = null,
    ) {
        /** The message to show under [field] (`email`, `password`). */
        fun errorFor(field: String): String? = fieldErrors[field]

        /** Whether the person is signed in now. */
        val signedIn: Boolean get() = profile != null
    }

    private val mutableState = MutableStateFlow(State())

    /** The screen's current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /** The e-mail address as typed. */
    fun setEmail(text: String) {
        mutableState.update { it.copy(email = text, fieldErrors = it.fieldErrors - "email") }
    }

    /** The password as typed. */
    fun setPassword(text: String) {
        mutableState.update { it.copy(password = text, fieldErrors = it.fieldErrors - "password") }
    }

    /** Signs in. */
    fun login(): Job {
        val before = mutableState.value
        if (before.busy) return completedJob()
        mutableState.update { it.copy(busy = true, fieldErrors = emptyMap(), error = null) }
        return scope.launch {
            val result = repository.login(before.email, before.password)
            mutableState.update { s ->
                when (result) {
                    is Outcome.Success -> s.copy(busy = false, password = "", profile = result.value)
                    is Outcome.Failure -> {
                        val onField = fieldMessage(result.error, "password")
                        if (onField != null) s.copy(busy = false, fieldErrors = mapOf(onField)) else s.copy(busy = false, error = result.error)
                    }
                }
            }
            if (result is Outcome.Success) afterLogin(result.value)
        }
    }
}
