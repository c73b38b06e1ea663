/*
 * A person's whole life with the app, on the real core and the real server, as the
 * phone shows it: registration with the code from the mail folder; the first report
 * (refused input, confirmation, advice); a second report the same day that starts
 * empty; an urgent answer with the centre's number and its call button, saved with no
 * network and sent when the network is back; a household member added, reported for
 * and shown in the history; sign out, sign in again (the password asked for), Settings
 * that stays; a session the server ended, sign in again and a home that stays (no
 * loop) and sends what waited; the other language chosen in Settings, and home
 * speaking it. In Japanese and English at font scale 1.0 and 2.0, each
 * step drawn and checked for usability. The suite then asks the server that each case
 * holds exactly the reports made here.
 */
package jp.mimamori.app

import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.isEnabled
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextClearance
import androidx.compose.ui.test.performTextInput
import jp.mimamori.app.desktop.MemoryLanguageStore
import jp.mimamori.app.desktop.RecordingDevice
import jp.mimamori.app.desktop.XmlWords
import jp.mimamori.core.AppLanguage
import jp.mimamori.core.CoreMimamoriRepository
import jp.mimamori.core.Outcome
import jp.mimamori.core.SELF_PERSON
import jp.mimamori.core.SyncWorkResult
import java.time.OffsetDateTime
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.mobile_core.PersonKind

@OptIn(ExperimentalTestApi::class)
class SignedInJourneyTest {
    @Test fun `a person's days in Japanese at font scale 1`() = journey(AppLanguage.JA, 1f)

    @Test fun `a person's days in Japanese at font scale 2`() = journey(AppLanguage.JA, 2f)

    @Test fun `a person's days in English at font scale 1`() = journey(AppLanguage.EN, 1f)

    @Test fun `a person's days in English at font scale 2`() = journey(AppLanguage.EN, 2f)

    private fun journey(language: AppLanguage, scale: Float) = phoneUiTest(scale) {
        val tag = "${language.tag}-x$scale"
        try {
            steps(language, tag)
        } catch (e: Throwable) {
            // What the screen showed when the journey stopped, beside the other pictures.
            runCatching { snap("failed-live-$tag") }
            throw e
        }
    }

