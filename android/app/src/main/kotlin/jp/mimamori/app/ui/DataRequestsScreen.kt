/*
 * The person's requests about their data (開示・訂正・利用停止), reached from Settings
 * next to the data-handling notice: the form (kind; for a correction the item, for a
 * temperature one of the reports sent to the centre, and what it should be; an
 * optional note), a confirm step, then the list of one's requests with their status
 * and the centre's answer or reason, and the disclosure of what the centre holds
 * (details, corrections, reports with a corrected temperature beside the original, and
 * every other record held: the notification, contacts, handlings, calls, who read it).
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.selection.selectable
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import jp.mimamori.app.R
import jp.mimamori.core.localTimeText
import jp.mimamori.core.DataRequestsViewModel
import uniffi.mobile_core.CorrectionField
import uniffi.mobile_core.DataRequestKind
import uniffi.mobile_core.DataRequestView
import uniffi.mobile_core.DisclosureView

/** The data-requests screen. */
@Composable
fun DataRequestsScreen(model: DataRequestsViewModel) {
    val s by model.state.collectAsState()
    ScreenColumn {
        Heading(text(R.string.rights_title))
        s.error?.let { ScreenErrorText(it) }
        s.filed?.let { Text(text(R.string.rights_filed), color = MaterialTheme.colorScheme.primary) }

        if (s.confirming) {
            SubHeading(text(R.string.rights_confirm_title))
            Card(Modifier.fillMaxWidth()) {
                Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                    Text(kindLabel(s.kind), style = MaterialTheme.typography.titleMedium)
                    if (s.correcting) {
                        s.item?.let { Text(text(R.string.rights_item) + "：" + fieldLabel(it)) }
                        s.reports.firstOrNull { it.reportId == s.reportId }?.let {
                            Text(text(R.string.rights_report_line, it.localDate, tenths(it.temperatureTenths.toInt())))
                        }
                        if (s.value.isNotBlank()) Text(text(R.string.rights_value) + "：" + s.value.trim())
                    }
                    if (s.note.isNotBlank()) Text(text(R.string.rights_note) + "：" + s.note.trim())
                }
            }
            Button(onClick = { model.send() }, enabled = !s.sending, modifier = Modifier.fillMaxWidth()) {
                Text(text(R.string.rights_send))
            }
            OutlinedButton(onClick = { model.edit() }, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.rights_edit)) }
        } else {
            SubHeading(text(R.string.rights_kind))
            s.errorFor("kind")?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            listOf(DataRequestKind.DISCLOSURE, DataRequestKind.CORRECTION, DataRequestKind.SUSPENSION).forEach { k ->
                Choice(kindLabel(k), s.kind == k) { model.setKind(k) }
            }
            if (s.correcting) {
                SubHeading(text(R.string.rights_correction))
                Text(text(R.string.rights_item))
                s.errorFor("item")?.let { Text(it, color = MaterialTheme.colorScheme.error) }
                CorrectionField.entries.forEach { f -> Choice(fieldLabel(f), s.item == f) { model.setItem(f) } }
                if (s.pickingReport) {
                    Text(text(R.string.rights_report))
                    s.errorFor("report_id")?.let { Text(it, color = MaterialTheme.colorScheme.error) }
                    if (s.reports.isEmpty()) Text(text(R.string.rights_no_reports), style = MaterialTheme.typography.bodySmall)
                    s.reports.forEach { r ->
                        Choice(text(R.string.rights_report_line, r.localDate, tenths(r.temperatureTenths.toInt())), s.reportId == r.reportId) {
                            model.pickReport(r.reportId)
                        }
                    }
                }
                LabeledField(s.value, model::setValue, text(R.string.rights_value), s.errorFor("value"))
            }
            LabeledField(s.note, model::setNote, text(R.string.rights_note), s.errorFor("note"))
            Button(onClick = { model.confirm() }, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.rights_review)) }
        }

        SubHeading(text(R.string.rights_requests))
        if (s.requests.isEmpty() && !s.loading) Text(text(R.string.rights_requests_none))
        s.requests.forEach { RequestCard(it) }

        OutlinedButton(onClick = { model.loadDisclosure() }, enabled = !s.loadingDisclosure, modifier = Modifier.fillMaxWidth()) {
            Text(text(R.string.rights_disclosure_open))
        }
        s.disclosure?.let { Disclosure(it) }
    }
}

