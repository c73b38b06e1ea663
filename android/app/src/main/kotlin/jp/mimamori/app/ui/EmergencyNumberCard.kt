/*
 * The emergency-number card: the health centre's name and emergency number in large
 * type, and a button that opens the phone's dialler with the number filled in
 * (ACTION_DIAL: the person confirms the call; no permission needed). Shown wherever
 * the core says to show the number, and at the top of the family's check.
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import jp.mimamori.app.R
import uniffi.mobile_core.EmergencyContact

/**
 * The health centre's emergency number with a tap-to-call button. With no number
 * stored it shows [instruction], the core's words for whom to call (where the number
 * is, and 119 in a life-threatening emergency).
 */
@Composable
fun EmergencyNumberCard(contact: EmergencyContact?, modifier: Modifier = Modifier, instruction: String = "") {
    Card(
        modifier = modifier.fillMaxWidth(),
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer),
    ) {
        Column(Modifier.padding(16.dp)) {
            Text(text(R.string.emergency_title), style = MaterialTheme.typography.titleMedium)
            if (contact == null) {
                Text(instruction, style = MaterialTheme.typography.bodyLarge, fontWeight = FontWeight.Bold)
                return@Column
            }
            Text(contact.centreName, style = MaterialTheme.typography.bodyLarge)
            Text(
                contact.phoneNumber,
                style = MaterialTheme.typography.headlineMedium,
                fontWeight = FontWeight.Bold,
            )
            Spacer(Modifier.height(8.dp))
            CallButton(contact.phoneNumber)
        }
    }
}

/**
 * A large button that opens the dialler with [number] filled in; TalkBack reads the
 * number with it.
 */
@Composable
fun CallButton(number: String, modifier: Modifier = Modifier) {
    val device = LocalDevice.current
    val callLabel = text(R.string.emergency_call, number)
    Button(
        // A tablet without telephony opens nothing: the number stays on screen to dial by hand.
        onClick = { device.dial(number) },
        colors = ButtonDefaults.buttonColors(containerColor = MaterialTheme.colorScheme.error),
        contentPadding = PaddingValues(vertical = 20.dp),
        modifier = modifier.fillMaxWidth().semantics { contentDescription = callLabel },
    ) {
        Text(text(R.string.emergency_call_button) + "  " + number, style = MaterialTheme.typography.titleLarge)
    }
}
