// The emergency-number card and the advice as the core words it. The card shows the
// health centre's name and emergency number in large type with a large button that
// opens a `tel:` link (the phone asks before calling); the advice shows the headline,
// the reasons, the urgent-symptom groups to check, and the card when the core says so.
// Also turns any ServiceError into a line of text (an unexpected one too, never a crash).
import MimamoriKit
import MobileCore
import SwiftUI

/// The health centre's emergency number with a tap-to-call button. With no number
/// stored it shows `instruction`, the core's words for whom to call (where the number
/// is, and 119 in a life-threatening emergency), or the app's hint to store it.
struct EmergencyNumberCard: View {
    let contact: EmergencyContact?
    var instruction: String = ""
    @Environment(\.openURL) private var openURL

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text("emergency.title").font(.headline).accessibilityAddTraits(.isHeader)
            if let contact {
                Text(contact.centreName)
                Text(contact.phoneNumber).font(.largeTitle.bold())
                Button {
                    let digits = contact.phoneNumber.filter(\.isNumber)
                    if let url = URL(string: "tel:\(digits)") {
                        openURL(url)
                    }
                } label: {
                    Label("emergency.call", systemImage: "phone.fill").frame(maxWidth: .infinity, minHeight: 44)
                }
                .buttonStyle(.borderedProminent)
                .controlSize(.large)
                .tint(.red)
                .accessibilityHint(Text("emergency.call.hint \(contact.phoneNumber)"))
            } else if instruction.isEmpty {
                Text("emergency.none")
            } else {
                Text(verbatim: instruction).font(.body.bold())
            }
        }
        .padding()
        .frame(maxWidth: .infinity, alignment: .leading)
        .background(Color.red.opacity(0.12), in: RoundedRectangle(cornerRadius: 12))
    }
}

/// The advice for a report or a family's check.
struct AdviceSection: View {
    let advice: AdviceView

    var body: some View {
        VStack(alignment: .leading, spacing: 12) {
            if advice.showEmergencyNumber {
                EmergencyNumberCard(contact: advice.emergency, instruction: advice.callInstruction)
            }
            Text(advice.headline)
                .font(.title3.weight(advice.urgency == .callNow ? .bold : .regular))
                .foregroundStyle(advice.urgency == .callNow ? Color.red : Color.primary)
                .accessibilityAddTraits(.isHeader)
            ForEach(advice.reasons, id: \.self) { reason in
                Text(verbatim: "・\(reason)")
            }
            ForEach(advice.checkGroups, id: \.id) { group in
                VStack(alignment: .leading, spacing: 4) {
                    Text(group.title).font(.headline).accessibilityAddTraits(.isHeader)
                    ForEach(group.symptoms, id: \.id) { symptom in
                        Text(verbatim: "・\(symptom.text)\(symptom.judgedByFamily ? " ※" : "")")
                    }
                }
            }
        }
    }
}

/// One line explaining `error`: the core's message for a refused input or a server's
/// refusal, the app's strings for storage trouble, a needed login, being offline,
/// waiting N seconds, and anything unexpected.
struct ServiceErrorText: View {
    let error: ServiceError
    /// The app's page in the App Store (Info.plist `MimamoriAppStoreURL`, set per release).
    static let appStore = (Bundle.main.object(forInfoDictionaryKey: "MimamoriAppStoreURL") as? String)
        .flatMap(URL.init(string:)) ?? URL(string: "https://apps.apple.com/")!

    var body: some View {
        Group {
            switch error {
            case let .invalid(_, reason):
                Text(reason)
            case .corrupt:
                Text("error.corrupt")
            case .storage:
                Text("error.storage")
            case .loginRequired:
                Text("error.login_required")
            case .offline:
                Text("error.offline")
            case let .throttled(seconds, _):
                Text("error.throttled \(seconds)")
            case let .server(_, reason):
                Text(reason)
            case let .secureConnection(reason):
                Text(reason)
            case .newerData:
                Text("error.newer_data")
            case .updateRequired:
                VStack(alignment: .leading, spacing: 8) {
                    Text("error.update_required")
                    Link("update.open_store", destination: Self.appStore)
                        .buttonStyle(.borderedProminent)
                }
            case .keystore:
                Text("error.keystore")
            case .cancelled:
                Text("error.sync_stopped")
            case .unexpected:
                Text("error.unexpected")
            }
        }
        .foregroundStyle(.red)
    }
}
