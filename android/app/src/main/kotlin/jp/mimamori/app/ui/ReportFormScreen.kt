/*
 * The daily report form (健康記録): whose report it is, the kind of person, the
 * temperature and the nine questions, worded by the core, with the core's message
 * under any refused field; a confirm step showing what was entered; after saving (on
 * the phone, sent later), the advice — with the number to tap for "call now" — and a
 * button back home. Draws ReportFormViewModel's state and forwards taps; it decides
 * nothing itself.
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
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import jp.mimamori.app.R
import jp.mimamori.core.ReportFormViewModel
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.QuestionView

/** The report form; [onDone] leaves it after the advice was read. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun ReportFormScreen(model: ReportFormViewModel, onDone: () -> Unit) {
    val state by model.state.collectAsState()
    if (state.loading) {
        Column(Modifier.fillMaxSize(), horizontalAlignment = Alignment.CenterHorizontally) { CircularProgressIndicator() }
        return
    }
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp),
    ) {
        Heading(text(R.string.report_title))
        state.person?.takeIf { state.people.size > 1 }?.let { Text(text(R.string.report_for, it.name)) }

        val advice = state.advice
        if (advice != null) {
            Text(text(R.string.report_saved), style = MaterialTheme.typography.titleMedium)
            AdviceCard(advice)
            Button(onClick = onDone, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.report_done)) }
            return@Column
        }

        if (state.confirming) {
            ConfirmStep(state, onSave = { model.submit() }, onEdit = { model.edit() })
            return@Column
        }

        PersonPicker(state.people, state.personId) { model.selectPerson(it) }
        state.error?.let { ScreenErrorText(it) }
        state.formError?.let { Text(it, color = MaterialTheme.colorScheme.error) }

        Text(text(R.string.report_kind), style = MaterialTheme.typography.titleMedium)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            state.kinds.forEach { k ->
                FilterChip(selected = state.kind == k.kind, onClick = { model.selectKind(k.kind) }, label = { Text(k.label) })
            }
        }

        OutlinedTextField(
            value = state.temperature,
            onValueChange = model::setTemperature,
            label = { Text(text(R.string.report_temperature)) },
            placeholder = { Text(text(R.string.report_temperature_hint)) },
            suffix = { Text("℃") },
            isError = state.temperatureError != null,
            supportingText = { state.temperatureError?.let { Text(it) } },
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Decimal),
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )

        state.questions.forEachIndexed { index, question ->
            QuestionCard(
                question = question,
                selected = state.answers.getOrNull(index),
                error = state.answerError(question.id),
                onAnswer = { choice -> model.answer(index, choice) },
            )
        }

        Button(onClick = { model.review() }, enabled = !state.saving && state.kind != null, modifier = Modifier.fillMaxWidth()) {
            Text(text(R.string.report_review))
        }
    }
}

/** What was entered, once more, before it is saved. */
@Composable
private fun ConfirmStep(state: ReportFormViewModel.State, onSave: () -> Unit, onEdit: () -> Unit) {
    SubHeading(text(R.string.report_confirm_title))
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            state.kindLabel?.let { Text(text(R.string.report_kind) + "：" + it) }
            Text(text(R.string.report_temperature) + "：" + state.temperature + " ℃")
            state.questions.forEachIndexed { i, q ->
                Text("${q.number}. ${q.text}：" + (state.answerLabel(i) ?: text(R.string.report_unanswered)))
            }
        }
    }
    Button(onClick = onSave, enabled = !state.saving, modifier = Modifier.fillMaxWidth()) {
        Text(text(if (state.saving) R.string.report_saving else R.string.report_submit))
    }
    OutlinedButton(onClick = onEdit, enabled = !state.saving, modifier = Modifier.fillMaxWidth()) {
        Text(text(R.string.report_edit))
    }
}

/** One question with its three options, as the core words them. */
@Composable
private fun QuestionCard(question: QuestionView, selected: AnswerChoice?, error: String?, onAnswer: (AnswerChoice) -> Unit) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp)) {
            SubHeading("${question.number}. ${question.text}")
            question.options.forEach { option ->
                Row(
                    Modifier
                        .fillMaxWidth()
                        .heightIn(min = ROW_HEIGHT).selectable(selected = selected == option.choice, role = Role.RadioButton, onClick = { onAnswer(option.choice) })
                        .padding(vertical = 4.dp),
                    verticalAlignment = Alignment.CenterVertically,
                ) {
                    RadioButton(selected = selected == option.choice, onClick = null)
                    Text(option.label, Modifier.padding(start = 8.dp))
                }
            }
            if (error != null) {
                Text(error, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodySmall)
            }
        }
    }
}
