// The app's own settings that are not the phone core's: the language of the screens
// (the phone's, 日本語 or English; Japanese unless the phone prefers English), kept in
// UserDefaults, and the server address the app is built for, read from Info.plist
// (`MimamoriServerURL`). A leaflet's link never changes that address: the core refuses
// another server's link.
import Foundation
import MobileCore

/// The language chosen in the settings.
public enum LanguageChoice: String, CaseIterable, Sendable {
    /// The phone's language: English when the phone prefers English, else Japanese.
    case system
    case ja
    case en

    /// The core's language for this choice on a phone preferring `preferredLanguages`.
    public func resolve(preferredLanguages: [String]) -> Language {
        switch self {
        case .ja: return .ja
        case .en: return .en
        case .system: return preferredLanguages.first?.lowercased().hasPrefix("en") == true ? .en : .ja
        }
    }
}

/// The app's preferences in UserDefaults; safe from any thread (the service reads the
/// language at each call, off the main actor).
public final class AppPreferences: @unchecked Sendable {
    /// The UserDefaults key of the language choice (SwiftUI observes it with @AppStorage).
    public static let languageKey = "jp.mimamori.language"
    private let defaults: UserDefaults

    public init(defaults: UserDefaults = .standard) {
        self.defaults = defaults
    }

    /// The language chosen in the settings (the phone's until one is chosen).
    public var languageChoice: LanguageChoice {
        get { defaults.string(forKey: Self.languageKey).flatMap(LanguageChoice.init(rawValue:)) ?? .system }
        set { defaults.set(newValue.rawValue, forKey: Self.languageKey) }
    }

    /// The language the screens and the core's wording use now.
    public func language(preferredLanguages: [String] = Locale.preferredLanguages) -> Language {
        languageChoice.resolve(preferredLanguages: preferredLanguages)
    }
}

/// The server the app sends to, from the app's Info.plist.
public enum ServerAddress {
    /// The Info.plist key holding the server's address (`https://…`).
    public static let infoKey = "MimamoriServerURL"

    /// The address in `info` (a bundle's info dictionary), or `nil` when missing or
    /// blank. Whether it is acceptable (https, or http to this device) is the core's
    /// rule, checked when the core is opened with it.
    public static func from(info: [String: Any]?) -> String? {
        guard let value = info?[infoKey] as? String else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
