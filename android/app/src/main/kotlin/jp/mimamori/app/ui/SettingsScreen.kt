/*
 * Settings: the app's language (Japanese, English), the daily reminder's time or off
 * (the one planned reminder moves with it), the data-handling notice as the core
 * words it with the way to the person's data requests (開示・訂正・利用停止) under it,
 * and sign-out — with a warning first while reports wait to be sent.
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import jp.mimamori.app.R
import jp.mimamori.core.AppLanguage
import jp.mimamori.core.SettingsViewModel
import uniffi.mobile_core.ReminderTime

/** The settings screen; [onLanguageChanged] redraws the app in the new language. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun SettingsScreen(model: SettingsViewModel, onLanguageChanged: () -> Unit, onSignedOut: () -> Unit, onDataRequests: () -> Unit) {
    val s by model.state.collectAsState()
    val device = LocalDevice.current
    LaunchedEffect(s.signedOut) { if (s.signedOut) onSignedOut() }
    ScreenColumn {
        Heading(text(R.string.settings_title))
        s.error?.let { ScreenErrorText(it) }

        SubHeading(text(R.string.settings_language))
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            FilterChip(selected = s.language == AppLanguage.JA, onClick = {
                if (s.language != AppLanguage.JA) { model.setLanguage(AppLanguage.JA); onLanguageChanged() }
            }, label = { Text("日本語") })
            FilterChip(selected = s.language == AppLanguage.EN, onClick = {
                if (s.language != AppLanguage.EN) { model.setLanguage(AppLanguage.EN); onLanguageChanged() }
            }, label = { Text("English") })
        }

        SubHeading(text(R.string.settings_reminder))
        val time = s.reminder
        Text(
            if (time == null) text(R.string.settings_reminder_off)
            else text(R.string.settings_reminder_at, time.hour.toInt(), time.minute.toInt()),
        )
        s.fieldError?.let { Text(it.reason, color = MaterialTheme.colorScheme.error) }
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = {
                val start = time ?: ReminderTime(9u, 0u)
                device.pickTime(start) { model.setReminder(it) }
            }) { Text(text(R.string.settings_reminder_change)) }
            if (time != null) OutlinedButton(onClick = { model.setReminder(null) }) { Text(text(R.string.settings_reminder_turn_off)) }
        }

        s.notice?.let { notice ->
            SubHeading(notice.title)
            notice.paragraphs.forEach { Text(it, style = MaterialTheme.typography.bodyMedium) }
        }
        OutlinedButton(onClick = onDataRequests, modifier = Modifier.fillMaxWidth()) {
            Text(text(R.string.rights_open))
        }

        OutlinedButton(onClick = { model.requestSignOut() }, modifier = Modifier.fillMaxWidth()) {
            Text(text(R.string.settings_sign_out))
        }
    }

    s.signOutWarning?.let { waiting ->
        val count = waiting.coerceAtMost(Int.MAX_VALUE.toLong()).toInt()
        AlertDialog(
            onDismissRequest = { model.keepSignedIn() },
            title = { Text(text(R.string.settings_sign_out)) },
            text = { Text(plural(R.plurals.settings_sign_out_warning, count, count)) },
            confirmButton = { TextButton(onClick = { model.confirmSignOut() }) { Text(text(R.string.settings_sign_out_anyway)) } },
            dismissButton = { TextButton(onClick = { model.keepSignedIn() }) { Text(text(R.string.settings_stay_signed_in)) } },
        )
    }
}
