// The emergency contact from the leaflet (screen 8): the app opened from the leaflet's
// QR code (a universal link `https://{server}/app?centre=…&name=…&tel=…`, or the custom
// `mimamori://leaflet?link=<that link>`), a scanned or typed link, or the centre's name
// and number typed by hand; shown, and correctable later. The core parses every link
// (one parser) and refuses another server's; this model only takes the link out of
// the URL the system handed over. Needs no account and no network.
#if canImport(Combine)
import Combine
#endif
import Foundation
import MobileCore

@MainActor
public final class EmergencyContactModel: ObservableObject {
    /// The custom URL scheme the app registers (Info.plist `CFBundleURLTypes`).
    public static let urlScheme = "mimamori"

    /// Everything the contact screen shows.
    public struct State: Equatable {
        public var loading = true
        /// The stored contact.
        public var contact: EmergencyContact?
        /// The contact a link just stored (for "this number was saved").
        public var fromLink: EmergencyContact?
        /// A refused field (`link`, `centre_name`, `phone_number`) with the core's message.
        public var fieldError: ServiceError?
        public var error: ServiceError?
        public var saving = false

        /// The message under `field`, if the core refused it.
        public func message(_ field: String) -> String? {
            fieldError?.field == field ? fieldError?.reason : nil
        }
    }

    @Published public private(set) var state = State()
    private let service: any MimamoriService

    public init(service: any MimamoriService) {
        self.service = service
    }

    /// The leaflet's link in a URL the system opened the app with: the URL itself for
    /// http(s), the `link` item of a `mimamori:` URL; anything else as it is (the core
    /// then says it is not a leaflet's).
    public nonisolated static func leafletLink(in url: URL) -> String {
        if url.scheme?.lowercased() == urlScheme,
           let link = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems?.first(where: { $0.name == "link" })?.value {
            return link
        }
        return url.absoluteString
    }

    /// Reads the stored contact.
    public func load() async {
        do {
            state.contact = try await service.emergencyContact()
        } catch {
            state.error = ServiceError.from(error)
        }
        state.loading = false
    }

    /// The app was opened from the leaflet's link (deep link or universal link).
    public func open(url: URL) async {
        await openLink(Self.leafletLink(in: url))
    }

    /// A scanned or typed leaflet link. A refused link changes nothing.
    public func openLink(_ link: String) async {
        await store { service in try await service.openLeafletLink(link) }
    }

    /// The centre's name and number typed from the leaflet, or a correction.
    public func save(centreName: String, phoneNumber: String) async {
        let contact = EmergencyContact(centreName: centreName, phoneNumber: phoneNumber)
        await store { service in
            try await service.setEmergencyContact(contact)
            // The core may normalise the number: show what it stored.
            return try await service.emergencyContact() ?? contact
        }
    }

    private func store(_ body: (any MimamoriService) async throws -> EmergencyContact) async {
        guard !state.saving else { return }
        state.saving = true
        state.fieldError = nil
        state.error = nil
        state.fromLink = nil
        do {
            let stored = try await body(service)
            state.contact = stored
            state.fromLink = stored
        } catch {
            let error = ServiceError.from(error)
            if error.field != nil { state.fieldError = error } else { state.error = error }
        }
        state.loading = false
        state.saving = false
    }
}
