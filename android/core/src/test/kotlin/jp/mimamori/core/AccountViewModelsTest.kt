/*
 * JUnit 5 tests of the account screens on the REAL core, without a server: the
 * password rule ticked by the core as it is typed (Japanese and English), empty
 * fields refused by the core on their own field before anything is sent, the
 * server's wait after a too-early resend (Throttled, injected as the real core
 * returns it) shown and counted down, cancelling, sign-in refusals, and the first
 * screen chosen by the navigation.
 */
package jp.mimamori.core

import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.mobile_core.Language

class AccountViewModelsTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun thePasswordRuleIsTickedAsItIsTyped(): Unit = serverCore(dir).use { repo ->
        kotlinx.coroutines.runBlocking {
            val vm = RegistrationViewModel(repo, this)
            vm.load().join()
            val empty = vm.state.value.rule!!
            assertTrue(empty.rule.contains("8"), empty.rule)
            assertEquals(5, empty.parts.size)
            assertTrue(empty.parts.none { it.met })
            assertFalse(vm.state.value.passwordMeetsRule)

            vm.setPassword("abc").join()
            val some = vm.state.value.rule!!
            assertEquals(1, some.parts.count { it.met }, "${some.parts}")
            assertFalse(some.meetsRule)

            vm.setPassword("Hoshi-zora-42").join()
            val all = vm.state.value.rule!!
            assertTrue(all.parts.all { it.met }, "${all.parts}")
            assertTrue(vm.state.value.passwordMeetsRule)
        }
    }

    @Test
    fun emptyFieldsAreRefusedOnTheirOwnFieldBeforeAnythingIsSent(): Unit = serverCore(dir, lang = Language.EN).use { repo ->
        kotlinx.coroutines.runBlocking {
            val vm = RegistrationViewModel(repo, this)
            vm.load().join()
            assertEquals(RegistrationViewModel.Step.EMAIL, vm.state.value.step)
            vm.setEmail("   ")
            vm.requestCode().join()
            assertEquals(RegistrationViewModel.Step.EMAIL, vm.state.value.step)
            assertEquals("Please fill this in.", vm.state.value.errorFor("email"))
            vm.setEmail("a@example.jp")
            assertNull(vm.state.value.errorFor("email"), "typing clears the message")
            assertNull(repo.registrationProgress().orFail())
        }
    }

    @Test
    fun aTooEarlyResendShowsTheServersWait(): Unit = serverCore(dir).use { core ->
        kotlinx.coroutines.runBlocking {
            var now = 1_000_000L
            val repo = FailingRepository(core)
            val vm = RegistrationViewModel(repo, this) { now }
            vm.load().join()
            vm.setEmail("a@example.jp")
            repo.failNext = ScreenError.Throttled(42, "42秒後にもう一度お試しください。")
            vm.requestCode().join()
            val s = vm.state.value
            assertEquals("42秒後にもう一度お試しください。", s.errorFor("email"))
            assertEquals(42, s.resendWaitSeconds(now))
            now += 40_500
            assertEquals(2, vm.state.value.resendWaitSeconds(now))
            now += 2_000
            assertEquals(0, vm.state.value.resendWaitSeconds(now))
        }
    }

    @Test
    fun withNoRegistrationInProgressTheCodeStepSendsThePersonBack(): Unit = serverCore(dir).use { repo ->
        kotlinx.coroutines.runBlocking {
            val vm = RegistrationViewModel(repo, this)
            vm.load().join()
            vm.setCode("123456")
            vm.verifyCode().join()
            val s = vm.state.value
            assertEquals(RegistrationViewModel.Step.EMAIL, s.step)
            val error = s.error as ScreenError.Invalid
            assertEquals("registration", error.field)
            assertTrue(error.reason.contains("認証コード"), error.reason)
            vm.cancel().join()
            assertEquals(RegistrationViewModel.Step.EMAIL, vm.state.value.step)
            assertNull(vm.state.value.error)
        }
    }

    @Test
    fun signInRefusalsGoOnTheirField(): Unit = serverCore(dir).use { repo ->
        kotlinx.coroutines.runBlocking {
            val vm = LoginViewModel(repo, this)
            vm.setEmail("a@example.jp")
            vm.login().join()
            assertNotNull(vm.state.value.errorFor("password"))
            assertFalse(vm.state.value.signedIn)
            assertFalse(repo.isLoggedIn().orFail())
        }
    }

    @Test
    fun signInAgainstAServerThatCannotBeReachedIsANoticeNotAFieldError(): Unit =
        serverCore(dir, server = "http://127.0.0.1:1").use { repo ->
            kotlinx.coroutines.runBlocking {
                val vm = LoginViewModel(repo, this)
                vm.setEmail("a@example.jp")
                vm.setPassword("Hoshi-zora-42")
                vm.login().join()
                assertTrue(vm.state.value.error is ScreenError.Offline, "${vm.state.value.error}")
                assertTrue(vm.state.value.fieldErrors.isEmpty())
                assertEquals("Hoshi-zora-42", vm.state.value.password, "nothing typed is lost")
            }
        }

    @Test
    fun theFirstScreenIsStartWithoutAnAccountAndHomeAfterSignIn(): Unit = SilentUploadServer().use { server ->
        serverCore(dir, server = server.url).use { repo ->
            kotlinx.coroutines.runBlocking {
                val nav = NavigationViewModel(repo, this)
                assertTrue(nav.state.value.deciding)
                nav.start().join()
                assertEquals(Screen.Start, nav.state.value.current)
                assertFalse(nav.back(), "nothing behind the first screen")

                nav.open(Screen.UrgentCheck)
                nav.open(Screen.UrgentCheck)
                assertEquals(listOf(Screen.Start, Screen.UrgentCheck), nav.state.value.stack)
                assertTrue(nav.back())

                val login = LoginViewModel(repo, this, afterLogin = { nav.signedIn() })
                nav.open(Screen.Login())
                login.setEmail("a@example.jp")
                login.setPassword("Hoshi-zora-42")
                login.login().join()
                assertTrue(login.state.value.signedIn)
                assertEquals(listOf(Screen.Home), nav.state.value.stack)
                assertEquals("03-1234-5678", repo.emergencyContact().orFail()?.phoneNumber, "the profile's number is kept")

                val again = NavigationViewModel(repo, this)
                again.start(link = "$TEST_SERVER/app?centre=1&name=x&tel=1").join()
                assertEquals(listOf(Screen.Home, Screen.Contact("$TEST_SERVER/app?centre=1&name=x&tel=1")), again.state.value.stack)
                again.loginRequired()
                again.loginRequired()
                assertEquals(Screen.Login(sessionEnded = true), again.state.value.current, "the login screen says the session ended")
                assertEquals(3, again.state.value.stack.size)
                again.signedOut()
                assertEquals(listOf(Screen.Start), again.state.value.stack)
            }
        }
    }

    @Test
    fun everyVisitOfAScreenIsNewSoItsStateStartsAfresh(): Unit = withOfflineCore(dir) { repo ->
        val nav = NavigationViewModel(repo, this)
        nav.start().join()
        nav.open(Screen.UrgentCheck)
        val first = nav.state.value.currentEntry!!
        assertTrue(nav.back())
        nav.open(Screen.UrgentCheck)
        val second = nav.state.value.currentEntry!!
        assertEquals(Screen.UrgentCheck, second.screen)
        assertNotEquals(first.visit, second.visit, "a screen opened again is a new visit")

        nav.loginRequired()
        val before = nav.state.value.entries.map { it.visit }
        nav.signedIn()
        val home = nav.state.value.currentEntry!!
        assertEquals(Screen.Home, home.screen)
        assertFalse(home.visit in before, "home after a sign-in is a new visit, not the one that asked for it")

        nav.open(Screen.Settings)
        val stack = nav.state.value.entries
        nav.renewAll()
        assertEquals(stack.map { it.screen }, nav.state.value.stack, "a language change keeps the screens")
        assertTrue(nav.state.value.entries.none { e -> stack.any { it.visit == e.visit } }, "and starts each again")
        nav.signedOut()
        nav.open(Screen.Login())
        assertTrue(nav.state.value.entries.none { e -> stack.any { it.visit == e.visit } }, "sign-in after sign-out is new")
    }
}
