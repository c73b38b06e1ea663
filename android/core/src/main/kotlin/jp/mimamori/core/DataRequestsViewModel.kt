/*
 * The person's requests about their data (開示・訂正・利用停止), in plain Kotlin: the
 * form (the kind; for a correction the item and what it should be, for a temperature
 * one of the reports the health centre holds, picked from those sent from this phone;
 * an optional note), a confirm step, sending through the core (which refuses a wrong
 * field with its message, on that field), the list of one's requests with their
 * status and the centre's answer or reason, and the disclosure of what the centre
 * holds. Nothing is kept on the phone: each load asks the server again.
 */
package jp.mimamori.core

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import uniffi.mobile_core.CorrectionField
import uniffi.mobile_core.DataRequestInput
import uniffi.mobile_core.DataRequestKind
import uniffi.mobile_core.DataRequestView
import uniffi.mobile_core.DisclosureView
import uniffi.mobile_core.StoredReport

/** The data-requests screen; call [load] when it shows, [loadDisclosure] for the disclosure. */
class DataRequestsViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
    /** How many days of this phone's reports are offered for a temperature correction. */
    private val reportDays: Int = 30,
) {
    /** Everything the screen shows. */
    data class State(
        val loading: Boolean = true,
        val kind: DataRequestKind = DataRequestKind.DISCLOSURE,
        /** A correction's item. */
        val item: CorrectionField? = null,
        /** For a temperature: the chosen report's id. */
        val reportId: String? = null,
        /** What the item should be. */
        val value: String = "",
        val note: String = "",
        /** The reports the centre holds from this phone, newest first, for a temperature. */
        val reports: List<StoredReport> = emptyList(),
        /** The confirm step is shown. */
        val confirming: Boolean = false,
        val sending: Boolean = false,
        /** The request sent last, as the centre received it. */
        val filed: DataRequestView? = null,
        /** One's requests, newest first. */
        val requests: List<DataRequestView> = emptyList(),
        val disclosure: DisclosureView? = null,
        val loadingDisclosure: Boolean = false,
        /** A refused field (`item`, `value`, `report_id`, `note`, `kind`) with the core's message. */
        val fieldError: ScreenError.Invalid? = null,
        val error: ScreenError? = null,
    ) {
        /** The message to show beside [field]. */
        fun errorFor(field: String): String? = fieldError?.takeIf { it.field == field }?.reason

        /** Whether the item, report and value inputs show (a correction only). */
        val correcting: Boolean get() = kind == DataRequestKind.CORRECTION

        /** Whether a report must be picked (a temperature correction). */
        val pickingReport: Boolean get() = correcting && item == CorrectionField.TEMPERATURE

        /** The request the form would send. */
        val input: DataRequestInput
            get() = DataRequestInput(
                kind = kind,
                field = item.takeIf { correcting },
                reportId = reportId.takeIf { pickingReport },
                value = value.trim().takeIf { correcting && it.isNotEmpty() },
                note = note.trim().takeIf { it.isNotEmpty() },
            )
    }

    private val mutableState = MutableStateFlow(State())

    /** The screen's current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /** Reads one's requests from the server and the reports sent from this phone. */
    fun load(): Job = scope.launch { reload() }

    /** Chooses what is asked for. */
    fun setKind(kind: DataRequestKind) = edit { it.copy(kind = kind, fieldError = null) }

    /** Chooses a correction's item. */
    fun setItem(item: CorrectionField?) =
        edit { it.copy(item = item, reportId = if (item == CorrectionField.TEMPERATURE) it.reportId else null, fieldError = null) }

    /** Picks the report whose temperature is to be corrected. */
    fun pickReport(reportId: String) = edit { it.copy(reportId = reportId, fieldError = it.fieldError?.takeUnless { e -> e.field == "report_id" }) }

    /** What the item should be, as typed. */
    fun setValue(text: String) = edit { it.copy(value = text, fieldError = it.fieldError?.takeUnless { e -> e.field == "value" }) }

    /** The person's note, as typed. */
    fun setNote(text: String) = edit { it.copy(note = text, fieldError = it.fieldError?.takeUnless { e -> e.field == "note" }) }

    /** Shows the confirm step. */
    fun confirm() = mutableState.update { it.copy(confirming = true, filed = null, error = null) }

    /** Back from the confirm step to the form, as typed. */
    fun edit() = mutableState.update { it.copy(confirming = false) }

    /** Sends the confirmed request; on success the form is cleared and the list read again. */
    fun send(): Job {
        val before = mutableState.value
        if (before.sending) return completedJob()
        mutableState.update { it.copy(sending = true, fieldError = null, error = null, filed = null) }
        return scope.launch {
            val result = repository.fileDataRequest(before.input)
            mutableState.update { s ->
                when (result) {
                    is Outcome.Success -> State(
                        loading = s.loading,
                        reports = s.reports,
                        requests = s.requests,
                        disclosure = s.disclosure,
                        filed = result.value,
                    )
                    is Outcome.Failure -> s.copy(
                        sending = false,
                        confirming = false,
                        fieldError = result.error as? ScreenError.Invalid,
                        error = result.error.takeUnless { it is ScreenError.Invalid },
                    )
                }
            }
            if (result is Outcome.Success) reload()
        }
    }

    /** Asks the centre for everything it holds (recorded there as a disclosure given). */
    fun loadDisclosure(): Job {
        mutableState.update { it.copy(loadingDisclosure = true, error = null) }
        return scope.launch {
            val result = repository.dataDisclosure()
            mutableState.update {
                it.copy(
                    loadingDisclosure = false,
                    disclosure = result.valueOrNull() ?: it.disclosure,
                    requests = result.valueOrNull()?.requests ?: it.requests,
                    error = result.errorOrNull(),
                )
            }
        }
    }

    private fun edit(change: (State) -> State) = mutableState.update { change(it).copy(confirming = false, filed = null) }

    private suspend fun reload() {
        val requests = repository.dataRequests()
        val history = repository.history(SELF_PERSON, reportDays)
        val sent = history.valueOrNull().orEmpty()
            .mapNotNull { it.report }
            .filter { !it.pendingSync && !it.syncFailed }
            .reversed()
        mutableState.update { s ->
            s.copy(
                loading = false,
                requests = requests.valueOrNull() ?: s.requests,
                reports = if (history is Outcome.Success) sent else s.reports,
                error = s.error ?: requests.errorOrNull() ?: history.errorOrNull(),
            )
        }
    }
}
