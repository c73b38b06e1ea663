/*
 * The household (代理入力): everyone this phone reports for with their upload queue,
 * the choice of whose report is made next, a form to add a member by their attributes
 * and smartphone input ID (the core's message on the refused field), and unlinking a
 * member (their reports stay).
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.selection.selectable
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.foundation.layout.Row
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import jp.mimamori.app.R
import jp.mimamori.core.HouseholdViewModel
import jp.mimamori.core.SELF_PERSON

/** The household screen. */
@Composable
fun HouseholdScreen(model: HouseholdViewModel) {
    val s by model.state.collectAsState()
    ScreenColumn {
        Heading(text(R.string.household_title))
        s.error?.let { ScreenErrorText(it) }
        SubHeading(text(R.string.household_whose))
        s.people.forEach { p ->
            Card(Modifier.fillMaxWidth()) {
                Row(
                    Modifier.fillMaxWidth()
                        .heightIn(min = ROW_HEIGHT).selectable(selected = s.selected == p.view.personId, role = Role.RadioButton, onClick = { model.select(p.view.personId) })
                        .padding(12.dp),
                    verticalAlignment = Alignment.CenterVertically,
                ) {
                    RadioButton(selected = s.selected == p.view.personId, onClick = null)
                    Column(Modifier.padding(start = 8.dp).weight(1f)) {
                        Text(p.view.name, style = MaterialTheme.typography.titleMedium)
                        p.view.centreName?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
                        p.queue?.let { q ->
                            Text(text(R.string.household_queue, q.pending.toLong(), q.failed.toLong()), style = MaterialTheme.typography.bodySmall)
                        }
                        if (!p.view.linked) Text(text(R.string.household_unlinked), color = MaterialTheme.colorScheme.error)
                    }
                }
                if (p.view.personId != SELF_PERSON && p.view.linked) {
                    TextButton(onClick = { model.remove(p.view.personId) }, modifier = Modifier.padding(start = 8.dp)) {
                        Text(text(R.string.household_remove, p.view.name))
                    }
                }
            }
        }

        SubHeading(text(R.string.household_add_title))
        Text(text(R.string.household_add_why), style = MaterialTheme.typography.bodyMedium)
        s.added?.let { Text(text(R.string.household_added, it.name), color = MaterialTheme.colorScheme.primary) }
        Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
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
            Button(onClick = { model.addMember() }, enabled = !s.adding, modifier = Modifier.fillMaxWidth()) {
                Text(text(R.string.household_add))
            }
        }
    }
}