    private fun SkikoComposeUiTest.steps(language: AppLanguage, tag: String) {
        val w = XmlWords(RES, language)
        val owner = liveCase("$tag-owner")
        val member = liveCase("$tag-member")
        val email = "ui-$tag@ui.example.jp"
        val password = "Mimamori-ui-$tag-7q"
        val switch = NetworkSwitch(uiLive("URL"))
        val languages = MemoryLanguageStore(language)
        val repo = liveRepository(switch.url, languages)
        val device = RecordingDevice()
        val services = WorkerServices(repo, languages)
        val back = showApp(language, repo, device, services)
        val form = Form(this, w, repo)

        // Registration, one step a screen, with the code the server mailed.
        waitForText(w.text(R.string.start_register))
        tap(w.text(R.string.start_register))
        waitForText(w.text(R.string.register_email_title))
        type(0, email)
        tap(w.text(R.string.register_send_code))
        waitForText(w.text(R.string.register_code_title))
        type(0, mailedCode(email))
        tap(w.text(R.string.register_verify))
        waitForText(w.text(R.string.register_password_title))
        type(0, password)
        tap(w.text(R.string.register_set_password))
        waitForText(w.text(R.string.register_attributes_title))
        type(0, owner.name)
        type(1, owner.dateOfBirth)
        type(2, owner.phone)
        type(3, owner.inputId)
        tap(w.text(R.string.register_submit_attributes))
        waitForText(w.text(R.string.register_kind_title))
        step("live-01-registration-kind-$tag")
        tap(form.kindLabel)
        tap(w.text(R.string.register_to_report))

        // The first report: the form opens empty; a temperature out of range is refused.
        waitForText(w.text(R.string.report_review))
        form.assertEmpty("the first report")
        step("live-02-report-empty-$tag")
        form.fill("45.5", urgent = false)
        form.confirmAndSave()
        waitUntil("the temperature is refused", 30_000) { onAllNodes(SemanticsMatcher.keyIsDefined(SemanticsProperties.Error)).fetchSemanticsNodes().isNotEmpty() }
        assertEquals(0, onAllNodes(hasText(w.text(R.string.report_saved))).fetchSemanticsNodes().size, "a refused input is not saved")
        assertEquals("45.5", onNode(hasSetTextAction()).fetchSemanticsNode().config.getOrNull(SemanticsProperties.EditableText)?.text,
            "the refused form keeps what was typed")
        step("live-03-report-refused-$tag")
        onNode(hasSetTextAction()).performScrollTo().performTextClearance()
        onNode(hasSetTextAction()).performTextInput("36.8")
        tap(w.text(R.string.report_review))
        waitForText(w.text(R.string.report_confirm_title))
        step("live-04-report-confirm-$tag")
        tap(w.text(R.string.report_submit))
        waitForText(w.text(R.string.report_saved))
        step("live-05-report-advice-$tag")
        tap(w.text(R.string.report_done))
        waitForText(w.text(R.string.today_reported))
        services.awaitWork()
        tap(w.text(R.string.sync_now))
        waitForText(w.text(R.string.sync_nothing_waiting))
        // The suite runs the JVM as a phone set to Japan: the time sent reads as Japan's clock.
        val sentAt = (runBlocking { repo.syncStatus() } as? Outcome.Success)?.value?.lastSuccessAt
            ?: throw AssertionError("the core keeps no time of the last sending")
        val japan = OffsetDateTime.parse(sentAt).atZoneSameInstant(ZoneId.of("Asia/Tokyo"))
        waitForText(w.text(R.string.sync_last_sent, japan.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))))
        step("live-06-home-$tag")

        // The same day again, without a network: the form starts empty, the urgent answer
        // shows the centre's number and its call button, and the report waits on the phone.
        tap(w.text(R.string.today_report_again))
        waitForText(w.text(R.string.report_review))
        form.assertEmpty("a second report the same day")
        switch.offline()
        form.save("38.6", urgent = true)
        val centreNumber = uiLive("CENTRE_NUMBER")
        val call = w.text(R.string.emergency_call, centreNumber)
        waitUntil("the call button", 30_000) { onAllNodes(hasContentDescription(call)).fetchSemanticsNodes().isNotEmpty() }
        step("live-07-report-urgent-$tag")
        onNode(hasContentDescription(call)).performScrollTo().performClick()
        assertEquals(listOf(centreNumber), device.dialled, "the call button dials the centre")
        tap(w.text(R.string.report_done))
        services.awaitWork()
        tap(w.text(R.string.sync_now))
        waitUntil("the sending has ended", 30_000) { onAllNodes(hasText(w.text(R.string.sync_now)) and isEnabled()).fetchSemanticsNodes().isNotEmpty() }
        waitForText(w.text(R.string.sync_error_network))
        waitForText(w.plural(R.plurals.today_pending, 1, 1))
        step("live-08-home-offline-$tag")

        // The network is back: the worker sends what waited; home shows it sent.
        switch.online()
        assertEquals(SyncWorkResult.SUCCESS, services.networkBack(), "the worker's run when the network is back")
        openHistory(w)
        press(back)
        waitForText(w.text(R.string.sync_nothing_waiting))

        // A household member: added with the leaflet's details, reported for, shown in the history.
        tap(w.text(R.string.household_title))
        waitForText(w.text(R.string.household_add_title))
        type(0, member.name)
        type(1, member.dateOfBirth)
        type(2, member.phone)
        type(3, member.inputId)
        tap(w.text(R.string.household_add))
        waitForText(w.text(R.string.household_added, member.name))
        step("live-09-household-$tag")
        press(back)
        waitForText(member.name)
        tap(member.name)
        waitForText(w.text(R.string.today_not_reported))
        tap(w.text(R.string.today_report))
        waitForText(w.text(R.string.report_for, member.name))
        form.save("36.5", urgent = false)
        tap(w.text(R.string.report_done))
        services.awaitWork()
        openHistory(w)
        waitForText(member.name)
        tap(member.name)
        waitForText("36.5 ℃")
        assertEquals(0, onAllNodes(hasText("38.6 ℃", substring = true)).fetchSemanticsNodes().size, "the member's history shows only the member's days")
        step("live-10-history-member-$tag")
        tap(form.ownerLabel)
        waitForText("38.6 ℃")
        step("live-11-history-$tag")
        press(back)

        // Sign out, then sign in again: the password is asked for, Settings stays.
        tap(w.text(R.string.settings_title))
        waitForText(w.text(R.string.settings_sign_out))
        step("live-12-settings-$tag")
        tap(w.text(R.string.rights_open))
        waitForText(w.text(R.string.rights_title))
        step("live-13-data-requests-$tag")
        press(back)
        tap(w.text(R.string.settings_sign_out))
        waitForText(w.text(R.string.start_login))
        tap(w.text(R.string.start_login))
        waitForText(w.text(R.string.login_button))
        val typed = onAllNodes(hasSetTextAction()).fetchSemanticsNodes().map { it.config.getOrNull(SemanticsProperties.EditableText)?.text ?: "" }
        assertEquals(listOf("", ""), typed, "sign-in after signing out starts empty")
        tap(w.text(R.string.login_button))
        waitForIdle()
        assertEquals(0, onAllNodes(hasText(w.text(R.string.today_title))).fetchSemanticsNodes().size, "no way home without the password")
        signIn(w, email, password)
        tap(w.text(R.string.settings_title))
        waitForText(w.text(R.string.settings_sign_out))
        waitForIdle()
        assertEquals(0, onAllNodes(hasText(w.text(R.string.start_register))).fetchSemanticsNodes().size, "Settings stays after signing in again")
        press(back)

        // The server ends the session: a report waits, sign in again, home stays and sends it.
        expireSessions(email)
        waitForText(w.text(R.string.today_report_again))
        tap(w.text(R.string.today_report_again))
        waitForText(w.text(R.string.report_review))
        form.save("36.9", urgent = false)
        tap(w.text(R.string.report_done))
        services.awaitWork()
        tap(w.text(R.string.sync_now))
        waitForText(w.text(R.string.error_login_required))
        waitForText(w.text(R.string.login_button))
        step("live-14-login-required-$tag")
        signIn(w, email, password)
        services.awaitWork()
        tap(w.text(R.string.sync_now))
        waitForText(w.text(R.string.sync_nothing_waiting))
        assertEquals(0, onAllNodes(hasText(w.text(R.string.login_button))).fetchSemanticsNodes().size, "home stays after signing in again")
        step("live-15-home-signed-in-again-$tag")

        // The other language, chosen in Settings: the screens on the way back speak it,
        // the app's words and the core's (today's advice) alike.
        val other = if (language == AppLanguage.JA) AppLanguage.EN else AppLanguage.JA
        val o = XmlWords(RES, other)
        val headline = { runBlocking { repo.todayStatus() }.let { (it as? Outcome.Success)?.value?.advice?.headline } }
        val before = headline() ?: throw AssertionError("no advice of today's report")
        tap(w.text(R.string.settings_title))
        waitForText(w.text(R.string.settings_sign_out))
        tap(if (other == AppLanguage.EN) "English" else "日本語")
        waitForText(o.text(R.string.settings_sign_out))
        step("live-16-settings-switched-$tag")
        press(back)
        waitForText(o.text(R.string.today_title))
        val after = headline() ?: throw AssertionError("no advice of today's report")
        assertTrue(after != before, "the core words the advice in the new language")
        waitForText(after)
        assertEquals(0, onAllNodes(hasText(before, substring = true)).fetchSemanticsNodes().size, "home no longer shows the advice in the old language")
        assertEquals(0, onAllNodes(hasText(w.text(R.string.today_title))).fetchSemanticsNodes().size, "home no longer speaks the old language")
        step("live-17-home-switched-$tag")

        assertTrue(services.runs.isNotEmpty(), "the worker ran after the saves")
        repo.close()
        switch.close()
    }

    /** Opens the history from home and waits until home is gone. */
    private fun SkikoComposeUiTest.openHistory(w: XmlWords) {
        tap(w.text(R.string.history_title))
        waitUntil("the history is shown", 30_000) { onAllNodes(hasText(w.text(R.string.today_title))).fetchSemanticsNodes().isEmpty() }
    }

    /** Signs in on the shown sign-in screen and waits for home. */
    private fun SkikoComposeUiTest.signIn(w: XmlWords, email: String, password: String) {
        val fields = onAllNodes(hasSetTextAction())
        fields[0].performTextClearance()
        fields[0].performTextInput(email)
        fields[1].performTextInput(password)
        tap(w.text(R.string.login_button))
        waitForText(w.text(R.string.today_title))
        waitForIdle()
        assertEquals(0, onAllNodes(hasText(w.text(R.string.login_button))).fetchSemanticsNodes().size, "signed in, home stays")
    }
}

