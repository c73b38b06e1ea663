// Draws a line the kit decided (ScreenText) in the language the person chose: the
// app's own words come from the app's Localizable.strings for that language (ja or
// en), read once each and handed down the screens by OpeningView; words already in
// the screen's language (the core's, the server's) are drawn as they are. A table
// that cannot be read shows the key itself, never a crash.
import Foundation
import MimamoriKit
import MobileCore
import SwiftUI

/// The app's words in each language, each read once from the app's bundle.
enum AppWords {
    static let ja = load("ja")
    static let en = load("en")

    /// The words for `language` (nil when its table could not be read).
    static func of(_ language: Language) -> Words? {
        language == .en ? en : ja
    }

    private static func load(_ localization: String) -> Words? {
        guard let url = Bundle.main.url(forResource: "Localizable", withExtension: "strings",
                                        subdirectory: nil, localization: localization),
              let data = try? Data(contentsOf: url) else { return nil }
        return try? Words(strings: data, localeIdentifier: localization)
    }
}

private struct AppWordsKey: EnvironmentKey {
    static let defaultValue: Words? = nil
}

extension EnvironmentValues {
    /// The app's words in the language the person chose (set by OpeningView).
    var appWords: Words? {
        get { self[AppWordsKey.self] }
        set { self[AppWordsKey.self] = newValue }
    }
}

extension ScreenText {
    /// The text a person reads with `words`; without them, the key itself.
    func read(with words: Words?) -> String {
        if let words { return words(self) }
        switch self {
        case let .words(key, _): return key
        case let .verbatim(text): return text
        }
    }
}

/// One ScreenText as a line of text, in the chosen language.
struct ScreenTextView: View {
    let text: ScreenText
    @Environment(\.appWords) private var words

    init(_ text: ScreenText) {
        self.text = text
    }

    var body: some View {
        Text(verbatim: text.read(with: words))
    }
}
