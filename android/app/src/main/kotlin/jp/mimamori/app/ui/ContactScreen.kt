/*
 * The emergency contact from the leaflet: when the app was opened from the leaflet's
 * QR code the core reads the link here (another server's link is refused with the
 * core's message); otherwise, or to correct it later, the centre's name and number are
 * typed. The stored number is shown with a button that dials it.
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
import jp.mimamori.core.EmergencyContactViewModel

/** The contact screen; [link] is the leaflet's link the app was opened with, if any. */
@Composable
fun ContactScreen(model: EmergencyContactViewModel, link: String?) {
    val s by model.state.collectAsState()
    LaunchedEffect(link) { if (link != null) model.openLink(link) else model.load() }
    ScreenColumn {
        Heading(text(R.string.contact_title))
        s.error?.let { ScreenErrorText(it) }
        s.linkError?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        if (s.stored) {
            Text(
                text(if (s.fromLink) R.string.contact_from_link else R.string.contact_saved),
                color = MaterialTheme.colorScheme.primary,
            )
        }
        s.contact?.let { EmergencyNumberCard(it) }
        SubHeading(text(if (s.contact == null) R.string.contact_type else R.string.contact_edit))
        LabeledField(s.centreName, model::setCentreName, text(R.string.contact_centre), s.centreError)
        LabeledField(s.phoneNumber, model::setPhoneNumber, text(R.string.contact_phone), s.phoneError, KeyboardType.Phone)
        Button(onClick = { model.save() }, enabled = !s.saving, modifier = Modifier.fillMaxWidth()) {
            Text(text(R.string.contact_save))
        }
    }
}
