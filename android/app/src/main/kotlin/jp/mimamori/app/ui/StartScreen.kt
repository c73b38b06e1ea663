/*
 * The start screen, usable with no account and no network: new registration, sign
 * in, the family's urgent-symptom check and the leaflet's emergency number.
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import jp.mimamori.app.R

/** The first screen without an account. */
@Composable
fun StartScreen(onRegister: () -> Unit, onLogin: () -> Unit, onUrgentCheck: () -> Unit, onContact: () -> Unit) {
    ScreenColumn {
        Heading(text(R.string.app_name))
        Text(text(R.string.start_intro), style = MaterialTheme.typography.bodyLarge)
        Button(onClick = onRegister, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.start_register)) }
        OutlinedButton(onClick = onLogin, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.start_login)) }
        SubHeading(text(R.string.start_family))
        Button(onClick = onUrgentCheck, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.today_urgent_check)) }
        OutlinedButton(onClick = onContact, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.contact_title)) }
    }
}
