/*
 * The screens before an account, through the whole app on the real core: registration's
 * first step and sign-in, a sign-in with no network (the app's message for it), and a
 * second visit of the sign-in screen that starts empty (each visit its own state:
 * nothing typed before, no failure, no "signed in" carried over). In Japanese and
 * English at font scale 1.0 and 2.0, each step checked for usability and drawn.
 */
package jp.mimamori.app

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.semantics.getOrNull
import jp.mimamori.app.desktop.RecordingServices
import jp.mimamori.app.desktop.XmlWords
import jp.mimamori.core.AppLanguage
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

@OptIn(ExperimentalTestApi::class)
class AccountScreensTest {
    @Test
    fun `registration's first step, a sign-in without a network, and a sign-in screen that starts empty again`() {
        for (language in AppLanguage.entries) for (scale in listOf(1f, 2f)) phoneUiTest(scale) {
            val words = XmlWords(RES, language)
            val services = RecordingServices()
            val repo = repositoryWithServer(language)
            val back = showApp(language, repo, services = services)
            val tag = "${language.tag}-x$scale"
            waitForText(words.text(R.string.start_register))
            tap(words.text(R.string.start_register))
            waitForText(words.text(R.string.register_email_title))
            step("account-1-registration-email-$tag")

            press(back)
            waitForText(words.text(R.string.start_register))
            tap(words.text(R.string.start_login))
            waitForText(words.text(R.string.login_button))
            type(0, "not-an-address")
            type(1, "x")
            tap(words.text(R.string.login_button))
            // No network here: the sign-in cannot reach the server, and says so.
            waitForText(words.text(R.string.error_offline).take(8))
            step("account-2-sign-in-offline-$tag")
            assertEquals(0, services.changes, "a failed sign-in asks for no sync")

            press(back)
            waitForText(words.text(R.string.start_register))
            tap(words.text(R.string.start_login))
            waitForText(words.text(R.string.login_button))
            val again = onAllNodes(hasSetTextAction()).fetchSemanticsNodes()
            assertEquals(listOf("", ""), again.map { it.config.getOrNull(SemanticsProperties.EditableText)?.text ?: "" },
                "a new visit of the sign-in screen starts empty")
            assertEquals(0, onAllNodes(hasText(words.text(R.string.error_offline).take(8), substring = true)).fetchSemanticsNodes().size,
                "and without the earlier failure")
            step("account-3-sign-in-$tag")
            repo.close()
        }
    }
}
