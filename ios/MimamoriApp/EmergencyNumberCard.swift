// The emergency-number card and the advice as the core words it. The card shows the
// health centre's name and emergency number in large type with a large button that
// opens a `tel:` link (the phone asks before calling); with no number stored, advice
// to call now offers 119 instead. The advice shows the headline, the reasons, the
// urgent-symptom groups to check, and the card when the core says so. Also draws any
// ServiceError as its one line of text (an unexpected one too, never a crash).
import MimamoriKit
import MobileCore
import SwiftUI

/// The health centre's emergency number with a tap-to-call button. With no number
/// stored it shows `instruction`, the core's words for whom to call (where the number
/// is, and 119 in a life-threatening emergency), or the app's hint to store it; the
/// button then calls `call` when one is given (urgent advice: 119).
struct EmergencyNumberCard: View {
    let contact: EmergencyContact?
    var instruction: String = ""
    /// The call to offer; by default the stored number's, and none without one.
    var call: CallAction?
    @Environment(\.openURL) private var openURL

    private var offered: CallAction? {
        call ?? contact.map { CallAction.to($0) }
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text("emergency.title").font(.headline).accessibilityAddTraits(.isHeader)
            if let contact {
                Text(contact.centreName)
                Text(contact.phoneNumber).font(.largeTitle.bold())
            } else if instruction.isEmpty {
                Text("emergency.none")
            } else {
                Text(verbatim: instruction).font(.body.bold())
            }
            if let action = offered {
                Button {
                    openURL(action.url)
                } label: {
                    Label {
                        ScreenTextView(action.label)
                    } icon: {
                        Image(systemName: "phone.fill")
                    }
                    .frame(maxWidth: .infinity, minHeight: 44)
                }
                .buttonStyle(.borderedProminent)
                .controlSize(.large)
                .tint(.red)
                .accessibilityHint(Text("emergency.call.hint \(action.number)"))
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
            if let call = advice.callAction {
                EmergencyNumberCard(contact: advice.emergency, instruction: advice.callInstruction, call: call)
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

/// The line explaining `error`, as `ServiceError.text` words it (the core's or the
/// server's message where it has one, else the app's). "Update required" reaches the
/// app model, whose notice above every screen carries the App Store link.
struct ServiceErrorText: View {
    let error: ServiceError

    var body: some View {
        ScreenTextView(error.text).foregroundStyle(.red)
    }
}
