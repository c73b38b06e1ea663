/*
 * An app older than the server accepts (a real server started with a higher minimum
 * app protocol answers 426): signing in shows how to update and a button to the store,
 * not the server's bare refusal; the button opens the store. In Japanese and English at
 * font scale 1.0 and 2.0, drawn and checked for usability.
 */
package jp.mimamori.app

import androidx.compose.ui.test.ExperimentalTestApi
import jp.mimamori.app.desktop.MemoryLanguageStore
import jp.mimamori.app.desktop.RecordingDevice
import jp.mimamori.app.desktop.XmlWords
import jp.mimamori.core.AppLanguage
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

@OptIn(ExperimentalTestApi::class)
class UpdateRequiredTest {
    @Test
    fun `an app the server no longer accepts says how to update`() {
        for (language in AppLanguage.entries) for (scale in listOf(1f, 2f)) phoneUiTest(scale) {
            val w = XmlWords(RES, language)
            val repo = liveRepository(uiLive("OLD_URL"), MemoryLanguageStore(language))
            val device = RecordingDevice()
            showApp(language, repo, device)
            waitForText(w.text(R.string.start_login))
            tap(w.text(R.string.start_login))
            waitForText(w.text(R.string.login_button))
            type(0, "someone@ui.example.jp")
            type(1, "Mimamori-old-app-7q")
            tap(w.text(R.string.login_button))
            waitForText(w.text(R.string.error_update_required))
            step("update-required-${language.tag}-x$scale")
            tap(w.text(R.string.update_open_store))
            assertEquals(1, device.storeOpened, "the button opens the store")
            repo.close()
        }
    }
}
