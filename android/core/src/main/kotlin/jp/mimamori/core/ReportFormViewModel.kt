/*
 * The daily report form's state holder, in plain Kotlin: loads the question set and
 * the kinds from the repository, holds whose report it is, the kind, the temperature
 * as typed and the nine answers, shows them once more on a confirm step, submits them
 * for the core to validate and save (offline), and then exposes the advice. A refused
 * field shows the core's message beside that field back on the form, which keeps
 * everything typed so nothing has to be entered twice. After a save it tells the app
 * (to send the report and plan the next reminder).
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
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.KindView
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.PersonView
import uniffi.mobile_core.QuestionView
import uniffi.mobile_core.ReportInput
import uniffi.mobile_core.SavedReport

/**
 * The report form, first for [personId]. Work runs in [scope] (on Android, the
 * ViewModel's scope); each action returns its [Job] so callers and tests can wait for
 * it. [afterSave] runs once a report is on disk (the app asks for a sync and plans
 * the next reminder); its failure never undoes the save.
 */
class ReportFormViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
    personId: String = SELF_PERSON,
    private val afterSave: suspend (SavedReport) -> Unit = {},
) {
    /** Everything the form screen shows. */
    data class State(
        val loading: Boolean = true,
        /** Whose report this is (`self` or a household member's id). */
        val personId: String = SELF_PERSON,
        /** Everyone this phone reports for, to pick whose report this is. */
        val people: List<PersonView> = emptyList(),
        val kinds: List<KindView> = emptyList(),
        val questions: List<QuestionView> = emptyList(),
        val kind: PersonKind? = null,
        val temperature: String = "",
        val answers: List<AnswerChoice?> = emptyList(),
        /** The confirm step: what was entered, shown once more before saving. */
        val confirming: Boolean = false,
        val saving: Boolean = false,
        /** The field the core refused, with its message. */
        val fieldError: ScreenError.Invalid? = null,
        /** A failure that is not about one field (damaged or unwritable storage). */
        val error: ScreenError? = null,
        /** The saved report, once the core has it on disk. */
        val saved: SavedReport? = null,
    ) {
        /** The advice for the saved report. */
        val advice: AdviceView? get() = saved?.advice

        /** The person the report is for, as listed. */
        val person: PersonView? get() = people.firstOrNull { it.personId == personId }

        /** The message to show under the temperature field. */
        val temperatureError: String? get() = messageFor(TEMPERATURE)

        /** The message to show under question [questionId]. */
        fun answerError(questionId: String): String? = messageFor("$ANSWERS.$questionId")

        /** The label of the chosen answer to question [index], for the confirm step. */
        fun answerLabel(index: Int): String? {
            val choice = answers.getOrNull(index) ?: return null
            return questions.getOrNull(index)?.options?.firstOrNull { it.choice == choice }?.label
        }

        /** The chosen kind's label, for the confirm step. */
        val kindLabel: String? get() = kinds.firstOrNull { it.kind == kind }?.label

        /** A refused field that has no place of its own on the form (shown at the top). */
        val formError: String?
            get() = fieldError?.takeIf { e ->
                e.field != TEMPERATURE && questions.none { "$ANSWERS.${it.id}" == e.field }
            }?.reason

        private fun messageFor(field: String): String? = fieldError?.takeIf { it.field == field }?.reason
    }

    private val mutableState = MutableStateFlow(State(personId = personId))

    /** The form's current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /**
     * Loads the kinds, the questions and the people. The kind starts as today's last
     * report's kind for this person, else the person's registered kind, else the first
     * the core offers.
     */
    fun load(): Job = scope.launch {
        val kinds = repository.kinds()
        val questions = repository.questions()
        val people = repository.people().valueOrNull().orEmpty()
        val error = kinds.errorOrNull() ?: questions.errorOrNull()
        val kindList = kinds.valueOrNull().orEmpty()
        val questionList = questions.valueOrNull().orEmpty()
        val personId = mutableState.value.personId
        val defaultKind = defaultKind(personId, people, kindList)
        mutableState.update { s ->
            s.copy(
                loading = false,
                kinds = kindList,
                questions = questionList,
                people = people,
                kind = s.kind ?: defaultKind,
                answers = if (s.answers.size == questionList.size) s.answers else List(questionList.size) { null },
                error = error,
            )
        }
    }

    /** Makes this the report of [personId] (`self` or a household member); clears the form. */
    fun selectPerson(personId: String): Job {
        mutableState.update { s ->
            s.copy(
                personId = personId,
                kind = null,
                temperature = "",
                answers = List(s.questions.size) { null },
                confirming = false,
                saved = null,
                fieldError = null,
                error = null,
            )
        }
        return scope.launch {
            val s = mutableState.value
            val kind = defaultKind(personId, s.people, s.kinds)
            mutableState.update { if (it.personId == personId && it.kind == null) it.copy(kind = kind) else it }
        }
    }

    /** Chooses the person's kind. */
    fun selectKind(kind: PersonKind) {
        mutableState.update { it.copy(kind = kind, saved = null) }
    }

    /** Records the temperature as typed; a message about it goes away. */
    fun setTemperature(text: String) {
        mutableState.update { it.copy(temperature = text, saved = null, fieldError = it.fieldError.without(TEMPERATURE)) }
    }

    /** Answers question [index] (0-based, in the core's order). */
    fun answer(index: Int, choice: AnswerChoice) {
        mutableState.update { s ->
            if (index !in s.answers.indices) return@update s
            val field = "$ANSWERS.${s.questions[index].id}"
            s.copy(
                answers = s.answers.toMutableList().also { it[index] = choice },
                saved = null,
                fieldError = s.fieldError.without(field).without(ANSWERS),
            )
        }
    }

    /** Goes to the confirm step (ignored while loading or saving). */
    fun review() {
        mutableState.update { s -> if (s.loading || s.saving || s.kind == null) s else s.copy(confirming = true, error = null) }
    }

    /** Leaves the confirm step to change something. */
    fun edit() {
        mutableState.update { it.copy(confirming = false) }
    }

    /**
     * Sends the form to the core (the confirm step's button). On success [State.saved]
     * holds the advice; on a refusal [State.fieldError] names the field and the form is
     * shown again with its content. Ignored while loading or already saving.
     */
    fun submit(): Job {
        val before = mutableState.value
        val kind = before.kind
        if (before.loading || before.saving || kind == null) return completedJob()
        mutableState.update { it.copy(saving = true, fieldError = null, error = null) }
        val input = ReportInput(
            personId = before.personId,
            localDate = null,
            kind = kind,
            temperature = before.temperature,
            answers = before.answers,
        )
        return scope.launch {
            when (val outcome = repository.saveReport(input)) {
                is Outcome.Success -> {
                    mutableState.update { it.copy(saving = false, confirming = false, saved = outcome.value) }
                    afterSave(outcome.value)
                }
                is Outcome.Failure -> mutableState.update {
                    it.copy(
                        saving = false,
                        confirming = false,
                        fieldError = outcome.error as? ScreenError.Invalid,
                        error = outcome.error.takeUnless { e -> e is ScreenError.Invalid },
                    )
                }
            }
        }
    }

    /** Clears the form for another report (after the advice was read). */
    fun startNew() {
        mutableState.update { s ->
            s.copy(
                temperature = "",
                answers = List(s.questions.size) { null },
                confirming = false,
                saved = null,
                fieldError = null,
                error = null,
            )
        }
    }

    private suspend fun defaultKind(personId: String, people: List<PersonView>, kinds: List<KindView>): PersonKind? {
        val today = repository.todayStatus(personId).valueOrNull()?.latest?.kind
        val registered = people.firstOrNull { it.personId == personId }?.kind
        return today ?: registered ?: kinds.firstOrNull()?.kind
    }

    private fun ScreenError.Invalid?.without(field: String): ScreenError.Invalid? = this?.takeUnless { it.field == field }

    private companion object {
        const val TEMPERATURE = "temperature"
        const val ANSWERS = "answers"
    }
}
