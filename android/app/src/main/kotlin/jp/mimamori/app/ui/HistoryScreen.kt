/*
 * The history: the chosen person's temperature over the last days as a chart (drawn
 * with Canvas; TalkBack reads the same values as a list), and each day's answers as
 * the core words them.
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.graphics.Path
import androidx.compose.ui.graphics.drawscope.Stroke
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import jp.mimamori.app.R
import jp.mimamori.core.HistoryViewModel

/** The history screen. */
@Composable
fun HistoryScreen(model: HistoryViewModel) {
    val s by model.state.collectAsState()
    ScreenColumn {
        Heading(text(R.string.history_title))
        PersonPicker(s.people, s.personId) { model.selectPerson(it) }
        s.error?.let { ScreenErrorText(it) }
        val points = s.chart
        val spoken = points.joinToString("、") { p -> p.localDate + " " + (p.celsius?.let { "$it ℃" } ?: "—") }
        val label = text(R.string.history_chart, spoken)
        TemperatureChart(points, Modifier.fillMaxWidth().height(180.dp).semantics { contentDescription = label })
        s.reportedDays.forEach { day ->
            Card(Modifier.fillMaxWidth()) {
                Column(Modifier.padding(12.dp)) {
                    val report = day.report ?: return@Column
                    SubHeading(day.localDate + "  " + (report.temperatureTenths.toInt() / 10.0) + " ℃")
                    s.answersOf(day).forEach { a -> Text("・" + a.question + "：" + a.answer, style = MaterialTheme.typography.bodyMedium) }
                }
            }
        }
    }
}

/** A line through the days' temperatures; days without a report leave a gap. */
@Composable
private fun TemperatureChart(points: List<HistoryViewModel.Point>, modifier: Modifier) {
    val line = MaterialTheme.colorScheme.primary
    val grid = MaterialTheme.colorScheme.outlineVariant
    Canvas(modifier) {
        val values = points.mapNotNull { it.celsius }
        if (values.isEmpty()) return@Canvas
        val low = minOf(values.min(), 35.5)
        val high = maxOf(values.max(), 38.5)
        fun y(c: Double) = (size.height * (1 - (c - low) / (high - low))).toFloat()
        fun x(i: Int) = if (points.size < 2) size.width / 2 else size.width * i / (points.size - 1)
        var c = kotlin.math.ceil(low)
        while (c <= high) {
            drawLine(grid, Offset(0f, y(c)), Offset(size.width, y(c)))
            c += 1.0
        }
        var path: Path? = null
        points.forEachIndexed { i, p ->
            val t = p.celsius
            if (t == null) {
                path?.let { drawPath(it, line, style = Stroke(width = 4f)) }
                path = null
            } else {
                val at = Offset(x(i), y(t))
                path = (path ?: Path().apply { moveTo(at.x, at.y) }).apply { lineTo(at.x, at.y) }
                drawCircle(line, radius = 6f, center = at)
            }
        }
        path?.let { drawPath(it, line, style = Stroke(width = 4f)) }
    }
}
