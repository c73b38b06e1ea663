/*
 * An in-memory MimamoriRepository for view-model tests and Compose previews. It keeps
 * saved reports in a list, refuses the same fields the core refuses (with placeholder
 * messages), and can be told to fail the next call or to hold a save until released.
 * Its wording is placeholder text: real wording only ever comes from the core.
 */
package jp.mimamori.core

import kotlinx.coroutines.CompletableDeferred
import uniffi.mobile_core.AdviceView
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.ChecklistInput
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.HistoryDay
import uniffi.mobile_core.KindView
import uniffi.mobile_core.OptionView
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.QuestionView
import uniffi.mobile_core.ReportInput
import uniffi.mobile_core.SavedReport
import uniffi.mobile_core.StoredReport
import uniffi.mobile_core.SyncStatus
import uniffi.mobile_core.TodayStatus
import uniffi.mobile_core.UrgentChecklistView
import uniffi.mobile_core.UrgentGroupView
import uniffi.mobile_core.UrgentSymptomView
import uniffi.mobile_core.Urgency

/** A fake of the phone core; [contact] is the stored emergency contact. */
class FakeMimamoriRepository(
    var contact: EmergencyContact? = null,
    private val today: String = "2026-11-24",
) : MimamoriRepository {

    /** Reports saved so far, oldest first. */
    val saved: MutableList<StoredReport> = mutableListOf()

    /** Every checklist the family sent. */
    val checked: MutableList<ChecklistInput> = mutableListOf()

    /** When set, the next call that can fail fails with it (once). */
    var failNext: ScreenError? = null

    /** When set, [saveReport] waits for it to complete before saving. */
    var saveGate: CompletableDeferred<Unit>? = null

    override suspend fun questions(): List<QuestionView> = QUESTION_IDS.mapIndexed { i, id ->
        QuestionView(
            id = id,
            number = (i + 1).toUByte(),
            text = "Q${i + 1} $id",
            options = listOf(
                OptionView(AnswerChoice.YES, 1u, "yes"),
                OptionView(AnswerChoice.NO, 2u, "no"),
                OptionView(AnswerChoice.UNKNOWN, 9u, "unknown"),
            ),
        )
    }

    override suspend fun kinds(): List<KindView> = listOf(
        KindView(PersonKind.INFECTED, "infected"),
        KindView(PersonKind.CLOSE_CONTACT, "close contact"),
        KindView(PersonKind.AWAITING_RESULT, "awaiting result"),
    )

    override suspend fun saveReport(input: ReportInput): Outcome<SavedReport> {
        saveGate?.await()
        takeFailure()?.let { return Outcome.Failure(it) }
        val tenths = input.temperature.trim().toDoubleOrNull()?.let { Math.round(it * 10).toInt() }
        if (tenths == null || tenths !in 340..420) {
            return Outcome.Failure(ScreenError.Invalid("temperature", "fake: temperature out of range"))
        }
        if (input.answers.size != QUESTION_IDS.size) {
            return Outcome.Failure(ScreenError.Invalid("answers", "fake: nine answers needed"))
        }
        val missing = input.answers.indexOfFirst { it == null }
        if (missing >= 0) {
            return Outcome.Failure(ScreenError.Invalid("answers.${QUESTION_IDS[missing]}", "fake: answer needed"))
        }
        val answers = input.answers.map { it!! }
        val urgency = when {
            URGENT_QUESTIONS.any { answers[it] == AnswerChoice.YES } -> Urgency.CALL_NOW
            tenths >= 375 || answers.any { it == AnswerChoice.YES } -> Urgency.WATCH
            else -> Urgency.NO_ACTION
        }
        val report = StoredReport(
            reportId = "fake-${saved.size + 1}",
            personId = input.personId,
            localDate = input.localDate ?: today,
            recordedAt = "${today}T00:00:00.000Z",
            kind = input.kind,
            temperatureTenths = tenths.toUShort(),
            answers = answers,
            urgency = urgency,
            pendingSync = true,
        )
        saved += report
        return Outcome.Success(SavedReport(report.reportId, advice(urgency)))
    }

    override suspend fun todayStatus(personId: String): Outcome<TodayStatus> {
        takeFailure()?.let { return Outcome.Failure(it) }
        val latest = saved.lastOrNull { it.personId == personId && it.localDate == today }
        return Outcome.Success(
            TodayStatus(
                localDate = today,
                reportedToday = latest != null,
                latest = latest,
                advice = latest?.let { advice(it.urgency) },
                pendingSync = saved.count { it.pendingSync }.toULong(),
            ),
        )
    }

    override suspend fun history(personId: String, days: Int): Outcome<List<HistoryDay>> {
        takeFailure()?.let { return Outcome.Failure(it) }
        val todays = saved.filter { it.personId == personId && it.localDate == today }
        return Outcome.Success(listOf(HistoryDay(today, todays.lastOrNull(), todays.size.toUInt())).takeLast(days))
    }

    override suspend fun emergencyContact(): Outcome<EmergencyContact?> {
        takeFailure()?.let { return Outcome.Failure(it) }
        return Outcome.Success(contact)
    }

    override suspend fun setEmergencyContact(contact: EmergencyContact): Outcome<Unit> {
        takeFailure()?.let { return Outcome.Failure(it) }
        if (contact.centreName.isBlank()) {
            return Outcome.Failure(ScreenError.Invalid("centre_name", "fake: name needed"))
        }
        val digits = contact.phoneNumber.filter { it.isDigit() }
        if (digits.length !in 3..11 || contact.phoneNumber.any { !it.isDigit() && it != '-' }) {
            return Outcome.Failure(ScreenError.Invalid("phone_number", "fake: not a phone number"))
        }
        this.contact = contact
        return Outcome.Success(Unit)
    }

    /** Marks every saved report sent, unless [stop] was cancelled first. */
    override suspend fun sync(stop: SyncStop, timeLimitMs: Long?): Outcome<SyncStatus> {
        takeFailure()?.let { return Outcome.Failure(it) }
        if (stop.isCancelled || timeLimitMs == 0L) return Outcome.Failure(ScreenError.Cancelled("fake: stopped"))
        saved.replaceAll { it.copy(pendingSync = false) }
        return Outcome.Success(SyncStatus(pending = 0uL, failed = 0uL, lastSuccessAt = "${today}T00:00:00.000Z", lastError = null))
    }

    override suspend fun urgentChecklist(): UrgentChecklistView = UrgentChecklistView(
        groups = CHECKLIST.map { (group, symptoms) ->
            UrgentGroupView(group, "group $group", symptoms.map { UrgentSymptomView(it, "symptom $it", false) })
        },
        footnote = "fake footnote",
        coughLabel = "fake cough",
        feverLabel = "fake fever",
        whenToCall = listOf("fake: when to call"),
    )

    override suspend fun checkUrgentSymptoms(input: ChecklistInput): Outcome<AdviceView> {
        takeFailure()?.let { return Outcome.Failure(it) }
        checked += input
        val known = CHECKLIST.flatMap { it.second }
        if (input.symptomIds.any { it !in known }) {
            return Outcome.Failure(ScreenError.Invalid("symptom_ids", "fake: unknown symptom"))
        }
        val closeContactCall = input.kind == PersonKind.CLOSE_CONTACT && (input.cough || input.fever)
        val strictCall = input.kind == null && (input.cough || input.fever)
        val call = input.symptomIds.isNotEmpty() || closeContactCall || strictCall
        return Outcome.Success(advice(if (call) Urgency.CALL_NOW else Urgency.NO_ACTION))
    }

    private fun advice(urgency: Urgency) = AdviceView(
        urgency = urgency,
        headline = "fake headline ${urgency.name}",
        reasons = emptyList(),
        checkGroups = emptyList(),
        showEmergencyNumber = urgency == Urgency.CALL_NOW,
        emergency = contact,
        callInstruction = if (urgency == Urgency.CALL_NOW) "fake call instruction" else "",
    )

    private fun takeFailure(): ScreenError? = failNext.also { failNext = null }

    companion object {
        /** The core's question ids, in order. */
        val QUESTION_IDS = listOf(
            "face", "cough", "breathlessness", "fatigue", "nausea", "diarrhoea", "consciousness", "eating", "urination",
        )

        /** Face, breathlessness and consciousness point at an urgent group. */
        private val URGENT_QUESTIONS = listOf(0, 2, 6)

        private val CHECKLIST = listOf(
            "appearance" to listOf("purple_lips", "not_themselves"),
            "breathing" to listOf("chest_pain", "sudden_breathlessness"),
            "consciousness" to listOf("drowsy_no_answer"),
        )
    }
}
