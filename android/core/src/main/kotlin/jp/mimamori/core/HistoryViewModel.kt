/*
 * The history screen, in plain Kotlin: the last days of the chosen person (the owner
 * or a household member, chosen among the phone's people) as the core keeps them — the temperature of each day's effective (latest) report for the chart,
 * and each day's nine answers worded by the core's question set.
 */
package jp.mimamori.core

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import uniffi.mobile_core.HistoryDay
import uniffi.mobile_core.PersonView
import uniffi.mobile_core.QuestionView

/** The last [days] days of a person; call [load] when the screen shows. */
class HistoryViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
    personId: String = SELF_PERSON,
    private val days: Int = 14,
) {
    /** One point of the chart: a day and its temperature in °C, or `null` with no report. */
    data class Point(val localDate: String, val celsius: Double?)

    /** One answered question of a day: the question's text and the chosen option's label. */
    data class Answer(val question: String, val answer: String)

    /** Everything the history screen shows. */
    data class State(
        val loading: Boolean = true,
        val personId: String = SELF_PERSON,
        /** The people whose days can be shown (the owner and household members). */
        val people: List<PersonView> = emptyList(),
        val days: List<HistoryDay> = emptyList(),
        val questions: List<QuestionView> = emptyList(),
        val error: ScreenError? = null,
    ) {
        /** The chart's points, oldest first. */
        val chart: List<Point>
            get() = days.map { d -> Point(d.localDate, d.report?.temperatureTenths?.toInt()?.let { it / 10.0 }) }

        /** The days with a report, newest first, for the list under the chart. */
        val reportedDays: List<HistoryDay> get() = days.filter { it.report != null }.reversed()

        /** [day]'s answers, worded by the core. */
        fun answersOf(day: HistoryDay): List<Answer> {
            val report = day.report ?: return emptyList()
            return report.answers.mapIndexedNotNull { i, choice ->
                val q = questions.getOrNull(i) ?: return@mapIndexedNotNull null
                val label = q.options.firstOrNull { it.choice == choice }?.label ?: return@mapIndexedNotNull null
                Answer(q.text, label)
            }
        }
    }

    private val mutableState = MutableStateFlow(State(personId = personId))

    /** The screen's current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /** Reads the days, the people and the question set. */
    fun load(): Job = scope.launch {
        val questions = repository.questions()
        val people = repository.people()
        val history = repository.history(mutableState.value.personId, days)
        mutableState.update {
            it.copy(
                loading = false,
                people = people.valueOrNull() ?: it.people,
                days = history.valueOrNull() ?: it.days,
                questions = questions.valueOrNull() ?: it.questions,
                error = history.errorOrNull() ?: questions.errorOrNull() ?: people.errorOrNull(),
            )
        }
    }

    /** Shows [personId]'s days instead. */
    fun selectPerson(personId: String): Job {
        mutableState.update { it.copy(personId = personId, days = emptyList(), loading = true) }
        return load()
    }
}
