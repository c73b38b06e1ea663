/*
 * The start screen as a person without an account meets it, in Japanese and English:
 * its words come from the app's strings.xml, every choice is a button that leads on.
 */
package jp.mimamori.app

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.assertHasClickAction
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import jp.mimamori.app.desktop.RecordingDevice
import jp.mimamori.app.ui.StartScreen
import jp.mimamori.core.AppLanguage
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

@OptIn(ExperimentalTestApi::class)
class StartScreenTest {
    @Test
    fun `the start screen offers registration, sign-in and the family check in Japanese`() = phoneUiTest(2f) {
        val opened = mutableListOf<String>()
        setContent {
            AppFrame(AppLanguage.JA, RecordingDevice()) {
                StartScreen(onRegister = { opened += "register" }, onLogin = { opened += "login" },
                    onUrgentCheck = { opened += "urgent" }, onContact = { opened += "contact" })
            }
        }
        onNodeWithText("みまもり", substring = true).assertExists()
        assertUsable("the start screen")
        onNodeWithText("新規登録", substring = true).assertHasClickAction().performClick()
        assertEquals(listOf("register"), opened)
    }

    @Test
    fun `pictures of the start screen`() {
        for (language in AppLanguage.entries) {
            for (scale in listOf(1f, 2f)) {
                picture("start-${language.tag}-x$scale", fontScale = scale) {
                    AppFrame(language, RecordingDevice()) { StartScreen({}, {}, {}, {}) }
                }
            }
        }
    }
}
