/**
 * JUnit 5 tests of the generated Kotlin binding of the phone core: the daily-report
 * flow, refused input, the urgent-symptom check and a damaged database, each on a
 * temporary database file, through the same calls the Android app makes.
 */
package mimamori.bindings

import java.nio.file.Files
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.ChecklistInput
import uniffi.mobile_core.CoreException
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.Language
import uniffi.mobile_core.MimamoriCore
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.ReportInput
import uniffi.mobile_core.Urgency

class MimamoriCoreBindingTest {
    @TempDir
    lateinit var dir: Path

    private val centre = EmergencyContact(centreName = "〇〇保健所", phoneNumber = "03-1234-5678")

    private fun openCore(): MimamoriCore = MimamoriCore.open(dir.resolve("mimamori.db").toString())

    private fun <T> present(value: T?, what: String): T {
        assertNotNull(value, what)
        return value!!
    }

    /** Nine answers, all "no" except the ones given. */
    private fun answers(vararg yes: Int): List<AnswerChoice?> =
        List(9) { i -> if (i in yes) AnswerChoice.YES else AnswerChoice.NO }

    private fun report(temperature: String, answers: List<AnswerChoice?>) =
        ReportInput(
            personId = "self",
            localDate = null,
            kind = PersonKind.INFECTED,
            temperature = temperature,
            answers = answers,
        )

    @Test
    fun questionsAreNineInJapanese() {
        openCore().use { core ->
            val questions = core.questions(Language.JA)
            assertEquals(9, questions.size)
            assertEquals((1..9).map { it.toUByte() }, questions.map { it.number })
            assertEquals("顔色、表情はいつもどおりですか", questions[0].text)
            assertEquals(
                listOf(1, 2, 9).map { it.toUByte() },
                questions[0].options.map { it.code },
            )
            assertEquals("breathlessness", questions[2].id)
            assertNotEquals(questions[0].text, core.questions(Language.EN)[0].text)
        }
    }

    @Test
    fun dailyReportsTodayStatusHistoryAndOutbox() {
        openCore().use { core ->
            assertNull(core.emergencyContact())
            core.setEmergencyContact(centre, Language.JA)
            assertEquals(centre, core.emergencyContact())

            val first = core.saveReport(report("36.5", answers()), Language.JA)
            assertEquals(Urgency.NO_ACTION, first.advice.urgency)
            assertFalse(first.advice.showEmergencyNumber)

            // Question 3 is breathlessness: "yes" calls for the emergency number now.
            val second = core.saveReport(report("38.0", answers(2)), Language.JA)
            assertNotEquals(first.reportId, second.reportId)
            assertEquals(Urgency.CALL_NOW, second.advice.urgency)

            val today = core.todayStatus("self", Language.JA)
            assertTrue(today.reportedToday)
            val latest = present(today.latest, "today's latest report")
            assertEquals(second.reportId, latest.reportId)
            assertEquals("self", latest.personId)
            assertEquals(today.localDate, latest.localDate)
            assertEquals(380.toUShort(), latest.temperatureTenths)
            assertEquals(PersonKind.INFECTED, latest.kind)
            assertEquals(answers(2), latest.answers)
            assertEquals(Urgency.CALL_NOW, latest.urgency)
            assertTrue(latest.pendingSync)
            val advice = present(today.advice, "today's advice")
            assertEquals(Urgency.CALL_NOW, advice.urgency)
            assertTrue(advice.showEmergencyNumber)
            assertEquals(centre, advice.emergency)
            assertTrue(advice.headline.contains("緊急連絡先"), advice.headline)
            assertTrue(advice.checkGroups.any { it.id == "breathing" }, advice.checkGroups.toString())
            assertEquals(2uL, today.pendingSync)

            val history = core.history("self", 7u, Language.JA)
            assertEquals(7, history.size)
            assertEquals(today.localDate, history.last().localDate)
            assertEquals(history.map { it.localDate }.sorted(), history.map { it.localDate })
            val todayEntry = history.last()
            assertEquals(2u, todayEntry.reportsThatDay)
            assertEquals(380.toUShort(), todayEntry.report?.temperatureTenths)
            assertEquals(second.reportId, todayEntry.report?.reportId)
            history.dropLast(1).forEach { day ->
                assertNull(day.report, day.localDate)
                assertEquals(0u, day.reportsThatDay)
            }

            assertEquals(2uL, core.pendingSyncCount())

            val refused = assertThrows(CoreException.Invalid::class.java) {
                core.saveReport(report("43.5", answers()), Language.JA)
            }
            assertEquals("temperature", refused.field)
            assertEquals(2uL, core.pendingSyncCount())
            assertEquals(2u, core.history("self", 1u, Language.JA).single().reportsThatDay)
        }
    }

    @Test
    fun urgentSymptomCheckGivesTheEmergencyContact() {
        openCore().use { core ->
            core.setEmergencyContact(centre, Language.JA)

            val lips = core.checkUrgentSymptoms(
                ChecklistInput(kind = PersonKind.INFECTED, symptomIds = listOf("purple_lips"), cough = false, fever = false),
                Language.JA,
            )
            assertEquals(Urgency.CALL_NOW, lips.urgency)
            assertTrue(lips.showEmergencyNumber)
            assertEquals(centre, lips.emergency)

            val nothing = core.checkUrgentSymptoms(
                ChecklistInput(kind = PersonKind.INFECTED, symptomIds = emptyList(), cough = false, fever = false),
                Language.JA,
            )
            assertEquals(Urgency.NO_ACTION, nothing.urgency)
            assertFalse(nothing.showEmergencyNumber)
        }
    }

    @Test
    fun corruptDatabaseIsReportedAndLeftUntouched() {
        val path = dir.resolve("damaged.db")
        val garbage = ByteArray(4096) { i -> ((i * 31 + 7) % 251).toByte() }
        Files.write(path, garbage)

        assertThrows(CoreException.Corrupt::class.java) { MimamoriCore.open(path.toString()) }

        assertTrue(Files.exists(path))
        assertArrayEquals(garbage, Files.readAllBytes(path))
    }
}
