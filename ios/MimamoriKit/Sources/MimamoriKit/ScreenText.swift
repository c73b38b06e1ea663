// What a screen says, decided here and only drawn by the views: a line is either the
// app's own words (a key of the app's Localizable.strings with its arguments) or words
// already in the screen's language (the core's or the server's). `Words` turns a line
// into the text a person reads, from the same Localizable.strings files the app ships,
// so the tests read the screens in Japanese and in English as a person would. Also the
// call action a screen offers (the centre's number, or 119 when none is stored), and
// what each ServiceError says.
import Foundation
import MobileCore

/// One line of a screen.
public enum ScreenText: Equatable, Sendable {
    /// The app's words: a Localizable.strings key (`today.pending %lld`) and its arguments.
    case words(String, [Argument] = [])
    /// Words already in the screen's language (the core's advice, a server's refusal).
    case verbatim(String)

    /// An argument of the app's words.
    public enum Argument: Equatable, Sendable {
        case number(Int)
        case text(String)
    }
}

/// The app's words in one language, read from a Localizable.strings file.
public struct Words: Sendable {
    private let table: [String: String]
    private let locale: Locale

    /// The words of `data` (a .strings file, text or binary) for `localeIdentifier`.
    public init(strings data: Data, localeIdentifier: String) throws {
        let list = try PropertyListSerialization.propertyList(from: data, options: [], format: nil)
        guard let table = list as? [String: String] else { throw CocoaError(.propertyListReadCorrupt) }
        self.table = table
        self.locale = Locale(identifier: localeIdentifier)
    }

    /// Whether the file has `key` (a missing key would show the key itself).
    public func has(_ key: String) -> Bool { table[key] != nil }

    /// The text a person reads for `text`; a key the file lacks is shown as it is.
    public func callAsFunction(_ text: ScreenText) -> String {
        switch text {
        case let .verbatim(words):
            return words
        case let .words(key, arguments):
            let format = table[key] ?? key
            guard !arguments.isEmpty else { return format }
            let values: [CVarArg] = arguments.map { argument in
                switch argument {
                case let .number(n): return n
                case let .text(s): return s
                }
            }
            return String(format: format, locale: locale, arguments: values)
        }
    }
}

/// The call a screen offers: the health centre's number, or 119 when none is stored.
public struct CallAction: Equatable, Sendable {
    /// The number as the person reads it.
    public let number: String
    /// The `tel:` link the button opens (the phone asks before calling).
    public let url: URL
    /// The button's words.
    public let label: ScreenText

    /// The centre's number of `contact`, or 119 without one.
    public static func to(_ contact: EmergencyContact?) -> CallAction {
        if let contact, let url = URL(string: "tel:\(contact.phoneNumber.filter(\.isNumber))"),
           contact.phoneNumber.contains(where: \.isNumber) {
            return CallAction(number: contact.phoneNumber, url: url, label: .words("emergency.call"))
        }
        return CallAction(number: "119", url: URL(string: "tel:119")!, label: .words("emergency.call119"))
    }
}

extension AdviceView {
    /// The call the advice offers: the centre's number (119 when none is stored), only
    /// when the core says the number is to be shown.
    public var callAction: CallAction? {
        showEmergencyNumber ? CallAction.to(emergency) : nil
    }
}

extension ServiceError {
    /// What a screen says about this error: the core's or server's words where it has
    /// them, else the app's; never personal data, never a crash.
    public var text: ScreenText {
        switch self {
        case let .invalid(_, reason), let .server(_, reason), let .secureConnection(reason):
            return .verbatim(reason)
        case .corrupt: return .words("error.corrupt")
        case .storage: return .words("error.storage")
        case .loginRequired: return .words("error.login_required")
        case .offline: return .words("error.offline")
        case let .throttled(seconds, _): return .words("error.throttled %llu", [.number(Int(clamping: seconds))])
        case .newerData: return .words("error.newer_data")
        case .updateRequired: return .words("error.update_required")
        case .keystore: return .words("error.keystore")
        case .cancelled: return .words("error.sync_stopped")
        case .unexpected: return .words("error.unexpected")
        }
    }
}

/// Where the app's page in the App Store is (Info.plist `MimamoriAppStoreURL`, set per
/// release): what "update required" links to.
public enum AppStorePage {
    public static let infoKey = "MimamoriAppStoreURL"
    /// The store's front page, if a build forgot the key.
    public static let fallback = URL(string: "https://apps.apple.com/")!

    /// The page named in `info` (the app's Info.plist), else the store's front page.
    public static func url(info: [String: Any]?) -> URL {
        guard let text = info?[infoKey] as? String, let url = URL(string: text),
              url.scheme == "https", url.host != nil else { return fallback }
        return url
    }
}
