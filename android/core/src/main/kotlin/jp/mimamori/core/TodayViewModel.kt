/*
 * The home screen's state holder, in plain Kotlin: whether today's report was made,
 * the advice of today's effective (latest) report, how many reports still wait to be
 * sent, and the stored emergency contact — all as the core computes them.
 */
package jp.mimamori.core

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import uniffi.mobile_core.AdviceView
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.StoredReport

/** Today's status for [personId]; call [refresh] when the screen shows. */
class TodayViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
    private val personId: String = SELF_PERSON,
) {
    /** Everything the home screen shows. */
    data class State(
        val loading: Boolean = true,
        val localDate: String? = null,
        val reportedToday: Boolean = false,
        val latest: StoredReport? = null,
        val advice: AdviceView? = null,
        val pendingSync: Long = 0,
        val emergency: EmergencyContact? = null,
        val error: ScreenError? = null,
    ) {
        /** Whether the emergency number is to be shown prominently. */
        val showEmergencyNumber: Boolean get() = advice?.showEmergencyNumber == true

        /** Whether the app is to show the login screen (the session ended; reports are kept). */
        val needsLogin: Boolean get() = error?.needsLogin == true
    }

    private val mutableState = MutableStateFlow(State())

    /** The screen's current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /** Reads today's status and the emergency contact again. */
    fun refresh(): Job = scope.launch {
        mutableState.update { it.copy(loading = true) }
        val today = repository.todayStatus(personId)
        val contact = repository.emergencyContact()
        mutableState.update { s ->
            when (today) {
                is Outcome.Failure -> s.copy(loading = false, error = today.error)
                is Outcome.Success -> {
                    val status = today.value
                    s.copy(
                        loading = false,
                        localDate = status.localDate,
                        reportedToday = status.reportedToday,
                        latest = status.latest,
                        advice = status.advice,
                        pendingSync = status.pendingSync.toLong(),
                        emergency = status.advice?.emergency ?: (contact as? Outcome.Success)?.value,
                        error = (contact as? Outcome.Failure)?.error,
                    )
                }
            }
        }
    }
}
