/**
 * The Android app's view models and repository (android/core, compiled as they are)
 * against the LIVE server through UrlConnectionTransport, in the order a patient
 * goes: registration one screen at a time (the code read from the server's mail
 * folder, a too-early resend answered with the server's wait, the step resumed after
 * an app restart, a weak password and attributes that do not match refused on the
 * right place), the first report with its advice and the worker's sync, a report the
 * server refuses shown with its reason and retried, a household member added and
 * reported for, the leaflet's link (this server's taken, another's refused), the
 * reminder after everyone reported, signing out with reports waiting, then in
 * again; and the person's data requests: a temperature correction of a sent report
 * filed (received), answered by the centre on its page and shown answered, a refused
 * suspension with the centre's reason, and the disclosure with the report and its
 * corrected temperature beside it. tests/live/run.sh then asks the staff API how many reports each case holds.
 */
package mimamori.app

import java.io.File
import java.net.URLEncoder
import java.nio.file.Files
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneOffset
import jp.mimamori.core.AlarmPort
import jp.mimamori.core.CoreMimamoriRepository
import jp.mimamori.core.EmergencyContactViewModel
import jp.mimamori.core.HomeViewModel
import jp.mimamori.core.HouseholdViewModel
import jp.mimamori.core.LanguageStore
import jp.mimamori.core.AppLanguage
import jp.mimamori.core.DataRequestsViewModel
import jp.mimamori.core.LoginViewModel
import jp.mimamori.core.NavigationViewModel
import jp.mimamori.core.Outcome
import jp.mimamori.core.RegistrationViewModel
import jp.mimamori.core.RegistrationViewModel.Step
import jp.mimamori.core.ReminderScheduler
import jp.mimamori.core.ReportFormViewModel
import jp.mimamori.core.SELF_PERSON
import jp.mimamori.core.Screen
import jp.mimamori.core.ScreenError
import jp.mimamori.core.SettingsViewModel
import jp.mimamori.core.SyncWork
import jp.mimamori.core.SyncWorkOutcome
import jp.mimamori.core.SyncWorkResult
import jp.mimamori.core.SystemClock
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import mimamori.live.answerOnCentrePage
import mimamori.live.codeFor
import mimamori.live.liveEnv
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.TestMethodOrder
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.CorrectionField
import uniffi.mobile_core.DataRequestKind
import uniffi.mobile_core.DataRequestStatus
import uniffi.mobile_core.Language
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.ReminderPlan
import uniffi.mobile_core.ReportInput
import uniffi.mobile_core.Urgency

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class AppFlowTest {
    private val dir: File = Files.createTempDirectory("mimamori-app").toFile()
    private val db = File(dir, "phone.db").path
    private val url = liveEnv("URL")
    private val email = liveEnv("APP_EMAIL")
    private val centre = liveEnv("CENTRE")
    private val centreNumber = liveEnv("CENTRE_NUMBER")
    private var repo: CoreMimamoriRepository = open()

    private fun open(): CoreMimamoriRepository = runBlocking {
        CoreMimamoriRepository.openWithServer(db, url, io = Dispatchers.IO) { Language.JA }
    }.let { (it as? Outcome.Success)?.value ?: throw AssertionError("open failed: $it") }

    private fun <T> Outcome<T>.orFail(): T = (this as? Outcome.Success)?.value ?: throw AssertionError("failed: $this")

    private fun ReportFormViewModel.answerAll(vararg yes: String) {
        state.value.questions.forEachIndexed { i, q -> answer(i, if (q.id in yes) AnswerChoice.YES else AnswerChoice.NO) }
    }

    private fun enc(s: String) = URLEncoder.encode(s, Charsets.UTF_8.name())

    @AfterAll
    fun close() {
        repo.close()
        dir.deleteRecursively()
    }

    @Test
    @Order(1)
    fun registrationOneScreenAtATime(): Unit = runBlocking {
        val nav = NavigationViewModel(repo, this)
        nav.start().join()
        assertEquals(Screen.Start, nav.state.value.current)
        nav.open(Screen.Registration)

        val reg = RegistrationViewModel(repo, this)
        reg.load().join()
        reg.setEmail(email)
        reg.requestCode().join()
        assertEquals(Step.CODE, reg.state.value.step, "${reg.state.value.fieldErrors} ${reg.state.value.error}")
        assertTrue((reg.state.value.codeValidSeconds ?: 0) > 0)
        // The server allows a few codes per address, then answers with its wait.
        var throttledAt = -1
        for (i in 1..4) {
            reg.resendCode().join()
            if (reg.state.value.errorFor("code") != null) { throttledAt = i; break }
        }
        assertTrue(throttledAt > 0, "a resend was throttled")
        assertTrue(reg.state.value.resendWaitSeconds(System.currentTimeMillis()) > 0, "the server's wait is shown")
        val code = codeFor(email)

        // The app is closed and opened again: the registration resumes on the code.
        repo.close()
        repo = open()
        val nav2 = NavigationViewModel(repo, this)
        nav2.start().join()
        assertEquals(listOf(Screen.Start, Screen.Registration), nav2.state.value.stack)
        val resumed = RegistrationViewModel(repo, this)
        resumed.load().join()
        assertEquals(Step.CODE, resumed.state.value.step)
        assertEquals(email, resumed.state.value.email, "the address for sending the code again is kept")

        val wrong = code.dropLast(1) + ((code.last().digitToInt() + 1) % 10)
        resumed.setCode(wrong)
        resumed.verifyCode().join()
        assertEquals(Step.CODE, resumed.state.value.step)
        assertFalse(resumed.state.value.errorFor("code").isNullOrBlank(), "a wrong code is refused on the code")
        resumed.setCode(code)
        resumed.verifyCode().join()
        assertEquals(Step.PASSWORD, resumed.state.value.step, "${resumed.state.value.fieldErrors}")

        resumed.setPassword("password").join()
        assertFalse(resumed.state.value.passwordMeetsRule)
        resumed.submitPassword().join()
        assertEquals(Step.PASSWORD, resumed.state.value.step)
        assertFalse(resumed.state.value.errorFor("password").isNullOrBlank(), "a weak password is refused on the password")
        resumed.setPassword("Yuki-hana-83").join()
        assertTrue(resumed.state.value.passwordMeetsRule)
        resumed.submitPassword().join()
        assertEquals(Step.ATTRIBUTES, resumed.state.value.step)

        resumed.setName(liveEnv("APP_NAME"))
        resumed.setDateOfBirth(liveEnv("APP_DOB"))
        resumed.setPhone(liveEnv("APP_PHONE"))
        val inputId = liveEnv("APP_INPUT_ID")
        resumed.setInputId(if (inputId.startsWith("9")) "1$inputId".take(inputId.length) else "9$inputId".take(inputId.length))
        resumed.submitAttributes().join()
        assertEquals(Step.ATTRIBUTES, resumed.state.value.step)
        val mismatch = resumed.state.value.error
        assertTrue(mismatch is ScreenError.Server && mismatch.reason.contains("保健所"), "$mismatch")
        resumed.setInputId(inputId)
        resumed.submitAttributes().join()
        val s = resumed.state.value
        assertEquals(Step.KIND, s.step, "${s.error}")
        assertEquals(centre, s.profile?.centreName)
        assertEquals(PersonKind.INFECTED, s.kind)
        resumed.finish()
        assertEquals(Step.DONE, resumed.state.value.step)
        nav2.registered()
        assertEquals(listOf(Screen.Home, Screen.Report()), nav2.state.value.stack)
        assertEquals(centreNumber, repo.emergencyContact().orFail()?.phoneNumber)
    }

    @Test
    @Order(2)
    fun theFirstReportItsAdviceAndTheWorkersSync(): Unit = runBlocking {
        var sync: SyncWorkOutcome? = null
        val form = ReportFormViewModel(repo, this, afterSave = { sync = SyncWork(repo).run(timeLimitMs = 30_000) })
        form.load().join()
        assertEquals(PersonKind.INFECTED, form.state.value.kind, "the registered kind")
        form.setTemperature("38.1")
        form.answerAll("breathlessness")
        form.review()
        form.submit().join()
        val advice = form.state.value.advice!!
        assertEquals(Urgency.CALL_NOW, advice.urgency)
        assertTrue(advice.callInstruction.contains(centreNumber), advice.callInstruction)
        assertEquals(SyncWorkResult.SUCCESS, sync?.result, "${sync?.error}")
        assertFalse(sync!!.skipped)

        val home = HomeViewModel(repo, this)
        home.refresh().join()
        val s = home.state.value
        assertTrue(s.reportedToday)
        assertEquals(0L, s.pendingSync)
        assertNotNull(s.lastSentAt)
        assertNull(s.lastSyncError)
        assertTrue(s.failed.isEmpty())
        assertEquals(centreNumber, s.emergency?.phoneNumber)
    }

    @Test
    @Order(3)
    fun aRefusedReportIsShownWithItsReasonAndRetried(): Unit = runBlocking {
        val today = LocalDate.parse(repo.todayStatus().orFail().localDate)
        val early = ReportInput(SELF_PERSON, today.minusDays(5).toString(), PersonKind.INFECTED, "36.6", List(9) { AnswerChoice.NO })
        repo.saveReport(early).orFail()
        val home = HomeViewModel(repo, this)
        home.syncNow().join()
        val s = home.state.value
        assertNull(s.syncError)
        assertEquals(0L, s.pendingSync)
        val failed = s.failed.single()
        assertEquals("outside_observation_period", failed.reasonCode)
        assertFalse(failed.reason.isBlank())
        assertTrue(s.canRetry)

        home.retry().join()
        val after = home.state.value
        assertNull(after.syncError)
        assertEquals(0L, after.pendingSync)
        assertEquals(failed.report.reportId, after.failed.single().report.reportId, "sent again, refused again, still kept")
    }

    @Test
    @Order(4)
    fun aHouseholdMemberIsAddedAndReportedFor(): Unit = runBlocking {
        val household = HouseholdViewModel(repo, this)
        household.load().join()
        household.setName(liveEnv("MEMBER_NAME"))
        household.setDateOfBirth(liveEnv("MEMBER_DOB"))
        household.setPhone(liveEnv("MEMBER_PHONE"))
        household.setInputId(liveEnv("APP_INPUT_ID"))
        household.addMember().join()
        assertNull(household.state.value.added)
        assertTrue(household.state.value.error is ScreenError.Server, "${household.state.value.error}")
        assertTrue(liveEnv("MEMBER_NAME") == household.state.value.name, "the form is kept")

        household.setInputId(liveEnv("MEMBER_INPUT_ID"))
        household.addMember().join()
        val member = household.state.value.added
        assertNotNull(member, "${household.state.value.error}")
        assertEquals(listOf(SELF_PERSON, member!!.personId), household.state.value.people.map { it.view.personId })
        household.select(member.personId)
        assertEquals(member.personId, household.state.value.selected)

        var sync: SyncWorkOutcome? = null
        val form = ReportFormViewModel(repo, this, afterSave = { sync = SyncWork(repo).run(timeLimitMs = 30_000) })
        form.load().join()
        form.selectPerson(member.personId).join()
        assertEquals(member.name, form.state.value.person?.name)
        form.setTemperature("36.9")
        form.answerAll("cough")
        form.submit().join()
        assertNotNull(form.state.value.saved, "${form.state.value.fieldError} ${form.state.value.error}")
        assertEquals(SyncWorkResult.SUCCESS, sync?.result, "${sync?.error}")
        val queue = repo.personSyncStatus(member.personId).orFail()
        assertEquals(0uL, queue.pending)
        assertEquals(0uL, queue.failed)

        val home = HomeViewModel(repo, this, personId = member.personId)
        home.refresh().join()
        assertTrue(home.state.value.reportedToday)
        assertEquals(member.name, home.state.value.person?.name)
    }

    @Test
    @Order(5)
    fun theLeafletsLinkSetsTheContactAndAnotherServersIsRefused(): Unit = runBlocking {
        val link = "$url/app?centre=1&name=${enc(centre)}&tel=${enc(centreNumber)}"
        val contact = EmergencyContactViewModel(repo, this)
        contact.load().join()
        contact.openLink("https://elsewhere.example.jp/app?centre=1&name=${enc("他所")}&tel=${enc("03-0000-0000")}").join()
        assertNotNull(contact.state.value.linkError)
        assertEquals(centreNumber, repo.emergencyContact().orFail()?.phoneNumber, "unchanged")
        contact.openLink("mimamori://leaflet?link=${enc(link)}").join()
        assertTrue(contact.state.value.stored, "${contact.state.value.fieldError}")
        assertEquals(centre, repo.emergencyContact().orFail()?.centreName)
    }

    @Test
    @Order(6)
    fun theReminderWaitsForTomorrowOnceEveryoneReported(): Unit = runBlocking {
        var planned: ReminderPlan? = null
        val alarm = object : AlarmPort {
            override fun schedule(plan: ReminderPlan) { planned = plan }
            override fun cancel() { planned = null }
        }
        ReminderScheduler(repo, alarm).reschedule().orFail()
        val plan = planned!!
        val offset = ZoneOffset.ofTotalSeconds(SystemClock.utcOffsetMinutes(plan.atEpochMs) * 60)
        val at = Instant.ofEpochMilli(plan.atEpochMs).atOffset(offset)
        val today = LocalDate.parse(repo.todayStatus().orFail().localDate)
        assertEquals(today.plusDays(1), at.toLocalDate(), "the owner and the member reported today")
        assertEquals(9, at.hour)
    }

    @Test
    @Order(7)
    fun signingOutWarnsWhileAReportWaitsThenSignInAgain(): Unit = runBlocking {
        repo.saveReport(ReportInput(SELF_PERSON, null, PersonKind.INFECTED, "36.7", List(9) { AnswerChoice.NO })).orFail()
        val languages = object : LanguageStore {
            override fun get() = AppLanguage.JA
            override fun set(language: AppLanguage) = Unit
        }
        val alarm = object : AlarmPort {
            override fun schedule(plan: ReminderPlan) = Unit
            override fun cancel() = Unit
        }
        val settings = SettingsViewModel(repo, this, languages, ReminderScheduler(repo, alarm))
        settings.requestSignOut().join()
        assertEquals(1L, settings.state.value.signOutWarning)
        settings.keepSignedIn()
        HomeViewModel(repo, this).syncNow().join()
        assertEquals(0L, repo.pendingSyncCount().orFail())
        settings.requestSignOut().join()
        assertNull(settings.state.value.signOutWarning)
        assertTrue(settings.state.value.signedOut)
        assertFalse(repo.isLoggedIn().orFail())

        val login = LoginViewModel(repo, this)
        login.setEmail(email)
        login.setPassword("Yuki-hana-84")
        login.login().join()
        assertFalse(login.state.value.signedIn)
        assertFalse(login.state.value.errorFor("password").isNullOrBlank(), "${login.state.value.error}")
        login.setPassword("Yuki-hana-83")
        login.login().join()
        assertTrue(login.state.value.signedIn, "${login.state.value.error}")
        assertEquals(centre, login.state.value.profile?.centreName)
    }

    @Test
    @Order(8)
    fun aDataRequestIsFiledAnsweredByTheCentreAndTheDisclosureShowsTheReport(): Unit = runBlocking {
        val vm = DataRequestsViewModel(repo, this)
        vm.load().join()
        assertNull(vm.state.value.error)
        val sent = vm.state.value.reports.firstOrNull() ?: throw AssertionError("no sent report offered")
        vm.setKind(DataRequestKind.CORRECTION)
        vm.setItem(CorrectionField.TEMPERATURE)
        vm.pickReport(sent.reportId)
        vm.setValue("36.4")
        vm.confirm()
        vm.send().join()
        val filed = vm.state.value.filed ?: throw AssertionError("not filed: ${vm.state.value.error} ${vm.state.value.fieldError}")
        assertEquals(DataRequestStatus.OPEN, filed.status)
        assertEquals("受付済み（保健所で確認中）", filed.statusLabel)
        assertEquals("体温", filed.fieldLabel)
        assertEquals(filed.id, vm.state.value.requests.first().id, "the list shows it, newest first")
        assertEquals(DataRequestStatus.OPEN, vm.state.value.requests.first().status)

        assertEquals(303, answerOnCentrePage(filed.id, "action=corrected&value=36.4"))
        vm.load().join()
        val answered = vm.state.value.requests.first { it.id == filed.id }
        assertEquals(DataRequestStatus.CORRECTED, answered.status)
        assertEquals("訂正済み", answered.statusLabel)
        assertEquals("36.4", answered.correctedValue)
        assertNotNull(answered.answeredAt)
        // The phone's own history now shows the corrected temperature for that report.
        val days = (repo.history("self", 30) as? Outcome.Success)?.value ?: throw AssertionError("no history")
        val day = days.firstOrNull { it.report?.reportId == sent.reportId } ?: throw AssertionError("the report's day is not in the history")
        assertEquals(364.toUShort(), day.report?.temperatureTenths, "the history shows the corrected value")

        vm.setKind(DataRequestKind.SUSPENSION)
        vm.setNote("健康観察が終わったため")
        vm.confirm()
        vm.send().join()
        val suspension = vm.state.value.filed ?: throw AssertionError("not filed: ${vm.state.value.error}")
        assertEquals(303, answerOnCentrePage(suspension.id, "action=refused&reason=${enc("観察期間中のため停止できません")}"))
        vm.load().join()
        val refused = vm.state.value.requests.first { it.id == suspension.id }
        assertEquals(DataRequestStatus.REFUSED, refused.status)
        assertEquals("観察期間中のため停止できません", refused.reason)

        vm.loadDisclosure().join()
        val d = vm.state.value.disclosure ?: throw AssertionError("no disclosure: ${vm.state.value.error}")
        assertTrue(liveEnv("APP_NAME") == d.name, "the disclosure holds the registered name")
        assertEquals(centre, d.centreName)
        assertFalse(d.suspended)
        val held = d.reports.first { it.reportId == sent.reportId }
        assertEquals("%d.%d".format(sent.temperatureTenths.toInt() / 10, sent.temperatureTenths.toInt() % 10), held.temperature)
        assertEquals("36.4", held.correctedTemperature)
        assertTrue(d.requests.any { it.id == filed.id && it.status == DataRequestStatus.CORRECTED })
        // Everything else held, in the person's language: the sign-in account among them.
        val account = d.sections.first { it.id == "account" }
        assertEquals("ログインに使うアカウント", account.title)
        assertTrue(account.rows.flatten().contains(liveEnv("APP_EMAIL")), "the sign-in e-mail is disclosed")
        assertEquals(setOf("account", "notification", "contacts", "handlings", "calls", "transfers", "household", "access"), d.sections.map { it.id }.toSet())
    }
}
