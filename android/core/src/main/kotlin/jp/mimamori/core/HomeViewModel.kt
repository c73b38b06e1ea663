/*
 * The home screen's state holder, in plain Kotlin: whether the chosen person reported
 * today, the advice of today's effective (latest) report, the emergency contact for
 * the large call button, and the upload queue — waiting, last sent, the class of the
 * last failure, and each report the server refused with its reason — with "retry"
 * (queue the refused reports again and send) and "send now". All as the core words
 * and computes them.
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
import uniffi.mobile_core.FailedReport
import uniffi.mobile_core.PersonView
import uniffi.mobile_core.StoredReport
import uniffi.mobile_core.SyncErrorKind
import uniffi.mobile_core.SyncStatus

/** Home for [personId] (the owner first); call [refresh] when the screen shows. */
class HomeViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
    personId: String = SELF_PERSON,
    /** Bounds a sync started from the screen, so the spinner always ends. */
    private val syncTimeLimitMs: Long = 60_000,
) {
    /** Everything the home screen shows. */
    data class State(
        val loading: Boolean = true,
        val personId: String = SELF_PERSON,
        val people: List<PersonView> = emptyList(),
        val localDate: String? = null,
        val reportedToday: Boolean = false,
        val latest: StoredReport? = null,
        val advice: AdviceView? = null,
        val emergency: EmergencyContact? = null,
        /** The upload queue, as the core keeps it. */
        val sync: SyncStatus? = null,
        /** Reports the server refused, with its reasons. */
        val failed: List<FailedReport> = emptyList(),
        val syncing: Boolean = false,
        /** How the last sync started here ended, when it failed (offline, login, …). */
        val syncError: ScreenError? = null,
        val error: ScreenError? = null,
    ) {
        /** Whether the emergency number is to be shown prominently with the advice. */
        val showEmergencyNumber: Boolean get() = advice?.showEmergencyNumber == true

        /** Whether the app is to show the login screen (the session ended; reports are kept). */
        val needsLogin: Boolean get() = (error ?: syncError)?.needsLogin == true

        /** Reports still waiting to be sent. */
        val pendingSync: Long get() = sync?.pending?.toLong() ?: 0

        /** When a sync last reached the server, RFC 3339 UTC. */
        val lastSentAt: String? get() = sync?.lastSuccessAt

        /** The class of the last failed sync, cleared by the next success. */
        val lastSyncError: SyncErrorKind? get() = sync?.lastError

        /** Whether "retry" is offered: something was refused or a sync failed. */
        val canRetry: Boolean get() = failed.isNotEmpty() || sync?.lastError != null || syncError != null

        /** The chosen person as listed (name, centre). */
        val person: PersonView? get() = people.firstOrNull { it.personId == personId }
    }

    private val mutableState = MutableStateFlow(State(personId = personId))

    /** The screen's current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /** Reads today's status, the contact, the people and the upload queue again. */
    fun refresh(): Job = scope.launch { load() }

    /** Shows [personId]'s day (`self` or a household member). */
    fun selectPerson(personId: String): Job {
        mutableState.update { it.copy(personId = personId) }
        return refresh()
    }

    /** Sends what waits now, then shows the queue. */
    fun syncNow(): Job = startSync(retryRefused = false)

    /** Queues every refused report again and sends. */
    fun retry(): Job = startSync(retryRefused = true)

    private fun startSync(retryRefused: Boolean): Job {
        if (mutableState.value.syncing) return completedJob()
        mutableState.update { it.copy(syncing = true, syncError = null) }
        return scope.launch {
            val requeued = if (retryRefused) repository.retryFailed() else Outcome.Success(0L)
            val result = requeued.errorOrNull()?.let { Outcome.Failure(it) } ?: repository.sync(timeLimitMs = syncTimeLimitMs)
            mutableState.update { it.copy(syncing = false, syncError = result.errorOrNull()) }
            load()
        }
    }

    private suspend fun load() {
        mutableState.update { it.copy(loading = true) }
        val personId = mutableState.value.personId
        val today = repository.todayStatus(personId)
        val contact = repository.emergencyContact()
        val people = repository.people()
        val sync = repository.syncStatus()
        val failed = repository.failedReports()
        mutableState.update { s ->
            val status = today.valueOrNull()
            val person = people.valueOrNull()?.firstOrNull { it.personId == personId }
            // A member's own centre when known, else the stored contact (the owner's).
            val memberContact = person?.takeIf { it.personId != SELF_PERSON }?.let { p ->
                val name = p.centreName
                val number = p.emergencyNumber
                if (name != null && number != null) EmergencyContact(name, number) else null
            }
            s.copy(
                loading = false,
                people = people.valueOrNull() ?: s.people,
                localDate = status?.localDate ?: s.localDate,
                reportedToday = status?.reportedToday ?: false,
                latest = status?.latest,
                advice = status?.advice,
                emergency = status?.advice?.emergency ?: memberContact ?: contact.valueOrNull(),
                sync = sync.valueOrNull() ?: s.sync,
                failed = failed.valueOrNull() ?: s.failed,
                error = today.errorOrNull() ?: contact.errorOrNull() ?: sync.errorOrNull() ?: failed.errorOrNull()
                    ?: people.errorOrNull(),
            )
        }
    }
}
