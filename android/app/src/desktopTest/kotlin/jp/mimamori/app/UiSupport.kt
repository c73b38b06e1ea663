/*
 * Test support for the screens on the JVM: the app's frame (theme, the words of the
 * app's own strings.xml in a language, a recording device, a view-model store) around
 * any composable or the whole app, a real repository on the phone core in a temporary
 * folder, a phone-sized UI test at a font scale, and each step of a journey drawn as a
 * PNG under the folder the suite lists and checked for usability.
 */
package jp.mimamori.app

import androidx.compose.runtime.Composable
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.asSkiaBitmap
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.text.TextLayoutResult
import androidx.compose.ui.test.v2.runSkikoComposeUiTest
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.ui.unit.Density
import androidx.lifecycle.ViewModelStore
import androidx.lifecycle.ViewModelStoreOwner
import androidx.lifecycle.viewmodel.compose.LocalViewModelStoreOwner
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import jp.mimamori.app.desktop.RecordingDevice
import jp.mimamori.app.desktop.RecordingServices
import jp.mimamori.app.ui.AppServices
import jp.mimamori.app.ui.MimamoriApp
import jp.mimamori.app.desktop.XmlWords
import jp.mimamori.app.ui.LocalDevice
import jp.mimamori.app.ui.LocalWords
import jp.mimamori.app.ui.MimamoriTheme
import jp.mimamori.core.AppLanguage
import jp.mimamori.core.CoreMimamoriRepository
import jp.mimamori.core.Outcome
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.runBlocking
import org.jetbrains.skia.EncodedImageFormat
import org.jetbrains.skia.Image

/** The app's res folder (the suite names it). */
val RES: File = File(System.getenv("MIMAMORI_UI_RES") ?: "android/app/src/main/res")

/** Where pictures go (the suite names it). */
val PICTURES: File = File(System.getenv("MIMAMORI_UI_PICTURES") ?: "build/shells/android-ui/pictures")

/** A view-model store for one composition, as an activity would give. */
class TestViewModels : ViewModelStoreOwner {
    override val viewModelStore: ViewModelStore = ViewModelStore()
}

/** [content] framed as the app frames it, in [language], with [device]. */
@Composable
fun AppFrame(language: AppLanguage, device: RecordingDevice, content: @Composable () -> Unit) {
    val words = remember(language) { XmlWords(RES, language) }
    val owner = remember { TestViewModels() }
    CompositionLocalProvider(LocalWords provides words, LocalDevice provides device, LocalViewModelStoreOwner provides owner) {
        MimamoriTheme(content)
    }
}

/** The server address of the leaflet links in the tests (never reached). */
const val TEST_SERVER = "https://mimamori.example.jp"

/** A phone's screen in dp, and its density (a common 6.3" phone). */
const val PHONE_WIDTH_DP = 411
const val PHONE_HEIGHT_DP = 891
const val PHONE_DENSITY = 2.625f

/**
 * Runs [block] as a UI test on a phone-sized screen at [fontScale] (the system's font
 * size setting), so that what it captures is what such a phone shows.
 */
@OptIn(ExperimentalTestApi::class)
fun phoneUiTest(fontScale: Float = 1f, block: SkikoComposeUiTest.() -> Unit) =
    runSkikoComposeUiTest(
        Size(PHONE_WIDTH_DP * PHONE_DENSITY, PHONE_HEIGHT_DP * PHONE_DENSITY),
        Density(PHONE_DENSITY, fontScale),
    ) { block() }

/** Captures the whole screen as `PICTURES/name.png`. */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.snap(name: String): File {
    waitForIdle()
    val bitmap = captureToImage().asSkiaBitmap()
    val data = Image.makeFromBitmap(bitmap).encodeToData(EncodedImageFormat.PNG) ?: error("no PNG for $name")
    PICTURES.mkdirs()
    return File(PICTURES, "$name.png").also { it.writeBytes(data.bytes) }
}

