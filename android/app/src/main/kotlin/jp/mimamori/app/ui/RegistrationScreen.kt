/*
 * First registration (初回登録), one screen per step of the guide: e-mail, the mailed
 * code (with resend once the server's wait has passed, counted down), the password
 * with the core's rule ticked as it is typed, name / date of birth / phone / input ID,
 * and the kind. Draws RegistrationViewModel's state; every message is the core's.
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableLongStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import jp.mimamori.app.R
import jp.mimamori.core.RegistrationViewModel
import jp.mimamori.core.RegistrationViewModel.Step
import kotlinx.coroutines.delay

/** The registration steps; [onDone] goes on to the first report. */
@Composable
fun RegistrationScreen(model: RegistrationViewModel, onDone: () -> Unit) {
    val s by model.state.collectAsState()
    LaunchedEffect(s.step) { if (s.step == Step.DONE) onDone() }
    ScreenColumn {
        Heading(text(R.string.register_title))
        Text(text(R.string.register_step, s.step.ordinal + 1, Step.entries.size - 1), style = MaterialTheme.typography.labelLarge)
        s.error?.let { ScreenErrorText(it, offline = R.string.error_offline_sign_in) }
        when (s.step) {
            Step.EMAIL -> {
                SubHeading(text(R.string.register_email_title))
                LabeledField(s.email, model::setEmail, text(R.string.register_email), s.errorFor("email"), KeyboardType.Email)
                Button(onClick = { model.requestCode() }, enabled = !s.busy, modifier = Modifier.fillMaxWidth()) {
                    Text(text(R.string.register_send_code))
                }
            }
            Step.CODE -> CodeStep(model)
            Step.PASSWORD -> PasswordStep(model)
            Step.ATTRIBUTES -> {
                SubHeading(text(R.string.register_attributes_title))
                LabeledField(s.name, model::setName, text(R.string.field_name), s.errorFor("name"))
                LabeledField(
                    s.dateOfBirth, model::setDateOfBirth, text(R.string.field_date_of_birth), s.errorFor("date_of_birth"),
                    KeyboardType.Number, hint = text(R.string.field_date_of_birth_hint),
                )
                LabeledField(
                    s.phone, model::setPhone, text(R.string.field_phone), s.errorFor("phone"),
                    KeyboardType.Phone, hint = text(R.string.field_phone_hint),
                )
                LabeledField(s.inputId, model::setInputId, text(R.string.field_input_id), s.errorFor("input_id"), KeyboardType.Number)
                Button(onClick = { model.submitAttributes() }, enabled = !s.busy, modifier = Modifier.fillMaxWidth()) {
                    Text(text(R.string.register_submit_attributes))
                }
            }
            Step.KIND, Step.DONE -> KindStep(model)
        }
        if (s.step != Step.KIND && s.step != Step.DONE) {
            TextButton(onClick = { model.cancel() }) { Text(text(R.string.register_cancel)) }
        }
    }
}

@Composable
private fun CodeStep(model: RegistrationViewModel) {
    val s by model.state.collectAsState()
    var now by remember { mutableLongStateOf(System.currentTimeMillis()) }
    val wait = s.resendWaitSeconds(now)
    LaunchedEffect(s.resendAllowedAtMs) {
        while (s.resendWaitSeconds(System.currentTimeMillis()) > 0) {
            now = System.currentTimeMillis()
            delay(1_000)
        }
        now = System.currentTimeMillis()
    }
    SubHeading(text(R.string.register_code_title))
    s.codeValidSeconds?.let { Text(text(R.string.register_code_valid, it / 60)) }
    LabeledField(s.code, model::setCode, text(R.string.register_code), s.errorFor("code"), KeyboardType.Number)
    Button(onClick = { model.verifyCode() }, enabled = !s.busy, modifier = Modifier.fillMaxWidth()) {
        Text(text(R.string.register_verify))
    }
    if (s.email.isBlank()) {
        TextButton(onClick = { model.changeEmail() }) { Text(text(R.string.register_change_email)) }
    } else {
        TextButton(onClick = { model.resendCode() }, enabled = wait == 0L && !s.busy) {
            Text(if (wait > 0) text(R.string.register_resend_wait, wait) else text(R.string.register_resend))
        }
    }
}

@Composable
private fun PasswordStep(model: RegistrationViewModel) {
    val s by model.state.collectAsState()
    SubHeading(text(R.string.register_password_title))
    s.rule?.let { Text(it.rule, style = MaterialTheme.typography.bodyMedium) }
    LabeledField(s.password, { model.setPassword(it) }, text(R.string.register_password), s.errorFor("password"), password = true)
    val met = text(R.string.rule_met)
    val notMet = text(R.string.rule_not_met)
    s.rule?.parts?.forEach { part ->
        Text(
            (if (part.met) "✓ " else "・ ") + part.label,
            color = if (part.met) MaterialTheme.colorScheme.primary else MaterialTheme.colorScheme.onSurfaceVariant,
            modifier = Modifier.semantics { contentDescription = part.label + "、" + if (part.met) met else notMet },
        )
    }
    s.rule?.kindsNote?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
    Button(onClick = { model.submitPassword() }, enabled = !s.busy, modifier = Modifier.fillMaxWidth()) {
        Text(text(R.string.register_set_password))
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun KindStep(model: RegistrationViewModel) {
    val s by model.state.collectAsState()
    SubHeading(text(R.string.register_kind_title))
    s.profile?.let { Text(text(R.string.register_centre, it.centreName)) }
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        s.kinds.forEach { k -> FilterChip(selected = s.kind == k.kind, onClick = { model.selectKind(k.kind) }, label = { Text(k.label) }) }
    }
    Button(onClick = { model.finish() }, enabled = s.kind != null, modifier = Modifier.fillMaxWidth()) {
        Text(text(R.string.register_to_report))
    }
}
