/*
 * The family's urgent-symptom check, in plain Kotlin: loads the leaflet's checklist
 * and the stored emergency contact, holds what was ticked (and, for a close contact,
 * cough and fever), asks the core for the advice, and lets the family store the
 * health centre's number from the leaflet. Needs no login and works offline.
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
import uniffi.mobile_core.ChecklistInput
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.KindView
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.UrgentChecklistView

/** The urgent-symptom check; call [load] when the screen shows. */
class UrgentCheckViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
) {
    /** Everything the check screen shows. */
    data class State(
        val loading: Boolean = true,
        val checklist: UrgentChecklistView? = null,
        /** The kinds to choose from, worded by the core. */
        val kinds: List<KindView> = emptyList(),
        /** The patient's kind when the family knows it; `null` applies the strictest rule. */
        val kind: PersonKind? = null,
        val ticked: Set<String> = emptySet(),
        val cough: Boolean = false,
        val fever: Boolean = false,
        val checking: Boolean = false,
        /** The advice for what is ticked now; cleared when a tick changes. */
        val advice: AdviceView? = null,
        val emergency: EmergencyContact? = null,
        /** A refused contact field (`centre_name`, `phone_number`) with its message. */
        val contactError: ScreenError.Invalid? = null,
        val error: ScreenError? = null,
    )

    private val mutableState = MutableStateFlow(State())

    /** The screen's current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /** Loads the checklist, the kinds and the stored emergency contact. */
    fun load(): Job = scope.launch {
        val checklist = repository.urgentChecklist()
        val kinds = repository.kinds()
        val contact = repository.emergencyContact()
        mutableState.update {
            it.copy(
                loading = false,
                checklist = checklist.valueOrNull(),
                kinds = kinds.valueOrNull().orEmpty(),
                emergency = contact.valueOrNull(),
                error = checklist.errorOrNull() ?: kinds.errorOrNull() ?: contact.errorOrNull(),
            )
        }
    }

    /** Ticks or unticks the symptom [symptomId]. */
    fun toggle(symptomId: String) {
        mutableState.update { s ->
            val ticked = if (symptomId in s.ticked) s.ticked - symptomId else s.ticked + symptomId
            s.copy(ticked = ticked, advice = null)
        }
    }

    /** Sets the patient's kind, or `null` when unknown. */
    fun setKind(kind: PersonKind?) {
        mutableState.update { it.copy(kind = kind, advice = null) }
    }

    /** Whether the patient coughs. */
    fun setCough(cough: Boolean) {
        mutableState.update { it.copy(cough = cough, advice = null) }
    }

    /** Whether the patient has a fever (37.5 °C or more). */
    fun setFever(fever: Boolean) {
        mutableState.update { it.copy(fever = fever, advice = null) }
    }

    /** Asks the core what to do about what is ticked. */
    fun evaluate(): Job {
        val before = mutableState.value
        if (before.loading || before.checking || before.checklist == null) return completedJob()
        mutableState.update { it.copy(checking = true, error = null) }
        val input = ChecklistInput(
            kind = before.kind,
            symptomIds = before.checklist.groups
                .flatMap { g -> g.symptoms.map { it.id } }
                .filter { it in before.ticked },
            cough = before.cough,
            fever = before.fever,
        )
        return scope.launch {
            when (val outcome = repository.checkUrgentSymptoms(input)) {
                is Outcome.Success -> mutableState.update {
                    it.copy(checking = false, advice = outcome.value, emergency = outcome.value.emergency ?: it.emergency)
                }
                is Outcome.Failure -> mutableState.update { it.copy(checking = false, error = outcome.error) }
            }
        }
    }

    /** Stores the health centre's name and number as printed on the leaflet. */
    fun saveContact(centreName: String, phoneNumber: String): Job {
        mutableState.update { it.copy(contactError = null) }
        return scope.launch {
            val contact = EmergencyContact(centreName = centreName, phoneNumber = phoneNumber)
            when (val saved = repository.setEmergencyContact(contact)) {
                is Outcome.Failure -> mutableState.update {
                    it.copy(
                        contactError = saved.error as? ScreenError.Invalid,
                        error = saved.error.takeUnless { e -> e is ScreenError.Invalid },
                    )
                }
                is Outcome.Success -> {
                    // The core may normalise the number: show what it stored.
                    val stored = repository.emergencyContact()
                    mutableState.update { it.copy(emergency = (stored as? Outcome.Success)?.value ?: contact) }
                }
            }
        }
    }
}
