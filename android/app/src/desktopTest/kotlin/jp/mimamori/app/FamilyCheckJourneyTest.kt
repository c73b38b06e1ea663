/*
 * The family's journey, no account needed, through the whole app on the real core:
 * the app opened from the leaflet's link stores the health centre's number; back on
 * the start screen, the urgent-symptom check shows that number, a ticked sign gives
 * the core's advice, and the call button opens the dialler with the number. Without a
 * stored number the advice names 119. In Japanese and English, at font scale 1.0 and
 * 2.0, with a picture of each step.
 */
package jp.mimamori.app

import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onLast
import androidx.compose.ui.test.assertIsOn
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import java.net.URLEncoder
import jp.mimamori.app.desktop.RecordingDevice
import jp.mimamori.app.desktop.XmlWords
import jp.mimamori.core.AppLanguage
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

@OptIn(ExperimentalTestApi::class)
class FamilyCheckJourneyTest {
    private val number = "03-1234-5678"
    private val link = "$TEST_SERVER/app?centre=12&name=${URLEncoder.encode("みなと保健所", "UTF-8")}&tel=${URLEncoder.encode(number, "UTF-8")}"
    /** A checklist line (the kind chips are checkboxes too, but have no on/off state). */
    private val checkbox = SemanticsMatcher.expectValue(SemanticsProperties.Role, Role.Checkbox) and
        SemanticsMatcher.keyIsDefined(SemanticsProperties.ToggleableState)

    /** Ticks the first sign of the checklist and asks for the advice. */
    private fun SkikoComposeUiTest.tickASignAndCheck(words: XmlWords) {
        val sign = onAllNodes(checkbox)[0]
        sign.performScrollTo()
        waitForIdle()
        sign.performClick()
        sign.assertIsOn()
        tap(words.text(R.string.urgent_check_button))
    }

    @Test
    fun `the leaflet's number, an urgent sign, the advice and a call`() {
        for (language in AppLanguage.entries) for (scale in listOf(1f, 2f)) phoneUiTest(scale) {
            val words = XmlWords(RES, language)
            val device = RecordingDevice()
            val repo = repositoryWithServer(language)
            val back = showApp(language, repo, device, firstLink = link)
            val tag = "${language.tag}-x$scale"
            waitForText(words.text(R.string.contact_from_link))
            waitForText(number)
            step("family-1-leaflet-link-$tag")

            press(back)
            waitForText(words.text(R.string.today_urgent_check))
            tap(words.text(R.string.today_urgent_check))
            waitForText(words.text(R.string.urgent_title))
            waitForText(number)
            step("family-2-urgent-check-$tag")

            tickASignAndCheck(words)
            val call = words.text(R.string.emergency_call, number)
            // The number card at the top, and the advice's own with the call button under it.
            waitUntil("the advice shows the number", 10_000) { onAllNodes(SemanticsMatcher.expectValue(SemanticsProperties.ContentDescription, listOf(call))).fetchSemanticsNodes().size >= 2 }
            val button = onAllNodes(SemanticsMatcher.expectValue(SemanticsProperties.ContentDescription, listOf(call))).let { it[it.fetchSemanticsNodes().size - 1] }
            button.performScrollTo()
            step("family-3-urgent-advice-$tag")
            button.performClick()
            assertEquals(listOf(number), device.dialled, "the call button opens the dialler with the centre's number")
            repo.close()
        }
    }

    @Test
    fun `without a stored number the advice names 119`() {
        for (language in AppLanguage.entries) phoneUiTest {
            val words = XmlWords(RES, language)
            val repo = repositoryWithServer(language)
            showApp(language, repo)
            waitForText(words.text(R.string.today_urgent_check))
            tap(words.text(R.string.today_urgent_check))
            waitForText(words.text(R.string.urgent_title))
            waitForText(words.text(R.string.contact_save))
            tickASignAndCheck(words)
            waitForText("119")
            onAllNodesWithText("119", substring = true).onLast().performScrollTo()
            step("family-4-no-number-advice-${language.tag}")
            repo.close()
        }
    }
}