/**
 * What every screen must be for the people who use it, checked over the semantics tree
 * as shown: each control that answers a tap is at least 48 × 48 dp, a control without
 * text has a content description, and no text is cut off (which matters most at font
 * scale 2.0). Fails with every offending control listed.
 */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.assertUsable(where: String) {
    waitForIdle()
    val problems = mutableListOf<String>()
    val minPx = 48 * PHONE_DENSITY - 0.5f
    for (node in onAllNodes(hasClickAction()).fetchSemanticsNodes()) {
        val c = node.config
        val label = c.getOrNull(SemanticsProperties.Text)?.joinToString() ?: c.getOrNull(SemanticsProperties.ContentDescription)?.joinToString()
        // The touch target: the control's layout, which Material widens to 48 dp around a
        // smaller visible shape (minimumInteractiveComponentSize).
        val w = maxOf(node.size.width, node.layoutInfo.width)
        val h = maxOf(node.size.height, node.layoutInfo.height)
        if (w < minPx || h < minPx) {
            problems += "\"$label\" is ${w / PHONE_DENSITY} × ${h / PHONE_DENSITY} dp"
        }
        if (label.isNullOrBlank() && c.getOrNull(SemanticsProperties.EditableText) == null) {
            problems += "a control at ${node.boundsInRoot} has no text and no content description"
        }
    }
    // Text fields are left out: what is typed scrolls inside its field by design.
    val shownText = SemanticsMatcher.keyIsDefined(SemanticsActions.GetTextLayoutResult) and
        SemanticsMatcher.keyNotDefined(SemanticsProperties.EditableText)
    for (node in onAllNodes(shownText).fetchSemanticsNodes()) {
        val layouts = mutableListOf<TextLayoutResult>()
        node.config.getOrNull(SemanticsActions.GetTextLayoutResult)?.action?.invoke(layouts)
        if (layouts.any { it.isCutOff() }) {
            problems += "the text \"${node.config.getOrNull(SemanticsProperties.Text)?.joinToString()}\" is cut off"
        }
    }
    if (problems.isNotEmpty()) throw AssertionError("$where:\n  " + problems.joinToString("\n  "))
}

/**
 * Whether a laid-out text does not show whole: a line ended with an ellipsis, lines
 * taller than the room given, or a line wider than the text's box.
 */
private fun TextLayoutResult.isCutOff(): Boolean =
    didOverflowHeight || (0 until lineCount).any { isLineEllipsized(it) || getLineRight(it) > size.width + 1f }

/** The system's back gesture, as the app installed it. */
class Back {
    internal var action: () -> Unit = {}
}

/**
 * The whole app on [repo] as the phone shows it, opened with [firstLink] if given; the
 * [Back] presses the system's back gesture. A language chosen in Settings is shown as
 * Android does it: the activity is made again in that language, the models kept.
 */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.showApp(
    language: AppLanguage,
    repo: CoreMimamoriRepository,
    device: RecordingDevice = RecordingDevice(),
    services: AppServices = RecordingServices(),
    firstLink: String? = null,
): Back {
    val back = Back()
    // A language chosen in Settings: the activity starts again in it (its models stay).
    val shown = mutableStateOf(language)
    setContent {
        AppFrame(shown.value, device) {
            MimamoriApp(repo, services, firstLink, MutableStateFlow(null), onLanguageChanged = { shown.value = services.languages.get() },
                backHandler = { enabled, onBack -> if (enabled) back.action = onBack })
        }
    }
    return back
}

/** Presses the system's back gesture. */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.press(back: Back) = runOnUiThread { back.action() }

/** A step of a journey: drawn as `PICTURES/name.png`, then checked with [assertUsable]. */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.step(name: String) {
    snap(name)
    assertUsable(name)
}

/**
 * Taps the control that reads [text] (not a heading with the same words), as a person
 * does: once the screen has finished loading (no progress indicator), so that nothing
 * moves under the finger.
 */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.tap(text: String) {
    waitForIdle()
    waitUntil("the screen has loaded", 30_000) {
        onAllNodes(SemanticsMatcher.keyIsDefined(SemanticsProperties.ProgressBarRangeInfo)).fetchSemanticsNodes().isEmpty()
    }
    onNode(hasText(text) and hasClickAction()).performScrollTo()
    waitForIdle()
    onNode(hasText(text) and hasClickAction()).performClick()
}

/** Waits (up to 30 s: a busy machine's server) until a node with [text] (a part of its text) is shown. */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.waitForText(text: String) {
    waitUntil("\"$text\" is shown", 30_000) { onAllNodes(hasText(text, substring = true)).fetchSemanticsNodes().isNotEmpty() }
}

/** A real repository on the phone core, opened with [TEST_SERVER], in a new temporary folder. */
fun repositoryWithServer(language: AppLanguage = AppLanguage.JA): CoreMimamoriRepository {
    val dir: Path = Files.createTempDirectory("mimamori-ui")
    return when (val o = runBlocking { CoreMimamoriRepository.openWithServer(dir.resolve("phone.db").toString(), TEST_SERVER, io = Dispatchers.IO) { language.core } }) {
        is Outcome.Success -> o.value
        is Outcome.Failure -> throw AssertionError("the core did not open: ${o.error}")
    }
}
