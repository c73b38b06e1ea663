// The daily report form (健康記録): the kind of person, the temperature and the nine
// questions, worded by the core, with the core's message under any refused field;
// after saving, the advice and a button back to today. Draws ReportFormModel's state
// and forwards taps; it decides nothing itself.
import MimamoriKit
import MobileCore
import SwiftUI

struct ReportFormView: View {
    @ObservedObject var model: ReportFormModel
    let onDone: () -> Void

    var body: some View {
        let state = model.state
        Form {
            if state.loading {
                ProgressView()
            } else if let advice = state.advice {
                Section {
                    Text("report.saved").font(.headline)
                    AdviceSection(advice: advice)
                    Button("report.done", action: onDone)
                }
            } else {
                if let error = state.error {
                    Section { ServiceErrorText(error: error) }
                }
                if let message = state.formError {
                    Section { Text(message).foregroundStyle(.red) }
                }
                Section("report.kind") {
                    Picker("report.kind", selection: kindBinding) {
                        ForEach(state.kinds, id: \.kind) { kind in
                            Text(kind.label).tag(Optional(kind.kind))
                        }
                    }
                    .pickerStyle(.inline)
                    .labelsHidden()
                }
                Section("report.temperature") {
                    HStack {
                        TextField("report.temperature.hint", text: temperatureBinding)
                            .keyboardType(.decimalPad)
                        Text("℃")
                    }
                    if let message = state.temperatureError {
                        Text(message).font(.footnote).foregroundStyle(.red)
                    }
                }
                ForEach(Array(state.questions.enumerated()), id: \.element.id) { index, question in
                    Section {
                        Picker(selection: answerBinding(index)) {
                            ForEach(question.options, id: \.code) { option in
                                Text(option.label).tag(Optional(option.choice))
                            }
                        } label: {
                            Text(verbatim: "\(question.number). \(question.text)")
                        }
                        .pickerStyle(.inline)
                        if let message = state.answerError(question.id) {
                            Text(message).font(.footnote).foregroundStyle(.red)
                        }
                    }
                }
                Section {
                    Button {
                        Task { await model.submit() }
                    } label: {
                        Text(state.saving ? "report.saving" : "report.submit").frame(maxWidth: .infinity)
                    }
                    .disabled(state.saving)
                }
            }
        }
        .navigationTitle(Text("report.title"))
        .task { if model.state.loading { await model.load() } }
    }

    private var kindBinding: Binding<PersonKind?> {
        Binding(get: { model.state.kind }, set: { kind in if let kind { model.selectKind(kind) } })
    }

    private var temperatureBinding: Binding<String> {
        Binding(get: { model.state.temperature }, set: { model.setTemperature($0) })
    }

    private func answerBinding(_ index: Int) -> Binding<AnswerChoice?> {
        Binding(
            get: { model.state.answers.indices.contains(index) ? model.state.answers[index] : nil },
            set: { choice in if let choice { model.answer(index, choice) } }
        )
    }
}
