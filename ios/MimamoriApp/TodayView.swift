// The home screen: whether today's report was made, today's advice as the core words
// it (with the emergency-number card when the core says so), how many reports wait to
// be sent, and buttons to the report form and to the family's urgent check.
import MimamoriKit
import MobileCore
import SwiftUI

struct TodayView: View {
    @ObservedObject var model: TodayModel
    let onReport: () -> Void
    let onUrgentCheck: () -> Void

    var body: some View {
        let state = model.state
        ScrollView {
            VStack(alignment: .leading, spacing: 16) {
                if state.loading {
                    ProgressView()
                }
                if let date = state.localDate {
                    Text(date).foregroundStyle(.secondary)
                }
                if let error = state.error {
                    ServiceErrorText(error: error)
                }
                Text(state.reportedToday ? "today.reported" : "today.notReported").font(.headline)
                if let advice = state.advice {
                    AdviceSection(advice: advice)
                }
                if !state.showEmergencyNumber, let contact = state.emergency {
                    EmergencyNumberCard(contact: contact)
                }
                if state.pendingSync > 0 {
                    Text("today.pending \(Int(clamping: state.pendingSync))").font(.footnote)
                }
                Button(action: onReport) {
                    Text(state.reportedToday ? "today.reportAgain" : "today.report").frame(maxWidth: .infinity)
                }
                .buttonStyle(.borderedProminent)
                Button(action: onUrgentCheck) {
                    Text("today.urgentCheck").frame(maxWidth: .infinity)
                }
                .buttonStyle(.bordered)
            }
            .padding()
        }
        .navigationTitle(Text("today.title"))
        .refreshable { await model.refresh() }
    }
}
