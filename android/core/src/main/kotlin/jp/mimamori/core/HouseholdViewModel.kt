/*
 * The household (代理入力), in plain Kotlin: everyone this phone reports for — the
 * owner first, then the members — each with their upload queue; adding a member by
 * their attributes and smartphone input ID (the same match as registration), with
 * the core's message on the refused field; unlinking a member (their reports stay);
 * and picking whose report is made next.
 */
package jp.mimamori.core

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import uniffi.mobile_core.PersonSyncStatus
import uniffi.mobile_core.PersonView

/** The household screen; [State.selected] is whose report is made next. */
class HouseholdViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
) {
    /** One person with their queue. */
    data class Person(val view: PersonView, val queue: PersonSyncStatus?)

    /** Everything the household screen shows. */
    data class State(
        val loading: Boolean = true,
        val people: List<Person> = emptyList(),
        /** Whose report is made next. */
        val selected: String = SELF_PERSON,
        val name: String = "",
        val dateOfBirth: String = "",
        val phone: String = "",
        val inputId: String = "",
        val adding: Boolean = false,
        /** The member added last, once linked. */
        val added: PersonView? = null,
        val fieldErrors: Map<String, String> = emptyMap(),
        val error: ScreenError? = null,
    ) {
        /** The message to show under [field] (`name`, `date_of_birth`, `phone`, `input_id`). */
        fun errorFor(field: String): String? = fieldErrors[field]
    }

    private val mutableState = MutableStateFlow(State())

    /** The screen's current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /** Reads the people and their queues. */
    fun load(): Job = scope.launch { reload() }

    /** The member's name as typed. */
    fun setName(text: String) = edit("name") { it.copy(name = text) }

    /** The member's date of birth as typed. */
    fun setDateOfBirth(text: String) = edit("date_of_birth") { it.copy(dateOfBirth = text) }

    /** The member's phone number as typed. */
    fun setPhone(text: String) = edit("phone") { it.copy(phone = text) }

    /** The member's smartphone input ID as typed. */
    fun setInputId(text: String) = edit("input_id") { it.copy(inputId = text) }

    /** Picks whose report is made next. */
    fun select(personId: String) {
        mutableState.update { s -> if (s.people.any { it.view.personId == personId }) s.copy(selected = personId) else s }
    }

    /** Links the member typed in the form; on success the form is cleared. */
    fun addMember(): Job {
        val before = mutableState.value
        if (before.adding) return completedJob()
        mutableState.update { it.copy(adding = true, fieldErrors = emptyMap(), error = null, added = null) }
        return scope.launch {
            val result = repository.addHouseholdMember(before.name, before.dateOfBirth, before.phone, before.inputId)
            mutableState.update { s ->
                when (result) {
                    is Outcome.Success -> s.copy(adding = false, added = result.value, name = "", dateOfBirth = "", phone = "", inputId = "")
                    is Outcome.Failure -> {
                        val onField = fieldMessage(result.error, null)
                        if (onField != null) s.copy(adding = false, fieldErrors = mapOf(onField)) else s.copy(adding = false, error = result.error)
                    }
                }
            }
            reload()
        }
    }

    /** Unlinks [personId]; their reports stay here and at the health centre. */
    fun remove(personId: String): Job = scope.launch {
        val result = repository.removeHouseholdMember(personId)
        mutableState.update { s ->
            s.copy(error = result.errorOrNull(), selected = if (s.selected == personId) SELF_PERSON else s.selected)
        }
        reload()
    }

    private fun edit(field: String, change: (State) -> State) {
        mutableState.update { change(it).copy(fieldErrors = it.fieldErrors - field) }
    }

    private suspend fun reload() {
        val people = repository.people()
        val list = people.valueOrNull().orEmpty().map { p -> Person(p, repository.personSyncStatus(p.personId).valueOrNull()) }
        mutableState.update { s ->
            s.copy(
                loading = false,
                people = if (people is Outcome.Success) list else s.people,
                error = s.error ?: people.errorOrNull(),
            )
        }
    }
}
