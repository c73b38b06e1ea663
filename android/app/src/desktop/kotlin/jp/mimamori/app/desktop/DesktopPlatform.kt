/*
 * The JVM's side of the screens' platform interfaces (ui/Platform.kt), for the tests
 * that render and drive the screens here: the words read from the app's very own
 * res/values/strings.xml (Japanese) and res/values-en/strings.xml (English), a device
 * that records what the screens asked of it, and services that count the syncs asked
 * for and keep the language and the planned reminder in memory.
 */
package jp.mimamori.app.desktop

import jp.mimamori.app.R
import jp.mimamori.app.ui.AppServices
import jp.mimamori.app.ui.Device
import jp.mimamori.app.ui.Words
import jp.mimamori.core.AlarmPort
import jp.mimamori.core.AppLanguage
import jp.mimamori.core.LanguageStore

import java.io.File
import java.util.Locale
import javax.xml.parsers.DocumentBuilderFactory
import org.w3c.dom.Element
import uniffi.mobile_core.ReminderPlan
import uniffi.mobile_core.ReminderTime

/** The strings and plurals of one strings.xml, by name. */
class StringsXml(file: File) {
    /** `<string name=…>` texts, Android's escapes undone. */
    val strings: Map<String, String>

    /** `<plurals name=…>`: quantity → text. */
    val plurals: Map<String, Map<String, String>>

    init {
        val doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file)
        val s = mutableMapOf<String, String>()
        val p = mutableMapOf<String, Map<String, String>>()
        val nodes = doc.documentElement.childNodes
        for (i in 0 until nodes.length) {
            val e = nodes.item(i) as? Element ?: continue
            when (e.tagName) {
                "string" -> s[e.getAttribute("name")] = unescape(e.textContent)
                "plurals" -> {
                    val items = e.getElementsByTagName("item")
                    p[e.getAttribute("name")] = (0 until items.length).associate {
                        val item = items.item(it) as Element
                        item.getAttribute("quantity") to unescape(item.textContent)
                    }
                }
            }
        }
        strings = s
        plurals = p
    }

    private companion object {
        /** Android's resource escapes: \' \" \n \t \@ \? \\, and surrounding quotes. */
        fun unescape(raw: String): String {
            val t = raw.trim().let { if (it.length >= 2 && it.startsWith('"') && it.endsWith('"')) it.substring(1, it.length - 1) else it }
            val out = StringBuilder()
            var i = 0
            while (i < t.length) {
                val c = t[i]
                if (c == '\\' && i + 1 < t.length) {
                    out.append(when (val n = t[i + 1]) { 'n' -> '\n'; 't' -> '\t'; else -> n })
                    i += 2
                } else {
                    out.append(c)
                    i++
                }
            }
            return out.toString()
        }
    }
}

/**
 * The app's words in [language], read from [res] (the app's res folder): English falls
 * back to the Japanese default for a name it lacks, as Android does.
 */
class XmlWords(res: File, private val language: AppLanguage) : Words {
    private val default = StringsXml(File(res, "values/strings.xml"))
    private val english = StringsXml(File(res, "values-en/strings.xml"))
    private val locale = if (language == AppLanguage.EN) Locale.ENGLISH else Locale.JAPANESE

    override fun text(id: Int, vararg args: Any): String {
        val name = names(R.string::class.java)[id] ?: error("no string with id $id")
        val raw = (if (language == AppLanguage.EN) english.strings[name] else null) ?: default.strings[name]
            ?: error("no string $name in strings.xml")
        return if (args.isEmpty()) raw else String.format(locale, raw, *args)
    }

    override fun plural(id: Int, count: Int, vararg args: Any): String {
        val name = names(R.plurals::class.java)[id] ?: error("no plural with id $id")
        val forms = (if (language == AppLanguage.EN) english.plurals[name] else null) ?: default.plurals[name]
            ?: error("no plural $name in strings.xml")
        // Japanese has one form ("other"); English "one" for 1.
        val raw = (if (count == 1) forms["one"] else null) ?: forms["other"] ?: error("plural $name has no other form")
        return String.format(locale, raw, *args)
    }

    private companion object {
        val cache = mutableMapOf<Class<*>, Map<Int, String>>()

        /** id → name of the generated R class [c] (its int constants). */
        fun names(c: Class<*>): Map<Int, String> = synchronized(cache) {
            cache.getOrPut(c) { c.declaredFields.filter { it.type == Int::class.javaPrimitiveType }.associate { it.getInt(null) to it.name } }
        }
    }
}

/** A device that records what the screens asked of it. */
class RecordingDevice(var notificationsAsked: Boolean = true) : Device {
    /** Numbers the dialler was opened with. */
    val dialled = mutableListOf<String>()

    /** Times the permission was asked for. */
    var permissionRequests = 0

    /** What the next time picker answers. */
    var nextPickedTime: ReminderTime? = null

    /** Times the app store was opened. */
    var storeOpened = 0

    override fun dial(number: String): Boolean { dialled += number; return true }

    override fun openStore(): Boolean { storeOpened++; return true }

    override fun shouldAskNotifications(): Boolean = !notificationsAsked

    override fun askNotifications(done: () -> Unit) { permissionRequests++; notificationsAsked = true; done() }

    override fun notificationsLater() { notificationsAsked = true }

    override fun pickTime(start: ReminderTime, picked: (ReminderTime) -> Unit) { nextPickedTime?.let(picked) }
}

/** The language kept in memory. */
class MemoryLanguageStore(var language: AppLanguage = AppLanguage.JA) : LanguageStore {
    override fun get(): AppLanguage = language
    override fun set(language: AppLanguage) { this.language = language }
}

/** Services that count the syncs asked for and keep the planned reminder. */
class RecordingServices(override val languages: MemoryLanguageStore = MemoryLanguageStore()) : AppServices {
    /** Times a sync and a new reminder were asked for. */
    var changes = 0

    /** The planned reminder, if any. */
    var planned: ReminderPlan? = null

    override suspend fun afterChange() { changes++ }

    override val alarm: AlarmPort = object : AlarmPort {
        override fun schedule(plan: ReminderPlan) { planned = plan }
        override fun cancel() { planned = null }
    }
}
