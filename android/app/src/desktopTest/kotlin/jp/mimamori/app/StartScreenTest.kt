/*
 * The start screen as a person without an account meets it, in Japanese and English at
 * font scale 1.0 and 2.0: its words come from the app's strings.xml, every choice is a
 * button that leads on, and the screen passes the usability check.
 */
package jp.mimamori.app

import androidx.compose.ui.test.ExperimentalTestApi
import jp.mimamori.app.desktop.RecordingDevice
import jp.mimamori.app.desktop.XmlWords
import jp.mimamori.app.ui.StartScreen
import jp.mimamori.core.AppLanguage
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

@OptIn(ExperimentalTestApi::class)
class StartScreenTest {
    @Test
    fun `the start screen offers registration, sign-in, the family check and the leaflet's number`() {
        for (language in AppLanguage.entries) for (scale in listOf(1f, 2f)) phoneUiTest(scale) {
            val words = XmlWords(RES, language)
            val opened = mutableListOf<String>()
            setContent {
                AppFrame(language, RecordingDevice()) {
                    StartScreen(onRegister = { opened += "register" }, onLogin = { opened += "login" },
                        onUrgentCheck = { opened += "urgent" }, onContact = { opened += "contact" })
                }
            }
            waitForText(words.text(R.string.app_name))
            step("start-${language.tag}-x$scale")
            for (id in listOf(R.string.start_register, R.string.start_login, R.string.today_urgent_check, R.string.contact_title)) {
                tap(words.text(id))
            }
            assertEquals(listOf("register", "login", "urgent", "contact"), opened)
        }
    }
}
