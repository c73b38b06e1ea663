/*
 * The daily report form's state holder, in plain Kotlin: loads the question set and
 * the kinds from the repository, holds the kind, the temperature as typed and the nine
 * answers, submits them for the core to validate and save, and then exposes the
 * advice. A refused field shows the core's message beside that field; the form keeps
 * everything typed so nothing has to be entered twice.
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
import uniffi.mobile_core.QuestionView
import uniffi.mobile_core.ReportInput
import uniffi.mobile_core.SavedReport

/**
 * The report form for [personId]. Work runs in [scope] (on Android, the ViewModel's
 * scope); each action returns its [Job] so callers and tests can wait for it.
 */
class ReportFormViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
    private val personId: String = SELF_PERSON,
) {
    /** Everything the form screen shows. */
    data class State(
        val loading: Boolean = true,
        val kinds: List<KindView> = emptyList(),
        val questions: List<QuestionView> = emptyList(),
        val kind: PersonKind? = null,
        val temperature: String = "",
        val answers: List<AnswerChoice?> = emptyList(),
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

        /** The message to show under the temperature field. */
        val temperatureError: String? get() = messageFor(TEMPERATURE)

        /** The message to show under question [questionId]. */
        fun answerError(questionId: String): String? = messageFor("$ANSWERS.$questionId")

        /** A refused field that has no place of its own on the form (shown at the top). */
        val formError: String?
            get() = fieldError?.takeIf { e ->
                e.field != TEMPERATURE && questions.none { "$ANSWERS.${it.id}" == e.field }
            }?.reason

        private fun messageFor(field: String): String? = fieldError?.takeIf { it.field == field }?.reason
    }

    private val mutableState = MutableStateFlow(State())

    /** The form's current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /**
     * Loads the kinds and questions. The kind starts as today's last report's kind,
     * else the first the core offers.
     */
    fun load(): Job = scope.launch {
        val kinds = repository.kinds()
        val questions = repository.questions()
        val lastKind = (repository.todayStatus(personId) as? Outcome.Success)?.value?.latest?.kind
        mutableState.update { s ->
            s.copy(
                loading = false,
                kinds = kinds,
                questions = questions,
                kind = s.kind ?: lastKind ?: kinds.firstOrNull()?.kind,
                answers = if (s.answers.size == questions.size) s.answers else List(questions.size) { null },
            )
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

    /**
     * Sends the form to the core. On success [State.saved] holds the advice; on a
     * refusal [State.fieldError] names the field and the form keeps its content.
     * Ignored while loading or already saving.
     */
    fun submit(): Job {
        val before = mutableState.value
        val kind = before.kind
        if (before.loading || before.saving || kind == null) return completedJob()
        mutableState.update { it.copy(saving = true, fieldError = null, error = null) }
        val input = ReportInput(
            personId = personId,
            localDate = null,
            kind = kind,
            temperature = before.temperature,
            answers = before.answers,
        )
        return scope.launch {
            when (val outcome = repository.saveReport(input)) {
                is Outcome.Success -> mutableState.update { it.copy(saving = false, saved = outcome.value) }
                is Outcome.Failure -> mutableState.update {
                    it.copy(
                        saving = false,
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
            s.copy(temperature = "", answers = List(s.questions.size) { null }, saved = null, fieldError = null, error = null)
        }
    }

    private fun ScreenError.Invalid?.without(field: String): ScreenError.Invalid? = this?.takeUnless { it.field == field }

    private companion object {
        const val TEMPERATURE = "temperature"
        const val ANSWERS = "answers"
    }
}
