/*
 * First registration (初回登録) as the guide's steps, one screen each, in plain
 * Kotlin: e-mail → the mailed code (resend once the server's wait is over) → password
 * with the core's rule ticked as it is typed → name, date of birth, phone and the
 * smartphone input ID → kind (infected or close contact) → on to the first report.
 * Resumes on the right step after an app restart (the core keeps the progress).
 * Every refusal is the core's message, on the field it names, else on the step's own
 * field; a failure that is not about a field is shown at the top.
 */
package jp.mimamori.core

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import uniffi.mobile_core.KindView
import uniffi.mobile_core.PasswordRuleView
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.ProfileView
import uniffi.mobile_core.RegistrationStep

/**
 * The registration screens. [clockMs] is the phone's clock, for the resend wait;
 * tests pass their own.
 */
class RegistrationViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
    private val clockMs: () -> Long = System::currentTimeMillis,
) {
    /** The screens, in the guide's order. */
    enum class Step { EMAIL, CODE, PASSWORD, ATTRIBUTES, KIND, DONE }

    /** Everything the registration screens show. */
    data class State(
        val loading: Boolean = true,
        val step: Step = Step.EMAIL,
        val email: String = "",
        val code: String = "",
        val password: String = "",
        /** The rule beside the password field, ticked for what was typed. */
        val rule: PasswordRuleView? = null,
        val name: String = "",
        val dateOfBirth: String = "",
        val phone: String = "",
        val inputId: String = "",
        val kinds: List<KindView> = emptyList(),
        val kind: PersonKind? = null,
        /** The case's profile once the attributes matched. */
        val profile: ProfileView? = null,
        val busy: Boolean = false,
        /** How long the mailed code is valid, in seconds, as the server said. */
        val codeValidSeconds: Long? = null,
        /** When a new code may be asked for (the server's wait), epoch ms. */
        val resendAllowedAtMs: Long = 0,
        /** The core's message for each refused field (`email`, `code`, `password`, `name`, …). */
        val fieldErrors: Map<String, String> = emptyMap(),
        /** A failure not about one field (offline, the server's refusal of the whole step). */
        val error: ScreenError? = null,
    ) {
        /** The message to show under [field]. */
        fun errorFor(field: String): String? = fieldErrors[field]

        /** Seconds left before "resend" may be used, seen at [nowMs]. */
        fun resendWaitSeconds(nowMs: Long): Long = ((resendAllowedAtMs - nowMs + 999) / 1000).coerceAtLeast(0)

        /** Whether the password meets the rule as the core checks it while typing. */
        val passwordMeetsRule: Boolean get() = rule?.meetsRule == true
    }

    private val mutableState = MutableStateFlow(State())

    /** The screens' current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /** Loads the kinds and resumes a registration in progress on its step. */
    fun load(): Job = scope.launch {
        val progress = repository.registrationProgress()
        val kinds = repository.kinds()
        val rule = repository.passwordRule("")
        val step = when (progress.valueOrNull()?.step) {
            RegistrationStep.ENTER_CODE -> Step.CODE
            RegistrationStep.SET_PASSWORD -> Step.PASSWORD
            RegistrationStep.ENTER_ATTRIBUTES -> Step.ATTRIBUTES
            null -> null
        }
        mutableState.update { s ->
            s.copy(
                loading = false,
                step = step ?: s.step,
                // "Send again" after a restart: the address the core kept, not retyped.
                email = progress.valueOrNull()?.email?.takeIf { s.email.isEmpty() } ?: s.email,
                kinds = kinds.valueOrNull().orEmpty(),
                rule = rule.valueOrNull(),
                error = progress.errorOrNull() ?: kinds.errorOrNull(),
            )
        }
    }

    /** The e-mail address as typed. */
    fun setEmail(text: String) = edit("email") { it.copy(email = text) }

    /** The mailed code as typed. */
    fun setCode(text: String) = edit("code") { it.copy(code = text) }

    /** The name as typed. */
    fun setName(text: String) = edit("name") { it.copy(name = text) }

    /** The date of birth as typed (YYYY-MM-DD). */
    fun setDateOfBirth(text: String) = edit("date_of_birth") { it.copy(dateOfBirth = text) }

    /** The phone number as typed (half-width digits). */
    fun setPhone(text: String) = edit("phone") { it.copy(phone = text) }

    /** The smartphone input ID from the leaflet as typed. */
    fun setInputId(text: String) = edit("input_id") { it.copy(inputId = text) }

    /** The password as typed; the rule beside it is ticked again by the core. */
    fun setPassword(text: String): Job {
        edit("password") { it.copy(password = text) }
        return scope.launch {
            val rule = repository.passwordRule(text).valueOrNull() ?: return@launch
            // Only the answer for what is in the field now (typing may have gone on).
            mutableState.update { if (it.password == text) it.copy(rule = rule) else it }
        }
    }

    /** Step 2: mails a code to the address; on to the code screen. */
    fun requestCode(): Job = step("email") { s ->
        when (val sent = repository.requestCode(s.email)) {
            is Outcome.Success -> Outcome.Success(s.copy(step = Step.CODE, code = "", codeValidSeconds = sent.value))
            is Outcome.Failure -> sent
        }
    }

    /** Sends a new code to the same address; too early, the server's wait is shown. */
    fun resendCode(): Job = step("code") { s ->
        when (val sent = repository.requestCode(s.email)) {
            is Outcome.Success -> Outcome.Success(s.copy(code = "", codeValidSeconds = sent.value))
            is Outcome.Failure -> sent
        }
    }

    /** Back to the e-mail screen (another address, or after a restart to resend). */
    fun changeEmail() {
        mutableState.update { it.copy(step = Step.EMAIL, fieldErrors = emptyMap(), error = null) }
    }

    /** Step 4: checks the code; on to the password. */
    fun verifyCode(): Job = step("code") { s ->
        when (val verified = repository.verifyCode(s.code)) {
            is Outcome.Success -> Outcome.Success(s.copy(step = Step.PASSWORD, code = ""))
            is Outcome.Failure -> verified
        }
    }

    /** Step 5: sets the password; on to the attributes. */
    fun submitPassword(): Job = step("password") { s ->
        when (val set = repository.setPassword(s.password)) {
            is Outcome.Success -> Outcome.Success(s.copy(step = Step.ATTRIBUTES, password = ""))
            is Outcome.Failure -> set
        }
    }

    /** Step 6: the attributes and input ID; a match signs the person in. */
    fun submitAttributes(): Job = step(null) { s ->
        when (val registered = repository.submitAttributes(s.name, s.dateOfBirth, s.phone, s.inputId)) {
            is Outcome.Success -> Outcome.Success(
                s.copy(step = Step.KIND, profile = registered.value, kind = registered.value.kind),
            )
            is Outcome.Failure -> registered
        }
    }

    /** Step 7: infected or close contact. */
    fun selectKind(kind: PersonKind) {
        mutableState.update { it.copy(kind = kind) }
    }

    /** Step 7's button: on to the first report with the chosen kind. */
    fun finish() {
        mutableState.update { if (it.step == Step.KIND && it.kind != null) it.copy(step = Step.DONE) else it }
    }

    /** Abandons the registration; back to the e-mail screen with nothing kept. */
    fun cancel(): Job = scope.launch {
        val result = repository.cancelRegistration()
        mutableState.update { s ->
            State(loading = false, kinds = s.kinds, rule = s.rule, error = result.errorOrNull())
        }
    }

    private fun edit(field: String, change: (State) -> State) {
        mutableState.update { change(it).copy(fieldErrors = it.fieldErrors - field) }
    }

    /**
     * Runs one step's call. A refusal goes on its field ([mainField] when the core
     * names none); a throttled request sets the resend wait; a registration the
     * server forgot starts again at the e-mail screen.
     */
    private fun step(mainField: String?, call: suspend (State) -> Outcome<State>): Job {
        val before = mutableState.value
        if (before.busy) return completedJob()
        mutableState.update { it.copy(busy = true, fieldErrors = emptyMap(), error = null) }
        return scope.launch {
            val result = call(before)
            mutableState.update { s ->
                when (result) {
                    is Outcome.Success -> result.value.copy(busy = false)
                    is Outcome.Failure -> failed(s.copy(busy = false), result.error, mainField)
                }
            }
        }
    }

    private fun failed(s: State, error: ScreenError, mainField: String?): State {
        if (error is ScreenError.Invalid && error.field == "registration") {
            return s.copy(step = Step.EMAIL, error = error)
        }
        if (error is ScreenError.Throttled) {
            val field = mainField ?: "email"
            return s.copy(
                resendAllowedAtMs = clockMs() + error.retryAfterSeconds * 1000,
                fieldErrors = s.fieldErrors + (field to error.reason),
            )
        }
        val onField = fieldMessage(error, mainField)
        return if (onField != null) s.copy(fieldErrors = s.fieldErrors + onField) else s.copy(error = error)
    }
}