/** Types [text] into the [index]th text field shown. */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.type(index: Int, text: String) {
    onAllNodes(hasSetTextAction())[index].performScrollTo().performTextInput(text)
}

/** The report form as a person fills it: the nine questions' answers by tapping. */
@OptIn(ExperimentalTestApi::class)
class Form(private val ui: SkikoComposeUiTest, private val w: XmlWords, repo: CoreMimamoriRepository) {
    /** The label of the kind "infected" as the core words it in the screen's language. */
    val kindLabel: String = (runBlocking { repo.kinds() } as? Outcome.Success)?.value?.first { it.kind == PersonKind.INFECTED }?.label
        ?: throw AssertionError("the core has no kinds")

    /** The phone owner's name in the person pickers, as the core words it. */
    val ownerLabel: String by lazy {
        (runBlocking { repo.people() } as? Outcome.Success)?.value?.first { it.personId == SELF_PERSON }?.name
            ?: throw AssertionError("the core lists no owner")
    }

    private val radio = SemanticsMatcher.expectValue(SemanticsProperties.Role, Role.RadioButton)

    /** Nothing typed, nothing chosen, no advice of an earlier report. */
    fun assertEmpty(what: String) = with(ui) {
        val field = onNode(hasSetTextAction()).fetchSemanticsNode().config.getOrNull(SemanticsProperties.EditableText)?.text
        assertEquals("", field, "$what: the temperature starts empty")
        val chosen = onAllNodes(radio).fetchSemanticsNodes().count { it.config.getOrNull(SemanticsProperties.Selected) == true }
        assertEquals(0, chosen, "$what: no answer chosen")
        assertEquals(27, onAllNodes(radio).fetchSemanticsNodes().size, "$what: nine questions of three answers")
        assertEquals(0, onAllNodes(hasText(w.text(R.string.report_saved))).fetchSemanticsNodes().size, "$what: no earlier advice")
    }

    /** Fills the form ([fill]), confirms it and saves it; waits for the advice. */
    fun save(temperature: String, urgent: Boolean) = with(ui) {
        fill(temperature, urgent)
        confirmAndSave()
        waitForText(w.text(R.string.report_saved))
    }

    /** "Review", then "save" on the confirm step. */
    fun confirmAndSave() = with(ui) {
        tap(w.text(R.string.report_review))
        waitForText(w.text(R.string.report_confirm_title))
        tap(w.text(R.string.report_submit))
    }

    /** Types [temperature] and answers "no" to all, or "yes" to breathlessness if [urgent]. */
    fun fill(temperature: String, urgent: Boolean) = with(ui) {
        if (onAllNodes(hasText(kindLabel) and hasClickAction() and SemanticsMatcher.expectValue(SemanticsProperties.Selected, true)).fetchSemanticsNodes().isEmpty()) {
            tap(kindLabel)
        }
        onNode(hasSetTextAction()).performScrollTo().performTextInput(temperature)
        for (q in 0 until 9) {
            // Breathlessness is the third question; "yes" to it is urgent.
            val choice = if (urgent && q == 2) 0 else 1
            onAllNodes(radio)[q * 3 + choice].performScrollTo().performClick()
        }
    }
}
