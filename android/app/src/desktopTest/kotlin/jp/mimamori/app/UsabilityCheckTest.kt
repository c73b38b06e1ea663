/*
 * The usability check itself finds what it is there to find: a 32 dp row that answers a
 * tap (the answer rows were that small once), an icon-like control with no words, and
 * a text cut off with an ellipsis.
 */
package jp.mimamori.app

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.width
import androidx.compose.material3.Text
import androidx.compose.ui.Modifier
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.unit.dp
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

@OptIn(ExperimentalTestApi::class)
class UsabilityCheckTest {
    @Test
    fun `small targets, wordless controls and cut-off text are each reported`() = phoneUiTest {
        setContent {
            Column {
                Box(Modifier.height(32.dp).width(300.dp).clickable {}) { Text("はい") }
                Box(Modifier.size(56.dp).clickable {})
                Text("とても長い説明の文がここにあって一行には収まりません", maxLines = 1, overflow = TextOverflow.Ellipsis, modifier = Modifier.width(120.dp))
            }
        }
        val e = assertThrows(AssertionError::class.java) { assertUsable("a bad screen") }
        val m = e.message!!
        assertTrue(Regex("\"はい\" is 300\\.\\d+ × 32\\.0 dp").containsMatchIn(m), m)
        assertTrue(m.contains("has no text and no content description"), m)
        assertTrue(m.contains("is cut off"), m)
    }
}