/** One request: what, when, where it stands and the centre's answer. */
@Composable
private fun RequestCard(r: DataRequestView) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(2.dp)) {
            val what = r.fieldLabel?.let { "${r.kindLabel}（$it${r.value?.let { v -> ": $v" } ?: ""}）" } ?: r.kindLabel
            Text(what, style = MaterialTheme.typography.titleSmall)
            Text(text(R.string.rights_filed_at, localTimeText(r.filedAt)), style = MaterialTheme.typography.bodySmall)
            Text(text(R.string.rights_status, r.statusLabel))
            r.correctedValue?.let { Text(text(R.string.rights_corrected_value, it)) }
            r.reason?.let { Text(text(R.string.rights_reason, it)) }
        }
    }
}

/** What the centre holds, as the page shows it. */
@Composable
private fun Disclosure(d: DisclosureView) {
    SubHeading(text(R.string.rights_disclosure_title))
    if (d.suspended) Text(text(R.string.rights_suspended), color = MaterialTheme.colorScheme.primary)
    SubHeading(text(R.string.rights_details))
    Text(text(R.string.rights_item_name) + "：" + d.name)
    Text(text(R.string.rights_item_name_reading) + "：" + d.nameReading)
    Text(text(R.string.rights_item_date_of_birth) + "：" + d.dateOfBirth)
    Text(text(R.string.rights_item_phone) + "：" + d.phone)
    d.email?.let { Text(text(R.string.rights_email) + "：" + it) }
    Text(text(R.string.rights_period, d.periodStart, d.periodEnd))
    Text(text(R.string.rights_centre) + "：" + d.centreName)
    if (d.corrections.isNotEmpty()) {
        SubHeading(text(R.string.rights_corrections))
        d.corrections.forEach { Text(text(R.string.rights_correction_line, it.fieldLabel, it.original, it.corrected)) }
    }
    SubHeading(text(R.string.rights_reports, d.reports.size))
    d.reports.forEach { r ->
        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(text(R.string.rights_report_line, r.localDate, r.temperature))
            r.correctedTemperature?.let { Text(text(R.string.rights_corrected_beside, it), color = MaterialTheme.colorScheme.primary) }
        }
    }
    // Everything else held (account, notification, contacts, handlings, calls,
    // transfers, household, who read the data): each record as "column: value" lines.
    d.sections.forEach { section ->
        SubHeading(section.title + " (" + section.rows.size + ")")
        if (section.rows.isEmpty()) Text(text(R.string.rights_section_empty))
        section.rows.forEach { row ->
            Column(modifier = Modifier.fillMaxWidth().padding(vertical = 4.dp)) {
                section.columns.zip(row).filter { it.second.isNotEmpty() }.forEach { (column, value) -> Text("$column：$value") }
            }
        }
    }
    SubHeading(text(R.string.rights_requests))
    d.requests.forEach { RequestCard(it) }
}

/** A labelled radio choice. */
@Composable
private fun Choice(label: String, selected: Boolean, onClick: () -> Unit) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = ROW_HEIGHT).selectable(selected = selected, role = Role.RadioButton, onClick = onClick).padding(4.dp),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        RadioButton(selected = selected, onClick = null)
        Text(label, Modifier.padding(start = 8.dp))
    }
}

@Composable
private fun kindLabel(k: DataRequestKind): String = text(
    when (k) {
        DataRequestKind.DISCLOSURE -> R.string.rights_kind_disclosure
        DataRequestKind.CORRECTION -> R.string.rights_kind_correction
        DataRequestKind.SUSPENSION -> R.string.rights_kind_suspension
    },
)

@Composable
private fun fieldLabel(f: CorrectionField): String = text(
    when (f) {
        CorrectionField.NAME -> R.string.rights_item_name
        CorrectionField.NAME_READING -> R.string.rights_item_name_reading
        CorrectionField.DATE_OF_BIRTH -> R.string.rights_item_date_of_birth
        CorrectionField.PHONE -> R.string.rights_item_phone
        CorrectionField.EMAIL -> R.string.rights_item_email
        CorrectionField.TEMPERATURE -> R.string.rights_item_temperature
    },
)

/** Tenths of a degree as `36.5`. */
private fun tenths(t: Int): String = "${t / 10}.${t % 10}"
