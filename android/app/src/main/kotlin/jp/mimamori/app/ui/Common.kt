/*
 * Small building blocks every screen uses, so that accessibility is done once: a
 * scrolling screen column, headings marked as headings for TalkBack, a labelled text
 * field with the core's message under it (announced as the field's error), a labelled
 * choice row, and the person picker of a household.
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.error
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.text.input.VisualTransformation
import androidx.compose.ui.unit.dp
import uniffi.mobile_core.PersonView

/**
 * The least height of a row that answers a tap (a choice, a checklist line): above the
 * 48 dp every target needs, since many of the people who use the app are elderly.
 */
val ROW_HEIGHT = 56.dp

/** A padded column that scrolls, so large text never cuts a screen off. */
@Composable
fun ScreenColumn(content: @Composable ColumnScope.() -> Unit) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
        content = content,
    )
}

/** A screen's title, marked as a heading. */
@Composable
fun Heading(text: String) {
    Text(text, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.semantics { heading() })
}

/** A section's title, marked as a heading. */
@Composable
fun SubHeading(text: String) {
    Text(text, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
}

/** A text field with its [label] and the core's [error] under it (also announced). */
@Composable
fun LabeledField(
    value: String,
    onValueChange: (String) -> Unit,
    label: String,
    error: String?,
    keyboardType: KeyboardType = KeyboardType.Text,
    password: Boolean = false,
    hint: String? = null,
) {
    OutlinedTextField(
        value = value,
        onValueChange = onValueChange,
        label = { Text(label) },
        placeholder = hint?.let { { Text(it) } },
        isError = error != null,
        supportingText = error?.let { { Text(it) } },
        keyboardOptions = KeyboardOptions(keyboardType = keyboardType),
        visualTransformation = if (password) PasswordVisualTransformation() else VisualTransformation.None,
        singleLine = true,
        modifier = Modifier.fillMaxWidth().semantics { if (error != null) error(error) },
    )
}

/** Whose report or day is shown: the owner first, then the household members. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun PersonPicker(people: List<PersonView>, selected: String, onSelect: (String) -> Unit) {
    if (people.size < 2) return
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        people.forEach { p ->
            FilterChip(selected = p.personId == selected, onClick = { onSelect(p.personId) }, label = { Text(p.name) })
        }
    }
}
