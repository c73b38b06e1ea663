/*
 * The family's urgent-symptom check (緊急性の高い症状), open without login: the
 * emergency-number card first (or a form to copy the number from the leaflet), the
 * leaflet's checklist as the core words it, the patient's kind, cough and fever for a
 * close contact, and the core's advice after "check".
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import jp.mimamori.app.R
import jp.mimamori.core.UrgentCheckViewModel

/** The family's check. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun UrgentCheckScreen(model: UrgentCheckViewModel) {
    val state by model.state.collectAsState()
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Heading(text(R.string.urgent_title))
        if (state.emergency != null) {
            EmergencyNumberCard(state.emergency)
        } else if (!state.loading) {
            ContactForm(
                centreError = state.contactError?.takeIf { it.field == "centre_name" }?.reason,
                phoneError = state.contactError?.takeIf { it.field == "phone_number" }?.reason,
                onSave = { name, number -> model.saveContact(name, number) },
            )
        }
        state.error?.let { ScreenErrorText(it) }

        val checklist = state.checklist ?: return@Column
        checklist.whenToCall.forEach { Text(it, style = MaterialTheme.typography.bodyMedium) }

        Text(text(R.string.urgent_kind), style = MaterialTheme.typography.titleMedium)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            FilterChip(selected = state.kind == null, onClick = { model.setKind(null) }, label = { Text(text(R.string.urgent_kind_unknown)) })
            state.kinds.forEach { k ->
                FilterChip(selected = state.kind == k.kind, onClick = { model.setKind(k.kind) }, label = { Text(k.label) })
            }
        }

        checklist.groups.forEach { group ->
            Card(Modifier.fillMaxWidth()) {
                Column(Modifier.padding(12.dp)) {
                    SubHeading(group.title)
                    group.symptoms.forEach { symptom ->
                        CheckRow(
                            label = symptom.text + if (symptom.judgedByFamily) " ※" else "",
                            checked = symptom.id in state.ticked,
                            onChange = { model.toggle(symptom.id) },
                        )
                    }
                }
            }
        }
        Text(checklist.footnote, style = MaterialTheme.typography.bodySmall)

        CheckRow(checklist.coughLabel, state.cough) { model.setCough(it) }
        CheckRow(checklist.feverLabel, state.fever) { model.setFever(it) }

        Button(onClick = { model.evaluate() }, enabled = !state.checking, modifier = Modifier.fillMaxWidth()) {
            Text(text(R.string.urgent_check_button))
        }
        state.advice?.let { AdviceCard(it) }
    }
}

@Composable
private fun CheckRow(label: String, checked: Boolean, onChange: (Boolean) -> Unit) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = ROW_HEIGHT).toggleable(value = checked, role = Role.Checkbox, onValueChange = onChange).padding(vertical = 4.dp),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Checkbox(checked = checked, onCheckedChange = null)
        Text(label, Modifier.padding(start = 8.dp))
    }
}

/** Copies the health centre's name and emergency number from the leaflet. */
@Composable
private fun ContactForm(centreError: String?, phoneError: String?, onSave: (String, String) -> Unit) {
    var centre by rememberSaveable { mutableStateOf("") }
    var phone by rememberSaveable { mutableStateOf("") }
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(text(R.string.contact_title), style = MaterialTheme.typography.titleMedium)
            OutlinedTextField(
                value = centre,
                onValueChange = { centre = it },
                label = { Text(text(R.string.contact_centre)) },
                isError = centreError != null,
                supportingText = { centreError?.let { Text(it) } },
                singleLine = true,
                modifier = Modifier.fillMaxWidth(),
            )
            OutlinedTextField(
                value = phone,
                onValueChange = { phone = it },
                label = { Text(text(R.string.contact_phone)) },
                isError = phoneError != null,
                supportingText = { phoneError?.let { Text(it) } },
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Phone),
                singleLine = true,
                modifier = Modifier.fillMaxWidth(),
            )
            Button(onClick = { onSave(centre, phone) }, modifier = Modifier.fillMaxWidth()) {
                Text(text(R.string.contact_save))
            }
        }
    }
}
