// The history: the temperature chart of the last days (Swift Charts, with VoiceOver's
// audio graph) and each day's answers in the core's words; days without a report are
// listed as such. Draws HistoryModel's state.
import Charts
import MimamoriKit
import MobileCore
import SwiftUI

struct HistoryView: View {
    @ObservedObject var model: HistoryModel

    var body: some View {
        let state = model.state
        List {
            if let error = state.error {
                ServiceErrorText(error: error)
            }
            Section {
                if state.points.isEmpty {
                    Text("history.noReports")
                } else {
                    Chart(state.points, id: \.localDate) { point in
                        LineMark(x: .value(Text("history.date"), point.localDate), y: .value(Text("history.temperature"), point.celsius))
                        PointMark(x: .value(Text("history.date"), point.localDate), y: .value(Text("history.temperature"), point.celsius))
                    }
                    .chartYScale(domain: .automatic(includesZero: false))
                    .frame(minHeight: 200)
                    .accessibilityLabel(Text("history.chart"))
                }
            } header: {
                Text("history.chart").accessibilityAddTraits(.isHeader)
            }
            ForEach(state.days.reversed(), id: \.localDate) { day in
                Section {
                    if let report = day.report {
                        Text("history.temperatureValue \(String(format: "%.1f", Double(report.temperatureTenths) / 10))")
                        ForEach(Array(state.answers(day).enumerated()), id: \.offset) { _, line in
                            VStack(alignment: .leading) {
                                Text(verbatim: line.question).font(.footnote)
                                Text(verbatim: line.answer).bold()
                            }
                            .accessibilityElement(children: .combine)
                        }
                        if report.pendingSync {
                            Text("history.notSent").font(.footnote)
                        }
                    } else {
                        Text("history.noReport").foregroundStyle(.secondary)
                    }
                } header: {
                    Text(verbatim: day.localDate).accessibilityAddTraits(.isHeader)
                }
            }
        }
        .navigationTitle(Text("history.title"))
        .task { await model.load() }
        .refreshable { await model.load() }
    }
}
