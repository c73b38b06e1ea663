/*
 * Sign-in: why it is asked for when the server ended the session, e-mail and
 * password, the core's message on the refused field, being
 * offline or throttled shown above; reports on the phone are kept either way.
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import jp.mimamori.app.R
import jp.mimamori.core.LoginViewModel

/** The login screen; [onSignedIn] goes home; [sessionEnded] says why it is shown. */
@Composable
fun LoginScreen(sessionEnded: Boolean, model: LoginViewModel, onSignedIn: () -> Unit) {
    val s by model.state.collectAsState()
    LaunchedEffect(s.signedIn) { if (s.signedIn) onSignedIn() }
    ScreenColumn {
        Heading(text(R.string.start_login))
        if (sessionEnded && s.error == null) Text(text(R.string.error_login_required), style = MaterialTheme.typography.bodyLarge)
        s.error?.let { ScreenErrorText(it, offline = R.string.error_offline_sign_in) }
        LabeledField(s.email, model::setEmail, text(R.string.register_email), s.errorFor("email"), KeyboardType.Email)
        LabeledField(s.password, model::setPassword, text(R.string.register_password), s.errorFor("password"), password = true)
        Button(onClick = { model.login() }, enabled = !s.busy, modifier = Modifier.fillMaxWidth()) {
            Text(text(R.string.login_button))
        }
    }
}
